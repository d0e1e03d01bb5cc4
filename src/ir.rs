//! The document tree every backend reads: book → parts → chapters → blocks → inlines.
//!
//! This is the project's contract. The parser builds it once; backends only read it.
//! It serialises with serde (`--format json`); `docs/IR.md` documents the JSON shape and
//! [`IR_VERSION`] changes whenever that shape changes incompatibly.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod walk;

pub use walk::{
    for_each_inline_list_mut, for_each_inline_mut, walk_block, walk_block_mut, walk_blocks,
    walk_blocks_mut, walk_inline, walk_inline_list_mut, walk_inline_mut, walk_inlines, ChapterRef,
    Division, Matter, Visit, VisitMut,
};

/// Version of the JSON shape of the tree, written as `kr_ir_version`.
pub const IR_VERSION: u32 = 1;

/// A position in a source file. `file` indexes [`Book::sources`]; line and column are 1-based
/// (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// Index into [`Book::sources`].
    pub file: u32,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub col: u32,
}

/// The whole book.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Book {
    /// [`IR_VERSION`] of the tree's shape.
    pub kr_ir_version: u32,
    /// Title, authors, language and the rest of the book's metadata.
    pub meta: BookMeta,
    /// Prefix chapters (before the first part), e.g. "About this edition".
    pub front: Vec<Chapter>,
    /// The numbered body, in SUMMARY.md's parts (one untitled part when it has none).
    pub parts: Vec<Part>,
    /// Suffix chapters (after the last part).
    pub back: Vec<Chapter>,
    /// Source files, relative to the book directory; [`Span::file`] indexes this list.
    pub sources: Vec<String>,
    /// Image files, loaded and checked once; `Inline::Image::asset` indexes this list.
    pub assets: Vec<crate::media::Asset>,
    /// The cover (`cover` in `[publish]`: a file, or a generated SVG), when the book has one.
    pub cover: Option<crate::media::Asset>,
}

/// Metadata from `book.toml` (`[book]` and `[publish]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct BookMeta {
    /// `[book] title`.
    pub title: String,
    /// `[publish] subtitle`.
    pub subtitle: Option<String>,
    /// `[book] authors` (the editors of proceedings).
    pub authors: Vec<String>,
    /// BCP 47 language tag.
    pub language: String,
    /// `[book] description`.
    pub description: Option<String>,
    /// A URN or ISBN; backends derive a stable one from the title when absent.
    pub identifier: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `[publish] publisher`.
    pub publisher: Option<String>,
    /// `[publish] subjects`: keywords for catalogues.
    pub subjects: Vec<String>,
    /// Output file name without extension, e.g. `kernel-recipes-2023`.
    pub base_name: String,
    /// Cover file relative to the book directory, when configured.
    pub cover: Option<String>,
    /// Written right to left (`[book] text-direction = "rtl"`, or a right-to-left language).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rtl: bool,
    /// `[publish] kind`, when book.toml says; see [`Book::is_proceedings`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<BookKind>,
}

/// What a book is, for its furniture: a book by its authors, or the proceedings of an event
/// (edited, with an index of its speakers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BookKind {
    /// A book by its authors.
    Book,
    /// The proceedings of an event.
    Proceedings,
}

/// A `# Part` of SUMMARY.md (a conference day).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Part {
    /// Unique slug, e.g. `day-1`.
    pub id: String,
    /// The part's heading, as SUMMARY.md writes it (empty for an untitled part).
    pub title: String,
    /// The date of its first dated chapter, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Its chapters, in reading order.
    pub chapters: Vec<Chapter>,
    /// Where SUMMARY.md names the part.
    pub span: Span,
}

