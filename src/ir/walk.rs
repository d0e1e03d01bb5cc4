//! Walking the tree, in one place: the chapters in reading order ([`Book::chapters`], grouped by
//! [`Book::divisions`]), and the blocks and inlines of a text ([`Visit`] to read them,
//! [`VisitMut`] to change them). Every backend sees the book in the same order because none of
//! them writes its own walk.

use super::{Block, BlockKind, Book, Chapter, Inline, Part};

/// Which run of the book a chapter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matter {
    /// Before the first part (SUMMARY.md's prefix chapters).
    Front,
    /// Inside a part.
    Body,
    /// After the last part (SUMMARY.md's suffix chapters).
    Back,
}

/// A run of top-level chapters: the front chapters, one part, or the back chapters.
#[derive(Debug, Clone, Copy)]
pub struct Division<'a> {
    /// Which run this is.
    pub matter: Matter,
    /// The part and its index in [`Book::parts`]; `None` for the front and back chapters.
    pub part: Option<(usize, &'a Part)>,
    /// The run's top-level chapters; [`Division::walk`] reaches their descendants too.
    pub chapters: &'a [Chapter],
}

impl<'a> Division<'a> {
    /// The division's chapters and their descendants in reading order (each chapter before its
    /// children).
    pub fn walk(self) -> impl Iterator<Item = ChapterRef<'a>> {
        let mut walk = Chapters {
            book: None,
            next: 0,
            current: self,
            stack: Vec::new(),
        };
        walk.enter(self);
        walk
    }
}

/// A chapter with where it sits in the book, as [`Book::chapters`] yields it.
#[derive(Debug, Clone, Copy)]
pub struct ChapterRef<'a> {
    /// The part holding the chapter (at any depth), with its index in [`Book::parts`].
    pub part: Option<(usize, &'a Part)>,
    /// The chapter this one is a sub-chapter of; `None` at the top of a division.
    pub parent: Option<&'a Chapter>,
    /// The chapter itself.
    pub chapter: &'a Chapter,
    /// Nesting below the top of its division: 0 for a top-level chapter.
    pub depth: usize,
    /// The run of the book the chapter is in.
    pub matter: Matter,
}

/// The depth-first walk behind [`Book::chapters`] and [`Division::walk`]. It keeps a stack of
/// the chapters still to visit rather than a list of them all, because [`Book::chapter`] runs
/// it for every link.
struct Chapters<'a> {
    /// The book whose divisions follow the current one; `None` to walk one division only.
    book: Option<&'a Book>,
    /// Index of the next division of `book` (see [`Book::division`]).
    next: usize,
    current: Division<'a>,
    /// Chapters still to visit, the next one on top, with their parent and depth.
    stack: Vec<(&'a Chapter, Option<&'a Chapter>, usize)>,
}

impl<'a> Chapters<'a> {
    fn enter(&mut self, d: Division<'a>) {
        self.current = d;
        self.stack
            .extend(d.chapters.iter().rev().map(|c| (c, None, 0)));
    }
}

impl<'a> Iterator for Chapters<'a> {
    type Item = ChapterRef<'a>;

    fn next(&mut self) -> Option<ChapterRef<'a>> {
        loop {
            if let Some((chapter, parent, depth)) = self.stack.pop() {
                let children = chapter.children.iter().rev();
                self.stack
                    .extend(children.map(|c| (c, Some(chapter), depth + 1)));
                return Some(ChapterRef {
                    part: self.current.part,
                    parent,
                    chapter,
                    depth,
                    matter: self.current.matter,
                });
            }
            let d = self.book?.division(self.next)?;
            self.next += 1;
            self.enter(d);
        }
    }
}

