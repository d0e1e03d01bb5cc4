//! Diagnostics with source locations, and the line index that turns byte offsets into them.

use std::fmt;

use crate::ir::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build writes nothing.
    Error,
    /// Something was degraded; the build goes on (unless `--strict`).
    Warning,
}

/// One message about the book, pointing at `file:line:col` when it has a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path as shown to the user (relative to the working directory when possible).
    pub file: Option<String>,
    /// Line, from 1; 0 when the diagnostic is about the whole file.
    pub line: u32,
    /// Column, from 1; 0 when unknown.
    pub col: u32,
    /// What is wrong.
    pub message: String,
    /// For a warning that may repeat many times: what its kind is called in the plural
    /// ("links to pages outside the book"), so a report can show a few and count the rest.
    pub group: Option<&'static str>,
}

impl Diagnostic {
    /// An error at `file:line:col`.
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

    /// A warning at `file:line:col`.
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

    /// Whether it stops the build.
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
    // Group → (severity, what the count line calls the others, how many so far), in order.
    let mut groups: Vec<(Severity, String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<(Severity, String), usize> = Default::default();
    let mut lines = Vec::new();
    for d in diags {
        let (key, label) = match d.group {
            Some(group) => (group.to_string(), group.to_string()),
            // Warnings of one shape (the same message about different things) group by
            // themselves; errors are always shown in full.
            None if !d.is_error() => {
                let shape = shape(&d.message);
                let label = format!("warnings like “{shape}”");
                (shape, label)
            }
            None => {
                lines.push(d.to_string());
                continue;
            }
        };
        let i = *index.entry((d.severity, key)).or_insert_with(|| {
            groups.push((d.severity, label, 0));
            groups.len() - 1
        });
        groups[i].2 += 1;
        if groups[i].2 <= SHOWN_PER_GROUP {
            lines.push(d.to_string());
        }
    }
    for (severity, label, n) in groups {
        if n > SHOWN_PER_GROUP {
            let sev = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            lines.push(format!("{sev}: … and {} more {label}", n - SHOWN_PER_GROUP));
        }
    }
    lines
}

/// A message with what it quotes (`…`) and its numbers left out: the kind of message it is.
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '`' if quoted => {
                quoted = false;
                out.push_str("…`");
            }
            '`' => {
                quoted = true;
                out.push('`');
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            c => out.push(c),
        }
    }
    out
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
    /// Indexes the line starts of `text`.
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

    /// The span of `offset` in `text`, the content of source `file`.
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
        for i in 0..5 {
            let msg = format!("inline HTML `<kbd{i}>` removed");
            diags.push(Diagnostic::warning("b.md", i + 1, 1, msg));
        }
        diags.push(Diagnostic::warning("b.md", 9, 1, "something else"));
        let lines = report_lines(&diags);
        assert_eq!(lines.len(), 1 + 2 * (SHOWN_PER_GROUP + 1) + 1, "{lines:?}");
        assert!(lines.contains(
            &"warning: … and 2 more warnings like “inline HTML `…` removed”".to_string()
        ));
        assert_eq!(lines[1], "a.md:2:1: warning: link 0");
        assert!(lines.contains(&"warning: … and 2 more links out".to_string()));
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
