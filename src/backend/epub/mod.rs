//! EPUB 3: one XHTML document per chapter (plus cover, title page, contents and day pages),
//! a nav document, an NCX for EPUB 2 readers, and a reproducible zip.
//!
//! The package documents are written here rather than with epub-builder: 0.8.2 cannot write a
//! subtitle, contributors, a publisher, an ISBN identifier, the NCX `dtb:uid` or a `lang` on the
//! nav document, and its zip has to be re-packed anyway for byte-identical builds.

mod archive;
mod fonts;
mod package;
mod rawhtml;
mod resources;
mod xhtml;

use std::collections::HashSet;

use crate::outputs::EpubOptions;
use crate::slug::UniqueNames;

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::{Block, BlockKind, Book, Chapter, Inline, Part};
use crate::xml::escape;
use package::{Item, NavNode, Package};
use resources::Images;
use xhtml::{Doc, Links, Notes};

/// The stylesheet every content document links to.
const STYLE: &str = include_str!("style.css");

pub struct EpubBackend;

impl Backend for EpubBackend {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let options: EpubOptions = cx.config.output("epub").map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        let result = build(book, cx, &options, &mut diags);
        match result {
            Ok(bytes) if !diags.iter().any(Diagnostic::is_error) => Ok(Rendered {
                output: Output::File {
                    name: format!("{}.epub", book.meta.base_name),
                    bytes,
                },
                warnings: diags,
            }),
            Ok(_) => Err(diags),
            Err(d) => {
                diags.push(d);
                Err(diags)
            }
        }
    }
}

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
struct Placement {
    main: String,
    /// The document that receives the closing blocks: the one of the chapter's last
    /// descendant, so that they follow the talks without a page of their own.
    closing: Option<String>,
    /// True when the closing blocks need a document of their own (their ids would clash).
    closing_separate: bool,
    main_notes: Vec<usize>,
    closing_notes: Vec<usize>,
}

/// One content document being assembled.
struct DocOut {
    file: String,
    title: String,
    body: String,
    ids: UniqueNames,
}

struct Builder<'a> {
    book: &'a Book,
    cx: &'a RenderContext<'a>,
    links: Links,
    placements: Vec<Placement>,
    part_files: Vec<Option<String>>,
    images: Images<'a>,
    diags: Vec<Diagnostic>,
    /// Content documents in reading order.
    docs: Vec<DocOut>,
}