impl Book {
    /// The front chapters, each part, then the back chapters: the top of the book's tree, for
    /// what keeps its shape (contents, outlines). The front and back divisions are there even
    /// when they hold no chapter.
    pub fn divisions(&self) -> impl Iterator<Item = Division<'_>> {
        (0..).map_while(move |i| self.division(i))
    }

    /// Division `i` in [`Book::divisions`] order.
    fn division(&self, i: usize) -> Option<Division<'_>> {
        let (matter, part, chapters) = match i.checked_sub(1) {
            None => (Matter::Front, None, &self.front[..]),
            Some(p) if p < self.parts.len() => {
                let part = &self.parts[p];
                (Matter::Body, Some((p, part)), &part.chapters[..])
            }
            Some(p) if p == self.parts.len() => (Matter::Back, None, &self.back[..]),
            Some(_) => return None,
        };
        Some(Division {
            matter,
            part,
            chapters,
        })
    }

    /// Every chapter in reading order (depth-first, each chapter before its children), with
    /// its part, parent, depth and matter.
    pub fn chapters(&self) -> impl Iterator<Item = ChapterRef<'_>> {
        Chapters {
            book: Some(self),
            next: 0,
            current: Division {
                matter: Matter::Front,
                part: None,
                chapters: &[],
            },
            stack: Vec::new(),
        }
    }

    /// Looks a chapter up by id.
    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.chapters().map(|r| r.chapter).find(|c| c.id == id)
    }

    /// Calls `f` on every chapter, in reading order.
    pub fn for_each_chapter_mut(&mut self, f: &mut dyn FnMut(&mut Chapter)) {
        fn walk(c: &mut Chapter, f: &mut dyn FnMut(&mut Chapter)) {
            f(c);
            for child in &mut c.children {
                walk(child, f);
            }
        }
        let parts = self.parts.iter_mut().flat_map(|p| p.chapters.iter_mut());
        for c in self
            .front
            .iter_mut()
            .chain(parts)
            .chain(self.back.iter_mut())
        {
            walk(c, f);
        }
    }
}

/// Reads blocks and inlines in document order, in the manner of syn's `Visit`: each method
/// walks into what its node holds; override one to look at a node, then call its `walk_*`
/// function to go on inside (or do not, to skip what it holds).
pub trait Visit<'a> {
    /// A block, then (by default) what it holds.
    fn visit_block(&mut self, b: &'a Block) {
        walk_block(self, b)
    }

    /// An inline, then (by default) what it holds.
    fn visit_inline(&mut self, i: &'a Inline) {
        walk_inline(self, i)
    }
}

/// Visits each of `blocks`.
pub fn walk_blocks<'a, V: Visit<'a> + ?Sized>(v: &mut V, blocks: &'a [Block]) {
    for b in blocks {
        v.visit_block(b);
    }
}

/// Visits each of `inlines`.
pub fn walk_inlines<'a, V: Visit<'a> + ?Sized>(v: &mut V, inlines: &'a [Inline]) {
    for i in inlines {
        v.visit_inline(i);
    }
}

/// Visits what `b` holds: its inlines, its blocks, the items of a list, the terms and
/// definitions of a definition list, the cells of a table (head first).
pub fn walk_block<'a, V: Visit<'a> + ?Sized>(v: &mut V, b: &'a Block) {
    match &b.kind {
        BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => walk_inlines(v, c),
        BlockKind::BlockQuote(bs) | BlockKind::Admonition { blocks: bs, .. } => walk_blocks(v, bs),
        BlockKind::List { items, .. } => {
            for item in items {
                walk_blocks(v, &item.blocks);
            }
        }
        BlockKind::DefinitionList(defs) => {
            for d in defs {
                walk_inlines(v, &d.term);
                for bs in &d.details {
                    walk_blocks(v, bs);
                }
            }
        }
        BlockKind::Table { head, rows, .. } => {
            for cell in head.iter().chain(rows.iter().flatten()) {
                walk_inlines(v, cell);
            }
        }
        BlockKind::Listing {
            caption, blocks, ..
        } => {
            walk_inlines(v, caption);
            walk_blocks(v, blocks);
        }
        BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::Html(_) => {}
    }
}

