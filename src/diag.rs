//! Diagnostics with source locations, and the line index that turns byte offsets into them.

use std::fmt;

use crate::ir::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the book, pointing at `file:line:col` when it has a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the working directory when possible).
    pub file: Option<String>,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, line: u32, col: u32, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: Some(file.into()),
            line,
            col,
            message: message.into(),
        }
    }

    pub fn warning(
        file: impl Into<String>,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            file: Some(file.into()),
            line,
            col,
            message: message.into(),
        }
    }

    /// An error about the whole build, with no source location.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            line: 0,
            col: 0,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.file {
            Some(file) if self.line > 0 => write!(
                f,
                "{file}:{}:{}: {sev}: {}",
                self.line, self.col, self.message
            ),
            Some(file) => write!(f, "{file}: {sev}: {}", self.message),
            None => write!(f, "{sev}: {}", self.message),
        }
    }
}

/// Collects diagnostics while a stage runs, so that all of a build's errors are reported.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}

/// Byte offset → (line, column) for one source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 1-based line and column (in characters) of `offset` in `text`.
    pub fn locate(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    pub fn span(&self, file: u32, text: &str, offset: usize) -> Span {
        let (line, col) = self.locate(text, offset);
        Span { file, line, col }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_char_columns() {
        let text = "ab\nçd e\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), (1, 1));
        assert_eq!(idx.locate(text, 3), (2, 1));
        // 'ç' is two bytes: byte 6 (the space) is the third character of line 2.
        assert_eq!(idx.locate(text, 6), (2, 3));
        assert_eq!(idx.locate(text, 10), (4, 1));
    }

    #[test]
    fn displays_file_line_col() {
        let d = Diagnostic::error("book/src/a.md", 3, 7, "unknown chapter `b.md`");
        assert_eq!(
            d.to_string(),
            "book/src/a.md:3:7: error: unknown chapter `b.md`"
        );
    }
}
