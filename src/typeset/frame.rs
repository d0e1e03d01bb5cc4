//! What layout hands to a writer: pages of positioned, already-shaped items. Nothing here knows
//! PDF syntax; a writer only draws what layout decided. Coordinates are points, origin at the top
//! left of the page, y growing downwards; glyph runs are placed by their baseline.

use std::ops::Range;

use super::fonts::FaceId;
use crate::ir::LinkTarget;

/// A colour: red, green, blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black, the colour of text.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
}

/// One glyph as placed: advance and offsets in points (offsets y-up, as fonts give them) and
/// the byte range of [`GlyphRun::text`] it stands for (several characters for a ligature), so
/// copied text gives the original characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in its face.
    pub id: u16,
    /// How far the pen moves after it.
    pub advance: f32,
    /// Offset from the pen position, to the right.
    pub x_offset: f32,
    /// Offset from the pen position, upwards.
    pub y_offset: f32,
    /// Byte range in the run's text; `u32` keeps a book's millions of glyphs small.
    pub range: Range<u32>,
}

/// A run of glyphs of one face and size drawn from `(x, y)` (the baseline origin).
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Left end of the run.
    pub x: f32,
    /// Baseline of the run.
    pub y: f32,
    /// The face it is drawn in.
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    /// Colour of its glyphs.
    pub color: Rgb,
    /// The glyphs, left to right.
    pub glyphs: Vec<Glyph>,
    /// The characters the glyphs stand for.
    pub text: String,
}

impl GlyphRun {
    /// Width of the run: the sum of its advances.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// A rectangle: its top left corner, width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// What a page draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of glyphs.
    Text(GlyphRun),
    /// A filled rectangle: code backgrounds, quote bars, rules, strike-through lines.
    Fill {
        /// Where.
        rect: Rect,
        /// In what colour.
        color: Rgb,
    },
    /// An image drawn into `rect` (scaled to it); the writer picks the resolution it needs.
    Image {
        /// Where, and how big.
        rect: Rect,
        /// Which picture.
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
    /// i, ii, iii…
    Roman,
    /// 1, 2, 3…
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
    /// What links call it.
    pub id: String,
    /// Top of the line that carries it.
    pub y: f32,
}

/// The area of a link's text on a page and where it points.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    /// The area that follows the link when clicked.
    pub rect: Rect,
    /// Where it points.
    pub target: LinkTarget,
}

/// What a line of text is, for checks and for later passes (running heads, an outline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// Running text (and list items, table rows, the contents' entries).
    Body,
    /// A heading or a title.
    Heading,
    /// A line of a code block.
    Code,
    /// The folio.
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
    /// The line's box on the page.
    pub rect: Rect,
    /// What the line is.
    pub role: LineRole,
    /// Which paragraph (or code block) the line belongs to, and its place in it.
    pub block: usize,
    /// The line's number in its block, from 1.
    pub index: usize,
    /// How many lines its block has.
    pub of: usize,
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number within its numbering (front matter or body).
    pub number: usize,
    /// How its number is written.
    pub numbering: Numbering,
    /// Whether the folio is printed (not on the cover, the title page or blank pages).
    pub folio: bool,
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// What it draws, in drawing order.
    pub items: Vec<Item>,
    /// Where the places links can point at are.
    pub anchors: Vec<Anchor>,
    /// Its links.
    pub links: Vec<LinkArea>,
    /// Its lines' boxes, for checks.
    pub lines: Vec<LineBox>,
    /// Its text goes on to the next page, so it is set to the full depth of the text block.
    pub full: bool,
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
