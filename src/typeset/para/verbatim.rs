//! Code lines: set as typed, spaces kept, no hyphens; a line wider than the measure wraps
//! (after a space when it can) and each continuation starts with [`CONTINUATION`].

use super::render::{append, SetLine};
use super::shaping::Chunk;
use super::style::Style;
use super::words::WordBuilder;
use crate::ir::Span;
use crate::typeset::fonts::{FaceId, Fonts};
use crate::typeset::shape::ShapedGlyph;

/// The mark that starts the continuation of a code line too wide for the measure.
pub(crate) const CONTINUATION: &str = "↪";

/// A glyph of a code line: the byte offset of its cluster in the line, its face, the glyph.
pub(super) type Placed = (usize, FaceId, ShapedGlyph);

/// Every glyph of `text` with its absolute byte offset and face, shaped without ligatures.
pub(super) fn glyphs(words: &mut WordBuilder, text: &str, style: Style, span: Span) -> Vec<Placed> {
    let mut glyphs: Vec<Placed> = Vec::new();
    for (start, face, part) in words.fallback_runs(text, style, span) {
        for g in words.shaper.shape(face, part, true).iter() {
            glyphs.push((start + g.cluster, face, *g));
        }
    }
    glyphs
}

/// The lines of `text` (shaped into `glyphs`) at most `width` wide, continuations starting
/// with `mark`.
pub(super) fn lines(
    fonts: &Fonts,
    text: &str,
    glyphs: &[Placed],
    style: Style,
    width: f32,
    mark: &SetLine,
) -> Vec<SetLine> {
    let indent = mark.width + style.size * 0.4;
    let cuts = cuts(text, glyphs, style, width, indent);
    let mut lines = Vec::new();
    for (n, w) in cuts.windows(2).enumerate() {
        let mut line = SetLine {
            size: style.size,
            ..SetLine::default()
        };
        let mut x = 0.0;
        if n > 0 {
            for run in &mark.runs {
                line.runs.push(run.clone());
            }
            x = indent;
        }
        for &(at, face, g) in glyphs.iter().filter(|(at, _, _)| *at >= w[0] && *at < w[1]) {
            let chunk = Chunk {
                face,
                style,
                text: text[at..next_cluster(glyphs, at, w[1])].to_string(),
                glyphs: vec![ShapedGlyph { cluster: 0, ..g }],
                width: g.advance * style.size,
            };
            append(fonts, &mut line, &chunk, x);
            x += chunk.width;
        }
        line.width = x;
        lines.push(line);
    }
    lines
}

/// Byte offsets where the lines start, and the end of the text: a line takes glyphs while
/// they fit (continuations are `indent` narrower) and breaks after its last space if any.
fn cuts(text: &str, glyphs: &[Placed], style: Style, width: f32, indent: f32) -> Vec<usize> {
    let mut cuts = vec![0usize];
    let mut line_w = 0.0;
    let mut avail = width;
    let mut i = 0;
    let mut line_first = 0;
    while i < glyphs.len() {
        let adv = glyphs[i].2.advance * style.size;
        if line_w + adv > avail && i > line_first {
            // Prefer to break after the last space of the line.
            let at = (line_first + 1..i)
                .rev()
                .find(|&k| text[glyphs[k - 1].0..].starts_with(' '))
                .unwrap_or(i);
            cuts.push(glyphs[at].0);
            line_first = at;
            i = at;
            line_w = 0.0;
            avail = width - indent;
            continue;
        }
        line_w += adv;
        i += 1;
    }
    cuts.push(text.len());
    cuts
}

/// The byte offset where the cluster starting at `at` ends (the next larger cluster, or `end`).
fn next_cluster(glyphs: &[Placed], at: usize, end: usize) -> usize {
    glyphs
        .iter()
        .map(|g| g.0)
        .filter(|&c| c > at && c <= end)
        .min()
        .unwrap_or(end)
}
