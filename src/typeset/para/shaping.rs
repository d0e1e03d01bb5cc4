//! Shaping a word: each character drawn by a face that has it (a character no face has is
//! reported once, book-wide), the runs shaped into chunks, and chunks cut where a word breaks.

use std::collections::BTreeMap;

use super::style::Style;
use crate::ir::Span;
use crate::typeset::fonts::{FaceId, Fonts};
use crate::typeset::shape::Shaper;
use crate::typeset::shaped::ShapedGlyph;

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

/// Characters no face has: each reported once, book-wide, under the earliest block (in source
/// order) where it is seen, so that paragraphs set side by side report what one pass would.
#[derive(Default)]
pub(super) struct Missing {
    first: BTreeMap<char, Span>,
}

impl Missing {
    /// Notes that no face has `c`, seen in the block at `span`.
    fn note(&mut self, c: char, span: Span) {
        self.first
            .entry(c)
            .and_modify(|s| *s = earliest(*s, span))
            .or_insert(span);
    }

    /// Adds what `other` noted.
    pub(super) fn merge(&mut self, other: Missing) {
        for (c, span) in other.first {
            self.note(c, span);
        }
    }

    /// One warning per block that has missing characters, in source order.
    pub(super) fn into_warnings(self) -> impl Iterator<Item = (Span, String)> {
        let mut by_block: BTreeMap<(u32, u32, u32), (Span, Vec<char>)> = BTreeMap::new();
        for (c, s) in self.first {
            by_block
                .entry((s.file, s.line, s.col))
                .or_insert_with(|| (s, Vec::new()))
                .1
                .push(c);
        }
        by_block.into_values().map(|(span, chars)| {
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

/// The span of the two that comes first in the book's sources.
fn earliest(a: Span, b: Span) -> Span {
    if (b.file, b.line, b.col) < (a.file, a.line, a.col) {
        b
    } else {
        a
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> Span {
        Span {
            file: 0,
            line,
            col: 1,
        }
    }

    /// Threads that set different chapters report a character once, under its earliest block,
    /// whichever thread saw it first.
    #[test]
    fn merged_reports_name_each_character_once_at_its_earliest_block() {
        let (mut a, mut b) = (Missing::default(), Missing::default());
        a.note('語', at(30));
        a.note('★', at(30));
        b.note('語', at(10));
        b.note('♞', at(40));
        b.merge(a);
        let got: Vec<(u32, String)> = b
            .into_warnings()
            .map(|(s, m)| (s.line, m.split(':').next().unwrap_or("").to_string()))
            .collect();
        assert_eq!(
            got,
            [
                (10, "no font has 語 (U+8A9E)".to_string()),
                (30, "no font has ★ (U+2605)".to_string()),
                (40, "no font has ♞ (U+265E)".to_string()),
            ]
        );
    }
}
