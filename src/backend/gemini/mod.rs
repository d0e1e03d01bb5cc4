//! A Gemini capsule: `index.gmi` (subscribable: every talk link starts with its date), one
//! directory per part with an index, one page per chapter, a speakers page (for proceedings),
//! an about page with the colophon, the book's images, `atom.xml` (when a base URL is
//! configured) and `robots.txt`. Links are relative, so the tree can be mirrored under any host or path.

mod atom;
mod gemtext;
mod images;
mod layout;
pub(crate) mod lines;
mod listing;

use std::collections::BTreeMap;

use crate::outputs::GeminiOptions;

use super::{Backend, Output, RenderContext, Rendered};
use crate::backend::plain::superscript;
use crate::diag::Diagnostic;
use crate::ir::{Book, Chapter, ChapterRef, Footnote, Matter};
use images::Assets;
use layout::Layout;
use lines::{Env, Page};

pub(crate) struct GeminiBackend;

impl Backend for GeminiBackend {
    fn name(&self) -> &'static str {
        "gemini"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let options: GeminiOptions = cx.config.output("gemini").map_err(|d| vec![d])?;
        let base_url = options.base_url().map_err(|e| {
            let (line, col) = cx.config.key_position(e.key());
            vec![Diagnostic::error(
                cx.config.path.clone(),
                line,
                col,
                e.to_string(),
            )]
        })?;
        let layout = Layout::new(book);
        let mut assets = Assets::default();
        let mut warnings = Vec::new();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut env = Env {
            book,
            cx,
            layout: &layout,
            assets: &mut assets,
            warnings: &mut warnings,
        };
        pages(&mut env, &mut files, base_url.is_some())?;
        images_page(book, cx, &layout, &mut assets, &mut warnings, &mut files);
        // A feed is optional: without a base-url (the capsule's host is the publisher's to
        // choose) there is simply none, and nothing of the book is lost.
        if let Some(base) = &base_url {
            match atom::feed(book, &layout, base, cx.options.source_date_epoch) {
                Some(xml) => {
                    files.insert("atom.xml".into(), xml.into_bytes());
                }
                None => warnings.push(Diagnostic::warning_in(
                    cx.config.path.clone(),
                    "no date in the book and no SOURCE_DATE_EPOCH: atom.xml skipped",
                )),
            }
        }
        files.insert(
            "robots.txt".into(),
            b"# Every crawler (archiver, indexer, researcher, webproxy) is welcome.\nUser-agent: *\nDisallow:\n"
                .to_vec(),
        );
        Ok(Rendered {
            output: Output::Tree {
                dir: "gemini".into(),
                files: files.into_iter().collect(),
            },
            warnings,
        })
    }
}

/// Every page of the capsule but the images' index: chapters, about, cover, index, parts and
/// speakers.
fn pages(
    env: &mut Env,
    files: &mut BTreeMap<String, Vec<u8>>,
    has_feed: bool,
) -> Result<(), Vec<Diagnostic>> {
    let (book, cx, layout) = (env.book, env.cx, env.layout);
    let order: Vec<Entry> = book.chapters().collect();
    for (i, entry) in order.iter().enumerate() {
        let path = entry_path(layout, entry);
        let bytes = chapter_page(env, &order, i, &path);
        files.insert(path, bytes);
    }
    if layout.about.is_none() {
        let mut page = Page::new(env, "about.gmi");
        page.heading(1, &format!("About {}", book.meta.title));
        colophon(&mut page, book);
        page.blank();
        home_link(&mut page, book);
        files.insert("about.gmi".into(), page.finish());
    }
    let has_images = !env.assets.files.is_empty();
    let has_cover = match &book.cover {
        Some(cover) => {
            let jpeg = cx.cover_jpeg.get(cover).map(<[u8]>::to_vec).map_err(|e| {
                let msg = format!("cover: {e}");
                vec![Diagnostic::error_in(cx.config.path.clone(), msg)]
            })?;
            files.insert("cover.jpg".into(), jpeg);
            true
        }
        None => false,
    };
    files.insert(
        "index.gmi".into(),
        index_page(env, &order, has_feed, has_images, has_cover),
    );
    for i in 0..book.parts.len() {
        let path = layout.part_index(i);
        if path != "index.gmi" {
            files.insert(path.clone(), part_page(env, &order, i, &path));
        }
    }
    if book.is_proceedings() {
        files.insert("speakers.gmi".into(), speakers_page(env, &order));
    }
    Ok(())
}

