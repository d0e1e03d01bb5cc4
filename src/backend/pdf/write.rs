//! Serialises laid-out pages with krilla: glyph runs with our own shaping (`draw_glyphs`, so
//! krilla only subsets and maps glyphs back to text), filled rectangles, images, link
//! annotations, page labels, the outline and the metadata; every item marked as the content
//! of its structure node or as an artifact, and the structure tree. Pages are written as
//! layout places them, so only the one being written is held.

use std::borrow::Cow;
use std::num::NonZeroU32;

use super::error::PdfError;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::Destination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{self as kt, ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document, SerializeSettings};

use crate::dates::Utc;
use crate::ir::Book;
use crate::ir::LinkTarget;
use crate::typeset::fonts::Fonts;
use crate::typeset::frame::{GlyphRun, ImageRef, Item, LinkArea, Numbering, Page, Rgb};
use crate::typeset::structure::{Artifact, Structure, Tag};

use super::images::Images;
use super::navigation::{outline, Anchors};
use super::standard::Standard;
use super::tags::{location, Tagger};

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Writes pages into a PDF as layout places them, tagged and checked against a standard: fonts
/// from the typesetter's, images and metadata from the book.
pub(super) struct Writer<'a> {
    book: &'a Book,
    doc: Document,
    kfonts: Vec<Font>,
    anchors: Anchors,
    images: Images,
    tagger: Tagger,
    /// The first page that failed: the pages after it are not written.
    failed: Option<PdfError>,
}

impl<'a> Writer<'a> {
    /// A PDF of `book` set in `fonts`, checked against `standard`, whose links go to `anchors`.
    pub(super) fn new(
        book: &'a Book,
        fonts: &Fonts,
        standard: Standard,
        anchors: Anchors,
    ) -> Result<Self, PdfError> {
        let settings = SerializeSettings {
            enable_tagging: true,
            configuration: standard.configuration(),
            ..SerializeSettings::default()
        };
        let kfonts = fonts
            .ids()
            .map(|id| {
                let face = fonts.face(id);
                Font::new(Data::from(face.data), face.index).ok_or(PdfError::Font(face.name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Writer {
            book,
            doc: Document::new_with(settings),
            kfonts,
            anchors,
            images: Images::default(),
            tagger: Tagger::default(),
            failed: None,
        })
    }

    /// Writes the next page; `structure` holds every node its items are tagged with.
    pub(super) fn page(&mut self, page: &Page, structure: &Structure) {
        if self.failed.is_none() {
            if let Err(e) = self.try_page(page, structure) {
                self.failed = Some(e);
            }
        }
    }

    fn try_page(&mut self, page: &Page, structure: &Structure) -> Result<(), PdfError> {
        let mut p = self.doc.start_page_with(page_settings(page)?);
        let mut s = p.surface();
        let mut cx = Drawing {
            page,
            book: self.book,
            kfonts: &self.kfonts,
            images: &mut self.images,
            tagger: &mut self.tagger,
            structure,
        };
        cx.items(&mut s)?;
        s.finish();
        // After the text, so that a link's node is placed where its words are.
        for link in &page.links {
            let Some(annotation) = link_annotation(link, &self.anchors, &self.tagger) else {
                continue;
            };
            match link.tag {
                Tag::Node(n) => {
                    let id = p.add_tagged_annotation(annotation);
                    self.tagger.content(structure, n, id, "");
                }
                _ => p.add_annotation(annotation),
            }
        }
        p.finish();
        Ok(())
    }

    /// The PDF, with the structure tree of `structure` (the whole book's), the outline and
    /// the metadata, dated `created`.
    pub(super) fn finish(self, structure: &Structure, created: Utc) -> Result<Vec<u8>, PdfError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let mut doc = self.doc;
        doc.set_tag_tree(self.tagger.tree(structure, &self.book.meta.language));
        doc.set_outline(outline(self.book, &self.anchors));
        doc.set_metadata(metadata(self.book, created));
        Ok(doc.finish()?)
    }
}

/// What drawing a page's items needs.
struct Drawing<'a> {
    page: &'a Page,
    book: &'a Book,
    kfonts: &'a [Font],
    images: &'a mut Images,
    tagger: &'a mut Tagger,
    structure: &'a Structure,
}

impl Drawing<'_> {
    /// Draws the page's items, each run of items of one tag as one marked-content sequence.
    fn items(&mut self, s: &mut Surface) -> Result<(), PdfError> {
        let mut open: Option<Tag> = None;
        for item in &self.page.items {
            let tag = match item {
                Item::Text(run) => run.tag,
                Item::Image { tag, .. } => *tag,
                Item::Fill { .. } => Tag::Artifact(Artifact::Decoration),
            };
            let text = match item {
                Item::Text(run) => run.text.as_str(),
                _ => "",
            };
            if open == Some(tag) {
                if let Tag::Node(n) = tag {
                    self.tagger.add_text(self.structure, n, text);
                }
            } else {
                if open.is_some() {
                    s.end_tagged();
                }
                self.start(s, tag, item, text);
                open = Some(tag);
            }
            draw(s, item, self.book, self.kfonts, self.images)?;
        }
        if open.is_some() {
            s.end_tagged();
        }
        Ok(())
    }

