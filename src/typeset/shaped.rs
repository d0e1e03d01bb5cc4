//! Shaped glyphs, and the cache of shaped runs that the threads setting a book share. Kept apart
//! from `shape` (which shapes with the fonts) so that the fonts can hold the cache.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// One shaped glyph. Advances and offsets are in em (multiply by the font size); `cluster` is
/// the byte offset in the shaped text of the first character the glyph stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ShapedGlyph {
    /// Glyph id in its face.
    pub id: u16,
    /// How far the pen moves after it.
    pub advance: f32,
    /// Offset from the pen position, to the right.
    pub x_offset: f32,
    /// Offset from the pen position, upwards.
    pub y_offset: f32,
    /// Byte offset of its first character.
    pub cluster: usize,
}

/// The glyphs of one shaped run, shared between the caches and their users.
pub(super) type Shaped = Arc<[ShapedGlyph]>;

/// Runs shaped by any thread, by face (its index), ligatures off (code) and text.
#[derive(Default)]
pub(crate) struct SharedShapes(RwLock<HashMap<(u8, bool), HashMap<String, Shaped>>>);

impl SharedShapes {
    /// The glyphs of `text` in face `face`, if a thread shaped it.
    pub(super) fn get(&self, face: u8, code: bool, text: &str) -> Option<Shaped> {
        let map = self.0.read().unwrap_or_else(|p| p.into_inner());
        map.get(&(face, code))?.get(text).cloned()
    }

    /// Keeps the glyphs of `text` in face `face` for every thread.
    pub(super) fn put(&self, face: u8, code: bool, text: &str, glyphs: &Shaped) {
        let mut map = self.0.write().unwrap_or_else(|p| p.into_inner());
        let shaped = map.entry((face, code)).or_default();
        shaped.insert(text.to_string(), glyphs.clone());
    }
}