/// `images/index.gmi` listing the book's images, and the images themselves.
fn images_page(
    book: &Book,
    cx: &RenderContext,
    layout: &Layout,
    assets: &mut Assets,
    warnings: &mut Vec<Diagnostic>,
    files: &mut BTreeMap<String, Vec<u8>>,
) {
    if !assets.files.is_empty() {
        let mut env = Env {
            book,
            cx,
            layout,
            assets: &mut Assets::default(),
            warnings,
        };
        let mut page = Page::new(&mut env, "images/index.gmi");
        page.heading(1, "Images");
        for (path, (_, alt)) in &assets.files {
            let url = page.url_to(path);
            page.link(&url, alt);
        }
        page.blank();
        home_link(&mut page, book);
        files.insert("images/index.gmi".into(), page.finish());
    }
    for (path, (bytes, _)) in std::mem::take(&mut assets.files) {
        files.insert(path, bytes);
    }
}

/// A chapter with where it sits: its part and its parent chapter.
type Entry<'a> = ChapterRef<'a>;

/// The index of `e`'s part in the book.
fn part_of(e: &Entry) -> Option<usize> {
    e.part.map(|(i, _)| i)
}

/// Listed with the about page on the index: a front chapter and its own sub-chapters (deeper
/// ones are listed with the back chapters).
fn near_front(e: &Entry) -> bool {
    e.matter == Matter::Front && e.depth <= 1
}

fn entry_path(layout: &Layout, e: &Entry) -> String {
    layout
        .page(&e.chapter.id)
        .unwrap_or("index.gmi")
        .to_string()
}

/// How a chapter is listed: talks as `YYYY-MM-DD Title — Speaker`, so an index of them is
/// subscribable; other chapters as in the contents (number and SUMMARY.md's text).
fn listing_label(c: &Chapter) -> String {
    let title = c.contents_title();
    if !c.is_talk() {
        return title;
    }
    let who = c.speakers.join(", ");
    match &c.date {
        Some(d) => format!("{d} {title} — {who}"),
        None => format!("{title} — {who}"),
    }
}

fn part_title(book: &Book, i: usize) -> String {
    match book.parts.get(i).map(|p| p.title.as_str()) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ if book.parts.len() == 1 => "Chapters".to_string(),
        _ => format!("Part {}", i + 1),
    }
}

fn home_link(page: &mut Page, book: &Book) {
    let url = page.url_to("index.gmi");
    page.link(&url, &format!("Home: {}", book.meta.title));
}