    /// Starts the marked-content sequence of `tag`, which `item` opens.
    fn start(&mut self, s: &mut Surface, tag: Tag, item: &Item, text: &str) {
        let kind = match tag {
            Tag::Node(n) => {
                if let Some(l) = location(n) {
                    s.set_location(l);
                }
                let content = match item {
                    Item::Text(_) => ContentTag::Span(SpanTag::empty()),
                    _ => ContentTag::Other,
                };
                let id = s.start_tagged(content);
                self.tagger.content(self.structure, n, id, text);
                return;
            }
            Tag::Artifact(Artifact::Header) => ArtifactType::Header,
            Tag::Artifact(Artifact::PageNumber) => ArtifactType::PageNumber,
            Tag::Artifact(Artifact::Repeated) => ArtifactType::PaginationOther,
            Tag::Artifact(Artifact::Decoration | Artifact::LineNumber) => ArtifactType::Layout,
            // Layout tags every line it places; what it left untagged is not text to read.
            Tag::Inherit | Tag::Link(_) => ArtifactType::Other,
        };
        s.start_tagged(ContentTag::Artifact(kt::Artifact::with_kind(kind)));
    }
}

/// The page's size and its label: every page carries one, as krilla restarts unlabelled pages
/// at 1.
fn page_settings(page: &Page) -> Result<PageSettings, PdfError> {
    let settings = PageSettings::from_wh(page.width, page.height).ok_or(PdfError::PageSize {
        w: page.width,
        h: page.height,
    })?;
    let style = match page.numbering {
        Numbering::Roman => NumberingStyle::LowerRoman,
        Numbering::Arabic => NumberingStyle::Arabic,
    };
    let start = u32::try_from(page.number).ok().and_then(NonZeroU32::new);
    Ok(settings.with_page_label(PageLabel::new(Some(style), None, start)))
}

/// A link's annotation, or `None` when its area is degenerate or its target is not in the PDF;
/// described by its text.
fn link_annotation(link: &LinkArea, anchors: &Anchors, tagger: &Tagger) -> Option<Annotation> {
    let rect = krilla::geom::Rect::from_xywh(
        link.rect.x,
        link.rect.y,
        link.rect.w.max(0.1),
        link.rect.h.max(0.1),
    )?;
    let (target, fallback) = match &link.target {
        LinkTarget::External { url } => (
            Target::Action(Action::Link(LinkAction::new(url.clone()))),
            url.clone(),
        ),
        internal => (
            Target::Destination(Destination::Xyz(anchors.target(internal)?)),
            "Go to another page of the book".to_string(),
        ),
    };
    let text = match link.tag {
        Tag::Node(n) => tagger.text(n).filter(|t| !t.trim().is_empty()),
        _ => None,
    };
    let contents = text.map_or(fallback, str::to_string);
    Some(Annotation::new_link(
        LinkAnnotation::new(rect, target),
        Some(contents),
    ))
}

