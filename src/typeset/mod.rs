//! The typesetting engine: fonts, shaping, hyphenation, line breaking and page building. It
//! produces pages of positioned, shaped items ([`frame::Page`]) and knows nothing of PDF.
//!
//! A layout pass runs in three stages, a type each: `page::ListBuilder` sets the book into a
//! vertical list (`vlist`), block by block (`blocks`, `table`, `matter`), its paragraphs set by
//! `para::Setter` (itself word building, breaking and rendering); `paginate::Paginator` cuts
//! the list into pages; `compose::Composer` places each page.
#![warn(missing_docs, unreachable_pub)]

mod ahead;
mod blocks;
mod compose;
pub(crate) mod fonts;
pub(crate) mod frame;
pub(crate) mod geometry;
mod hyphenate;
mod inline;
mod linebreak;
mod listing;
pub(crate) mod matter;
mod page;
mod paginate;
mod para;
mod shape;
pub(crate) mod structure;
mod table;
mod tagging;
mod vjust;
mod vlist;

use std::collections::HashMap;

use crate::ir::{Book, Span};

pub(crate) use frame::Page;
pub use geometry::Geometry;

/// Laid-out pages and what layout had to report (with source locations).
pub struct Layout {
    /// The pages, cover first.
    pub pages: Vec<Page>,
    /// The page profile they were laid out for.
    pub geometry: Geometry,
    /// What layout has to report, by source location, sorted and without repeats.
    pub warnings: Vec<(Span, String)>,
    /// How many passes it took for the page numbers in the contents and index to settle.
    pub passes: usize,
    /// The book's logical structure, which the pages' items are tagged with.
    pub structure: structure::Structure,
}

/// What the build adds to the book: the build date for the colophon, whether words may be
/// hyphenated and whether code lines are numbered.
#[derive(Debug, Clone)]
pub struct Matter {
    /// The date the book was built, as the colophon writes it.
    pub build_date: String,
    /// Hyphenate by each chapter's language (`[output.pdf] hyphenate`, on by default).
    pub hyphenate: bool,
    /// Number the lines of every code block whose info string does not say
    /// (`[output.pdf] line-numbers`, off by default).
    pub line_numbers: bool,
}

impl Default for Matter {
    fn default() -> Self {
        Matter {
            build_date: String::new(),
            hyphenate: true,
            line_numbers: false,
        }
    }
}

/// Whether words in the language `tag` (BCP 47) can be hyphenated.
pub(crate) fn hyphenates(tag: &str) -> bool {
    hyphenate::language(tag).is_some()
}

/// Lays the whole book out: cover, title page, front matter and contents (numbered i, ii, …),
/// then the days from page 1 and the speaker index. The contents and index need the page
/// numbers of what follows them, so layout runs until those numbers no longer change.
pub fn layout(book: &Book, fonts: &fonts::Fonts, geometry: Geometry, matter: &Matter) -> Layout {
    layout_with(book, fonts, geometry, matter, ahead::cores())
}

/// [`layout`], with the body's chapters set ahead on up to `threads` threads.
fn layout_with(
    book: &Book,
    fonts: &fonts::Fonts,
    geometry: Geometry,
    matter: &Matter,
    threads: usize,
) -> Layout {
    let mut known = HashMap::new();
    let mut passes = 0;
    // One setter for every pass: only page numbers change between passes, so its shaping and
    // hyphenation caches stay valid.
    let mut setter = para::Setter::new(shape::Shaper::new(fonts));
    setter.set_hyphenation(matter.hyphenate);
    ahead::set_chapters(book, &mut setter, geometry, matter, threads);
    loop {
        passes += 1;
        let pass = pass(book, setter, geometry, matter, known);
        let now = compose::numbers(&pass.list, &pass.cuts, pass.first_page());
        if now == pass.numbers || passes == 4 {
            let (pages, structure, setter) = pass.compose(book, geometry);
            return Layout {
                pages,
                geometry,
                warnings: setter.into_warnings(),
                passes,
                structure,
            };
        }
        setter = pass.setter;
        known = now;
    }
}

/// A pass's vertical list cut into pages, before the pages are placed: placing them is only
/// worth it once the page numbers have settled.
struct Pass<'f> {
    list: vlist::VList,
    cuts: Vec<paginate::Cut>,
    cover: Option<Page>,
    setter: para::Setter<'f>,
    /// The page numbers the list was built with.
    numbers: HashMap<String, String>,
}

impl<'f> Pass<'f> {
    /// Pages laid out before the list's first (the cover).
    fn first_page(&self) -> usize {
        usize::from(self.cover.is_some())
    }

