//! Diagnostics with source locations, and the line index that turns byte offsets into them.

use std::fmt;
use std::num::NonZeroU32;
use std::path::Path;

use crate::ir::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build writes nothing.
    Error,
    /// Something was degraded; the build goes on (unless `--strict`).
    Warning,
}

/// A line and column in a file, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line, from 1.
    pub line: NonZeroU32,
    /// Column in characters, from 1.
    pub col: NonZeroU32,
}

impl Position {
    /// The position at `line` and `col`; `None` for line 0, which spans of generated text
    /// carry (a column of 0, "unknown", becomes 1).
    pub fn new(line: u32, col: u32) -> Option<Position> {
        Some(Position {
            line: NonZeroU32::new(line)?,
            col: NonZeroU32::new(col.max(1))?,
        })
    }
}

/// Where a diagnostic points: a file as shown to the user, and a place in it when the message
/// is about one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Path as shown to the user (see [`shown_path`]).
    pub file: String,
    /// `None` when the message is about the whole file.
    pub position: Option<Position>,
}

/// One message about the book, pointing at `file:line:col` when it has a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// `None` for a message about the whole build.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when the message alone does not say.
    pub hint: Option<String>,
    /// For a warning that may repeat many times: what its kind is called in the plural
    /// ("links to pages outside the book"), so a report can show a few and count the rest.
    pub group: Option<&'static str>,
}

impl Diagnostic {
    /// A diagnostic at `location` (or about the whole build).
    pub fn new(severity: Severity, location: Option<Location>, message: impl Into<String>) -> Self {
        Self {
            severity,
            location,
            message: message.into(),
            hint: None,
            group: None,
        }
    }

    /// An error at `file:line:col` (line 0 falls back to the whole file).
    pub fn error(file: impl Into<String>, line: u32, col: u32, message: impl Into<String>) -> Self {
        Self::at(
            Severity::Error,
            file.into(),
            Position::new(line, col),
            message,
        )
    }

    /// A warning at `file:line:col` (line 0 falls back to the whole file).
    pub fn warning(
        file: impl Into<String>,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Self::at(
            Severity::Warning,
            file.into(),
            Position::new(line, col),
            message,
        )
    }

    /// An error about the whole of `file`.
    pub fn error_in(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, file.into(), None, message)
    }

    /// A warning about the whole of `file`.
    pub fn warning_in(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::at(Severity::Warning, file.into(), None, message)
    }

    /// An error about the whole build, with no source location.
    pub fn general(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, None, message)
    }

    fn at(
        severity: Severity,
        file: String,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(severity, Some(Location { file, position }), message)
    }

    /// Adds a line telling the user how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The path of the file it points at, if any.
    pub fn file(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.file.as_str())
    }

    /// Its line and column, when it points at a place in a file.
    pub fn line_col(&self) -> Option<(u32, u32)> {
        let p = self.location.as_ref()?.position?;
        Some((p.line.get(), p.col.get()))
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

/// The path a message shows for `rel`, a path relative to the book's directory: the one way a
/// file of the book is named in diagnostics.
pub fn shown_path(book_dir: &Path, rel: &str) -> String {
    book_dir.join(rel).display().to_string()
}

/// The book's source files by number (a [`Span`]'s `file`), to turn spans into locations.
#[derive(Debug, Clone, Copy)]
pub struct SourceMap<'a> {
    book_dir: &'a Path,
    sources: &'a [String],
}

impl<'a> SourceMap<'a> {
    /// `sources` are paths relative to `book_dir`, indexed by file number (`Book::sources`).
    pub fn new(book_dir: &'a Path, sources: &'a [String]) -> Self {
        Self { book_dir, sources }
    }

    /// The path shown for source file `file`.
    pub fn path(&self, file: u32) -> String {
        let rel = self.sources.get(file as usize).map_or("?", String::as_str);
        shown_path(self.book_dir, rel)
    }

    /// Where `span` points.
    pub fn location(&self, span: Span) -> Location {
        Location {
            file: self.path(span.file),
            position: Position::new(span.line, span.col),
        }
    }

    /// An error at `span`.
    pub fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, Some(self.location(span)), message)
    }

    /// A warning at `span`.
    pub fn warning(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, Some(self.location(span)), message)
    }
}

/// How many diagnostics of one group a report shows before it only counts the rest.
pub const SHOWN_PER_GROUP: usize = 3;

