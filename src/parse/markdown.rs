//! One chapter's Markdown (pulldown-cmark events with byte offsets) → IR blocks.
//!
//! Links are stored with their raw destination here; `links.rs` resolves them once every
//! chapter is known.

use std::collections::{BTreeMap, HashMap};
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, OffsetIter, Options,
    Parser, Tag, TagEnd,
};

use super::include::SourceMap;
pub use crate::config::Dialect;
use crate::diag::{Diagnostic, LineIndex};
use crate::html::is_comment;
use crate::ir::{
    AdmonitionKind, Align, Block, BlockKind, Definition, Footnote, Inline, LinkTarget, ListItem,
    Span,
};

/// The Markdown dialect of every book: CommonMark plus these extensions, in one place.
pub fn options(dialect: &Dialect) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if dialect.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if dialect.definition_lists {
        o |= Options::ENABLE_DEFINITION_LIST;
    }
    if dialect.admonitions {
        o |= Options::ENABLE_GFM;
    }
    if dialect.math {
        o |= Options::ENABLE_MATH;
    }
    o
}

/// The result of converting one chapter body.
pub struct Converted {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Footnote>,
    /// How many formulas were kept as TeX source, and where the first one is.
    pub math: Option<(usize, Span)>,
}

/// Converts `text[body_start..]`; spans are computed against the whole `text`.
pub fn convert(
    text: &str,
    body_start: usize,
    file: u32,
    shown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Converted {
    let map = SourceMap::identity(body_start);
    let hidelines = BTreeMap::new();
    let input = Input {
        text: text.get(body_start..).unwrap_or_default(),
        whole: text,
        map: &map,
        hidelines: &hidelines,
        dialect: Dialect::default(),
    };
    convert_input(&input, file, shown, diags)
}

/// One chapter's Markdown and what it is read with.
pub struct Input<'a> {
    /// The Markdown to parse: the chapter's body after the include pass.
    pub text: &'a str,
    /// The chapter file's own text, in which spans are located.
    pub whole: &'a str,
    /// Offsets in `text` → offsets in `whole`.
    pub map: &'a SourceMap,
    /// `[output.html.code.hidelines]`: language → prefix of its hidden lines.
    pub hidelines: &'a BTreeMap<String, String>,
    pub dialect: Dialect,
}

/// Converts `input.text`, locating spans in `input.whole` through `input.map`.
pub fn convert_input(
    input: &Input,
    file: u32,
    shown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Converted {
    let mut conv = Converter {
        events: Parser::new_ext(input.text, options(&input.dialect))
            .into_offset_iter()
            .peekable(),
        whole: input.whole,
        map: input.map,
        hidelines: input.hidelines,
        index: LineIndex::new(input.whole),
        file,
        shown: shown.to_string(),
        diags,
        defs: Vec::new(),
        refs: Vec::new(),
        literal_refs: Vec::new(),
        ref_numbers: HashMap::new(),
        heading_ids: HashMap::new(),
        heading_names: crate::slug::UniqueNames::starting_at(1),
        depth: 0,
        task: None,
    };
    let mut blocks = conv.blocks();
    let mut footnotes = conv.finish_footnotes();
    let mut math = None;
    if input.dialect.math {
        super::math::keep_as_code(&mut blocks, &mut math);
        for note in &mut footnotes {
            super::math::keep_as_code(&mut note.blocks, &mut math);
        }
    }
    Converted {
        blocks,
        footnotes,
        math,
    }
}

struct Converter<'a, 'd> {
    events: Peekable<OffsetIter<'a>>,
    whole: &'a str,
    map: &'a SourceMap,
    hidelines: &'a BTreeMap<String, String>,
    index: LineIndex,
    file: u32,
    shown: String,
    diags: &'d mut Vec<Diagnostic>,
    /// Footnote definitions: (label, blocks, span).
    defs: Vec<(String, Vec<Block>, Span)>,
    /// Labels in order of first reference, with the span of that reference.
    refs: Vec<(String, Span)>,
    /// `[^label]` left as text, with where: undefined references, unless a definition exists.
    literal_refs: Vec<(String, Span)>,
    /// Label → 1-based number in `refs`.
    ref_numbers: HashMap<String, usize>,
    heading_ids: HashMap<String, Span>,
    /// The same ids, for making generated ones unique (`notes`, `notes-1`, … as mdBook does;
    /// unlike mdBook, explicit `{#id}`s count too, so no id is written twice).
    heading_names: crate::slug::UniqueNames,
    /// How many blocks and inline spans enclose the current event.
    depth: usize,
    /// The task marker (`[ ]`, `[x]`) of the list item being read: it comes first in the
    /// item (tight) or in the item's first paragraph (loose).
    task: Option<bool>,
}

/// Deeper nesting than this (quotes in quotes, lists in lists, emphasis in emphasis) is an
/// error: no book needs it, and every backend walks the tree recursively.
pub const MAX_NESTING: usize = 64;

fn is_inline(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        _ => false,
    }
}

