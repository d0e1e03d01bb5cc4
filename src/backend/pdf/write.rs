//! Serialises laid-out pages with krilla: glyph runs with our own shaping (`draw_glyphs`, so
//! krilla only subsets and maps glyphs back to text), filled rectangles, images, link
//! annotations, page labels, the outline and the metadata.

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
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document, SerializeSettings};

use crate::dates::Utc;
use crate::ir::Book;
use crate::ir::LinkTarget;
use crate::typeset::fonts::Fonts;
use crate::typeset::frame::{ImageRef, Item, LinkArea, Numbering, Page, Rgb};

use super::images::Images;
use super::navigation::{outline, Anchors};

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// The PDF of `pages`: fonts from `fonts`, images and metadata from `book`.
pub(super) fn pdf(
    book: &Book,
    pages: &[Page],
    fonts: &Fonts,
    created: Utc,
) -> Result<Vec<u8>, PdfError> {
    let settings = SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let kfonts = fonts
        .ids()
        .map(|id| {
            let face = fonts.face(id);
            Font::new(Data::from(face.data), face.index).ok_or(PdfError::Font(face.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let anchors = Anchors::of(pages);
    let mut images = Images::default();
    for page in pages {
        let mut p = doc.start_page_with(page_settings(page)?);
        for link in &page.links {
            if let Some(annotation) = link_annotation(link, &anchors) {
                p.add_annotation(annotation);
            }
        }
        let mut s = p.surface();
        for item in &page.items {
            draw(&mut s, item, book, &kfonts, &mut images)?;
        }
        s.finish();
        p.finish();
    }
    doc.set_outline(outline(book, &anchors));
    doc.set_metadata(metadata(book, created));
    doc.finish().map_err(PdfError::Krilla)
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

/// A link's annotation, or `None` when its area is degenerate or its target is not in the PDF.
fn link_annotation(link: &LinkArea, anchors: &Anchors) -> Option<Annotation> {
    let rect = krilla::geom::Rect::from_xywh(
        link.rect.x,
        link.rect.y,
        link.rect.w.max(0.1),
        link.rect.h.max(0.1),
    )?;
    let target = match &link.target {
        LinkTarget::External { url } => Target::Action(Action::Link(LinkAction::new(url.clone()))),
        internal => Target::Destination(Destination::Xyz(anchors.target(internal)?)),
    };
    Some(Annotation::new_link(
        LinkAnnotation::new(rect, target),
        None,
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
        Item::Image { rect, image } => match image {
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
            let glyphs: Vec<KrillaGlyph> = run
                .glyphs
                .iter()
                .map(|g| {
                    KrillaGlyph::new(
                        GlyphId::new(u32::from(g.id)),
                        g.advance / run.size,
                        g.x_offset / run.size,
                        g.y_offset / run.size,
                        0.0,
                        g.range.start as usize..g.range.end as usize,
                        None,
                    )
                })
                .collect();
            s.set_fill(Some(fill(run.color)));
            s.draw_glyphs(
                Point::from_xy(run.x, run.y),
                &glyphs,
                font.clone(),
                &run.text,
                run.size,
                false,
            );
        }
    }
    Ok(())
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
