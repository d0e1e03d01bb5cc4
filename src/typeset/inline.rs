//! From the IR's inlines to styled pieces of text: emphasis in italic, strong in bold, code in
//! the monospace face, links remembered by index, footnote references as superscripts.

use super::fonts::{FaceId, BOLD, BOLD_ITALIC, ITALIC, MONO, REGULAR};
use super::frame::Rgb;
use super::para::{Piece, Style};
use crate::html::strip_tags;
use crate::ir::{Inline, LinkTarget};

/// Inline code is set smaller than the text around it: a monospace face looks bigger at the
/// same size.
pub const CODE_SCALE: f32 = 0.86;
pub const LINK_COLOR: Rgb = Rgb(0x1f, 0x3a, 0x73);

pub fn italic(face: FaceId) -> FaceId {
    match face {
        REGULAR => ITALIC,
        ITALIC => REGULAR,
        BOLD => BOLD_ITALIC,
        BOLD_ITALIC => BOLD,
        other => other,
    }
}

pub fn bold(face: FaceId) -> FaceId {
    match face {
        REGULAR => BOLD,
        ITALIC => BOLD_ITALIC,
        other => other,
    }
}

pub fn code_style(base: Style) -> Style {
    Style {
        face: MONO,
        size: base.size * CODE_SCALE,
        code: true,
        ..base
    }
}

/// Collects pieces of `inlines` in `style`. `chapter` is the id footnote references point into;
/// link targets are appended to `links` and referred to by index.
pub fn pieces(
    inlines: &[Inline],
    style: Style,
    chapter: &str,
    links: &mut Vec<LinkTarget>,
) -> Vec<Piece> {
    let mut out = Vec::new();
    push(inlines, style, chapter, links, &mut out);
    out
}

fn text(out: &mut Vec<Piece>, s: impl Into<String>, style: Style) {
    out.push(Piece::Text(s.into(), style));
}

fn push(
    inlines: &[Inline],
    style: Style,
    chapter: &str,
    links: &mut Vec<LinkTarget>,
    out: &mut Vec<Piece>,
) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => text(out, t.as_str(), style),
            Inline::Code(t) => text(out, t.as_str(), code_style(style)),
            Inline::Emph(c) => push(
                c,
                Style {
                    face: italic(style.face),
                    ..style
                },
                chapter,
                links,
                out,
            ),
            Inline::Strong(c) => push(
                c,
                Style {
                    face: bold(style.face),
                    ..style
                },
                chapter,
                links,
                out,
            ),
            Inline::Strike(c) => push(
                c,
                Style {
                    strike: true,
                    ..style
                },
                chapter,
                links,
                out,
            ),
            Inline::Link {
                target, content, ..
            } => {
                links.push(target.clone());
                let link = Style {
                    link: Some((links.len() - 1) as u16),
                    color: LINK_COLOR,
                    ..style
                };
                push(content, link, chapter, links, out);
            }
            Inline::Image { alt, .. } => text(
                out,
                format!("[Image: {alt}]"),
                Style {
                    face: italic(style.face),
                    ..style
                },
            ),
            Inline::FootnoteRef { number, .. } => {
                links.push(LinkTarget::Internal {
                    chapter: chapter.to_string(),
                    anchor: Some(format!("fn-{number}")),
                });
                text(
                    out,
                    number.to_string(),
                    Style {
                        size: style.size * 0.65,
                        raise: style.size * 0.36,
                        link: Some((links.len() - 1) as u16),
                        ..style
                    },
                )
            }
            Inline::SoftBreak => text(out, " ", style),
            Inline::HardBreak => out.push(Piece::HardBreak),
            Inline::Html(h) => text(out, strip_tags(h), style),
        }
    }
}
