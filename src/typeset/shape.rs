//! Shaping runs of text with rustybuzz: kerning and standard ligatures in text, no ligatures in
//! code (where `fi` or `->` must stay what was typed). Results are cached per (face, text), since
//! a book repeats its words: by each shaper, and behind that for every thread setting with the
//! same fonts (`shaped::SharedShapes`), since threads that set different chapters still share most
//! of their words. Shape plans are cached per (face, script, direction), since building one
//! costs more than shaping a word.

use std::collections::HashMap;

use rustybuzz::{Direction, Feature, Script, ShapePlan, UnicodeBuffer};

use super::fonts::{FaceId, Fonts};
use super::shaped::{Shaped, ShapedGlyph};

/// Shapes text with the faces of a [`Fonts`], with caches.
pub(super) struct Shaper<'f> {
    /// The faces.
    pub fonts: &'f Fonts,
    cache: HashMap<(FaceId, bool), HashMap<String, Shaped>>,
    plans: HashMap<(FaceId, bool, Script, Direction), ShapePlan>,
    no_ligatures: Vec<Feature>,
}

impl<'f> Shaper<'f> {
    /// A shaper of `fonts`' faces.
    pub(super) fn new(fonts: &'f Fonts) -> Self {
        let off = |tag: &[u8; 4]| Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(tag), 0, ..);
        Shaper {
            fonts,
            cache: HashMap::new(),
            plans: HashMap::new(),
            no_ligatures: vec![off(b"liga"), off(b"clig"), off(b"dlig"), off(b"calt")],
        }
    }

    /// Shapes `text` with one face; `code` turns ligatures off.
    pub(super) fn shape(&mut self, face: FaceId, text: &str, code: bool) -> Shaped {
        if let Some(hit) = self.cache.get(&(face, code)).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let glyphs = match self.fonts.shaped.get(face.0, code, text) {
            Some(shared) => shared,
            None => {
                let glyphs = self.shape_uncached(face, text, code);
                self.fonts.shaped.put(face.0, code, text, &glyphs);
                glyphs
            }
        };
        self.cache
            .entry((face, code))
            .or_default()
            .insert(text.to_string(), glyphs.clone());
        glyphs
    }

    /// Shapes `text` with rustybuzz.
    fn shape_uncached(&mut self, face: FaceId, text: &str, code: bool) -> Shaped {
        let f = self.fonts.face(face);
        let upem = f.units_per_em();
        let mut buf = UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        let (script, direction) = (buf.script(), buf.direction());
        let features: &[Feature] = if code { &self.no_ligatures } else { &[] };
        let plan = self
            .plans
            .entry((face, code, script, direction))
            .or_insert_with(|| ShapePlan::new(&f.rb, direction, Some(script), None, features));
        let out = rustybuzz::shape_with_plan(&f.rb, plan, buf);
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: info.glyph_id as u16,
                advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                cluster: info.cluster as usize,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::{MONO, REGULAR};

    #[test]
    fn text_gets_ligatures_and_code_does_not() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Shaper::new(&fonts);
        let text = s.shape(REGULAR, "office", false);
        assert!(text.len() < 6, "the ffi ligature joins glyphs: {text:?}");
        assert_eq!(text[0].cluster, 0);
        let code = s.shape(MONO, "office", true);
        assert_eq!(code.len(), 6);
    }

    #[test]
    fn kerning_changes_advances() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Shaper::new(&fonts);
        let av: f32 = s
            .shape(REGULAR, "AV", false)
            .iter()
            .map(|g| g.advance)
            .sum();
        let a: f32 = s.shape(REGULAR, "A", false)[0].advance;
        let v: f32 = s.shape(REGULAR, "V", false)[0].advance;
        assert!(av < a + v, "AV is kerned: {av} vs {}", a + v);
    }
}
