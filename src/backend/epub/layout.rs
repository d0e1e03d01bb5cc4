//! The first stage: which documents exist and what each holds. Every chapter gets a file name,
//! every titled part a page, and the closing blocks and notes of a chapter a place — before any
//! text is written, so that links can point anywhere in the book.

use crate::ir::{walk_blocks, walk_inline, Block, Book, Chapter, Inline, Visit};
use crate::slug::UniqueNames;

use super::xhtml::Links;

/// File names of the documents, unique in the package.
struct Names {
    used: UniqueNames,
}

impl Names {
    fn new() -> Self {
        let used = [
            "cover",
            "titlepage",
            "contents",
            "nav",
            "toc",
            "content",
            "style",
        ];
        let mut names = UniqueNames::default();
        for name in used {
            names.insert(name);
        }
        Self { used: names }
    }

    fn file(&mut self, base: &str) -> String {
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let base = if base.is_empty() {
            "chapter".into()
        } else {
            base
        };
        format!("{}.xhtml", self.used.unique(&base))
    }
}

/// Where the text of one chapter goes, and which notes each part holds.
pub(crate) struct Placement {
    /// The chapter's own document.
    pub(crate) main: String,
    /// The document that receives the closing blocks: the one of the chapter's last
    /// descendant, so that they follow the talks without a page of their own.
    pub(crate) closing: Option<String>,
    /// True when the closing blocks need a document of their own (their ids would clash).
    pub(crate) closing_separate: bool,
    /// Indices of the footnotes written at the end of the main document.
    pub(crate) main_notes: Vec<usize>,
    /// Indices of the footnotes written after the closing blocks.
    pub(crate) closing_notes: Vec<usize>,
}

/// The documents of the book's text and where every chapter, anchor and note lives.
pub(crate) struct Layout {
    /// Chapter and anchor → document, for the links.
    pub(crate) links: Links,
    /// One per chapter, in the order of [`Book::chapters`].
    pub(crate) placements: Vec<Placement>,
    /// One per part: the file of its title page, if it has a title.
    pub(crate) part_files: Vec<Option<String>>,
}

impl Layout {
    /// Names the documents of `book`, in reading order so that numbering suffixes follow it.
    pub(crate) fn new(book: &Book) -> Self {
        let mut names = Names::new();
        let mut links = Links::default();
        let part_files = book
            .parts
            .iter()
            .map(|p| (!p.title.is_empty()).then(|| names.file(&p.id)))
            .collect();
        for r in book.chapters() {
            let file = names.file(&r.chapter.id);
            links.chapter_file.insert(r.chapter.id.clone(), file);
        }
        let placements = book
            .chapters()
            .map(|r| place(r.chapter, &mut names, &mut links))
            .collect();
        Self {
            links,
            placements,
            part_files,
        }
    }
}

/// Decides where the closing blocks and the notes of `c` go.
fn place(c: &Chapter, names: &mut Names, links: &mut Links) -> Placement {
    let main = links.chapter_file.get(&c.id).cloned().unwrap_or_default();
    let mut closing_anchors = crate::ir::Anchors::default();
    crate::ir::block_anchors(&c.closing, &mut closing_anchors);
    let closing_ids = closing_anchors.all();
    let (mut in_main, mut in_closing) = (Vec::new(), Vec::new());
    note_refs(&c.blocks, &mut in_main);
    note_refs(&c.closing, &mut in_closing);
    let closing_note = |i: usize| {
        let n = i as u32 + 1;
        !in_main.contains(&n) && in_closing.contains(&n)
    };
    let (mut closing, mut separate) = (None, false);
    if !c.closing.is_empty() {
        let mut ids: Vec<&str> = closing_ids.iter().map(String::as_str).collect();
        ids.extend(
            c.footnotes
                .iter()
                .enumerate()
                .filter(|(i, _)| closing_note(*i))
                .map(|(_, n)| n.id.as_str()),
        );
        let chain = last_children(c);
        // A closing id that a document of the chain already holds needs a document apart.
        separate = chain.iter().any(|ch| {
            let anchors = ch.anchors();
            ids.iter().any(|a| anchors.contains(a))
        });
        closing = Some(if separate {
            names.file(&format!("{}-end", c.id))
        } else {
            let last = chain.last().copied().unwrap_or(c);
            links
                .chapter_file
                .get(&last.id)
                .cloned()
                .unwrap_or_default()
        });
    }
    let mut main_notes = Vec::new();
    let mut closing_notes = Vec::new();
    for (i, note) in c.footnotes.iter().enumerate() {
        match &closing {
            Some(f) if closing_note(i) => {
                links
                    .anchor_file
                    .insert((c.id.clone(), note.id.clone()), f.clone());
                closing_notes.push(i);
            }
            _ => main_notes.push(i),
        }
    }
    if let Some(f) = &closing {
        for id in closing_ids {
            links.anchor_file.insert((c.id.clone(), id), f.clone());
        }
    }
    Placement {
        main,
        closing,
        closing_separate: separate,
        main_notes,
        closing_notes,
    }
}

/// The chain of last children of `c`: their documents end where its closing blocks go.
fn last_children(c: &Chapter) -> Vec<&Chapter> {
    let mut chain = Vec::new();
    let mut last = c;
    while let Some(child) = last.children.last() {
        chain.push(child);
        last = child;
    }
    chain
}

/// Footnote numbers referenced from `blocks`, in order, each once.
fn note_refs(blocks: &[Block], out: &mut Vec<u32>) {
    struct Refs<'o>(&'o mut Vec<u32>);
    impl Visit<'_> for Refs<'_> {
        fn visit_inline(&mut self, i: &Inline) {
            match i {
                Inline::FootnoteRef { number, .. } if !self.0.contains(number) => {
                    self.0.push(*number)
                }
                _ => walk_inline(self, i),
            }
        }
    }
    walk_blocks(&mut Refs(out), blocks);
}