fn build(
    book: &Book,
    cx: &RenderContext,
    options: &EpubOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, Diagnostic> {
    let (identifier, replaced) = package::identifier(&book.meta);
    if replaced {
        diags.push(Diagnostic::warning(
            cx.config.path.clone(),
            0,
            0,
            format!("identifier is neither a URN nor a valid ISBN: the EPUB uses {identifier}"),
        ));
    }
    let modified = package::modified(&book.meta, cx.options.source_date_epoch);
    let mut b = Builder::new(book, cx);
    let cover = resources::cover(book, cx)?;
    let mut css = STYLE.to_string();
    let mut font_items = Vec::new();
    if options.embed_fonts {
        let (items, face_css) = fonts::embed(cx)?;
        if items.is_empty() {
            diags.push(Diagnostic::warning(
                cx.config.path.clone(),
                0,
                0,
                format!(
                    "embed-fonts is on but `{}` holds no TrueType or OpenType font",
                    options.fonts_dir.as_deref().unwrap_or("the bundled fonts")
                ),
            ));
        }
        font_items = items;
        css.push_str(&face_css);
    }
    let extra_css = cx.resources.extra_css.clone();

    let mut first_chapter = None;
    let mut front_matter = Vec::new();
    if let Some((href, _, _)) = &cover {
        css.push_str(".cover { text-align: center; }\n.cover img { max-height: 95vh; }\n");
        let body = format!(
            "<section epub:type=\"cover\" class=\"cover\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"Cover of {}\"/>\n</section>\n",
            escape(href),
            escape(&book.meta.title)
        );
        b.push_doc("cover.xhtml", &book.meta.title, body);
        front_matter.push(("Cover", "cover.xhtml"));
    }
    b.push_doc("titlepage.xhtml", &book.meta.title, b.title_page());
    front_matter.push(("Title page", "titlepage.xhtml"));
    let mut contents = String::from(
        "<nav epub:type=\"toc\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">Contents</h1>\n",
    );
    package::nav_list(&b.toc(true), &mut contents);
    contents.push_str("</nav>\n");
    b.push_doc("contents.xhtml", "Contents", contents);
    front_matter.push(("Contents", "contents.xhtml"));
    // Every spine item is reachable from the nav and the NCX (epubcheck OPF-058/059), the
    // front matter included; the inline contents page lists the book's own chapters only.
    let mut toc: Vec<NavNode> = front_matter
        .iter()
        .map(|(label, href)| NavNode {
            label: label.to_string(),
            href: href.to_string(),
            children: Vec::new(),
            separator_before: false,
        })
        .collect();
    toc.extend(b.toc(false));
    if book.chapters().iter().any(|(_, c)| c.separator_before) {
        css.push_str(package::SEPARATOR_CSS);
    }
    if b.part_files.iter().any(Option::is_some) {
        css.push_str(
            ".part { text-align: center; hyphens: manual; }\n.part h1 { margin-top: 30%; }\n",
        );
    }
    let mut index = 0;
    for c in &book.front {
        if first_chapter.is_none() {
            first_chapter = b.placements.get(index).map(|p| p.main.clone());
        }
        b.chapter(c, &mut index);
    }
    for (i, p) in book.parts.iter().enumerate() {
        if let Some(file) = b.part_files.get(i).cloned().flatten() {
            first_chapter.get_or_insert_with(|| file.clone());
            let body = b.part_page(p);
            b.push_doc(&file, &p.title, body);
        }
        for c in &p.chapters {
            if first_chapter.is_none() {
                first_chapter = b.placements.get(index).map(|p| p.main.clone());
            }
            b.chapter(c, &mut index);
        }
    }
    for c in &book.back {
        if first_chapter.is_none() {
            first_chapter = b.placements.get(index).map(|p| p.main.clone());
        }
        b.chapter(c, &mut index);
    }
    // A closing part that needed its own document is listed after its chapter's talks.
    for (place, (_, c)) in b.placements.iter().zip(book.chapters()) {
        if let (true, Some(file)) = (place.closing_separate, &place.closing) {
            if let Some(node) = find_node(&mut toc, &place.main) {
                node.children.push(NavNode {
                    label: format!("{} (end)", c.title),
                    href: file.clone(),
                    children: Vec::new(),
                    separator_before: false,
                });
            }
        }
    }
    diags.append(&mut b.diags);
    for (class, rule) in xhtml::ALIGN_RULES.into_iter().chain(xhtml::BLOCK_RULES) {
        if b.docs.iter().any(|d| d.body.contains(class)) {
            css.push_str(rule);
            css.push('\n');
        }
    }
    if let Some(text) = extra_css {
        // Last, so that the book's rules win over ours.
        css.push_str("\n/* extra-css */\n");
        css.push_str(&text);
    }

    let mut items = vec![Item {
        id: "nav".into(),
        href: "nav.xhtml".into(),
        media_type: "application/xhtml+xml",
        properties: Some("nav"),
        bytes: Vec::new(),
    }];
    items.push(Item {
        id: "style".into(),
        href: "style.css".into(),
        media_type: "text/css",
        properties: None,
        bytes: css.into_bytes(),
    });
    if let Some((href, media_type, bytes)) = cover {
        items.push(Item {
            id: "cover-image".into(),
            href,
            media_type,
            properties: Some("cover-image"),
            bytes,
        });
    }
    let mut spine = Vec::new();
    let mut ids = UniqueNames::default();
    for doc in std::mem::take(&mut b.docs) {
        let id = item_id(&doc.file, &mut ids);
        spine.push(id.clone());
        items.push(Item {
            id,
            href: doc.file,
            media_type: "application/xhtml+xml",
            properties: None,
            bytes: xhtml::document(&book.meta, &doc.title, &doc.body).into_bytes(),
        });
    }
    let has_images = !b.images.items.is_empty();
    for (href, media_type, bytes) in std::mem::take(&mut b.images.items) {
        items.push(Item {
            id: item_id(&href, &mut ids),
            href,
            media_type,
            properties: None,
            bytes,
        });
    }
    items.extend(font_items);

    let mut landmarks = Vec::new();
    if items.iter().any(|i| i.href == "cover.xhtml") {
        landmarks.push(("cover", "Cover", "cover.xhtml".to_string()));
    }
    landmarks.push(("titlepage", "Title page", "titlepage.xhtml".to_string()));
    landmarks.push(("toc", "Contents", "contents.xhtml".to_string()));
    if let Some(first) = first_chapter {
        landmarks.push(("bodymatter", "Start of content", first));
    }
    let has_cover = items.iter().any(|i| i.id == "cover-image");
    let mut pkg = Package {
        meta: &book.meta,
        editors: book.is_proceedings(),
        identifier,
        modified,
        contributors: speakers(book),
        items,
        spine,
        toc,
        landmarks,
        has_images,
        has_cover,
    };
    let nav = pkg.nav();
    pkg.items[0].bytes = nav.into_bytes();

    let mut files = vec![
        (
            "META-INF/container.xml".to_string(),
            package::CONTAINER.as_bytes().to_vec(),
        ),
        ("OEBPS/content.opf".to_string(), pkg.opf().into_bytes()),
        ("OEBPS/toc.ncx".to_string(), pkg.ncx().into_bytes()),
    ];
    for item in std::mem::take(&mut pkg.items) {
        files.push((format!("OEBPS/{}", item.href), item.bytes));
    }
    archive::zip(&files, &pkg.modified).map_err(Diagnostic::general)
}

/// A manifest id for `href`: an XML name, unique.
fn item_id(href: &str, used: &mut UniqueNames) -> String {
    let stem = href.rsplit_once('.').map_or(href, |(s, _)| s);
    let base: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    used.unique(&format!("x-{base}"))
}

/// Every speaker once, in order of first appearance.
fn speakers(book: &Book) -> Vec<String> {
    let mut seen = HashSet::new();
    book.chapters()
        .into_iter()
        .flat_map(|(_, c)| c.speakers.iter())
        .filter(|s| seen.insert(s.as_str()))
        .cloned()
        .collect()
}

/// Footnote numbers referenced from `blocks`, in order, each once.
fn note_refs(blocks: &[Block], out: &mut Vec<u32>) {
    fn inlines(list: &[Inline], out: &mut Vec<u32>) {
        for i in list {
            match i {
                Inline::FootnoteRef { number, .. } if !out.contains(number) => out.push(*number),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, out),
                Inline::Link { content, .. } => inlines(content, out),
                _ => {}
            }
        }
    }
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => inlines(c, out),
            BlockKind::BlockQuote(bs) | BlockKind::Admonition { blocks: bs, .. } => {
                note_refs(bs, out)
            }
            BlockKind::List { items, .. } => items.iter().for_each(|i| note_refs(&i.blocks, out)),
            BlockKind::DefinitionList(defs) => {
                for d in defs {
                    inlines(&d.term, out);
                    d.details.iter().for_each(|bs| note_refs(bs, out));
                }
            }
            BlockKind::Table { head, rows, .. } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|cell| inlines(cell, out)),
            BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::Html(_) => {}
        }
    }
}