/// A chapter: a live-blog post, a talk, or a front/back matter page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Chapter {
    /// Unique slug derived from the source path, e.g. `day-1-morning`.
    pub id: String,
    /// The chapter's own title (its `# Heading`, front matter or `{{#title}}`), the page heading.
    pub title: String,
    /// SUMMARY.md's link text for the chapter, when the author wrote something else there: the
    /// contents show it, as mdBook's sidebar does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toc_title: Option<String>,
    /// Section number (`[1, 2]` prints `1.2.`) of a numbered chapter, shown in the contents and
    /// the heading; empty when the book is not numbered and for prefix and suffix chapters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub number: Vec<u32>,
    /// SUMMARY.md has a separator (`---`) right before this chapter: the contents leave a gap.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub separator_before: bool,
    /// Speakers (talks only; empty otherwise).
    pub speakers: Vec<String>,
    /// `YYYY-MM-DD` from the front matter.
    pub date: Option<String>,
    /// BCP 47 language from the front matter, when it sets one (else the book's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Source path relative to the book's `src` directory, e.g. `day-1/morning.md`.
    pub source: String,
    /// Nesting depth in SUMMARY.md: 0 for top-level items.
    pub depth: u32,
    /// The chapter's content, in order (its title is not among them).
    pub blocks: Vec<Block>,
    /// Blocks that come after the sub-chapters in reading order (after `<!-- talks -->`).
    pub closing: Vec<Block>,
    /// Footnotes in order of first reference; `FootnoteRef::number` is 1-based into this list.
    pub footnotes: Vec<Footnote>,
    /// Sub-chapters (SUMMARY.md's nested items), read after `blocks` and before `closing`.
    pub children: Vec<Chapter>,
    /// Where SUMMARY.md names the chapter.
    pub span: Span,
}

impl Chapter {
    /// True for chapters that carry speakers (talks).
    pub fn is_talk(&self) -> bool {
        !self.speakers.is_empty()
    }

    /// The section number as printed, `1.2.`, for a numbered chapter.
    pub fn number_label(&self) -> Option<String> {
        if self.number.is_empty() {
            return None;
        }
        Some(self.number.iter().map(|n| format!("{n}.")).collect())
    }

    /// The page heading: the title, after the section number when there is one.
    pub fn heading(&self) -> String {
        numbered(self.number_label(), &self.title)
    }

    /// The contents entry: SUMMARY.md's text for the chapter (else its title), after the
    /// section number when there is one.
    pub fn contents_title(&self) -> String {
        numbered(
            self.number_label(),
            self.toc_title.as_deref().unwrap_or(&self.title),
        )
    }
}

fn numbered(label: Option<String>, title: &str) -> String {
    match label {
        Some(n) => format!("{n} {title}"),
        None => title.to_string(),
    }
}

/// A footnote's text, numbered by its first reference.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Footnote {
    /// The label the source wrote (`[^label]`).
    pub label: String,
    /// Anchor id, unique within the chapter, e.g. `fn-1`.
    pub id: String,
    /// Its content.
    pub blocks: Vec<Block>,
    /// Where it is defined.
    pub span: Span,
}

/// A block of a chapter and where it starts in the source.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Block {
    /// Where the block starts.
    pub span: Span,
    /// What the block is.
    #[serde(flatten)]
    pub kind: BlockKind,
}

/// A table column's alignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Align {
    /// Not specified: the backend's default.
    None,
    /// `:--`
    Left,
    /// `:-:`
    Center,
    /// `--:`
    Right,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
