//! One chapter's Markdown (pulldown-cmark events with byte offsets) → IR blocks.
//!
//! Links are stored with their raw destination here; `links.rs` resolves them once every
//! chapter is known.

use std::collections::{BTreeMap, HashMap};
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, OffsetIter, Options, Parser, Tag};

mod blocks;
mod listing;

use super::include::SourceMap;
/// The Markdown extensions a book turns on or off (`[output.html]`), re-exported where they are
/// read.
pub(crate) use crate::config::Dialect;
use crate::diag::{Diagnostic, LineIndex};
use crate::html::is_comment;
use crate::ir::{walk_inline, walk_inlines, Block, Footnote, Inline, LinkTarget, Span, Visit};

/// The Markdown dialect of every book: CommonMark plus these extensions, in one place.
pub(crate) fn options(dialect: &Dialect) -> Options {
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
pub(crate) struct Converted {
    /// The chapter's body.
    pub blocks: Vec<Block>,
    /// Its footnotes, numbered in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// How many formulas were kept as TeX source, and where the first one is.
    pub math: Option<(usize, Span)>,
}

/// Converts `text[body_start..]`; spans are computed against the whole `text`. For tests, here
/// and in the backends: the parser itself uses [`convert_input`].
#[cfg(test)]
pub(crate) fn convert(
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
pub(crate) struct Input<'a> {
    /// The Markdown to parse: the chapter's body after the include pass.
    pub text: &'a str,
    /// The chapter file's own text, in which spans are located.
    pub whole: &'a str,
    /// Offsets in `text` → offsets in `whole`.
    pub map: &'a SourceMap,
    /// `[output.html.code.hidelines]`: language → prefix of its hidden lines.
    pub hidelines: &'a BTreeMap<String, String>,
    /// The Markdown extensions book.toml turns on or off.
    pub dialect: Dialect,
}

/// Converts `input.text`, locating spans in `input.whole` through `input.map`.
pub(crate) fn convert_input(
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
pub(crate) const MAX_NESTING: usize = 64;

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
    struct IdText<'o>(&'o mut String);
    impl Visit<'_> for IdText<'_> {
        fn visit_inline(&mut self, i: &Inline) {
            match i {
                Inline::Text(t) | Inline::Code(t) => self.0.push_str(t),
                Inline::FootnoteRef { number, .. } => self.0.push_str(&number.to_string()),
                Inline::SoftBreak => self.0.push('\n'),
                _ => walk_inline(self, i),
            }
        }
    }
    walk_inlines(&mut IdText(out), inlines);
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
mod tests;
