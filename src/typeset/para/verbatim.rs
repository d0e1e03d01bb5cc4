//! Code lines: set as typed, spaces kept, no hyphens; a line wider than the measure wraps
//! (at a space or punctuation when it can) and each continuation starts with [`CONTINUATION`],
//! set at the line's own indentation. Highlighted code comes with the colours of its parts,
//! and its comments are set in the mono face's italic.

use std::ops::Range;

use super::render::{append, SetLine};
use super::shaping::Chunk;
use super::style::Style;
use super::words::WordBuilder;
use crate::ir::Span;
use crate::typeset::fonts::{FaceId, Fonts, MONO, MONO_ITALIC};
use crate::typeset::frame::Rgb;
use crate::typeset::shaped::ShapedGlyph;

/// The mark that starts the continuation of a code line too wide for the measure.
pub(crate) const CONTINUATION: &str = "↪";

/// A glyph of a code line: the byte offset of its cluster in the line, its face, the glyph.
pub(super) type Placed = (usize, FaceId, ShapedGlyph);

/// Every glyph of `text` with its absolute byte offset and face, shaped without ligatures;
/// the parts `colours` marks italic are shaped in the mono face's italic.
pub(super) fn glyphs(
    words: &mut WordBuilder,
    text: &str,
    style: Style,
    span: Span,
    colours: &Colours,
) -> Vec<Placed> {
    let italic = Style {
        face: MONO_ITALIC,
        ..style
    };
    let mut parts = Vec::new();
    let mut at = 0;
    for (r, _, _) in colours.iter().filter(|c| c.2 && style.face == MONO) {
        let r = r.start.clamp(at, text.len())..r.end.clamp(at, text.len());
        parts.push((at..r.start, style));
        parts.push((r.clone(), italic));
        at = r.end;
    }
    parts.push((at..text.len(), style));
    let mut glyphs: Vec<Placed> = Vec::new();
    for (range, style) in parts {
        let Some(part) = text.get(range.clone()).filter(|p| !p.is_empty()) else {
            continue;
        };
        for (start, face, run) in words.fallback_runs(part, style, span) {
            for g in words.shaper.shape(face, run, true).iter() {
                glyphs.push((range.start + start + g.cluster, face, *g));
            }
        }
    }
    glyphs
}

/// Colours of parts of a code line, and whether each is set in italic: byte ranges of the
/// line, in order; the rest takes the style's colour and face.
pub(crate) type Colours = [(Range<usize>, Rgb, bool)];

/// The lines of `text` (shaped into `glyphs`) at most `width` wide, coloured by `colours`.
/// A continuation keeps the code's shape: `mark` at the line's own indentation, then the text
/// one step further in.
pub(super) fn lines(
    fonts: &Fonts,
    text: &str,
    glyphs: &[Placed],
    style: Style,
    width: f32,
    mark: &SetLine,
    colours: &Colours,
) -> Vec<SetLine> {
    let step = mark.width + style.size * 0.4;
    // Deeply indented code still leaves half the measure for its continuations.
    let indent = indentation(text, glyphs, style).min(width / 2.0);
    let cuts = cuts(text, glyphs, style, width, indent + step);
    let mut lines = Vec::new();
    let mut colour = colours.iter().peekable();
    for (n, w) in cuts.windows(2).enumerate() {
        let mut line = SetLine {
            size: style.size,
            ..SetLine::default()
        };
        let mut x = 0.0;
        if n > 0 {
            for run in &mark.runs {
                let mut run = run.clone();
                run.x += indent;
                line.runs.push(run);
            }
            x = indent + step;
        }
        for &(at, face, g) in glyphs.iter().filter(|(at, _, _)| *at >= w[0] && *at < w[1]) {
            // Glyphs come in text order, and so do the coloured ranges.
            while colour.next_if(|(r, _, _)| r.end <= at).is_some() {}
            let color = match colour.peek() {
                Some((r, c, _)) if r.start <= at => *c,
                _ => style.color,
            };
            let chunk = Chunk {
                face,
                style: Style { color, ..style },
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

/// The width of the spaces that start `text`.
fn indentation(text: &str, glyphs: &[Placed], style: Style) -> f32 {
    glyphs
        .iter()
        .take_while(|g| text[g.0..].starts_with(' '))
        .map(|g| g.2.advance * style.size)
        .sum()
}

/// Whether a code line may break before glyph `k`: after a space, after an opening bracket
/// or a separator, or before a method call's dot; never inside a run of spaces, and never
/// where the continuation would start with closing punctuation (`ok(` | `))`: the closers stay
/// with what they close).
fn breaks_before(text: &str, glyphs: &[Placed], k: usize) -> bool {
    let (Some(before), Some(here)) = (
        text[glyphs[k - 1].0..].chars().next(),
        text[glyphs[k].0..].chars().next(),
    ) else {
        return false;
    };
    if here == ' ' || is_closer(here) {
        return false;
    }
    before == ' ' || matches!(before, ',' | ';' | '(' | '[' | '{') || (here == '.' && before != '.')
}

/// Punctuation that ends what came before it: a continuation should not start with it.
fn is_closer(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | ';' | ',' | '>' | ':' | '?')
}

/// Byte offsets where the lines start, and the end of the text: a line takes glyphs while
/// they fit (continuations are `indent` narrower) and breaks at its last break opportunity
/// (a space or punctuation, never in the indentation), inside a token only when it has none.
fn cuts(text: &str, glyphs: &[Placed], style: Style, width: f32, indent: f32) -> Vec<usize> {
    let mut cuts = vec![0usize];
    let lead = glyphs
        .iter()
        .take_while(|g| text[g.0..].starts_with(' '))
        .count();
    let mut line_w = 0.0;
    let mut avail = width;
    let mut i = 0;
    let mut line_first = 0;
    while i < glyphs.len() {
        let adv = glyphs[i].2.advance * style.size;
        if line_w + adv > avail && i > line_first {
            let from = if cuts.len() == 1 {
                lead + 1
            } else {
                line_first + 1
            };
            let at = (from..i)
                .rev()
                .find(|&k| breaks_before(text, glyphs, k))
                .unwrap_or_else(|| inside_token(text, glyphs, from, i));
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

/// Where a line with no break opportunity breaks inside its token: before glyph `i`, the
/// first that does not fit, or earlier (not before `from`) so that the continuation does not
/// start with closing punctuation.
fn inside_token(text: &str, glyphs: &[Placed], from: usize, i: usize) -> usize {
    let closes = |k: usize| text[glyphs[k].0..].chars().next().is_some_and(is_closer);
    (from..=i).rev().find(|&k| !closes(k)).unwrap_or(i)
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