/// Heading ids anywhere in `blocks`.
impl<'a> Builder<'a> {
    fn new(book: &'a Book, cx: &'a RenderContext<'a>) -> Self {
        let mut names = Names::new();
        let mut links = Links::default();
        let mut part_files = Vec::new();
        let mut order: Vec<&Chapter> = Vec::new();
        // Files are named in reading order so that numbering suffixes follow the book.
        for c in &book.front {
            walk(c, &mut |c| order.push(c));
        }
        for p in &book.parts {
            part_files.push((!p.title.is_empty()).then(|| names.file(&p.id)));
            for c in &p.chapters {
                walk(c, &mut |c| order.push(c));
            }
        }
        for c in &book.back {
            walk(c, &mut |c| order.push(c));
        }
        for c in &order {
            let file = names.file(&c.id);
            links.chapter_file.insert(c.id.clone(), file);
        }
        let placements = order
            .iter()
            .map(|c| place(c, &mut names, &mut links))
            .collect();
        Self {
            book,
            cx,
            links,
            placements,
            part_files,
            images: Images::new(book),
            diags: Vec::new(),
            docs: Vec::new(),
        }
    }

    /// Renders `c` and its children, in reading order; `index` walks `placements` alongside.
    fn chapter(&mut self, c: &Chapter, index: &mut usize) {
        let Some(place) = self.placements.get(*index) else {
            return;
        };
        let (main, closing, separate) = (
            place.main.clone(),
            place.closing.clone(),
            place.closing_separate,
        );
        let (main_notes, closing_notes) = (place.main_notes.clone(), place.closing_notes.clone());
        *index += 1;
        let mut notes = Notes::default();

        let mut doc = Doc::new(
            self.book,
            self.cx,
            &self.links,
            &mut self.images,
            &mut self.diags,
            &main,
        );
        doc.reserve_anchors(c);
        let title_id = doc.unique_id("chapter-title");
        doc.raw(&format!(
            "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"{title_id}\">\n"
        ));
        if c.is_talk() {
            doc.raw("<header>\n");
        }
        doc.raw(&format!("<h1 id=\"{title_id}\">"));
        doc.text(&c.heading());
        doc.raw("</h1>\n");
        if c.is_talk() {
            let label = if c.speakers.len() == 1 {
                "Speaker"
            } else {
                "Speakers"
            };
            doc.raw("<p>");
            doc.text(&format!("{label}: {}", c.speakers.join(", ")));
            doc.raw("</p>\n</header>\n");
        }
        doc.body_blocks(c, &c.blocks, &mut notes);
        doc.footnotes(c, &main_notes, &mut notes);
        doc.raw("</section>\n");
        let (body, ids) = (std::mem::take(&mut doc.out), std::mem::take(&mut doc.ids));
        self.docs.push(DocOut {
            file: main,
            title: c.title.clone(),
            body,
            ids,
        });

        for child in &c.children {
            self.chapter(child, index);
        }

        let Some(file) = closing else {
            return;
        };
        if separate {
            self.docs.push(DocOut {
                file: file.clone(),
                title: format!("{} (end)", c.title),
                body: String::new(),
                ids: UniqueNames::default(),
            });
        }
        let Some(at) = self.docs.iter().rposition(|d| d.file == file) else {
            return;
        };
        let mut doc = Doc::new(
            self.book,
            self.cx,
            &self.links,
            &mut self.images,
            &mut self.diags,
            &file,
        );
        doc.ids = std::mem::take(&mut self.docs[at].ids);
        doc.reserve_anchors(c);
        doc.raw(&format!(
            "<section aria-label=\"{}\">\n<hr/>\n",
            escape(&c.title)
        ));
        doc.body_blocks(c, &c.closing, &mut notes);
        doc.footnotes(c, &closing_notes, &mut notes);
        doc.raw("</section>\n");
        let (body, ids) = (std::mem::take(&mut doc.out), std::mem::take(&mut doc.ids));
        self.docs[at].body.push_str(&body);
        self.docs[at].ids = ids;
    }

