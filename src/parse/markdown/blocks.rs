//! Block-level events → IR blocks: paragraphs, headings, quotes, lists, tables, code, HTML and
//! footnote definitions.

use std::ops::Range;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, Tag, TagEnd};

use super::{heading_level, is_inline, Converter, MAX_NESTING};
use crate::html::is_comment;
use crate::ir::{AdmonitionKind, Align, Block, BlockKind, Definition, Inline, ListItem, Span};

impl Converter<'_, '_> {
    /// Blocks until the end of the enclosing container (its End event is consumed) or EOF.
    pub(super) fn blocks(&mut self) -> Vec<Block> {
        self.blocks_tracking(&mut false)
    }

    /// Like [`Self::blocks`], setting `implicit` when loose inline content (a tight list item) was seen.
    fn blocks_tracking(&mut self, implicit: &mut bool) -> Vec<Block> {
        let mut out = Vec::new();
        while let Some((ev, range)) = self.events.peek() {
            // A tight item's task marker: the paragraph starts after it.
            if let Event::TaskListMarker(done) = ev {
                self.task = Some(*done);
                self.events.next();
                continue;
            }
            if is_inline(ev) {
                let range = range.clone();
                let span = self.span(&range);
                let content = self.inlines_while_inline();
                if !content.is_empty() {
                    *implicit = true;
                    out.push(Block {
                        span,
                        kind: BlockKind::Paragraph(content),
                    });
                }
                continue;
            }
            let Some((ev, range)) = self.events.next() else {
                break;
            };
            match ev {
                Event::End(_) => break,
                Event::Start(tag) => {
                    if let Some(b) = self.block(tag, &range) {
                        out.push(b);
                    }
                }
                Event::Rule => out.push(Block {
                    span: self.span(&range),
                    kind: BlockKind::ThematicBreak,
                }),
                Event::Html(h) => {
                    // A lone HTML block line outside HtmlBlock (rare); keep it.
                    out.push(Block {
                        span: self.span(&range),
                        kind: BlockKind::Html(h.to_string()),
                    });
                }
                other => {
                    let span = self.span(&range);
                    self.warn(
                        span,
                        format!("ignored unsupported Markdown element {other:?}"),
                    );
                }
            }
        }
        self.fold_listings(out)
    }

    fn block(&mut self, tag: Tag, range: &Range<usize>) -> Option<Block> {
        if !self.enter(range) {
            return None;
        }
        let block = self.block_inner(tag, range);
        self.depth -= 1;
        block
    }

    /// Counts one more level of nesting; past [`MAX_NESTING`] reports it once, skips the
    /// element (whose Start was just read) and returns false.
    pub(super) fn enter(&mut self, range: &Range<usize>) -> bool {
        if self.depth >= MAX_NESTING {
            let span = self.span(range);
            self.error(
                span,
                format!("content nested deeper than {MAX_NESTING} levels is left out"),
            );
            self.skip_to_end();
            return false;
        }
        self.depth += 1;
        true
    }

    fn block_inner(&mut self, tag: Tag, range: &Range<usize>) -> Option<Block> {
        let span = self.span(range);
        let kind = match tag {
            Tag::Paragraph => BlockKind::Paragraph(self.inlines()),
            Tag::Heading {
                level, id, classes, ..
            } => {
                let content = self.inlines();
                let id = self.heading_id(id.map(|s| s.to_string()), &content, span);
                BlockKind::Heading {
                    level: heading_level(level),
                    id,
                    content,
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                }
            }
            Tag::BlockQuote(None) => BlockKind::BlockQuote(self.blocks()),
            Tag::BlockQuote(Some(kind)) => BlockKind::Admonition {
                kind: match kind {
                    BlockQuoteKind::Note => AdmonitionKind::Note,
                    BlockQuoteKind::Tip => AdmonitionKind::Tip,
                    BlockQuoteKind::Important => AdmonitionKind::Important,
                    BlockQuoteKind::Warning => AdmonitionKind::Warning,
                    BlockQuoteKind::Caution => AdmonitionKind::Caution,
                },
                blocks: self.blocks(),
            },
            Tag::DefinitionList => self.definition_list(),
            Tag::CodeBlock(kind) => self.code_block(kind),
            Tag::List(start) => self.list(start),
            Tag::Table(aligns) => self.table(aligns),
            Tag::FootnoteDefinition(label) => {
                self.footnote_definition(label.to_string(), span);
                return None;
            }
            Tag::HtmlBlock => self.html_block()?,
            other => {
                self.warn(
                    span,
                    format!("ignored unsupported Markdown element {other:?}"),
                );
                self.skip_to_end();
                return None;
            }
        };
        Some(Block { span, kind })
    }

