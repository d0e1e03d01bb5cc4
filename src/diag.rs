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
    /// For a warning that may repeat many times: what its kind is called in the plural
    /// ("links to pages outside the book"), so a report can show a few and count the rest.
    pub group: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, line: u32, col: u32, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: Some(file.into()),
            line,
            col,
            message: message.into(),
            group: None,
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
            group: None,
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
            group: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Marks this diagnostic as one of a kind that may repeat; `plural` names the kind.
    pub fn grouped(mut self, plural: &'static str) -> Self {
        self.group = Some(plural);
        self
    }

    /// The same diagnostic as an error (`--strict`).
    pub fn into_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }
}

/// How many diagnostics of one group a report shows before it only counts the rest.
pub const SHOWN_PER_GROUP: usize = 3;

/// The lines a report prints: every diagnostic, except that of each group only the first
/// [`SHOWN_PER_GROUP`] are shown, followed by one line counting the others.
pub fn report_lines(diags: &[Diagnostic]) -> Vec<String> {
    let mut seen: Vec<(&'static str, Severity, usize)> = Vec::new();
    let mut lines = Vec::new();
    for d in diags {
        let Some(group) = d.group else {
            lines.push(d.to_string());
            continue;
        };
        let n = match seen
            .iter_mut()
            .find(|(g, s, _)| *g == group && *s == d.severity)
        {
            Some((_, _, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((group, d.severity, 1));
                1
            }
        };
        if n <= SHOWN_PER_GROUP {
            lines.push(d.to_string());
        }
    }
    for (group, severity, n) in seen {
        if n > SHOWN_PER_GROUP {
            let sev = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            lines.push(format!("{sev}: … and {} more {group}", n - SHOWN_PER_GROUP));
        }
    }
    lines
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
    fn report_shows_a_few_of_each_group_and_counts_the_rest() {
        let mut diags = vec![Diagnostic::error("a.md", 1, 1, "plain")];
        for i in 0..5 {
            diags.push(
                Diagnostic::warning("a.md", i + 2, 1, format!("link {i}")).grouped("links out"),
            );
        }
        let lines = report_lines(&diags);
        assert_eq!(lines.len(), 1 + SHOWN_PER_GROUP + 1, "{lines:?}");
        assert_eq!(lines[1], "a.md:2:1: warning: link 0");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("warning: … and 2 more links out")
        );
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