    fn part_page(&self, p: &Part) -> String {
        format!(
            "<section epub:type=\"part\" role=\"doc-part\" class=\"part\" aria-labelledby=\"part-title\">\n<h1 id=\"part-title\">{}</h1>\n</section>\n",
            escape(&p.title)
        )
    }

    fn title_page(&self) -> String {
        let m = &self.book.meta;
        let mut body = format!(
            "<section epub:type=\"titlepage\" class=\"titlepage\" aria-labelledby=\"book-title\">\n<h1 id=\"book-title\">{}</h1>\n",
            escape(&m.title)
        );
        if let Some(s) = &m.subtitle {
            body.push_str(&format!("<p><em>{}</em></p>\n", escape(s)));
        }
        if !m.authors.is_empty() {
            body.push_str(&format!("<p>{}</p>\n", escape(&m.authors.join(", "))));
        }
        let imprint: Vec<&str> = [m.publisher.as_deref(), m.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !imprint.is_empty() {
            body.push_str(&format!("<p>{}</p>\n", escape(&imprint.join(", "))));
        }
        if let Some(d) = &m.description {
            body.push_str(&format!("<p>{}</p>\n", escape(d)));
        }
        body.push_str("</section>\n");
        body
    }

    fn push_doc(&mut self, file: &str, title: &str, body: String) {
        self.docs.push(DocOut {
            file: file.to_string(),
            title: title.to_string(),
            body,
            ids: UniqueNames::default(),
        });
    }

    /// The nested table of contents: days → posts → talks. `speakers` adds the speakers to
    /// talk entries (the inline contents page); the nav document keeps titles only.
    fn toc(&self, speakers: bool) -> Vec<NavNode> {
        fn node(c: &Chapter, links: &Links, speakers: bool) -> NavNode {
            let mut label = c.contents_title();
            if speakers && c.is_talk() {
                label = format!("{label} — {}", c.speakers.join(", "));
            }
            NavNode {
                label,
                href: links.chapter_file.get(&c.id).cloned().unwrap_or_default(),
                children: c
                    .children
                    .iter()
                    .map(|ch| node(ch, links, speakers))
                    .collect(),
                separator_before: c.separator_before,
            }
        }
        let mut out: Vec<NavNode> = Vec::new();
        out.extend(
            self.book
                .front
                .iter()
                .map(|c| node(c, &self.links, speakers)),
        );
        for (p, file) in self.book.parts.iter().zip(&self.part_files) {
            let chapters = p.chapters.iter().map(|c| node(c, &self.links, speakers));
            match file {
                Some(f) => out.push(NavNode {
                    label: p.title.clone(),
                    href: f.clone(),
                    children: chapters.collect(),
                    separator_before: false,
                }),
                None => out.extend(chapters),
            }
        }
        out.extend(
            self.book
                .back
                .iter()
                .map(|c| node(c, &self.links, speakers)),
        );
        out
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
        // The chain of last children: their documents end where the closing blocks go.
        let mut chain = Vec::new();
        let mut last = c;
        while let Some(child) = last.children.last() {
            chain.push(child);
            last = child;
        }
        let target = links
            .chapter_file
            .get(&last.id)
            .cloned()
            .unwrap_or_default();
        let mut ids: Vec<&str> = closing_ids.iter().map(String::as_str).collect();
        ids.extend(
            c.footnotes
                .iter()
                .enumerate()
                .filter(|(i, _)| closing_note(*i))
                .map(|(_, n)| n.id.as_str()),
        );
        let clash = chain.iter().any(|ch| {
            let anchors = ch.anchors();
            ids.iter().any(|a| anchors.contains(a))
        });
        if clash {
            separate = true;
            closing = Some(names.file(&format!("{}-end", c.id)));
        } else {
            closing = Some(target);
        }
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

/// The entry of `toc` (at any depth) that links to `href`.
fn find_node<'n>(nodes: &'n mut [NavNode], href: &str) -> Option<&'n mut NavNode> {
    for n in nodes {
        if n.href == href {
            return Some(n);
        }
        if let Some(found) = find_node(&mut n.children, href) {
            return Some(found);
        }
    }
    None
}

fn walk<'c>(c: &'c Chapter, f: &mut dyn FnMut(&'c Chapter)) {
    f(c);
    for child in &c.children {
        walk(child, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::RenderOptions;
    use crate::config::Config;
    use crate::ir::{BookMeta, Span, IR_VERSION};
    use std::path::Path;

    fn paragraph(text: &str, line: u32) -> Block {
        Block {
            span: Span {
                file: 0,
                line,
                col: 1,
            },
            kind: BlockKind::Paragraph(vec![Inline::Text(text.to_string())]),
        }
    }

    #[test]
    fn drops_characters_xml_forbids_with_a_located_warning() {
        let chapter = Chapter {
            id: "a".into(),
            title: "A".into(),
            speakers: vec![],
            date: None,
            source: "a.md".into(),
            depth: 0,
            blocks: vec![paragraph("ok", 1), paragraph("bell\u{7} here", 3)],
            closing: vec![],
            footnotes: vec![],
            children: vec![],
            span: Span::default(),
            ..Chapter::default()
        };
        let book = Book {
            kr_ir_version: IR_VERSION,
            meta: BookMeta {
                title: "T".into(),
                language: "en".into(),
                base_name: "t".into(),
                ..BookMeta::default()
            },
            front: vec![chapter],
            parts: vec![],
            back: vec![],
            assets: vec![],
            cover: None,
            sources: vec!["src/a.md".into()],
        };
        let config = Config::parse("[book]\ntitle = \"T\"\n", "book.toml").expect("config");
        let options = RenderOptions::default();
        let cx = RenderContext {
            config: &config,
            resources: &Default::default(),
            cover_jpeg: &Default::default(),
            book_dir: Path::new("b"),
            options: &options,
        };
        let rendered = EpubBackend.render(&book, &cx).expect("renders");
        let w = rendered
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>();
        assert_eq!(
            w,
            vec![
                "b/src/a.md:3:1: warning: dropped the character U+0007, which XHTML cannot contain"
            ]
        );
        let Output::File { bytes, .. } = rendered.output else {
            panic!("one file");
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("OEBPS/a.xhtml").expect("doc"), &mut doc)
            .expect("utf-8");
        assert!(doc.contains("<p>bell here</p>"), "{doc}");
    }
}
