//! mdBook's `<Listing>` element, as The Rust Programming Language writes it (its
//! `mdbook-trpl` preprocessor reads it): a raw HTML block `<Listing number="1-1"
//! file-name="src/main.rs" caption="…">`, Markdown blocks, and a raw HTML block
//! `</Listing>`. Each container's blocks are folded once read: the blocks between the two tags
//! become one [`BlockKind::Listing`]. An unknown attribute or an unclosed element is a warning;
//! the content is kept either way.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::{push_text, Converter, MAX_NESTING};
use crate::html::{leading_start_tag, trailing_end_tag};
use crate::ir::{Block, BlockKind, Inline, LinkTarget, Span};

/// The element's name, as HTML compares it (any case).
const NAME: &str = "listing";

/// A `<Listing>` being read: where it starts, its attributes, its blocks so far.
struct Open {
    span: Span,
    number: Option<String>,
    file_name: Option<String>,
    caption: Vec<Inline>,
    blocks: Vec<Block>,
}

impl Converter<'_, '_> {
    /// `blocks` with each `<Listing>` … `</Listing>` run made one listing block.
    pub(super) fn fold_listings(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        let is_listing = |b: &Block| {
            matches!(&b.kind, BlockKind::Html(h)
                if leading_start_tag(h, NAME).is_some() || trailing_end_tag(h, NAME).is_some())
        };
        if !blocks.iter().any(is_listing) {
            return blocks;
        }
        let mut out = Vec::new();
        let mut open: Vec<Open> = Vec::new();
        for b in blocks {
            let BlockKind::Html(h) = &b.kind else {
                push(&mut open, &mut out, b);
                continue;
            };
            let mut rest = h.as_str();
            if let Some((attrs, end)) = leading_start_tag(h, NAME) {
                if self.depth + open.len() + 1 >= MAX_NESTING {
                    self.error(
                        b.span,
                        format!("content nested deeper than {MAX_NESTING} levels is left out"),
                    );
                    continue;
                }
                open.push(self.open_listing(attrs, b.span));
                rest = &h[end..];
            }
            let close = trailing_end_tag(rest, NAME);
            let (body, closes) = match close {
                Some(at) => (&rest[..at], true),
                None => (rest, false),
            };
            if !body.trim().is_empty() {
                let kind = BlockKind::Html(body.trim().to_string());
                push(&mut open, &mut out, Block { span: b.span, kind });
            }
            if closes {
                match open.pop() {
                    Some(l) => push(&mut open, &mut out, l.into_block()),
                    None => self.warn(
                        b.span,
                        "`</Listing>` closes no `<Listing>`: it is left out".to_string(),
                    ),
                }
            }
        }
        while let Some(l) = open.pop() {
            self.warn(
                l.span,
                "`<Listing>` is not closed (no `</Listing>` before the end of its container): \
                 what follows it is kept as its content"
                    .to_string(),
            );
            push(&mut open, &mut out, l.into_block());
        }
        out
    }

    /// A listing opened with `attrs`; an attribute it does not know is a warning.
    fn open_listing(&mut self, attrs: Vec<(String, String)>, span: Span) -> Open {
        let mut l = Open {
            span,
            number: None,
            file_name: None,
            caption: Vec::new(),
            blocks: Vec::new(),
        };
        for (name, value) in attrs {
            match name.as_str() {
                "number" => l.number = Some(value.trim().to_string()),
                "file-name" => l.file_name = Some(value.trim().to_string()),
                "caption" => l.caption = caption(value.trim(), span),
                other => self.warn(
                    span,
                    format!(
                        "unknown attribute `{other}` of `<Listing>` is ignored \
                         (it knows number, file-name and caption)"
                    ),
                ),
            }
        }
        l
    }
}

impl Open {
    fn into_block(self) -> Block {
        Block {
            span: self.span,
            kind: BlockKind::Listing {
                number: self.number.filter(|n| !n.is_empty()),
                file_name: self.file_name.filter(|n| !n.is_empty()),
                caption: self.caption,
                blocks: self.blocks,
            },
        }
    }
}

/// Pushes `b` into the innermost open listing, or `out` when none is open.
fn push(open: &mut [Open], out: &mut Vec<Block>, b: Block) {
    match open.last_mut() {
        Some(l) => l.blocks.push(b),
        None => out.push(b),
    }
}