    /// The pages placed, cover first; the book's structure; the setter back.
    fn compose(
        mut self,
        book: &Book,
        geometry: Geometry,
    ) -> (Vec<Page>, structure::Structure, para::Setter<'f>) {
        let first_page = self.first_page();
        let structure = std::mem::take(&mut self.list.structure);
        // The set paragraphs are in the list now: the cache's copies can go before the pages
        // make a copy of their own.
        self.setter.forget_paragraphs();
        let sets = compose::Sets::take_from(&mut self.list);
        let composer = compose::Composer::new(
            &self.list,
            sets,
            self.setter,
            geometry,
            &book.meta.title,
            first_page,
        );
        let (mut pages, setter) = composer.pages(&self.cuts);
        if let Some(c) = self.cover {
            pages.insert(0, c);
        }
        (pages, structure, setter)
    }
}

/// One layout pass, in two stages: the book becomes a vertical list with the page numbers of
/// the pass before, and the list is cut into pages.
fn pass<'f>(
    book: &Book,
    setter: para::Setter<'f>,
    geometry: Geometry,
    matter: &Matter,
    numbers: HashMap<String, String>,
) -> Pass<'f> {
    let mut b = page::ListBuilder::new(book, setter, geometry, numbers.clone());
    b.line_numbers = matter.line_numbers;
    // The cover is a figure described by the book's title.
    let cover = book
        .cover
        .as_ref()
        .map(|c| cover_page(geometry, c, b.figure_tag(&book.meta.title, Span::default())));
    b.title_page();
    b.front(&matter.build_date);
    b.contents();
    b.start_body();
    for d in book.divisions() {
        match (d.part, d.matter) {
            (Some((_, p)), _) => b.part(p),
            (None, crate::ir::Matter::Back) => d.chapters.iter().for_each(|c| b.chapter(c, false)),
            // The front chapters came before the contents.
            (None, _) => {}
        }
    }
    b.speaker_index();
    let (list, setter) = b.finish();
    let cuts = paginate::Paginator::new(&list, geometry).cuts();
    Pass {
        list,
        cuts,
        cover,
        setter,
        numbers,
    }
}

/// The cover on a page of its own, with no folio: the whole of it, as large as the page allows
/// and centred, on its own edge colour where the page is of another shape (never cropped).
fn cover_page(g: Geometry, cover: &crate::media::Asset, tag: structure::Tag) -> Page {
    let (w, h) = (cover.width.max(1) as f32, cover.height.max(1) as f32);
    let k = (g.width / w).min(g.height / h);
    let page = frame::Rect {
        x: 0.0,
        y: 0.0,
        w: g.width,
        h: g.height,
    };
    let fitted = frame::Rect {
        x: (g.width - w * k) / 2.0,
        y: (g.height - h * k) / 2.0,
        w: w * k,
        h: h * k,
    };
    let mut items = Vec::new();
    if (fitted.w - page.w).abs() > 0.5 || (fitted.h - page.h).abs() > 0.5 {
        let (r, gr, b) = crate::cover::edge_colour(cover).unwrap_or((255, 255, 255));
        items.push(frame::Item::Fill {
            rect: page,
            color: frame::Rgb(r, gr, b),
        });
    }
    items.push(frame::Item::Image {
        rect: fitted,
        image: frame::ImageRef::Cover,
        tag,
    });
    Page {
        number: 1,
        numbering: frame::Numbering::Roman,
        folio: false,
        width: g.width,
        height: g.height,
        items,
        anchors: Vec::new(),
        links: Vec::new(),
        lines: Vec::new(),
        full: false,
    }
}

/// Books for the layout tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::ir::{Book, BookMeta, Chapter, Span, IR_VERSION};

    /// A book of one chapter whose body is `md`.
    pub(crate) fn book(md: &str) -> Book {
        let mut diags = Vec::new();
        let c = crate::parse::markdown::convert(md, 0, 0, "t.md", &mut diags);
        let chapter = Chapter {
            id: "t".into(),
            title: "T".into(),
            speakers: Vec::new(),
            date: None,
            source: "t.md".into(),
            depth: 0,
            blocks: c.blocks,
            closing: Vec::new(),
            footnotes: c.footnotes,
            children: Vec::new(),
            span: Span::default(),
            ..Chapter::default()
        };
        Book {
            kr_ir_version: IR_VERSION,
            meta: BookMeta::default(),
            front: vec![chapter],
            parts: Vec::new(),
            back: Vec::new(),
            sources: vec!["t.md".into()],
            assets: Vec::new(),
            cover: None,
        }
    }
}
