//! Shaping a word: each character drawn by a face that has it (a character no face has is
//! reported once, book-wide), the runs shaped into chunks, and chunks cut where a word breaks.

use std::collections::BTreeSet;

use super::style::Style;
use crate::ir::Span;
use crate::typeset::fonts::{FaceId, Fonts};
use crate::typeset::shape::{ShapedGlyph, Shaper};

/// A shaped box: glyphs of one face in one style, `text` the characters they stand for.
#[derive(Debug, Clone)]
pub(super) struct Chunk {
    /// The face the glyphs are of.
    pub(super) face: FaceId,
    /// The style they are drawn in.
    pub(super) style: Style,
    /// The characters they stand for.
    pub(super) text: String,
    /// Clusters relative to `text`.
    pub(super) glyphs: Vec<ShapedGlyph>,
    /// Width in points.
    pub(super) width: f32,
}

/// Characters no face has: each reported once, book-wide, under the block where it was first
/// seen.
#[derive(Default)]
pub(super) struct Missing {
    seen: BTreeSet<char>,
    /// Characters no face has, by the block where each was first seen.
    pending: Vec<(Span, Vec<char>)>,
}

impl Missing {
    /// Notes that no face has `c`, seen in the block at `span`.
    fn note(&mut self, c: char, span: Span) {
        if self.seen.insert(c) {
            match self.pending.last_mut() {
                Some((s, chars)) if *s == span => chars.push(c),
                _ => self.pending.push((span, vec![c])),
            }
        }
    }

    /// One warning per block that has missing characters.
    pub(super) fn into_warnings(self) -> impl Iterator<Item = (Span, String)> {
        self.pending.into_iter().map(|(span, chars)| {
            let list: Vec<String> = chars
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect();
            (
                span,
                format!(
                    "no font has {}: drawn as missing-glyph boxes (name a font that has them in \
                     book.toml's `[output.pdf] fallback`, e.g. `fallback = [\"Noto Sans CJK JP\"]`)",
                    list.join(", ")
                ),
            )
        })
    }
}

/// Splits `text` into (byte offset, face, part) runs by which face has each character;
/// a character no face has is reported once and drawn with the preferred face's .notdef.
pub(super) fn fallback_runs<'t>(
    fonts: &Fonts,
    missing: &mut Missing,
    text: &'t str,
    style: Style,
    span: Span,
) -> Vec<(usize, FaceId, &'t str)> {
    let mut runs: Vec<(usize, FaceId, &'t str)> = Vec::new();
    let mut cur: Option<(usize, FaceId)> = None;
    for (i, c) in text.char_indices() {
        // Combining marks and joiners stay with their base character.
        let joins = matches!(c, '\u{300}'..='\u{36f}' | '\u{200d}' | '\u{fe0f}');
        let face = match (joins, cur) {
            (true, Some((_, f))) => f,
            _ => fonts.face_for(style.face, c).unwrap_or_else(|| {
                missing.note(c, span);
                style.face
            }),
        };
        match cur {
            Some((_, f)) if f == face => {}
            Some((s, f)) => {
                runs.push((s, f, &text[s..i]));
                cur = Some((i, face));
            }
            None => cur = Some((i, face)),
        }
    }
    if let Some((s, f)) = cur {
        runs.push((s, f, &text[s..]));
    }
    runs
}

/// Shapes each segment of a word, split into runs of the face that has its characters: the
/// chunks with their byte offsets in the word.
pub(super) fn shape_word(
    shaper: &mut Shaper,
    missing: &mut Missing,
    segments: &[(String, Style)],
    span: Span,
) -> Vec<(usize, Chunk)> {
    let mut groups: Vec<(usize, Chunk)> = Vec::new();
    let mut offset = 0;
    for (seg, style) in segments {
        for (start, face, part) in fallback_runs(shaper.fonts, missing, seg, *style, span) {
            let glyphs = shaper.shape(face, part, style.code);
            let width = glyphs.iter().map(|g| g.advance).sum::<f32>() * style.size;
            groups.push((
                offset + start,
                Chunk {
                    face,
                    style: *style,
                    text: part.to_string(),
                    glyphs: glyphs.to_vec(),
                    width,
                },
            ));
        }
        offset += seg.len();
    }
    groups
}

/// Indices of `chunk`'s glyphs sorted by cluster (glyphs come in visual order, which is
/// reversed in right-to-left text), so that [`sub_chunk`] finds a range by binary search.
pub(super) fn cluster_order(chunk: &Chunk) -> Vec<usize> {
    let mut order: Vec<usize> = (0..chunk.glyphs.len()).collect();
    order.sort_by_key(|&i| chunk.glyphs[i].cluster);
    order
}

/// The glyphs of `chunk` whose clusters fall in `from..to` (byte offsets into its text), in
/// their visual order; `order` is [`cluster_order`] of `chunk`. Linear in the glyphs taken, so
/// cutting a long word into many pieces stays linear.
pub(super) fn sub_chunk(chunk: &Chunk, order: &[usize], from: usize, to: usize) -> Chunk {
    if from == 0 && to == chunk.text.len() {
        return chunk.clone();
    }
    let lo = order.partition_point(|&i| chunk.glyphs[i].cluster < from);
    let hi = order.partition_point(|&i| chunk.glyphs[i].cluster < to);
    let mut taken: Vec<usize> = order[lo..hi].to_vec();
    taken.sort_unstable();
    let glyphs: Vec<ShapedGlyph> = taken
        .iter()
        .map(|&i| ShapedGlyph {
            cluster: chunk.glyphs[i].cluster - from,
            ..chunk.glyphs[i]
        })
        .collect();
    let width = glyphs.iter().map(|g| g.advance).sum::<f32>() * chunk.style.size;
    Chunk {
        face: chunk.face,
        style: chunk.style,
        text: chunk.text[from..to].to_string(),
        glyphs,
        width,
    }
}