/// A caption's Markdown as inlines: text, code, emphasis, strong, strikethrough and links
/// (resolved later with the chapter's); anything else keeps its text.
fn caption(text: &str, span: Span) -> Vec<Inline> {
    let mut root = Vec::new();
    let mut stack: Vec<(Tag, Vec<Inline>)> = Vec::new();
    for ev in Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Start(
                t @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }),
            ) => stack.push((t, Vec::new())),
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {
                let Some((tag, content)) = stack.pop() else {
                    continue;
                };
                let inline = styled(tag, content, span);
                top(&mut root, &mut stack).extend(inline);
            }
            Event::Text(t) => push_text(top(&mut root, &mut stack), &t),
            Event::Code(t) => top(&mut root, &mut stack).push(Inline::Code(t.to_string())),
            Event::SoftBreak | Event::HardBreak => push_text(top(&mut root, &mut stack), " "),
            Event::InlineHtml(h) | Event::Html(h) => {
                push_text(top(&mut root, &mut stack), &crate::html::strip_tags(&h))
            }
            _ => {}
        }
    }
    while let Some((_, content)) = stack.pop() {
        top(&mut root, &mut stack).extend(content);
    }
    root
}

/// The inlines being gathered: the innermost open element's, or the caption's own.
fn top<'a>(root: &'a mut Vec<Inline>, stack: &'a mut [(Tag, Vec<Inline>)]) -> &'a mut Vec<Inline> {
    match stack.last_mut() {
        Some((_, c)) => c,
        None => root,
    }
}

/// `content` inside the element `tag` opened (its content alone for another element).
fn styled(tag: Tag, content: Vec<Inline>, span: Span) -> Vec<Inline> {
    vec![match tag {
        Tag::Emphasis => Inline::Emph(content),
        Tag::Strong => Inline::Strong(content),
        Tag::Strikethrough => Inline::Strike(content),
        Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        } => Inline::Link {
            target: LinkTarget::External {
                url: match link_type {
                    LinkType::Email if !dest_url.contains(':') => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                },
            },
            title: title.to_string(),
            content,
            span,
        },
        _ => return content,
    }]
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostic;
    use crate::ir::{BlockKind, Inline};
    use crate::parse::markdown::{convert, Converted};

    fn conv(md: &str) -> (Converted, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let c = convert(md, 0, 0, "t.md", &mut d);
        (c, d)
    }

    #[test]
    fn a_trpl_listing_becomes_one_block() {
        let md = "Before.\n\n<Listing number=\"1-1\" file-name=\"src/main.rs\" \
                  caption=\"Printing `Hello, world!` *now*\">\n\n```rust\nfn main() {}\n```\n\n\
                  </Listing>\n\nAfter.\n";
        let (c, d) = conv(md);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.blocks.len(), 3, "{:?}", c.blocks);
        let BlockKind::Listing {
            number,
            file_name,
            caption,
            blocks,
        } = &c.blocks[1].kind
        else {
            panic!("{:?}", c.blocks[1]);
        };
        assert_eq!(number.as_deref(), Some("1-1"));
        assert_eq!(file_name.as_deref(), Some("src/main.rs"));
        assert!(
            matches!(&caption[1], Inline::Code(t) if t == "Hello, world!"),
            "{caption:?}"
        );
        assert!(matches!(&caption[3], Inline::Emph(_)), "{caption:?}");
        assert!(
            matches!(&blocks[..], [b] if matches!(&b.kind, BlockKind::CodeBlock { lang: Some(l), .. } if l == "rust"))
        );
        assert_eq!((c.blocks[1].span.line, c.blocks[1].span.col), (3, 1));
    }

    #[test]
    fn listings_hold_prose_and_nest_in_items() {
        let md =
            "- item\n\n  <Listing>\n\n  Some *prose*.\n\n      indented code\n\n  </Listing>\n";
        let (c, d) = conv(md);
        assert!(d.is_empty(), "{d:?}");
        let BlockKind::List { items, .. } = &c.blocks[0].kind else {
            panic!("{:?}", c.blocks);
        };
        let BlockKind::Listing {
            number,
            caption,
            blocks,
            ..
        } = &items[0].blocks[1].kind
        else {
            panic!("{:?}", items[0].blocks);
        };
        assert!(number.is_none() && caption.is_empty());
        assert_eq!(blocks.len(), 2, "{blocks:?}");
    }

    #[test]
    fn unknown_attributes_and_unclosed_listings_are_warnings_and_keep_the_content() {
        let md = "x\n\n<Listing number=\"2\" colour=\"red\">\n\n```\ncode\n```\n";
        let (c, d) = conv(md);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("`colour`"), "{d:?}");
        assert_eq!(d[0].line_col(), Some((3, 1)));
        assert!(d[1].message.contains("not closed"), "{d:?}");
        let BlockKind::Listing { blocks, .. } = &c.blocks[1].kind else {
            panic!("{:?}", c.blocks);
        };
        assert!(matches!(&blocks[0].kind, BlockKind::CodeBlock { text, .. } if text == "code"));
        // A lone end tag is dropped, with a warning.
        let (c, d) = conv("a\n\n</Listing>\n");
        assert_eq!(c.blocks.len(), 1);
        assert!(d[0].message.contains("closes no"), "{d:?}");
    }
}
