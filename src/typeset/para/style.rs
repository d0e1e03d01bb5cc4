//! What the paragraph setter is given: pieces of text, each in a style, and forced line breaks.

use crate::typeset::fonts::FaceId;
use crate::typeset::frame::Rgb;

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    /// The face asked for (a character it lacks falls back to another face).
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    /// Colour of the glyphs (and of a strike-through line).
    pub color: Rgb,
    /// Code: no ligatures, no hyphenation.
    pub code: bool,
    /// Struck through.
    pub strike: bool,
    /// Baseline shift upwards in points (superscripts).
    pub raise: f32,
    /// Index into the paragraph's link targets.
    pub link: Option<u16>,
}

impl Style {
    /// `face` at `size`, black, with no decoration.
    pub(crate) fn plain(face: FaceId, size: f32) -> Style {
        Style {
            face,
            size,
            color: Rgb::BLACK,
            code: false,
            strike: false,
            raise: 0.0,
            link: None,
        }
    }
}

/// One piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Text in a style; whitespace in it separates words.
    Text(String, Style),
    /// A forced line break.
    HardBreak,
}
