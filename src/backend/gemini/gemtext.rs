//! The rules of gemtext lines themselves: guarding text lines, URLs fit for `=>` lines,
//! one-line labels and tables drawn in ASCII for preformatted blocks.

use crate::ir::Align;

/// Invisible prefix that keeps a text line from being read as a link, heading, list item,
/// quote or preformat toggle; readers see the text unchanged.
pub(super) const GUARD: char = '\u{200B}';

/// True when a text line would be parsed as another line type.
pub(super) fn needs_guard(line: &str) -> bool {
    line.starts_with("=>")
        || line.starts_with('#')
        || line.starts_with("* ")
        || line.starts_with('>')
        || line.starts_with("```")
}

/// `line` as a safe text line: trailing whitespace removed, guarded when needed.
pub(super) fn guard(line: &str) -> String {
    let line = line.trim_end();
    if needs_guard(line) {
        format!("{GUARD}{line}")
    } else {
        line.to_string()
    }
}

/// Whitespace runs (including newlines) collapsed to one space, ends trimmed.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Spaces and other characters a `=>` line cannot carry in its URL, percent-encoded.
pub(super) fn encode_url(url: &str) -> String {
    crate::uri::normalize(url).unwrap_or_else(|_| {
        // Only a host that cannot be encoded gets here: still never whitespace in a link line.
        url.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect()
    })
}

/// A table inside plain ASCII borders, columns padded by display width.
pub(super) fn table_box(head: &[String], rows: &[Vec<String>], align: &[Align]) -> Vec<String> {
    let (widths, padded) = crate::backend::plain::padded_cells(head, rows, align);
    let rule = format!(
        "+{}+",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let fmt_row = |cells: &Vec<String>| format!("| {} |", cells.join(" | "));
    let mut out = vec![rule.clone()];
    if !head.is_empty() {
        out.push(fmt_row(&padded[0]));
        out.push(rule.clone());
    }
    out.extend(padded[1..].iter().map(fmt_row));
    if !rows.is_empty() {
        out.push(rule);
    }
    out
}