fn chapter_page(env: &mut Env, order: &[Entry], i: usize, path: &str) -> Vec<u8> {
    let book = env.book;
    let layout = env.layout;
    let e = &order[i];
    let c = e.chapter;
    let mut page = Page::new(env, path);
    page.heading(1, &c.heading());
    if c.is_talk() {
        let label = if c.speakers.len() == 1 {
            "Speaker"
        } else {
            "Speakers"
        };
        page.text(&format!("{label}: {}", c.speakers.join(", ")));
    }
    if let Some(d) = &c.date {
        page.text(&format!("Date: {d}"));
    }
    let up = up_link(book, layout, e);
    if c.is_talk() {
        if let Some((target, title)) = &up {
            let url = page.url_to(target);
            page.link(&url, &format!("Part of: {title}"));
        }
    }
    page.blank();
    page.blocks(c, &c.blocks);
    if !c.children.is_empty() {
        let all_talks = c.children.iter().all(Chapter::is_talk);
        page.text(if all_talks { "Talks:" } else { "Contents:" });
        for child in &c.children {
            if let Some(target) = layout.page(&child.id) {
                let url = page.url_to(target);
                page.link(&url, &listing_label(child));
            }
        }
        page.blank();
    }
    page.blocks(c, &c.closing);
    notes(&mut page, c, &c.footnotes);
    if layout.about.as_deref() == Some(c.id.as_str()) {
        colophon(&mut page, book);
    }
    page.flush_links();
    page.blank();
    if let Some((target, title)) = &up {
        let url = page.url_to(target);
        page.link(&url, &format!("Up: {title}"));
    }
    let same_kind = |o: &&Entry| o.chapter.is_talk() == c.is_talk();
    let kind = if c.is_talk() { " talk" } else { "" };
    if let Some(prev) = order[..i].iter().rev().find(same_kind) {
        if let Some(t) = layout.page(&prev.chapter.id) {
            let url = page.url_to(t);
            page.link(&url, &format!("Previous{kind}: {}", prev.chapter.title));
        }
    }
    if let Some(next) = order[i + 1..].iter().find(same_kind) {
        if let Some(t) = layout.page(&next.chapter.id) {
            let url = page.url_to(t);
            page.link(&url, &format!("Next{kind}: {}", next.chapter.title));
        }
    }
    home_link(&mut page, book);
    page.finish()
}

/// The page above a chapter: its parent chapter, else its part's index (none at the root).
fn up_link(book: &Book, layout: &Layout, e: &Entry) -> Option<(String, String)> {
    if let Some(p) = e.parent {
        return layout
            .page(&p.id)
            .map(|path| (path.to_string(), p.title.clone()));
    }
    let i = part_of(e)?;
    let path = layout.part_index(i);
    (path != "index.gmi").then(|| (path, part_title(book, i)))
}

fn notes(page: &mut Page, c: &Chapter, footnotes: &[Footnote]) {
    if footnotes.is_empty() {
        return;
    }
    page.heading(2, "Notes");
    for (i, note) in footnotes.iter().enumerate() {
        let marker = format!("{} ", superscript(i as u32 + 1));
        match note.blocks.split_first() {
            Some((first, rest)) => match &first.kind {
                crate::ir::BlockKind::Paragraph(content) => {
                    page.paragraph(c, content, first.span, &marker);
                    page.flush_links();
                    page.blocks(c, rest);
                }
                _ => {
                    page.text(marker.trim());
                    page.blocks(c, &note.blocks);
                }
            },
            None => page.text(marker.trim()),
        }
        page.flush_links();
    }
    page.blank();
}

fn colophon(page: &mut Page, book: &Book) {
    let m = &book.meta;
    page.heading(2, "Colophon");
    match &m.subtitle {
        Some(s) => page.text(&format!("{} — {s}", m.title)),
        None => page.text(&m.title),
    }
    if !m.authors.is_empty() {
        page.text(&format!("Authors: {}", m.authors.join(", ")));
    }
    if let Some(p) = &m.publisher {
        page.text(&format!("Publisher: {p}"));
    }
    if let Some(d) = &m.date {
        page.text(&format!("Published: {d}"));
    }
    if let Some(id) = &m.identifier {
        page.text(&format!("Identifier: {id}"));
    }
    if !m.subjects.is_empty() {
        page.text(&format!("Subjects: {}", m.subjects.join(", ")));
    }
    page.text(&format!("Language: {}", m.language));
    page.text(
        "This Gemini capsule was made with kr-publish from the book's Markdown sources. Its links are relative, so it can be mirrored under any host or path.",
    );
    page.blank();
}