/// The kinds of block.
#[serde(tag = "t", content = "c")]
pub enum BlockKind {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A heading inside the chapter.
    Heading {
        /// 1..=6 as written in the chapter (the chapter title itself is above level 1).
        level: u8,
        /// Anchor id, unique within the chapter.
        id: String,
        /// The heading's text.
        content: Vec<Inline>,
        /// Classes written `{ .class }` after the heading (mdBook's heading attributes).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        classes: Vec<String>,
    },
    /// A block quote.
    BlockQuote(Vec<Block>),
    /// A GitHub admonition: a quote that opens with `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
    /// `[!WARNING]` or `[!CAUTION]` (the marker itself is not kept).
    Admonition {
        /// Which of the five.
        kind: AdmonitionKind,
        /// Its content.
        blocks: Vec<Block>,
    },
    /// A fenced or indented code block.
    CodeBlock {
        /// The info string's first word, e.g. `rust`.
        lang: Option<String>,
        /// The code, without mdBook's hidden lines and without a final newline.
        text: String,
        /// Line numbers asked for by the info string (`numberLines`, `linenos`, `{linenos=true}`:
        /// `Some(true)`; `linenos=false`: `Some(false)`); `None` leaves it to the output's
        /// setting (`[output.pdf] line-numbers`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line_numbers: Option<bool>,
    },
    /// A bullet or ordered list.
    List {
        /// Start number of an ordered list; `None` for a bullet list.
        start: Option<u64>,
        /// No blank lines between items: set without paragraph spacing.
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
    },
    /// A GitHub-style table.
    Table {
        /// Each column's alignment.
        align: Vec<Align>,
        /// The header row's cells.
        head: Vec<Vec<Inline>>,
        /// The body rows' cells.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A thematic break (`---`): a scene change.
    ThematicBreak,
    /// Raw HTML block, kept for backends to decide about.
    Html(String),
    /// A definition list (`term` then `: definition` lines).
    DefinitionList(Vec<Definition>),
    /// A listing: mdBook's `<Listing number="1-1" file-name="src/main.rs" caption="…">`
    /// element (The Rust Programming Language's), its content (usually one code block) with
    /// a number, a file name and a caption, each optional.
    Listing {
        /// Its number as written, e.g. `1-1`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        /// The file the code comes from, e.g. `src/main.rs`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file_name: Option<String>,
        /// Its caption, read as Markdown (empty when none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        caption: Vec<Inline>,
        /// What it holds.
        blocks: Vec<Block>,
    },
}

/// The kind of an [`BlockKind::Admonition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AdmonitionKind {
    /// `[!NOTE]`
    Note,
    /// `[!TIP]`
    Tip,
    /// `[!IMPORTANT]`
    Important,
    /// `[!WARNING]`
    Warning,
    /// `[!CAUTION]`
    Caution,
}

impl AdmonitionKind {
    /// The label readers see, e.g. `Note`.
    pub fn label(self) -> &'static str {
        match self {
            AdmonitionKind::Note => "Note",
            AdmonitionKind::Tip => "Tip",
            AdmonitionKind::Important => "Important",
            AdmonitionKind::Warning => "Warning",
            AdmonitionKind::Caution => "Caution",
        }
    }
}

/// One term of a definition list and its definitions (none when the next term shares them).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Definition {
    /// The term defined.
    pub term: Vec<Inline>,
    /// Its definitions, each a list of blocks.
    pub details: Vec<Vec<Block>>,
}

/// One item of a list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    /// Its content.
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
/// The kinds of text inside a block.
#[serde(tag = "t", content = "c")]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Inline code.
    Code(String),
    /// Emphasis (italic).
    Emph(Vec<Inline>),
    /// Strong emphasis (bold).
    Strong(Vec<Inline>),
    /// Struck-through text.
    Strike(Vec<Inline>),
    /// A link, resolved by the parser.
    Link {
        /// Where it goes.
        target: LinkTarget,
        /// Its title (a tooltip), empty when none.
        title: String,
        /// Its text.
        content: Vec<Inline>,
        /// Where it is written.
        span: Span,
    },
    /// An image.
    Image {
        /// As written in the chapter.
        src: String,
        /// Alternative text, for readers who cannot see the image.
        alt: String,
        /// Its title (a caption), empty when none.
        title: String,
        /// Index into [`Book::assets`]; `None` for a remote image, which is not fetched (the
        /// alt text stands in).
        asset: Option<u32>,
        /// Where it is written.
        span: Span,
    },
    /// A reference to a footnote.
    FootnoteRef {
        /// 1-based index into the chapter's footnotes.
        number: u32,
        /// Where it is written.
        span: Span,
    },
    /// A line break in the source: a space to the reader.
    SoftBreak,
    /// A forced line break.
    HardBreak,
    /// Raw inline HTML.
    Html(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
/// Where a link goes.
#[serde(tag = "t")]
pub enum LinkTarget {
    /// Outside the book.
    External {
        /// An RFC 3986 URI (or IRI).
        url: String,
    },
    /// A chapter of this book, optionally a heading (or footnote) anchor inside it.
    Internal {
        /// The chapter's [`Chapter::id`].
        chapter: String,
        /// A heading or footnote id in it; `None` for the chapter's top.
        anchor: Option<String>,
    },
}

/// The JSON Schema (draft 2020-12) of the tree's JSON form, `--format json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Book)).unwrap_or_default()
}

