//! Math, when `[output.html] mathjax-support` is on: formulas are kept as their TeX source,
//! as inline code (`\( … \)`, `$…$`) or as a code block of language `math` (a paragraph that is
//! only `\[ … \]` or `$$…$$`). Rendering them is a later step; the book gets one warning.
//!
//! mdBook leaves formulas to MathJax in the reader's browser, which finds `\(`, `\)`, `\[` and
//! `\]` in the page's text: in the Markdown they are written `\\(` and so on. pulldown-cmark's
//! `$` forms reach here already written with those delimiters.

use crate::ir::{Block, BlockKind, Inline, Span};

/// Turns the formulas of `blocks` into code; counts them in `math`, with the first one's place.
pub(crate) fn keep_as_code(blocks: &mut [Block], math: &mut Option<(usize, Span)>) {
    for b in blocks {
        let mut found = 0;
        displays(b, &mut found, math);
        crate::ir::for_each_inline_list_mut(std::slice::from_mut(b), &mut |list| {
            found += inline_formulas(list);
        });
        if found > 0 {
            math.get_or_insert((0, b.span)).0 += found;
        }
    }
}

/// Paragraphs that are one display formula become `math` code blocks (at any depth).
fn displays(b: &mut Block, found: &mut usize, math: &mut Option<(usize, Span)>) {
    match &mut b.kind {
        BlockKind::Paragraph(content) => {
            if let Some(tex) = display_formula(content) {
                b.kind = BlockKind::CodeBlock {
                    lang: Some("math".to_string()),
                    text: tex,
                    line_numbers: None,
                };
                math.get_or_insert((0, b.span));
                *found += 1;
            }
        }
        BlockKind::BlockQuote(bs) | BlockKind::Admonition { blocks: bs, .. } => {
            bs.iter_mut().for_each(|b| displays(b, found, math))
        }
        BlockKind::List { items, .. } => items
            .iter_mut()
            .flat_map(|i| i.blocks.iter_mut())
            .for_each(|b| displays(b, found, math)),
        BlockKind::DefinitionList(defs) => defs
            .iter_mut()
            .flat_map(|d| d.details.iter_mut().flatten())
            .for_each(|b| displays(b, found, math)),
        _ => {}
    }
}

/// The TeX of a paragraph written `\[ … \]` and nothing else.
fn display_formula(content: &[Inline]) -> Option<String> {
    let mut text = String::new();
    for i in content {
        if !source_text(i, &mut text) {
            return None;
        }
    }
    let inner = text.trim().strip_prefix("\\[")?.strip_suffix("\\]")?;
    (!inner.contains("\\]") && !inner.contains("\\[")).then(|| inner.trim().to_string())
}

/// Appends the text `i` was parsed from, as near as it can be told; false for what a formula
/// cannot hold (links, images, notes, HTML).
fn source_text(i: &Inline, out: &mut String) -> bool {
    match i {
        Inline::Text(t) | Inline::Code(t) => out.push_str(t),
        // `*` in TeX reads as emphasis in Markdown.
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => {
            let mark = match i {
                Inline::Emph(_) => "*",
                Inline::Strong(_) => "**",
                _ => "~~",
            };
            out.push_str(mark);
            for x in c {
                if !source_text(x, out) {
                    return false;
                }
            }
            out.push_str(mark);
        }
        Inline::SoftBreak | Inline::HardBreak => out.push('\n'),
        Inline::Link { .. } | Inline::Image { .. } | Inline::FootnoteRef { .. } => return false,
        Inline::Html(_) => return false,
    }
    true
}

/// Replaces each `\( … \)` and `\[ … \]` of `list` with inline code of its TeX; returns how many.
fn inline_formulas(list: &mut Vec<Inline>) -> usize {
    if !list
        .iter()
        .any(|i| matches!(i, Inline::Text(t) if t.contains("\\(") || t.contains("\\[")))
    {
        return 0;
    }
    let mut found = 0;
    let mut out: Vec<Inline> = Vec::new();
    // An open formula: its closing delimiter, its opening one, the TeX so far and the inlines
    // it took (given back if it never closes).
    let mut open: Option<(&str, &str, String, Vec<Inline>)> = None;
    for inline in std::mem::take(list) {
        let Inline::Text(text) = inline else {
            match &mut open {
                Some((_, _, tex, taken)) => {
                    if source_text(&inline, tex) {
                        taken.push(inline);
                    } else {
                        // A link or a note cannot be part of a formula: what was taken is text.
                        let (_, opener, _, taken) = open.take().unwrap_or_default();
                        push_text(&mut out, opener);
                        out.extend(taken);
                        out.push(inline);
                    }
                }
                None => out.push(inline),
            }
            continue;
        };
        let mut rest = text.as_str();
        loop {
            match &mut open {
                None => {
                    let next = ["\\(", "\\["]
                        .into_iter()
                        .filter_map(|d| rest.find(d).map(|at| (at, d)))
                        .min();
                    let Some((at, opener)) = next else {
                        push_text(&mut out, rest);
                        break;
                    };
                    push_text(&mut out, &rest[..at]);
                    let closer = if opener == "\\(" { "\\)" } else { "\\]" };
                    open = Some((closer, opener, String::new(), Vec::new()));
                    rest = &rest[at + 2..];
                }
                Some((closer, _, tex, taken)) => match rest.find(*closer) {
                    Some(at) => {
                        tex.push_str(&rest[..at]);
                        let tex = tex.split_whitespace().collect::<Vec<_>>().join(" ");
                        out.push(Inline::Code(tex));
                        found += 1;
                        rest = &rest[at + 2..];
                        open = None;
                    }
                    None => {
                        tex.push_str(rest);
                        taken.push(Inline::Text(rest.to_string()));
                        break;
                    }
                },
            }
        }
    }
    if let Some((_, opener, _, taken)) = open {
        push_text(&mut out, opener);
        for i in taken {
            match i {
                Inline::Text(t) => push_text(&mut out, &t),
                other => out.push(other),
            }
        }
    }
    *list = out;
    found
}

fn push_text(out: &mut Vec<Inline>, t: &str) {
    if t.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(t),
        _ => out.push(Inline::Text(t.to_string())),
    }
}

#[cfg(test)]
mod tests;