    fn definition_list(&mut self) -> BlockKind {
        let mut defs: Vec<Definition> = Vec::new();
        while let Some((ev, _)) = self.events.next() {
            match ev {
                Event::Start(Tag::DefinitionListTitle) => defs.push(Definition {
                    term: self.inlines(),
                    details: Vec::new(),
                }),
                Event::Start(Tag::DefinitionListDefinition) => {
                    let blocks = self.blocks();
                    match defs.last_mut() {
                        Some(d) => d.details.push(blocks),
                        None => defs.push(Definition {
                            term: Vec::new(),
                            details: vec![blocks],
                        }),
                    }
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        BlockKind::DefinitionList(defs)
    }

    fn code_block(&mut self, kind: CodeBlockKind) -> BlockKind {
        let info = match kind {
            CodeBlockKind::Fenced(info) => Some(info),
            CodeBlockKind::Indented => None,
        };
        let mut text = String::new();
        for (ev, _) in self.events.by_ref() {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(_) => break,
                _ => {}
            }
        }
        let (lang, text) = crate::parse::code::code_block(info.as_deref(), &text, self.hidelines);
        let line_numbers = info.as_deref().and_then(crate::parse::code::line_numbers);
        BlockKind::CodeBlock {
            lang,
            text,
            line_numbers,
        }
    }

    fn list(&mut self, start: Option<u64>) -> BlockKind {
        let mut items = Vec::new();
        let mut tight = true;
        while let Some((ev, _)) = self.events.next() {
            match ev {
                Event::Start(Tag::Item) => {
                    // Items nested in this one have their own markers.
                    let outer = self.task.take();
                    let mut implicit = false;
                    let blocks = self.blocks_tracking(&mut implicit);
                    let task = std::mem::replace(&mut self.task, outer);
                    let has_para = blocks
                        .iter()
                        .any(|b| matches!(b.kind, BlockKind::Paragraph(_)));
                    if has_para && !implicit {
                        tight = false;
                    }
                    items.push(ListItem { task, blocks });
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        BlockKind::List {
            start,
            tight,
            items,
        }
    }

    fn table(&mut self, aligns: Vec<Alignment>) -> BlockKind {
        let align = aligns
            .into_iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((ev, _)) = self.events.next() {
            match ev {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines();
                    match (in_head, rows.last_mut()) {
                        (true, _) | (false, None) => head.push(cell),
                        (false, Some(row)) => row.push(cell),
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        BlockKind::Table { align, head, rows }
    }

    /// Keeps a footnote's definition for [`Converter::finish_footnotes`]; a second one for the
    /// same label is an error.
    fn footnote_definition(&mut self, label: String, span: Span) {
        let blocks = self.blocks();
        let key = super::label_key(&label);
        if self.defs.iter().any(|(l, _, _)| super::label_key(l) == key) {
            self.error(span, format!("footnote `[^{label}]` is defined twice"));
        } else {
            self.defs.push((label, blocks, span));
        }
    }

    /// An HTML block; `None` for a comment (an author's note, not content).
    fn html_block(&mut self) -> Option<BlockKind> {
        let mut html = String::new();
        for (ev, _) in self.events.by_ref() {
            match ev {
                Event::Html(h) | Event::Text(h) => html.push_str(&h),
                Event::End(_) => break,
                _ => {}
            }
        }
        let html = html.trim_end().to_string();
        if is_comment(&html) && html != crate::parse::TALKS_MARKER {
            return None;
        }
        Some(BlockKind::Html(html))
    }

    pub(super) fn skip_to_end(&mut self) {
        let mut depth = 1usize;
        for (ev, _) in self.events.by_ref() {
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}
