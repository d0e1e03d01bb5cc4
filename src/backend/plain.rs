//! Helpers shared by the backends that write plain text (text, gemtext): markers that are not
//! Markdown, HTML reduced to its text, and table cells padded by display width.

use crate::ir::{AdmonitionKind, Align, Block, BlockKind, Inline, LinkTarget};
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

/// A listing's file-name line as TRPL words it: `Filename: src/main.rs`.
pub(crate) fn listing_file(name: &str) -> String {
    format!("Filename: {name}")
}

/// A listing's caption line as TRPL words it: `Listing 1-1: caption`, `Listing 1-1`, or
/// the caption alone (empty when there is neither).
pub(crate) fn listing_caption(number: Option<&str>, caption: &str) -> String {
    let caption = caption.trim();
    match (number, caption.is_empty()) {
        (Some(n), false) => format!("Listing {n}: {caption}"),
        (Some(n), true) => format!("Listing {n}"),
        (None, _) => caption.to_string(),
    }
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

/// What the plain-text writers (text, gemtext) do differently when they flatten inlines to a
/// line of text; [`flatten`] does the rest: markup dropped, footnote references as
/// superscripts, soft breaks as spaces, hard breaks as `\n`.
pub(crate) trait Flatten {
    /// Text or code, into `out`.
    fn text(&mut self, text: &str, out: &mut String);
    /// What follows a link's `text` (already in `out`) to say where it goes, e.g. ` [1]`.
    fn link(&mut self, target: &LinkTarget, text: &str, out: &mut String);
    /// An [`Inline::Image`], into `out`.
    fn image(&mut self, image: &Inline, out: &mut String);
    /// Raw inline HTML, into `out`.
    fn html(&mut self, html: &str, out: &mut String);
}

/// `inlines` as plain text into `out`, the writer `f` deciding about text, links, images and
/// HTML.
pub(crate) fn flatten<F: Flatten + ?Sized>(f: &mut F, inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => f.text(t, out),
            Inline::Emph(x) | Inline::Strong(x) | Inline::Strike(x) => flatten(f, x, out),
            Inline::Link {
                target, content, ..
            } => {
                let mut text = String::new();
                flatten(f, content, &mut text);
                out.push_str(&text);
                f.link(target, &text, out);
            }
            Inline::Image { .. } => f.image(i, out),
            Inline::FootnoteRef { number, .. } => out.push_str(&superscript(*number)),
            Inline::SoftBreak => out.push(' '),
            Inline::HardBreak => out.push('\n'),
            Inline::Html(h) => f.html(h, out),
        }
    }
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
