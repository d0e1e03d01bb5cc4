//! The typesetting engine: fonts, shaping, hyphenation, line breaking and page building. It
//! produces pages of positioned, shaped items ([`frame::Page`]) and knows nothing of PDF.
//!
//! A layout pass runs in three stages, a type each: `page::ListBuilder` sets the book into a
//! vertical list (`vlist`), block by block (`blocks`, `table`, `matter`), its paragraphs set by
//! `para::Setter` (itself word building, breaking and rendering); `paginate::Paginator` cuts
//! the list into pages; `compose::Composer` places each page. `flow` runs the last two on each
//! stretch of the list as soon as it is complete, so a pass holds a chapter at a time.
#![warn(missing_docs, unreachable_pub)]

mod ahead;
mod blocks;
mod compose;
mod flow;
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
mod shaped;
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
    /// How many paragraphs the last pass had to set again because only their outlines were
    /// kept and no thread handed their glyphs over: 0 unless a feed's thread failed.
    pub set_again: usize,
}

/// What the build adds to the book: the build date for the colophon, whether words may be
/// hyphenated, whether code lines are numbered, and the colour around the cover.
#[derive(Debug, Clone)]
pub struct Matter {
    /// The date the book was built, as the colophon writes it.
    pub build_date: String,
    /// Hyphenate by each chapter's language (`[output.pdf] hyphenate`, on by default).
    pub hyphenate: bool,
    /// Number the lines of every code block whose info string does not say
    /// (`[output.pdf] line-numbers`, off by default).
    pub line_numbers: bool,
    /// What the cover page shows around a cover of another shape than the page (white when
    /// `None`): worked out once per build, as every layout pass places the cover.
    pub cover_ground: Option<frame::Rgb>,
}