fn index_page(
    env: &mut Env,
    order: &[Entry],
    has_feed: bool,
    has_images: bool,
    has_cover: bool,
) -> Vec<u8> {
    let book = env.book;
    let layout = env.layout;
    let m = &book.meta;
    let mut page = Page::new(env, "index.gmi");
    page.heading(1, &m.title);
    if let Some(s) = &m.subtitle {
        // Right after the title, so subscription readers take it as the feed's subtitle.
        page.heading(2, s);
    }
    if let Some(d) = &m.description {
        page.text(d);
        page.blank();
    }
    if has_cover {
        page.link("cover.jpg", &format!("Cover of {}", m.title));
    }
    let front_title = book
        .front
        .first()
        .map(|c| c.title.clone())
        .unwrap_or_else(|| format!("About {}", m.title));
    page.link("about.gmi", &front_title);
    for e in order.iter().filter(|e| near_front(e)) {
        if layout.about.as_deref() != Some(e.chapter.id.as_str()) {
            if let Some(t) = layout.page(&e.chapter.id) {
                page.link(t, &listing_label(e.chapter));
            }
        }
    }
    if book.is_proceedings() {
        page.link("speakers.gmi", "Speakers");
    }
    if has_images {
        page.link("images/index.gmi", "Images");
    }
    if has_feed {
        page.link("atom.xml", "Atom feed of the talks");
    }
    page.blank();
    for i in 0..book.parts.len() {
        page.heading(2, &part_title(book, i));
        for e in order.iter().filter(|e| part_of(e) == Some(i)) {
            if let Some(t) = layout.page(&e.chapter.id) {
                page.link(t, &listing_label(e.chapter));
            }
        }
        page.blank();
    }
    let back: Vec<&Entry> = order
        .iter()
        .filter(|e| e.part.is_none() && !near_front(e))
        .collect();
    if !back.is_empty() {
        page.heading(2, "Also in this book");
        for e in back {
            if let Some(t) = layout.page(&e.chapter.id) {
                page.link(t, &listing_label(e.chapter));
            }
        }
    }
    page.finish()
}

fn part_page(env: &mut Env, order: &[Entry], i: usize, path: &str) -> Vec<u8> {
    let book = env.book;
    let layout = env.layout;
    let mut page = Page::new(env, path);
    page.heading(1, &part_title(book, i));
    for e in order.iter().filter(|e| part_of(e) == Some(i)) {
        if let Some(t) = layout.page(&e.chapter.id) {
            let url = page.url_to(t);
            page.link(&url, &listing_label(e.chapter));
        }
    }
    page.blank();
    if i > 0 {
        let url = page.url_to(&layout.part_index(i - 1));
        page.link(&url, &format!("Previous: {}", part_title(book, i - 1)));
    }
    if i + 1 < book.parts.len() {
        let url = page.url_to(&layout.part_index(i + 1));
        page.link(&url, &format!("Next: {}", part_title(book, i + 1)));
    }
    home_link(&mut page, book);
    page.finish()
}

fn speakers_page(env: &mut Env, order: &[Entry]) -> Vec<u8> {
    let book = env.book;
    let layout = env.layout;
    let mut by_name: BTreeMap<String, (String, Vec<&Chapter>)> = BTreeMap::new();
    for e in order.iter().filter(|e| e.chapter.is_talk()) {
        for s in &e.chapter.speakers {
            by_name
                .entry(s.to_lowercase())
                .or_insert_with(|| (s.clone(), Vec::new()))
                .1
                .push(e.chapter);
        }
    }
    let mut page = Page::new(env, "speakers.gmi");
    page.heading(1, "Speakers");
    if by_name.is_empty() {
        page.text("No chapter of this book names a speaker.");
        page.blank();
    }
    for (name, talks) in by_name.values() {
        page.heading(2, name);
        for t in talks {
            if let Some(p) = layout.page(&t.id) {
                let label = match &t.date {
                    Some(d) => format!("{d} {}", t.title),
                    None => t.title.clone(),
                };
                page.link(p, &label);
            }
        }
        page.blank();
    }
    home_link(&mut page, book);
    page.finish()
}