/// Draws one laid-out item on the page's surface.
fn draw(
    s: &mut Surface,
    item: &Item,
    book: &Book,
    kfonts: &[Font],
    images: &mut Images,
) -> Result<(), PdfError> {
    match item {
        Item::Image { rect, image, .. } => match image {
            ImageRef::Cover => {
                if let Some(cover) = &book.cover {
                    images.draw(s, usize::MAX, cover, *rect)?;
                }
            }
            ImageRef::Asset(a) => {
                if let Some(asset) = book.assets.get(*a as usize) {
                    images.draw(s, *a as usize, asset, *rect)?;
                }
            }
        },
        Item::Fill { rect, color } => {
            let mut pb = PathBuilder::new();
            if let Some(r) = krilla::geom::Rect::from_xywh(rect.x, rect.y, rect.w, rect.h) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                s.set_fill(Some(fill(*color)));
                s.draw_path(&path);
            }
        }
        Item::Text(run) => {
            let Some(font) = kfonts.get(usize::from(run.face.0)) else {
                return Ok(());
            };
            let (x, text, glyphs) = krilla_glyphs(run);
            s.set_fill(Some(fill(run.color)));
            s.draw_glyphs(
                Point::from_xy(x, run.y),
                &glyphs,
                font.clone(),
                &text,
                run.size,
                false,
            );
        }
    }
    Ok(())
}

/// Characters that PDF text must not map a glyph to (PDF/UA and PDF/A forbid U+0000, U+FEFF
/// and U+FFFE): invisible marks, such as a byte-order mark inside a line.
fn unmappable(c: char) -> bool {
    matches!(c, '\0' | '\u{feff}' | '\u{fffe}')
}

/// The run's text for krilla, its glyphs and where it starts. Unmappable characters are left
/// out of the text; a glyph that stood only for them is left out too, its advance given to
/// the glyph before it (or to the run's start). krilla reports a glyph's problems at its
/// location: the run's node.
fn krilla_glyphs(run: &GlyphRun) -> (f32, Cow<'_, str>, Vec<KrillaGlyph>) {
    let at = match run.tag {
        Tag::Node(n) => location(n),
        _ => None,
    };
    // Byte offsets (in the run's text) and lengths of the characters left out.
    let dropped: Vec<(usize, usize)> = run
        .text
        .char_indices()
        .filter(|&(_, c)| unmappable(c))
        .map(|(i, c)| (i, c.len_utf8()))
        .collect();
    let text: Cow<str> = match dropped.is_empty() {
        true => Cow::Borrowed(&run.text),
        false => Cow::Owned(run.text.chars().filter(|&c| !unmappable(c)).collect()),
    };
    let moved = |at: u32| -> usize {
        let at = at as usize;
        at - dropped
            .iter()
            .filter(|&&(i, _)| i < at)
            .map(|&(_, n)| n)
            .sum::<usize>()
    };
    let mut x = run.x;
    let mut out: Vec<KrillaGlyph> = Vec::with_capacity(run.glyphs.len());
    for g in &run.glyphs {
        let range = moved(g.range.start)..moved(g.range.end).max(moved(g.range.start));
        if range.is_empty() && !g.range.is_empty() {
            match out.last_mut() {
                Some(before) => before.x_advance += g.advance / run.size,
                None => x += g.advance,
            }
            continue;
        }
        out.push(KrillaGlyph::new(
            GlyphId::new(u32::from(g.id)),
            g.advance / run.size,
            g.x_offset / run.size,
            g.y_offset / run.size,
            0.0,
            range,
            at,
        ));
    }
    (x, text, out)
}

/// The document's metadata from the book's, dated `created`.
fn metadata(book: &Book, created: Utc) -> Metadata {
    let m = &book.meta;
    let mut meta = Metadata::new()
        .title(m.title.clone())
        .authors(m.authors.clone())
        .language(m.language.clone())
        .creator("kr-publish".to_string())
        .document_id(
            m.identifier
                .clone()
                .unwrap_or_else(|| format!("kr-publish:{}", m.base_name)),
        );
    if let Some(d) = &m.description {
        meta = meta.description(d.clone());
    }
    if !m.subjects.is_empty() {
        meta = meta.keywords(m.subjects.clone());
    }
    let year = u16::try_from(created.year).unwrap_or(1970);
    meta.creation_date(
        DateTime::new(year)
            .month(created.month)
            .day(created.day)
            .hour(created.hour)
            .minute(created.minute)
            .second(created.second)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}