/// Concatenated text of inlines, without markup (footnote refs and raw HTML dropped).
pub fn plain_text(inlines: &[Inline]) -> String {
    struct Plain(String);
    impl Visit<'_> for Plain {
        fn visit_inline(&mut self, i: &Inline) {
            match i {
                Inline::Text(t) | Inline::Code(t) => self.0.push_str(t),
                Inline::Image { alt, .. } => self.0.push_str(alt),
                Inline::SoftBreak | Inline::HardBreak => self.0.push(' '),
                _ => walk_inline(self, i),
            }
        }
    }
    let mut plain = Plain(String::new());
    walk_inlines(&mut plain, inlines);
    plain.0
}

impl Book {
    /// Proceedings get an event's furniture: "Edited by", editors rather than authors, an index
    /// or page of speakers. A book is proceedings when `[publish] kind` says so or, when it says
    /// nothing, when a chapter names speakers.
    pub fn is_proceedings(&self) -> bool {
        match self.meta.kind {
            Some(kind) => kind == BookKind::Proceedings,
            None => self.chapters().any(|r| r.chapter.is_talk()),
        }
    }
}

impl Chapter {
    /// Calls `f` on every list of inlines of this chapter's own text (see
    /// [`for_each_inline_list_mut`]), not its children's.
    pub fn for_each_inline_list_mut(&mut self, f: &mut dyn FnMut(&mut Vec<Inline>)) {
        for_each_inline_list_mut(&mut self.blocks, f);
        for_each_inline_list_mut(&mut self.closing, f);
        for note in &mut self.footnotes {
            for_each_inline_list_mut(&mut note.blocks, f);
        }
    }

    /// Calls `f` on every inline of this chapter's own text (blocks, closing, footnotes), not its children.
    pub fn for_each_inline_mut(&mut self, f: &mut dyn FnMut(&mut Inline)) {
        for_each_inline_mut(&mut self.blocks, f);
        for_each_inline_mut(&mut self.closing, f);
        for note in &mut self.footnotes {
            for_each_inline_mut(&mut note.blocks, f);
        }
    }

    /// Ids that links may target inside this chapter: heading ids, footnote ids, and the ids
    /// its raw HTML declares (see [`Anchors`]).
    pub fn anchors(&self) -> Anchors {
        let mut out = Anchors::default();
        block_anchors(&self.blocks, &mut out);
        block_anchors(&self.closing, &mut out);
        out.own.extend(self.footnotes.iter().map(|n| n.id.clone()));
        out
    }
}

/// The link targets of some blocks: `own` are the ids kr-publish gives (headings, footnotes),
/// `html` those that raw HTML declares (`<a id>`, `<a name>`, any element's `id`), in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Anchors {
    /// Heading and footnote ids.
    pub own: Vec<String>,
    /// Ids that raw HTML declares.
    pub html: Vec<String>,
}

impl Anchors {
    /// Whether `id` is one of them.
    pub fn contains(&self, id: &str) -> bool {
        self.own.iter().chain(&self.html).any(|a| a == id)
    }

    /// Every anchor, own ones first.
    pub fn all(self) -> Vec<String> {
        let mut v = self.own;
        v.extend(self.html);
        v
    }
}

/// Adds the anchors of `blocks` (and of everything nested in them) to `out`.
pub fn block_anchors(blocks: &[Block], out: &mut Anchors) {
    struct Collect<'o>(&'o mut Anchors);
    impl Visit<'_> for Collect<'_> {
        fn visit_block(&mut self, b: &Block) {
            match &b.kind {
                BlockKind::Heading { id, .. } => self.0.own.push(id.clone()),
                BlockKind::Html(h) => self.0.html.extend(crate::html::anchor_ids(h)),
                _ => {}
            }
            walk_block(self, b);
        }

        fn visit_inline(&mut self, i: &Inline) {
            if let Inline::Html(h) = i {
                self.0.html.extend(crate::html::anchor_ids(h));
            }
            walk_inline(self, i);
        }
    }
    walk_blocks(&mut Collect(out), blocks);
}
