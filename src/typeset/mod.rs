//! The typesetting engine: fonts, shaping, hyphenation, line breaking and page building. It
//! produces pages of positioned, shaped items ([`frame::Page`]) and knows nothing of PDF.

pub mod fonts;
pub mod frame;
pub mod hyphenate;
pub mod inline;
pub mod linebreak;
pub mod page;
pub mod para;
pub mod shape;

use crate::ir::{Book, Span};

pub use frame::Page;
pub use page::Geometry;

/// Laid-out pages and what layout had to report (with source locations).
pub struct Layout {
    pub pages: Vec<Page>,
    pub geometry: Geometry,
    pub warnings: Vec<(Span, String)>,
}

/// Lays the whole book out on pages with the given fonts.
pub fn layout(book: &Book, fonts: &fonts::Fonts, geometry: Geometry) -> Layout {
    let setter = para::Setter::new(shape::Shaper::new(fonts));
    let mut b = page::PageBuilder::new(book, setter, geometry);
    b.title_block();
    for c in &book.front {
        b.chapter(c, false);
    }
    for p in &book.parts {
        b.part(p);
    }
    for c in &book.back {
        b.chapter(c, false);
    }
    let (pages, setter) = b.finish();
    Layout {
        pages,
        geometry,
        warnings: setter.into_warnings(),
    }
}