/// Visits the content of emphasis, strong, strikethrough and links.
pub fn walk_inline<'a, V: Visit<'a> + ?Sized>(v: &mut V, i: &'a Inline) {
    if let Inline::Emph(c)
    | Inline::Strong(c)
    | Inline::Strike(c)
    | Inline::Link { content: c, .. } = i
    {
        walk_inlines(v, c);
    }
}

/// Changes blocks and inlines in document order: [`Visit`] with mutable nodes, and a method for
/// each list of inlines so that a visitor may splice it.
pub trait VisitMut {
    /// A block, then (by default) what it holds.
    fn visit_block_mut(&mut self, b: &mut Block) {
        walk_block_mut(self, b)
    }

    /// A list of inlines, then (by default) each of them.
    fn visit_inline_list_mut(&mut self, list: &mut Vec<Inline>) {
        walk_inline_list_mut(self, list)
    }

    /// An inline, then (by default) what it holds.
    fn visit_inline_mut(&mut self, i: &mut Inline) {
        walk_inline_mut(self, i)
    }
}

/// Visits each of `blocks`.
pub fn walk_blocks_mut<V: VisitMut + ?Sized>(v: &mut V, blocks: &mut [Block]) {
    for b in blocks {
        v.visit_block_mut(b);
    }
}

/// Visits each inline of `list`.
pub fn walk_inline_list_mut<V: VisitMut + ?Sized>(v: &mut V, list: &mut [Inline]) {
    for i in list {
        v.visit_inline_mut(i);
    }
}

/// Visits what `b` holds, in the order of [`walk_block`].
pub fn walk_block_mut<V: VisitMut + ?Sized>(v: &mut V, b: &mut Block) {
    match &mut b.kind {
        BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
            v.visit_inline_list_mut(c)
        }
        BlockKind::BlockQuote(bs) | BlockKind::Admonition { blocks: bs, .. } => {
            walk_blocks_mut(v, bs)
        }
        BlockKind::List { items, .. } => {
            for item in items {
                walk_blocks_mut(v, &mut item.blocks);
            }
        }
        BlockKind::DefinitionList(defs) => {
            for d in defs {
                v.visit_inline_list_mut(&mut d.term);
                for bs in &mut d.details {
                    walk_blocks_mut(v, bs);
                }
            }
        }
        BlockKind::Table { head, rows, .. } => {
            for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                v.visit_inline_list_mut(cell);
            }
        }
        BlockKind::Listing {
            caption, blocks, ..
        } => {
            v.visit_inline_list_mut(caption);
            walk_blocks_mut(v, blocks);
        }
        BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::Html(_) => {}
    }
}

/// Visits the content of emphasis, strong, strikethrough and links.
pub fn walk_inline_mut<V: VisitMut + ?Sized>(v: &mut V, i: &mut Inline) {
    if let Inline::Emph(c)
    | Inline::Strong(c)
    | Inline::Strike(c)
    | Inline::Link { content: c, .. } = i
    {
        v.visit_inline_list_mut(c);
    }
}

/// Calls `f` on every inline of `blocks`, depth-first (an inline before what it holds),
/// including list items, quotes and table cells.
pub fn for_each_inline_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    struct Each<'f>(&'f mut dyn FnMut(&mut Inline));
    impl VisitMut for Each<'_> {
        fn visit_inline_mut(&mut self, i: &mut Inline) {
            (self.0)(i);
            walk_inline_mut(self, i);
        }
    }
    walk_blocks_mut(&mut Each(f), blocks);
}

/// Calls `f` on every list of inlines in `blocks` (paragraphs, headings, table cells, and the
/// content of emphasis and links), outer lists before the lists inside them; `f` may splice.
pub fn for_each_inline_list_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    struct Each<'f>(&'f mut dyn FnMut(&mut Vec<Inline>));
    impl VisitMut for Each<'_> {
        fn visit_inline_list_mut(&mut self, list: &mut Vec<Inline>) {
            (self.0)(list);
            walk_inline_list_mut(self, list);
        }
    }
    walk_blocks_mut(&mut Each(f), blocks);
}
