//! The faces the typesetter may use: the bundled defaults (compiled into the binary so the tool
//! works from any directory), their metrics, and the fallback order for characters a face lacks.

use rustybuzz::ttf_parser::GlyphId;

/// Index of a face in [`Fonts`]; also the key the PDF writer uses to find the font bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u8);

/// The upright text face.
pub(crate) const REGULAR: FaceId = FaceId(0);
/// The italic text face.
pub(crate) const ITALIC: FaceId = FaceId(1);
/// The bold text face.
pub(crate) const BOLD: FaceId = FaceId(2);
/// The bold italic text face.
pub(crate) const BOLD_ITALIC: FaceId = FaceId(3);
/// The monospace face, for code.
pub(crate) const MONO: FaceId = FaceId(4);
/// The monospace face's italic (an oblique), for code comments: in grey-scale print they
/// still stand apart from the code.
pub(crate) const MONO_ITALIC: FaceId = FaceId(5);

/// How many faces come before the fallbacks: regular, italic, bold, bold italic, mono, mono
/// italic.
const BUNDLED_FACES: usize = 6;
/// Fallback faces a document may name ([`FaceId`] is a byte).
const MAX_FALLBACKS: usize = 200;

/// One parsed face and the metrics layout needs, in em units (font units / units per em).
pub(crate) struct Face {
    /// The face's name, for messages and the PDF.
    pub(crate) name: &'static str,
    /// The font file.
    pub(crate) data: &'static [u8],
    /// The face's index in the file (a collection holds several).
    pub(crate) index: u32,
    /// The parsed face, for shaping and metrics.
    pub(crate) rb: rustybuzz::Face<'static>,
    /// Height above the baseline.
    pub(crate) ascender: f32,
    /// Depth below the baseline (negative).
    pub(crate) descender: f32,
    /// Height of lowercase letters.
    pub(crate) x_height: f32,
    /// Glyph and advance of U+0020, used as the visible interword space in glyph runs so that
    /// copied text keeps its spaces.
    pub(crate) space: Option<(u16, f32)>,
    /// Glyph and advance of U+002D, set at the end of hyphenated lines.
    pub(crate) hyphen: Option<(u16, f32)>,
    /// Which ASCII characters it has (bit `c` for `c` below 128): most text is ASCII, and
    /// asking the cmap for every character of every word was 4% of a book's layout.
    ascii: u128,
}

/// Why the document's faces cannot be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontsError {
    /// A face the shaper cannot read, by name.
    #[error("font {0}: not a TrueType/OpenType font")]
    BadFace(&'static str),
    /// More fallback faces than a face id can number.
    #[error("more than {MAX_FALLBACKS} fallback fonts")]
    TooManyFallbacks,
}

impl Face {
    fn parse(name: &'static str, data: &'static [u8], index: u32) -> Result<Face, FontsError> {
        let rb = rustybuzz::Face::from_slice(data, index).ok_or(FontsError::BadFace(name))?;
        let upem = rb.units_per_em() as f32;
        let glyph = |c: char| {
            let id = rb.glyph_index(c)?;
            let adv = rb.glyph_hor_advance(id)?;
            Some((id.0, f32::from(adv) / upem))
        };
        Ok(Face {
            name,
            data,
            index,
            ascender: f32::from(rb.ascender()) / upem,
            descender: f32::from(rb.descender()) / upem,
            x_height: rb.x_height().map_or(0.45, |h| f32::from(h) / upem),
            space: glyph(' '),
            hyphen: glyph('-'),
            ascii: (0..128u8)
                .filter(|&b| {
                    rb.glyph_index(char::from(b))
                        .is_some_and(|g| g != GlyphId(0))
                })
                .fold(0, |set, b| set | 1 << b),
            rb,
        })
    }

    /// Whether the face has a glyph for `c`.
    pub(crate) fn has_char(&self, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b < 128 => self.ascii >> b & 1 == 1,
            _ => self.rb.glyph_index(c).is_some_and(|g| g != GlyphId(0)),
        }
    }

    /// Font units per em.
    pub(crate) fn units_per_em(&self) -> f32 {
        self.rb.units_per_em() as f32
    }
}

