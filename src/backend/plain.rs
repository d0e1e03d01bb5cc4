//! Helpers shared by the backends that write plain text (text, gemtext): markers that are not
//! Markdown, HTML reduced to its text, and table cells padded by display width.

use crate::ir::{AdmonitionKind, Align, Block, BlockKind, Inline};
use unicode_width::UnicodeWidthStr;

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// `12` → `¹²`: footnote markers, which cannot be confused with `[n]` link numbers.
pub(crate) fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|d| SUPERSCRIPTS[d.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// An admonition's blocks as a quote that says what it is: `Note: ` opens its first paragraph
/// (or stands alone before what is not a paragraph).
pub(crate) fn labelled(kind: AdmonitionKind, blocks: &[Block]) -> Vec<Block> {
    let label = Inline::Text(format!("{}: ", kind.label()));
    let mut out = blocks.to_vec();
    match out.first_mut() {
        Some(Block {
            kind: BlockKind::Paragraph(content),
            ..
        }) => content.insert(0, label),
        _ => {
            let span = blocks.first().map(|b| b.span).unwrap_or_default();
            out.insert(
                0,
                Block {
                    span,
                    kind: BlockKind::Paragraph(vec![Inline::Text(format!("{}:", kind.label()))]),
                },
            );
        }
    }
    out
}

/// A table's cells padded to common column widths (display columns), aligned as the Markdown
/// says: the header first, then the rows. Each backend joins the cells with its own borders.
pub(crate) fn padded_cells(
    head: &[String],
    rows: &[Vec<String>],
    align: &[Align],
) -> (Vec<usize>, Vec<Vec<String>>) {
    let cols = align
        .len()
        .max(head.len())
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; cols];
    for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let pad = |row: &[String]| -> Vec<String> {
        (0..cols)
            .map(|i| {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = widths[i] - width(cell);
                match align.get(i) {
                    Some(Align::Right) => format!("{}{cell}", " ".repeat(pad)),
                    Some(Align::Center) => {
                        format!("{}{cell}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
                    }
                    _ => format!("{cell}{}", " ".repeat(pad)),
                }
            })
            .collect()
    };
    let padded = std::iter::once(head)
        .chain(rows.iter().map(Vec::as_slice))
        .map(pad)
        .collect();
    (widths, padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superscripts() {
        assert_eq!(superscript(1), "¹");
        assert_eq!(superscript(10), "¹⁰");
    }
}