impl Converter<'_, '_> {
    fn span(&self, range: &Range<usize>) -> Span {
        self.index
            .span(self.file, self.whole, self.map.orig(range.start))
    }

    fn warn(&mut self, span: Span, msg: String) {
        self.diags.push(Diagnostic::warning(
            self.shown.clone(),
            span.line,
            span.col,
            msg,
        ));
    }

    fn error(&mut self, span: Span, msg: String) {
        self.diags.push(Diagnostic::error(
            self.shown.clone(),
            span.line,
            span.col,
            msg,
        ));
    }

    /// Blocks until the end of the enclosing container (its End event is consumed) or EOF.
    fn blocks(&mut self) -> Vec<Block> {
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
        out
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
    fn enter(&mut self, range: &Range<usize>) -> bool {
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
            Tag::DefinitionList => {
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
            Tag::CodeBlock(kind) => {
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
                let (lang, text) = super::code::code_block(info.as_deref(), &text, self.hidelines);
                BlockKind::CodeBlock { lang, text }
            }
            Tag::List(start) => {
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
            Tag::Table(aligns) => {
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
            Tag::FootnoteDefinition(label) => {
                let blocks = self.blocks();
                let label = label.to_string();
                let key = label_key(&label);
                if self.defs.iter().any(|(l, _, _)| label_key(l) == key) {
                    self.error(span, format!("footnote `[^{label}]` is defined twice"));
                } else {
                    self.defs.push((label, blocks, span));
                }
                return None;
            }
            Tag::HtmlBlock => {
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
                    return None; // an author's note, not content
                }
                BlockKind::Html(html)
            }
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

    fn skip_to_end(&mut self) {
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

    fn heading_id(&mut self, explicit: Option<String>, content: &[Inline], span: Span) -> String {
        if let Some(id) = explicit {
            if self.heading_ids.contains_key(&id) {
                let first = self.heading_ids[&id];
                self.error(
                    span,
                    format!(
                        "duplicate heading id `{id}` (first used at line {})",
                        first.line
                    ),
                );
            }
            self.heading_ids.insert(id.clone(), span);
            self.heading_names.insert(&id);
            return id;
        }
        let mut text = String::new();
        id_text(content, &mut text);
        let id = self.heading_names.unique(&crate::slug::heading_id(&text));
        self.heading_ids.insert(id.clone(), span);
        id
    }

    /// Inlines until the enclosing End event (consumed).
    fn inlines(&mut self) -> Vec<Inline> {
        let out = self.inlines_while_inline();
        if let Some((Event::End(_), _)) = self.events.peek() {
            self.events.next();
        }
        out
    }

    /// Inlines while the next event is inline content; stops before anything else.
    fn inlines_while_inline(&mut self) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        // Where each merged text run starts, to locate literal `[^x]` left by the parser.
        let mut text_starts: Vec<(usize, Span)> = Vec::new();
        while let Some((ev, _)) = self.events.peek() {
            if !is_inline(ev) {
                break;
            }
            let Some((ev, range)) = self.events.next() else {
                break;
            };
            let span = self.span(&range);
            match ev {
                Event::Text(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                    if !matches!(out.last(), Some(Inline::Text(_))) {
                        text_starts.push((out.len(), span));
                    }
                    match ev {
                        // Written back with MathJax's delimiters, which the math pass reads
                        // (`$…$` and `$$…$$` arrive only when math is on).
                        Event::InlineMath(t) => push_text(&mut out, &format!("\\({t}\\)")),
                        Event::DisplayMath(t) => push_text(&mut out, &format!("\\[{t}\\]")),
                        Event::Text(t) => push_text(&mut out, &t),
                        _ => {}
                    }
                }
                Event::Code(t) => out.push(Inline::Code(t.to_string())),
                Event::InlineHtml(h) if is_comment(&h) => {}
                Event::InlineHtml(h) => out.push(Inline::Html(h.to_string())),
                Event::TaskListMarker(done) => self.task = Some(done),
                Event::SoftBreak => out.push(Inline::SoftBreak),
                Event::HardBreak => out.push(Inline::HardBreak),
                Event::FootnoteReference(label) => {
                    let label = label.to_string();
                    let number = match self.ref_numbers.get(&label_key(&label)) {
                        Some(&n) => n,
                        None => {
                            self.refs.push((label.clone(), span));
                            self.ref_numbers.insert(label_key(&label), self.refs.len());
                            self.refs.len()
                        }
                    };
                    out.push(Inline::FootnoteRef {
                        number: number as u32,
                        span,
                    });
                }
                Event::Start(_) if !self.enter(&range) => {}
                Event::Start(tag) => {
                    self.inline_tag(tag, span, &mut out);
                    self.depth -= 1;
                }
                _ => {}
            }
        }
        for (i, span) in text_starts {
            if let Some(Inline::Text(t)) = out.get(i) {
                if let Some((at, label)) = literal_footnote(t) {
                    let col = span.col + t[..at].chars().count() as u32;
                    self.literal_refs
                        .push((label.to_string(), Span { col, ..span }));
                }
            }
        }
        out
    }

    /// An inline element whose Start event (`tag`) was just read.
    fn inline_tag(&mut self, tag: Tag, span: Span, out: &mut Vec<Inline>) {
        match tag {
            Tag::Emphasis => out.push(Inline::Emph(self.inlines())),
            Tag::Strong => out.push(Inline::Strong(self.inlines())),
            Tag::Strikethrough => out.push(Inline::Strike(self.inlines())),
            Tag::Superscript | Tag::Subscript => out.extend(self.inlines()),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let content = self.inlines();
                // `<foo@bar.example>` arrives without its scheme.
                let url = match link_type {
                    LinkType::Email if !dest_url.contains(':') => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                out.push(Inline::Link {
                    target: LinkTarget::External { url },
                    title: title.to_string(),
                    content,
                    span,
                });
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let alt = crate::ir::plain_text(&self.inlines());
                out.push(Inline::Image {
                    src: dest_url.to_string(),
                    alt,
                    title: title.to_string(),
                    asset: None,
                    span,
                });
            }
            _ => {}
        }
    }

    fn finish_footnotes(&mut self) -> Vec<Footnote> {
        let mut notes = Vec::new();
        let refs = std::mem::take(&mut self.refs);
        let mut defs: Vec<Option<_>> = std::mem::take(&mut self.defs)
            .into_iter()
            .map(Some)
            .collect();
        let mut by_label: HashMap<String, usize> = HashMap::new();
        for (i, def) in defs.iter().enumerate().rev() {
            if let Some((label, _, _)) = def {
                by_label.insert(label_key(label), i);
            }
        }
        for (label, span) in std::mem::take(&mut self.literal_refs) {
            if by_label.contains_key(&label_key(&label)) {
                // pulldown-cmark misses a few references (one in a heading that ends with a
                // tab): the note exists, so this is no error.
                self.warn(
                    span,
                    format!("`[^{label}]` is not read as a note reference here; it stays as text"),
                );
            } else {
                self.error(
                    span,
                    format!("footnote `[^{label}]` is referenced but never defined"),
                );
            }
        }
        for (label, span) in refs {
            match by_label
                .remove(&label_key(&label))
                .and_then(|i| defs[i].take())
            {
                Some((label, blocks, def_span)) => {
                    let id = format!("fn-{}", notes.len() + 1);
                    notes.push(Footnote {
                        label,
                        id,
                        blocks,
                        span: def_span,
                    });
                }
                None => {
                    self.error(
                        span,
                        format!("footnote `[^{label}]` is referenced but never defined"),
                    );
                    notes.push(Footnote {
                        label,
                        id: format!("fn-{}", notes.len() + 1),
                        blocks: Vec::new(),
                        span,
                    });
                }
            }
        }
        for (label, _, span) in defs.into_iter().flatten() {
            self.warn(
                span,
                format!("footnote `[^{label}]` is defined but never referenced; it is left out"),
            );
        }
        notes
    }
}

/// The text mdBook makes a heading's id from: the text nodes of its HTML (code and link text,
/// footnote numbers; not image alt text, which is an attribute there).
fn id_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => id_text(c, out),
            Inline::Link { content, .. } => id_text(content, out),
            Inline::FootnoteRef { number, .. } => out.push_str(&number.to_string()),
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak | Inline::Image { .. } | Inline::Html(_) => {}
        }
    }
}

/// pulldown-cmark leaves a reference to an undefined footnote as literal text `[^label]`.
fn literal_footnote(text: &str) -> Option<(usize, &str)> {
    let at = text.find("[^")?;
    let len = text[at + 2..].find(']')?;
    let label = &text[at + 2..at + 2 + len];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some((at, label))
}

/// What makes two footnote labels name the same note: like pulldown-cmark, which pairs
/// references with definitions, case does not count (Unicode case folding, approximated here
/// by upper- then lowercasing so that `ß` meets `SS`), nor do runs of whitespace.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
        .to_lowercase()
}