/// The lines a report prints: every diagnostic, except that of each group only the first
/// [`SHOWN_PER_GROUP`] are shown, followed by one line counting the others.
pub fn report_lines(diags: &[Diagnostic]) -> Vec<String> {
    let mut lines = Vec::new();
    for entry in grouped(diags) {
        match entry {
            Reported::Shown(d) => d.push_lines(&mut lines),
            Reported::Counted(line) => lines.push(line),
        }
    }
    lines
}

/// One entry of a report: a diagnostic shown in full, or a line counting those of a group
/// that are not.
#[derive(Debug)]
pub enum Reported<'a> {
    /// Shown in full.
    Shown(&'a Diagnostic),
    /// "warning: … and 37 more links to pages outside the book".
    Counted(String),
}

/// What a report shows of `diags`: every diagnostic, except that of each group only the first
/// [`SHOWN_PER_GROUP`] are shown, followed (after all of them) by one line per group
/// counting the others.
pub fn grouped(diags: &[Diagnostic]) -> Vec<Reported<'_>> {
    // Group → (severity, what the count line calls the others, how many so far), in order.
    let mut groups: Vec<(Severity, String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<(Severity, String), usize> = Default::default();
    let mut out = Vec::new();
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
                out.push(Reported::Shown(d));
                continue;
            }
        };
        let i = *index.entry((d.severity, key)).or_insert_with(|| {
            groups.push((d.severity, label, 0));
            groups.len() - 1
        });
        groups[i].2 += 1;
        if groups[i].2 <= SHOWN_PER_GROUP {
            out.push(Reported::Shown(d));
        }
    }
    for (severity, label, n) in groups {
        if n > SHOWN_PER_GROUP {
            let sev = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push(Reported::Counted(format!(
                "{sev}: … and {} more {label}",
                n - SHOWN_PER_GROUP
            )));
        }
    }
    out
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

impl Diagnostic {
    /// Its report lines: the message, then the hint (indented, as rustc does).
    fn push_lines(&self, lines: &mut Vec<String>) {
        lines.push(self.headline());
        if let Some(hint) = &self.hint {
            lines.push(format!("  = hint: {hint}"));
        }
    }

    fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(Location {
                file,
                position: Some(Position { line, col }),
            }) => format!("{file}:{line}:{col}: {sev}: {}", self.message),
            Some(Location {
                file,
                position: None,
            }) => format!("{file}: {sev}: {}", self.message),
            None => format!("{sev}: {}", self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = Vec::new();
        self.push_lines(&mut lines);
        f.write_str(&lines.join("\n"))
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

    #[test]
    fn displays_a_whole_file_or_no_location() {
        let d = Diagnostic::error_in("book/book.toml", "cannot read book.toml");
        assert_eq!(
            d.to_string(),
            "book/book.toml: error: cannot read book.toml"
        );
        // Line 0 (generated text) has no position to show.
        let d = Diagnostic::warning("a.md", 0, 0, "odd");
        assert_eq!(d.location.and_then(|l| l.position), None);
        assert_eq!(Diagnostic::general("no disk").to_string(), "error: no disk");
    }

    #[test]
    fn hints_follow_the_message_indented() {
        let d = Diagnostic::error("book.toml", 4, 1, "cannot read font `x.ttf`")
            .with_hint("paths in book.toml are relative to the book's folder");
        assert_eq!(
            d.to_string(),
            "book.toml:4:1: error: cannot read font `x.ttf`\n  = hint: paths in book.toml are relative to the book's folder"
        );
        let general = Diagnostic::general("no output").with_hint("pass --format");
        let lines = report_lines(&[general, d]);
        assert_eq!(
            lines,
            [
                "error: no output",
                "  = hint: pass --format",
                "book.toml:4:1: error: cannot read font `x.ttf`",
                "  = hint: paths in book.toml are relative to the book's folder",
            ]
        );
    }

    #[test]
    fn source_map_names_files_relative_to_the_book() {
        let sources = vec!["src/SUMMARY.md".to_string(), "src/a.md".to_string()];
        let map = SourceMap::new(Path::new("book"), &sources);
        let span = Span {
            file: 1,
            line: 2,
            col: 5,
        };
        assert_eq!(
            map.warning(span, "x").to_string(),
            "book/src/a.md:2:5: warning: x"
        );
        assert_eq!(map.path(9), "book/?");
    }
}
