//! Serialises laid-out pages with krilla: glyph runs with our own shaping (`draw_glyphs`, so
//! krilla only subsets and maps glyphs back to text), filled rectangles, and metadata.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document, SerializeSettings};

use crate::dates::Utc;
use crate::ir::Book;
use crate::typeset::fonts::Fonts;
use crate::typeset::frame::{Item, Page, Rgb};

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

pub fn pdf(book: &Book, pages: &[Page], fonts: &Fonts, created: Utc) -> Result<Vec<u8>, String> {
    let settings = SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let kfonts = fonts
        .ids()
        .map(|id| {
            let face = fonts.face(id);
            Font::new(Data::from(face.data), 0)
                .ok_or_else(|| format!("krilla cannot load {}", face.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for page in pages {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| format!("bad page size {}×{}", page.width, page.height))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        for item in &page.items {
            match item {
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
                        continue;
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
                                g.range.clone(),
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
        }
        s.finish();
        p.finish();
    }
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
    meta = meta.creation_date(
        DateTime::new(year)
            .month(created.month)
            .day(created.day)
            .hour(created.hour)
            .minute(created.minute)
            .second(created.second)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    );
    doc.set_metadata(meta);
    doc.finish().map_err(|e| format!("krilla: {e:?}"))
}