fn push_text(out: &mut Vec<Inline>, t: &str) {
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(t);
    } else {
        out.push(Inline::Text(t.to_string()));
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(md: &str) -> (Converted, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let c = convert(md, 0, 0, "t.md", &mut d);
        (c, d)
    }

    #[test]
    fn comments_short_and_long() {
        for c in [
            "<!-->",
            "<!--->",
            "<!---->",
            "<!-- a -->",
            " <!--\nb\n-->\n",
        ] {
            assert!(is_comment(c), "{c:?}");
        }
        for c in [
            "<!--",
            "<!-- a --> b",
            "<!-- a --> <!-- b -->",
            "<!-",
            "<p>",
        ] {
            assert!(!is_comment(c), "{c:?}");
        }
        let (c, d) = conv("a <!--> b\n\n<!-->\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.blocks.len(), 1);
    }

    #[test]
    fn email_autolinks_are_mailto_links() {
        let (c, d) = conv("<foo@bar.example.com>\n");
        assert!(d.is_empty(), "{d:?}");
        let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
            panic!("{:?}", c.blocks)
        };
        let Inline::Link { target, .. } = &p[0] else {
            panic!("{p:?}")
        };
        assert_eq!(
            *target,
            LinkTarget::External {
                url: "mailto:foo@bar.example.com".into()
            }
        );
    }

    #[test]
    fn task_markers_of_loose_lists_keep_every_item() {
        for md in ["- [ ] a\n\n- - b\n", "- [x] a\n- - b\n"] {
            let (c, d) = conv(md);
            assert!(d.is_empty(), "{md:?}: {d:?}");
            assert_eq!(c.blocks.len(), 1, "{md:?}");
            let BlockKind::List { items, .. } = &c.blocks[0].kind else {
                panic!("{:?}", c.blocks)
            };
            assert_eq!(items.len(), 2, "{md:?}");
            assert_eq!(items[0].task, Some(md.contains("[x]")), "{md:?}");
            assert_eq!(items[1].task, None, "{md:?}");
            let BlockKind::Paragraph(p) = &items[0].blocks[0].kind else {
                panic!("{:?}", items[0])
            };
            assert_eq!(crate::ir::plain_text(p), "a");
            let BlockKind::List { items: inner, .. } = &items[1].blocks[0].kind else {
                panic!("{:?}", items[1])
            };
            assert_eq!(inner.len(), 1);
        }
    }

    #[test]
    fn footnote_labels_ignore_case() {
        let (c, d) = conv("A[^Note] b[^STRASSE] c[^note].\n\n[^note]: one\n\n[^straße]: two\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.footnotes.len(), 2);
        assert!(c.footnotes.iter().all(|n| !n.blocks.is_empty()));
        let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
            panic!("{:?}", c.blocks)
        };
        let numbers: Vec<u32> = p
            .iter()
            .filter_map(|i| match i {
                Inline::FootnoteRef { number, .. } => Some(*number),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, [1, 2, 1]);
    }

    #[test]
    fn tight_list_items_become_paragraphs() {
        let (c, d) = conv("- one `x`\n- two\n  - nested\n");
        assert!(d.is_empty(), "{d:?}");
        let BlockKind::List {
            start,
            tight,
            items,
        } = &c.blocks[0].kind
        else {
            panic!("{:?}", c.blocks)
        };
        assert_eq!((*start, *tight, items.len()), (None, true, 2));
        assert!(matches!(items[1].blocks[1].kind, BlockKind::List { .. }));
        let BlockKind::Paragraph(p) = &items[0].blocks[0].kind else {
            panic!()
        };
        assert_eq!(crate::ir::plain_text(p), "one x");
    }

    #[test]
    fn headings_get_unique_ids_and_spans() {
        let (c, d) =
            conv("intro\n\n## Why it matters\n\n## Why it matters\n\n### Other {#custom}\n");
        assert!(d.is_empty());
        let ids: Vec<_> = c
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Heading { id, .. } => Some((id.clone(), b.span.line)),
                _ => None,
            })
            .collect();
        assert_eq!(
            ids,
            vec![
                ("why-it-matters".into(), 3),
                ("why-it-matters-1".into(), 5),
                ("custom".into(), 7)
            ]
        );
    }

    #[test]
    fn footnotes_numbered_by_first_reference() {
        let (c, d) = conv("A[^b] and B[^a] and again[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            c.footnotes
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>(),
            vec!["b", "a"]
        );
        let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
            panic!()
        };
        let nums: Vec<u32> = p
            .iter()
            .filter_map(|i| match i {
                Inline::FootnoteRef { number, .. } => Some(*number),
                _ => None,
            })
            .collect();
        assert_eq!(nums, vec![1, 2, 1]);
    }

    #[test]
    fn undefined_footnote_is_an_error_with_location() {
        let (_, d) = conv("text\n\nsee[^x]\n");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].to_string(),
            "t.md:3:4: error: footnote `[^x]` is referenced but never defined"
        );
    }

    #[test]
    fn a_reference_left_as_text_to_a_defined_note_is_no_error() {
        // pulldown-cmark reads no reference in a heading ending with a tab.
        let (_, d) = conv("# [^0]\t\n\n[^0]: x\n");
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        assert!(d[0].message.contains("stays as text"), "{d:?}");
    }

    #[test]
    fn smart_punctuation_tables_and_comments() {
        let (c, _) =
            conv("\"Hi\" -- it's...\n\n<!-- note -->\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
            panic!()
        };
        assert_eq!(
            crate::ir::plain_text(p),
            "\u{201c}Hi\u{201d} \u{2013} it\u{2019}s\u{2026}"
        );
        assert_eq!(c.blocks.len(), 2, "the comment is dropped");
        let BlockKind::Table { align, head, rows } = &c.blocks[1].kind else {
            panic!()
        };
        assert_eq!(align, &vec![Align::Left, Align::Right]);
        assert_eq!((head.len(), rows.len(), rows[0].len()), (2, 1, 2));
    }

    #[test]
    fn nesting_is_bounded_and_reported() {
        let (c, d) = conv(&format!("{} deep\n\nafter\n", ">".repeat(5000)));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].to_string().starts_with(&format!(
                "t.md:1:{}: error: content nested deeper than 64",
                MAX_NESTING + 1
            )),
            "{}",
            d[0]
        );
        assert!(
            matches!(
                c.blocks.last().map(|b| &b.kind),
                Some(BlockKind::Paragraph(_))
            ),
            "text after it is kept"
        );
        // The paragraph inside the quotes is a level too.
        let (_, d) = conv(&format!("{} fine\n", ">".repeat(MAX_NESTING - 1)));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn comment_detection() {
        assert!(is_comment("<!-- talks -->"));
        assert!(!is_comment("<!-- a --> b <!-- c -->"));
        assert!(!is_comment("<p>x</p>"));
    }
}
