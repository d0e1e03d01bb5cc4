//! What layout hands to a writer: pages of positioned, already-shaped items. Nothing here knows
//! PDF syntax; a writer only draws what layout decided. Coordinates are points, origin at the top
//! left of the page, y growing downwards; glyph runs are placed by their baseline.

use std::ops::Range;

use super::fonts::FaceId;
use crate::ir::LinkTarget;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
}

/// One glyph as placed: advance and offsets in points (offsets y-up, as fonts give them) and
/// the byte range of [`GlyphRun::text`] it stands for (several characters for a ligature), so
/// copied text gives the original characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range in the run's text; `u32` keeps a book's millions of glyphs small.
    pub range: Range<u32>,
}

/// A run of glyphs of one face and size drawn from `(x, y)` (the baseline origin).
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub x: f32,
    pub y: f32,
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    pub glyphs: Vec<Glyph>,
    pub text: String,
}

impl GlyphRun {
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    /// A filled rectangle: code backgrounds, quote bars, rules, strike-through lines.
    Fill {
        rect: Rect,
        color: Rgb,
    },
    /// An image drawn into `rect` (scaled to it); the writer picks the resolution it needs.
    Image {
        rect: Rect,
        image: ImageRef,
    },
}

/// Which picture an [`Item::Image`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRef {
    /// An index into the book's asset table.
    Asset(u32),
    /// The book's cover.
    Cover,
}

/// How a page's folio is written: front matter in lowercase Roman numerals, the body in
/// Arabic ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    Roman,
    Arabic,
}

/// `n` in lowercase Roman numerals.
pub fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// A place links and an outline can point at: a chapter (`id` = chapter id), a heading or a note
/// (`chapter#anchor`), or a part (its id). `y` is the top of the line that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub id: String,
    pub y: f32,
}

/// The area of a link's text on a page and where it points.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub rect: Rect,
    pub target: LinkTarget,
}

/// What a line of text is, for checks and for later passes (running heads, an outline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    Body,
    Heading,
    Code,
    Footer,
    /// The running head.
    Header,
    /// A footnote at the foot of the page.
    Note,
    /// A figure (an image).
    Figure,
}

/// A laid-out line's box on its page, kept for checks (widows, orphans, margins).
#[derive(Debug, Clone, PartialEq)]
pub struct LineBox {
    pub rect: Rect,
    pub role: LineRole,
    /// Which paragraph (or code block) the line belongs to, and its place in it.
    pub block: usize,
    pub index: usize,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number within its numbering (front matter or body).
    pub number: usize,
    pub numbering: Numbering,
    /// Whether the folio is printed (not on the cover, the title page or blank pages).
    pub folio: bool,
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    pub anchors: Vec<Anchor>,
    pub links: Vec<LinkArea>,
    pub lines: Vec<LineBox>,
}

impl Page {
    /// The page number as printed (and as the PDF's page label gives it).
    pub fn label(&self) -> String {
        match self.numbering {
            Numbering::Roman => roman(self.number),
            Numbering::Arabic => self.number.to_string(),
        }
    }
}
