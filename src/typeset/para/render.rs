//! Rendering: a broken line of the list becomes glyph runs, fills (strike-through) and link
//! areas, placed relative to the line's start and baseline.

use super::shaping::Chunk;
use super::words::{HList, Kind};
use crate::typeset::fonts::Fonts;
use crate::typeset::frame::{Glyph, GlyphRun, Rect, Rgb};
use crate::typeset::linebreak::Line;
use crate::typeset::structure::Tag;

/// One set line: runs and fills relative to the line's start (x) and baseline (y).
#[derive(Debug, Clone, Default)]
pub(crate) struct SetLine {
    /// The glyphs, in runs of one face, size and colour.
    pub runs: Vec<GlyphRun>,
    /// Filled rectangles: strike-through lines, rules.
    pub fills: Vec<(Rect, Rgb)>,
    /// Link areas, with the index of their target.
    pub links: Vec<(Rect, u16)>,
    /// Width of the line as set.
    pub width: f32,
    /// Largest font size on the line.
    pub size: f32,
    /// The line ends with a hyphen (a page should not end with it).
    pub hyphen: bool,
}

impl SetLine {
    /// The line without its glyphs: its box, fills and link areas, all a pass that only
    /// finds the page numbers needs.
    pub(crate) fn outline(&self) -> SetLine {
        SetLine {
            runs: Vec::new(),
            fills: self.fills.clone(),
            links: self.links.clone(),
            ..*self
        }
    }

    /// Moves the line's text to the middle of `width` (its runs: centred lines carry no fills
    /// or links).
    pub(crate) fn centre(&mut self, width: f32) {
        let dx = (width - self.width) / 2.0;
        for r in &mut self.runs {
            r.x += dx;
        }
    }
}

/// Line `line` of `b`, set: justified lines stretch or shrink their spaces by the line's ratio.
pub(super) fn render(fonts: &Fonts, b: &HList, line: &Line) -> SetLine {
    let mut out = SetLine::default();
    let mut x = 0.0_f32;
    for i in line.start..line.end {
        match &b.kinds[i] {
            Kind::Box(c) => {
                let chunk = &b.chunks[*c];
                append(fonts, &mut out, chunk, x);
                x += chunk.width;
            }
            Kind::Glue => {
                // Ragged lines keep natural spaces whatever the line's ratio.
                let w = b.items[i].set_width(if b.justify { line.ratio } else { 0.0 });
                if w > 0.0 {
                    append_space(fonts, &mut out, w);
                }
                x += w;
            }
            Kind::Penalty { .. } => {}
        }
    }
    if let (Kind::Penalty { hyphen: true }, Some(last)) = (&b.kinds[line.end], out.runs.last_mut())
    {
        if let Some((id, adv)) = fonts.face(last.face).hyphen {
            push_char(last, '-', id, adv * last.size);
            x += adv * last.size;
            out.hyphen = true;
        }
    }
    out.width = x;
    out
}

/// Appends `chunk` at `x`: to the last run when it continues it, else as a new run.
pub(super) fn append(fonts: &Fonts, out: &mut SetLine, chunk: &Chunk, x: f32) {
    let s = chunk.style;
    out.size = out.size.max(s.size);
    // A link's text is a run of its own, so that it can be tagged as the link's.
    let tag = s.link.map_or(Tag::Inherit, Tag::Link);
    let continues = out.runs.last().is_some_and(|r| {
        r.tag == tag
            && r.face == chunk.face
            && r.size == s.size
            && r.color == s.color
            && r.y == -s.raise
            && (r.x + r.width() - x).abs() < 0.01
    });
    if !continues {
        out.runs.push(GlyphRun {
            x,
            y: -s.raise,
            face: chunk.face,
            size: s.size,
            color: s.color,
            glyphs: Vec::new(),
            text: String::new(),
            tag,
        });
    }
    let Some(run) = out.runs.last_mut() else {
        return;
    };
    let base = run.text.len();
    run.text.push_str(&chunk.text);
    let mut starts: Vec<usize> = chunk.glyphs.iter().map(|g| g.cluster).collect();
    starts.push(chunk.text.len());
    starts.sort_unstable();
    starts.dedup();
    for g in &chunk.glyphs {
        let end = starts
            .iter()
            .copied()
            .find(|&c| c > g.cluster)
            .unwrap_or(chunk.text.len());
        run.glyphs.push(Glyph {
            id: g.id,
            advance: g.advance * s.size,
            x_offset: g.x_offset * s.size,
            y_offset: g.y_offset * s.size,
            range: (base + g.cluster) as u32..(base + end) as u32,
        });
    }
    decorate(fonts, out, chunk, x);
}

/// The strike-through line and the link area of `chunk`, set at `x` (a link's area grows
/// when the chunk continues it).
fn decorate(fonts: &Fonts, out: &mut SetLine, chunk: &Chunk, x: f32) {
    let s = chunk.style;
    let face = fonts.face(chunk.face);
    if s.strike {
        let h = (s.size * 0.05).max(0.4);
        out.fills.push((
            Rect {
                x,
                y: -s.raise - face.x_height * s.size * 0.55 - h / 2.0,
                w: chunk.width,
                h,
            },
            s.color,
        ));
    }
    if let Some(link) = s.link {
        let top = -s.raise - face.ascender * s.size;
        let h = (face.ascender - face.descender) * s.size;
        match out.links.last_mut() {
            Some((r, l)) if *l == link && (r.x + r.w - x).abs() < s.size => {
                r.w = x + chunk.width - r.x;
            }
            _ => out.links.push((
                Rect {
                    x,
                    y: top,
                    w: chunk.width,
                    h,
                },
                link,
            )),
        }
    }
}

/// Interword space as a real space glyph at the end of the current run, so text extraction
/// and copying keep the words apart.
fn append_space(fonts: &Fonts, out: &mut SetLine, w: f32) {
    if let Some(run) = out.runs.last_mut() {
        if let Some((id, _)) = fonts.face(run.face).space {
            push_char(run, ' ', id, w);
        }
    }
}

/// Appends `c` (an ASCII character) to `run`, drawn by glyph `id` with `advance`.
fn push_char(run: &mut GlyphRun, c: char, id: u16, advance: f32) {
    let start = run.text.len();
    run.text.push(c);
    run.glyphs.push(Glyph {
        id,
        advance,
        x_offset: 0.0,
        y_offset: 0.0,
        range: start as u32..start as u32 + 1,
    });
}