impl Default for Matter {
    fn default() -> Self {
        Matter {
            build_date: String::new(),
            hyphenate: true,
            line_numbers: false,
            cover_ground: None,
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
    layout_with(book, fonts, geometry, matter, ahead::Ahead::of_machine())
}

/// [`layout`], with the body's chapters set side by side as `ahead` says.
fn layout_with(
    book: &Book,
    fonts: &fonts::Fonts,
    geometry: Geometry,
    matter: &Matter,
    ahead: ahead::Ahead,
) -> Layout {
    let plan = plan_with(book, fonts, geometry, matter, ahead);
    let passes = plan.passes;
    let mut pages = Vec::new();
    let placed = plan.place(&mut |page, _| pages.push(page));
    Layout {
        pages,
        geometry,
        warnings: placed.warnings,
        passes,
        structure: placed.structure,
        set_again: placed.set_again,
    }
}

/// The book laid out as far as its page numbers, before any page is placed for good: what a
/// writer needs to know before the first page (where every anchor is), and the paragraphs set.
pub(crate) struct Plan<'a, 'f> {
    book: &'a Book,
    matter: &'a Matter,
    geometry: Geometry,
    setter: para::Setter<'f>,
    /// The printed page number of every anchor, which the last pass was built with.
    numbers: HashMap<String, String>,
    /// Anchor id → (page index, y of the top of its line), the cover being page 0.
    pub(crate) anchors: HashMap<String, (usize, f32)>,
    /// How many passes it took for the page numbers in the contents and index to settle.
    pub(crate) passes: usize,
    /// How many threads may set chapters.
    threads: usize,
    /// The chapters set before the passes left glyphs out: the last pass needs a feed.
    feed: bool,
}

/// What placing the pages leaves besides them.
pub(crate) struct Placed {
    /// What layout has to report, by source location, sorted and without repeats.
    pub(crate) warnings: Vec<(Span, String)>,
    /// The book's logical structure, which the pages' items are tagged with.
    pub(crate) structure: structure::Structure,
    /// How many paragraphs the last pass had to set again (see [`Layout::set_again`]).
    pub(crate) set_again: usize,
}

/// Finds the page numbers and where every anchor falls: passes run until the numbers the
/// contents and index show are those their pass found.
pub(crate) fn plan<'a, 'f>(
    book: &'a Book,
    fonts: &'f fonts::Fonts,
    geometry: Geometry,
    matter: &'a Matter,
) -> Plan<'a, 'f> {
    plan_with(book, fonts, geometry, matter, ahead::Ahead::of_machine())
}

fn plan_with<'a, 'f>(
    book: &'a Book,
    fonts: &'f fonts::Fonts,
    geometry: Geometry,
    matter: &'a Matter,
    ahead: ahead::Ahead,
) -> Plan<'a, 'f> {
    // One setter for every pass: only page numbers change between passes, so its shaping and
    // hyphenation caches stay valid.
    let mut setter = para::Setter::new(shape::Shaper::new(fonts));
    setter.set_hyphenation(matter.hyphenate);
    let feed = ahead::set_chapters(book, &mut setter, geometry, matter, ahead);
    let mut known = HashMap::new();
    let mut passes = 0;
    loop {
        passes += 1;
        // Finding the page numbers needs the lines' boxes only: their glyphs stay in the cache.
        setter.set_mode(para::Mode::Outline);
        let mut found = Found::default();
        let numbers = known.clone();
        let find = &mut |p: Page, _: &structure::Structure| found.page(&p);
        (setter, _) = pass(book, setter, geometry, matter, numbers, None, find);
        if found.numbers == known || passes == 4 {
            return Plan {
                book,
                matter,
                geometry,
                setter,
                numbers: known,
                anchors: found.anchors,
                passes,
                threads: ahead.threads,
                feed,
            };
        }
        known = found.numbers;
    }
}

impl Plan<'_, '_> {
    /// Places the pages, in order, and hands each to `sink` with the structure built so far:
    /// the same numbers give the same pages as the last pass, now with each line's glyphs
    /// moved out of the setter's cache. A page's glyphs are held until `sink` drops it.
    pub(crate) fn place(mut self, sink: &mut flow::Sink) -> Placed {
        self.setter.set_mode(para::Mode::Final);
        let (book, geometry, matter) = (self.book, self.geometry, self.matter);
        let fonts = self.setter.fonts();
        // One core places and writes the pages; the others set the chapters coming up.
        let feeders = match self.feed {
            true => self.threads.saturating_sub(1).max(1),
            false => 0,
        };
        let (setter, structure) = std::thread::scope(|scope| {
            let mut feed = ahead::Feed::start(scope, book, fonts, geometry, matter, feeders);
            let numbers = self.numbers;
            pass(
                book,
                self.setter,
                geometry,
                matter,
                numbers,
                feed.as_mut(),
                sink,
            )
        });
        Placed {
            set_again: setter.set_again,
            warnings: setter.into_warnings(),
            structure,
        }
    }
}

/// What an outline pass finds: each anchor's printed page number and its place.
#[derive(Default)]
struct Found {
    numbers: HashMap<String, String>,
    anchors: HashMap<String, (usize, f32)>,
    pages: usize,
}

impl Found {
    fn page(&mut self, page: &Page) {
        for a in &page.anchors {
            if !self.anchors.contains_key(&a.id) {
                self.anchors.insert(a.id.clone(), (self.pages, a.y));
                self.numbers.insert(a.id.clone(), page.label());
            }
        }
        self.pages += 1;
    }
}

/// One layout pass: the book becomes a vertical list with the page numbers of the pass before,
/// chapter by chapter; each stretch of it is cut into pages and placed once what follows can
/// no longer change it (see `flow`). Returns the setter and the book's structure.
fn pass<'f>(
    book: &Book,
    setter: para::Setter<'f>,
    geometry: Geometry,
    matter: &Matter,
    numbers: HashMap<String, String>,
    mut feed: Option<&mut ahead::Feed>,
    sink: &mut flow::Sink,
) -> (para::Setter<'f>, structure::Structure) {
    let mut b = page::ListBuilder::new(book, setter, geometry, numbers);
    b.line_numbers = matter.line_numbers;
    // The cover is a figure described by the book's title.
    let cover = book.cover.as_ref().map(|c| {
        let tag = b.figure_tag(&book.meta.title, Span::default());
        cover_page(geometry, c, tag, matter.cover_ground)
    });
    let mut flow = flow::Flow::new(geometry, &book.meta.title, usize::from(cover.is_some()));
    if let Some(c) = cover {
        sink(c, &b.list.structure);
    }
    b.title_page();
    b.front(&matter.build_date);
    b.contents();
    b.start_body();
    // The chapters in the order of `ahead::units`, each with what the feed set for it.
    let mut unit = 0;
    let mut chapter = |b: &mut page::ListBuilder, c, opens_page| {
        if let Some(f) = feed.as_deref_mut() {
            f.before(unit, &mut b.setter);
        }
        unit += 1;
        b.chapter(c, opens_page);
    };
    for d in book.divisions() {
        match (d.part, d.matter) {
            (Some((_, p)), _) => {
                flow.flush(&mut b.list, &mut b.setter, sink);
                b.open_part(p);
                for (i, c) in p.chapters.iter().enumerate() {
                    if i > 0 {
                        flow.flush(&mut b.list, &mut b.setter, sink);
                    }
                    chapter(&mut b, c, i == 0);
                }
                b.close_part();
            }
            (None, crate::ir::Matter::Back) => {
                for c in d.chapters {
                    flow.flush(&mut b.list, &mut b.setter, sink);
                    chapter(&mut b, c, false);
                }
            }
            // The front chapters came before the contents.
            (None, _) => {}
        }
    }
    flow.flush(&mut b.list, &mut b.setter, sink);
    b.speaker_index();
    let (mut list, mut setter) = b.finish();
    flow.finish(&mut list, &mut setter, sink);
    (setter, list.structure)
}

/// Where a cover goes on a page of `g`: as large as the page allows, and centred.
fn cover_rect(g: Geometry, cover: &crate::media::Asset) -> frame::Rect {
    let (w, h) = (cover.width.max(1) as f32, cover.height.max(1) as f32);
    let k = (g.width / w).min(g.height / h);
    frame::Rect {
        x: (g.width - w * k) / 2.0,
        y: (g.height - h * k) / 2.0,
        w: w * k,
        h: h * k,
    }
}

/// Whether a cover of another shape than the pages of `g` leaves part of its page bare: only
/// then does the cover page need [`Matter::cover_ground`].
pub(crate) fn cover_leaves_ground(g: Geometry, cover: &crate::media::Asset) -> bool {
    let fitted = cover_rect(g, cover);
    (fitted.w - g.width).abs() > 0.5 || (fitted.h - g.height).abs() > 0.5
}

/// The cover on a page of its own, with no folio: the whole of it (never cropped), on
/// `ground` where the page is of another shape.
fn cover_page(
    g: Geometry,
    cover: &crate::media::Asset,
    tag: structure::Tag,
    ground: Option<frame::Rgb>,
) -> Page {
    let page = frame::Rect {
        x: 0.0,
        y: 0.0,
        w: g.width,
        h: g.height,
    };
    let fitted = cover_rect(g, cover);
    let mut items = Vec::new();
    if cover_leaves_ground(g, cover) {
        items.push(frame::Item::Fill {
            rect: page,
            color: ground.unwrap_or(frame::Rgb(255, 255, 255)),
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