/// The set of faces of one document, indexed by `FaceId`.
pub struct Fonts {
    faces: Vec<Face>,
    /// What has been shaped with these faces, shared by every thread that sets with them.
    pub(super) shaped: super::shaped::SharedShapes,
}

impl Fonts {
    /// The bundled default faces.
    pub fn bundled() -> Result<Fonts, FontsError> {
        Fonts::with_overrides([None; 5], &[])
    }

    /// The bundled faces, each replaced by the book's own font where one is given (in
    /// [`FaceId`] order: regular, italic, bold, bold italic, mono), then the `fallbacks` for
    /// characters none of those has, in order. A book's own mono face serves for its italic
    /// too: comments then stay upright rather than change family.
    pub(crate) fn with_overrides(
        overrides: [Option<(&'static str, &'static [u8])>; 5],
        fallbacks: &[crate::resources::FallbackFace],
    ) -> Result<Fonts, FontsError> {
        if fallbacks.len() > MAX_FALLBACKS {
            return Err(FontsError::TooManyFallbacks);
        }
        let [regular, italic, bold, bold_italic, mono] = overrides;
        let overrides = [regular, italic, bold, bold_italic, mono, mono];
        let mut faces = crate::fonts::BUNDLED
            .iter()
            .zip(overrides)
            .map(|(&bundled, own)| {
                let (name, data) = own.unwrap_or(bundled);
                Face::parse(name, data, 0)
            })
            .collect::<Result<Vec<_>, _>>()?;
        for &(name, data, index) in fallbacks {
            faces.push(Face::parse(name, data, index)?);
        }
        Ok(Fonts {
            faces,
            shaped: Default::default(),
        })
    }

    /// The face `id`.
    pub(crate) fn face(&self, id: FaceId) -> &Face {
        // FaceIds are only minted from the constants above and the faces' own indices.
        &self.faces[usize::from(id.0).min(self.faces.len() - 1)]
    }

    /// Every face's id, in order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = FaceId> + '_ {
        (0..self.faces.len()).map(|i| FaceId(i as u8))
    }

    /// The face that draws `c` for text styled in `preferred`: the face itself, else the
    /// upright text face, else the mono face (DejaVu covers arrows, box drawing and more
    /// symbols than the text face), else the text face. `None` when no bundled face has it.
    pub(crate) fn face_for(&self, preferred: FaceId, c: char) -> Option<FaceId> {
        if c.is_whitespace() || c.is_control() || self.face(preferred).has_char(c) {
            return Some(preferred);
        }
        let fallbacks = (BUNDLED_FACES..self.faces.len()).map(|i| FaceId(i as u8));
        [REGULAR, MONO, BOLD]
            .into_iter()
            .chain(fallbacks)
            .find(|&f| f != preferred && self.face(f).has_char(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_the_books_characters() {
        let fonts = Fonts::bundled().expect("bundled fonts parse");
        for c in "Salaün Mickaël “quoted” ‘single’ – — → ← × … é à ç ô ß ü ë ï ñ ĳ €".chars()
        {
            for face in [REGULAR, ITALIC, BOLD, BOLD_ITALIC] {
                assert!(fonts.face_for(face, c).is_some(), "{c:?} in face {face:?}");
            }
        }
        for c in "{}[]<>|\\~^`→".chars() {
            assert_eq!(fonts.face_for(MONO, c), Some(MONO), "{c:?} in mono");
        }
        assert_eq!(fonts.face_for(REGULAR, '🎉'), None);
    }

    #[test]
    fn the_ascii_set_answers_as_the_cmap_does() {
        let fonts = Fonts::bundled().expect("bundled fonts parse");
        for id in fonts.ids() {
            let face = fonts.face(id);
            for c in (0..128u8).map(char::from) {
                let cmap = face.rb.glyph_index(c).is_some_and(|g| g != GlyphId(0));
                assert_eq!(face.has_char(c), cmap, "{c:?} in {}", face.name);
            }
            assert!(
                face.has_char('a') && !face.has_char('\u{7}'),
                "{}",
                face.name
            );
        }
    }
}
