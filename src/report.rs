//! Diagnostics as the command line shows them: for a person, each with its source line and a
//! caret under the column (codespan-reporting), coloured on a terminal; for a log or an
//! editor, one `file:line:col: severity: message` line each; for tools, one JSON object per
//! line.

use std::collections::HashMap;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

use crate::diag::{grouped, report_lines, Diagnostic, Reported, Severity};

/// How diagnostics are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFormat {
    /// With the source line and a caret, and hints.
    Human,
    /// One line each: `file:line:col: severity: message` (hints on an indented line).
    Short,
    /// One JSON object per line: severity, file, line, col, message, hint.
    Json,
}

/// `diags` in `format`; `color` adds ANSI colours to the human format. Repeated warnings are
/// grouped in the human and short formats (a few shown, the rest counted); JSON has them all.
pub fn render(diags: &[Diagnostic], format: MessageFormat, color: bool) -> String {
    match format {
        MessageFormat::Short => report_lines(diags)
            .iter()
            .map(|l| l.clone() + "\n")
            .collect(),
        MessageFormat::Json => diags.iter().map(|d| json(d) + "\n").collect(),
        MessageFormat::Human => {
            let mut sources = Sources::default();
            grouped(diags)
                .into_iter()
                .map(|entry| match entry {
                    Reported::Shown(d) => human(d, &mut sources, color),
                    Reported::Counted(line) => line + "\n",
                })
                .collect()
        }
    }
}

/// The files diagnostics point into, each read once (`None` when it cannot be read).
#[derive(Default)]
struct Sources(HashMap<String, Option<String>>);

impl Sources {
    fn get(&mut self, file: &str) -> Option<&str> {
        self.0
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read_to_string(file).ok())
            .as_deref()
    }
}

/// One diagnostic with its source line, when it has a position in a file that can be read;
/// else as the short format writes it.
fn human(d: &Diagnostic, sources: &mut Sources, color: bool) -> String {
    let short = || d.to_string() + "\n";
    let Some(location) = &d.location else {
        return short();
    };
    let Some(position) = location.position else {
        return short();
    };
    let Some(text) = sources.get(&location.file) else {
        return short();
    };
    let Some(range) = byte_range(text, position.line.get(), position.col.get()) else {
        return short();
    };
    let report = match d.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    }
    .with_message(&d.message)
    .with_labels(vec![Label::primary((), range)])
    .with_notes(d.hint.iter().map(|h| format!("hint: {h}")).collect());
    let file = SimpleFile::new(location.file.as_str(), text);
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    match term::emit_to_write_style(&mut buffer, &term::Config::default(), &file, &report) {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        Err(_) => short(),
    }
}

/// The bytes of the character at `line`:`col` (both from 1, the column in characters) of
/// `text`; an empty range at the line's end when the column is past it.
fn byte_range(text: &str, line: u32, col: u32) -> Option<std::ops::Range<usize>> {
    let start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[start..];
    let line_text = rest.split('\n').next().unwrap_or_default();
    let (at, c) = line_text
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .unwrap_or((line_text.len(), '\0'));
    let len = if c == '\0' { 0 } else { c.len_utf8() };
    Some(start + at..start + at + len)
}

/// One diagnostic as a JSON object.
fn json(d: &Diagnostic) -> String {
    let (file, line, col) = match &d.location {
        Some(l) => (
            Some(l.file.as_str()),
            l.position.map(|p| p.line.get()),
            l.position.map(|p| p.col.get()),
        ),
        None => (None, None, None),
    };
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    serde_json::json!({
        "severity": severity,
        "file": file,
        "line": line,
        "col": col,
        "message": d.message,
        "hint": d.hint,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_count_characters() {
        let text = "first\nsé cond\n";
        assert_eq!(byte_range(text, 1, 1), Some(0..1));
        assert_eq!(byte_range(text, 2, 2), Some(7..9));
        assert_eq!(byte_range(text, 2, 40), Some(14..14));
        assert_eq!(byte_range(text, 9, 1), None);
    }

    #[test]
    fn json_has_every_field() {
        let d = Diagnostic::warning("a.md", 3, 4, "odd").with_hint("fix it");
        let v: serde_json::Value = serde_json::from_str(&json(&d)).expect("json");
        assert_eq!(v["severity"], "warning");
        assert_eq!((v["line"].as_u64(), v["col"].as_u64()), (Some(3), Some(4)));
        assert_eq!(
            (v["file"].as_str(), v["hint"].as_str()),
            (Some("a.md"), Some("fix it"))
        );
        let g: serde_json::Value =
            serde_json::from_str(&json(&Diagnostic::general("boom"))).expect("json");
        assert!(g["file"].is_null() && g["line"].is_null());
    }

    #[test]
    fn human_format_shows_the_line_and_a_caret() {
        let dir = std::env::temp_dir().join(format!("kr-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("chapter.md");
        std::fs::write(&file, "# Title\n\nSee [here](nowhere.md).\n").expect("write");
        let shown = file.display().to_string();
        let d = Diagnostic::warning(
            shown.as_str(),
            3,
            5,
            "link to `nowhere.md`: no such chapter",
        )
        .with_hint("link to a chapter SUMMARY.md lists");
        let out = render(&[d], MessageFormat::Human, false);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(out.contains("warning: link to `nowhere.md`"), "{out}");
        assert!(out.contains(&format!("{shown}:3:5")), "{out}");
        assert!(out.contains("See [here](nowhere.md)."), "{out}");
        assert!(out.contains('^'), "{out}");
        assert!(out.contains("hint: link to a chapter"), "{out}");
        assert!(!out.contains('\u{1b}'), "colour without asking: {out}");
    }
}
