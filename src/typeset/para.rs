//! Setting one paragraph: styled pieces of text become words, words become shaped boxes with
//! glue and penalties between them (hyphens, breaks after dashes and in URLs), the line breaker
//! picks the breaks, and each line becomes glyph runs placed relative to its baseline.

use std::collections::{BTreeSet, HashMap};

use super::fonts::FaceId;
use super::frame::{Glyph, GlyphRun, Rect, Rgb};
use super::hyphenate;
use super::linebreak::{self, Item, Params, INFINITE};
use super::shape::{ShapedGlyph, Shaper};
use crate::ir::Span;

/// Penalty of a discretionary hyphen: twice TeX's \hyphenpenalty, because the narrow Gentium
/// space leaves little stretch and 50 hyphenated one line in seven.
const HYPHEN_PENALTY: f32 = 100.0;
/// Penalty of a break after an explicit hyphen (TeX's \exhyphenpenalty).
const EXPLICIT_HYPHEN_PENALTY: f32 = 50.0;
/// Narrowest natural interword space, in em.
const MIN_SPACE: f32 = 0.25;
/// Penalty of a break inside a URL or an over-wide token.
const URL_PENALTY: f32 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    /// Code: no ligatures, no hyphenation.
    pub code: bool,
    pub strike: bool,
    /// Baseline shift upwards in points (superscripts).
    pub raise: f32,
    /// Index into the paragraph's link targets.
    pub link: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String, Style),
    HardBreak,
}

/// One set line: runs and fills relative to the line's start (x) and baseline (y).
#[derive(Debug, Clone, Default)]
pub struct SetLine {
    pub runs: Vec<GlyphRun>,
    pub fills: Vec<(Rect, Rgb)>,
    /// Link areas, with the index of their target.
    pub links: Vec<(Rect, u16)>,
    pub width: f32,
    /// Largest font size on the line.
    pub size: f32,
    /// The line ends with a hyphen (a page should not end with it).
    pub hyphen: bool,
}

/// The shaper plus the warnings paragraphs produce (each missing character once, book-wide).
pub struct Setter<'f> {
    pub shaper: Shaper<'f>,
    pub warnings: Vec<(Span, String)>,
    missing: BTreeSet<char>,
    /// Characters no face has, by the block where each was first seen.
    pending: Vec<(Span, Vec<char>)>,
    /// Hyphenation points by word: a book repeats its words, and patterns are slow to apply.
    hyphens: HashMap<String, Vec<usize>>,
    /// Set paragraphs by [`paragraph_key`].
    paragraphs: HashMap<u64, Vec<SetLine>>,
}

/// Identifies a paragraph's content and measure, for the cache of set paragraphs.
fn paragraph_key(pieces: &[Piece], width: f32, justify: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (width.to_bits(), justify, pieces.len()).hash(&mut h);
    for p in pieces {
        match p {
            Piece::Text(t, st) => {
                t.hash(&mut h);
                (
                    st.face,
                    st.size.to_bits(),
                    st.color.0,
                    st.color.1,
                    st.color.2,
                )
                    .hash(&mut h);
                (st.code, st.strike, st.raise.to_bits(), st.link).hash(&mut h);
            }
            Piece::HardBreak => 0xffu8.hash(&mut h),
        }
    }
    h.finish()
}

/// A shaped box: glyphs of one face in one style, `text` the characters they stand for.
#[derive(Debug, Clone)]
struct Chunk {
    face: FaceId,
    style: Style,
    text: String,
    /// Clusters relative to `text`.
    glyphs: Vec<ShapedGlyph>,
    width: f32,
}

enum Kind {
    Box(usize),
    Glue,
    Penalty { hyphen: bool },
}

/// A break opportunity inside a word: byte offset, cost, flagged (a hyphen), draws a hyphen.
#[derive(Debug, Clone, Copy)]
struct Cand {
    at: usize,
    cost: f32,
    flagged: bool,
    hyphen: bool,
}

struct Builder {
    items: Vec<Item>,
    kinds: Vec<Kind>,
    chunks: Vec<Chunk>,
    justify: bool,
}

impl Builder {
    fn push(&mut self, item: Item, kind: Kind) {
        self.items.push(item);
        self.kinds.push(kind);
    }
}

impl<'f> Setter<'f> {
    pub fn new(shaper: Shaper<'f>) -> Self {
        Setter {
            shaper,
            warnings: Vec::new(),
            missing: BTreeSet::new(),
            pending: Vec::new(),
            hyphens: HashMap::new(),
            paragraphs: HashMap::new(),
        }
    }

    /// Everything to report, missing characters merged into one warning per block.
    pub fn into_warnings(mut self) -> Vec<(Span, String)> {
        for (span, chars) in std::mem::take(&mut self.pending) {
            let list: Vec<String> = chars
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect();
            self.warnings.push((
                span,
                format!(
                    "no bundled font has {}; drawn as missing-glyph boxes",
                    list.join(", ")
                ),
            ));
        }
        self.warnings.sort_by(|a, b| {
            (a.0.file, a.0.line, a.0.col, &a.1).cmp(&(b.0.file, b.0.line, b.0.col, &b.1))
        });
        // A paragraph set again in a later pass reports again.
        self.warnings.dedup();
        self.warnings
    }

    /// Sets `pieces` into lines of `width` points, justified or ragged-right.
    pub fn set(&mut self, pieces: &[Piece], width: f32, justify: bool, span: Span) -> Vec<SetLine> {
        // Later layout passes set the same paragraphs again (only page numbers change).
        let key = paragraph_key(pieces, width, justify);
        if let Some(lines) = self.paragraphs.get(&key) {
            return lines.clone();
        }
        let lines = self.set_uncached(pieces, width, justify, span);
        self.paragraphs.insert(key, lines.clone());
        lines
    }

    fn set_uncached(
        &mut self,
        pieces: &[Piece],
        width: f32,
        justify: bool,
        span: Span,
    ) -> Vec<SetLine> {
        let Some((b, em)) = self.build(pieces, width, justify, span) else {
            return Vec::new();
        };
        let params = if justify {
            Params::justified(width)
        } else {
            Params::ragged(width, em)
        };
        let lines = linebreak::knuth_plass(&b.items, &params)
            .unwrap_or_else(|| linebreak::greedy(&b.items, &params));
        lines.iter().map(|l| self.render(&b, l)).collect()
    }

    /// The narrowest width `pieces` can be set in without breaking a word (its widest word)
    /// and its natural width on one line: what a table column needs.
    pub fn widths(&mut self, pieces: &[Piece], span: Span) -> (f32, f32) {
        let Some((b, _)) = self.build(pieces, f32::MAX, false, span) else {
            return (0.0, 0.0);
        };
        let (mut widest, mut word, mut total) = (0.0_f32, 0.0_f32, 0.0_f32);
        for (item, kind) in b.items.iter().zip(&b.kinds) {
            match (item, kind) {
                (Item::Box { width }, _) => {
                    word += width;
                    total += width;
                }
                (Item::Glue { width, .. }, _) => {
                    widest = widest.max(word);
                    word = 0.0;
                    total += width;
                }
                (Item::Penalty { cost, .. }, Kind::Penalty { hyphen: false })
                    if *cost < INFINITE && *cost > -INFINITE =>
                {
                    widest = widest.max(word);
                    word = 0.0;
                }
                _ => {}
            }
        }
        (widest.max(word), total)
    }

    fn build(
        &mut self,
        pieces: &[Piece],
        width: f32,
        justify: bool,
        span: Span,
    ) -> Option<(Builder, f32)> {
        let mut b = Builder {
            items: Vec::new(),
            kinds: Vec::new(),
            chunks: Vec::new(),
            justify,
        };
        let mut word: Vec<(String, Style)> = Vec::new();
        let mut space: Option<Style> = None;
        let mut em = 10.0_f32;
        for piece in pieces {
            match piece {
                Piece::Text(text, style) => {
                    em = em.max(style.size);
                    for c in text.chars() {
                        if c.is_whitespace() && c != '\u{a0}' {
                            if !word.is_empty() {
                                self.flush_word(&mut b, &mut word, &mut space, width, span);
                            }
                            if !b.items.is_empty() {
                                space.get_or_insert(*style);
                            }
                        } else {
                            match word.last_mut() {
                                Some((t, s)) if s == style => t.push(c),
                                _ => word.push((c.to_string(), *style)),
                            }
                        }
                    }
                }
                Piece::HardBreak => {
                    if !word.is_empty() {
                        self.flush_word(&mut b, &mut word, &mut space, width, span);
                    }
                    space = None;
                    if !b.items.is_empty() {
                        b.push(fil(), Kind::Penalty { hyphen: false });
                        b.push(forced(), Kind::Penalty { hyphen: false });
                    }
                }
            }
        }
        if !word.is_empty() {
            self.flush_word(&mut b, &mut word, &mut space, width, span);
        }
        if b.items.is_empty() {
            return None;
        }
        b.push(
            Item::Penalty {
                width: 0.0,
                cost: INFINITE,
                flagged: false,
            },
            Kind::Penalty { hyphen: false },
        );
        b.push(fil(), Kind::Penalty { hyphen: false });
        b.push(forced(), Kind::Penalty { hyphen: false });
        Some((b, em))
    }

    fn flush_word(
        &mut self,
        b: &mut Builder,
        word: &mut Vec<(String, Style)>,
        space: &mut Option<Style>,
        width: f32,
        span: Span,
    ) {
        let segments = std::mem::take(word);
        if let Some(style) = space.take() {
            // Gentium's own space (0.22 em) is tight for justified text that may shrink;
            // TeX's fonts have about a third of an em.
            let em = if style.code { 0.0 } else { MIN_SPACE };
            let w = self
                .shaper
                .fonts
                .face(style.face)
                .space
                .map_or(0.25, |s| s.1)
                .max(em)
                * style.size;
            let (stretch, shrink) = if b.justify && !style.code {
                (w * 0.6, w / 5.0)
            } else if b.justify {
                (w / 4.0, w / 6.0)
            } else {
                (0.0, 0.0)
            };
            b.push(Item::glue(w, stretch, shrink), Kind::Glue);
        }
        let text: String = segments.iter().map(|(t, _)| t.as_str()).collect();
        let any_code = segments.iter().any(|(_, s)| s.code);
        let mut cands = Vec::new();
        if !any_code {
            let points = self
                .hyphens
                .entry(text.clone())
                .or_insert_with(|| hyphenate::points(&text));
            cands.extend(points.iter().map(|&at| Cand {
                at,
                cost: HYPHEN_PENALTY,
                flagged: true,
                hyphen: true,
            }));
            cands.extend(explicit_breaks(&text));
        }
        if is_url(&text) {
            cands.extend(safe_breaks(&text, &['/', '?', '&', '=', '#']));
        }
        // Shape each segment, split into runs of the face that has its characters.
        let mut groups: Vec<(usize, Chunk)> = Vec::new();
        let mut offset = 0;
        for (seg, style) in &segments {
            for (start, face, part) in self.fallback_runs(seg, *style, span) {
                let glyphs = self.shaper.shape(face, part, style.code);
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
        // Byte offsets where a glyph cluster (or a run) starts: the only places a word can break.
        let mut boundary = vec![false; text.len() + 1];
        for (start, ch) in &groups {
            for at in std::iter::once(*start).chain(ch.glyphs.iter().map(|g| start + g.cluster)) {
                if let Some(b) = boundary.get_mut(at) {
                    *b = true;
                }
            }
        }
        let valid = |cands: &[Cand]| -> Vec<Cand> {
            let mut v: Vec<Cand> = cands
                .iter()
                .copied()
                .filter(|c| c.at > 0 && c.at < text.len() && boundary[c.at])
                .collect();
            v.sort_by_key(|c| c.at);
            v.dedup_by_key(|c| c.at);
            v
        };
        let mut cands = valid(&cands);
        if widest_piece(&groups, &cands, text.len()) > width {
            cands.extend(safe_breaks(
                &text,
                &['/', '_', '.', ':', '-', ',', '?', '&', '='],
            ));
            cands = valid(&cands);
            if widest_piece(&groups, &cands, text.len()) > width {
                let shown: String = text.chars().take(40).collect();
                let more = if shown.len() < text.len() { "…" } else { "" };
                self.warnings.push((
                    span,
                    format!(
                        "`{shown}{more}` is wider than the line and has no safe break point; \
                         it is broken between characters"
                    ),
                ));
                let all: Vec<Cand> = text
                    .char_indices()
                    .map(|(at, _)| Cand {
                        at,
                        cost: URL_PENALTY,
                        flagged: false,
                        hyphen: false,
                    })
                    .collect();
                cands.extend(all);
                cands = valid(&cands);
            }
        }
        // Emit boxes split at the candidates, with penalties between.
        let mut ci = 0;
        for (start, chunk) in groups {
            let end = start + chunk.text.len();
            let mut cuts: Vec<usize> = Vec::new();
            while ci < cands.len() && cands[ci].at < end {
                if cands[ci].at > start {
                    cuts.push(cands[ci].at);
                }
                ci += 1;
            }
            let mut from = start;
            let order = cluster_order(&chunk);
            for cut in cuts.into_iter().chain(std::iter::once(end)) {
                let sub = sub_chunk(&chunk, &order, from - start, cut - start);
                let w = sub.width;
                b.chunks.push(sub);
                b.push(Item::Box { width: w }, Kind::Box(b.chunks.len() - 1));
                if cut < end {
                    self.push_penalty(b, &cands, cut, &chunk);
                }
                from = cut;
            }
            // A candidate exactly at the boundary between two groups.
            if end < text.len() && cands.binary_search_by_key(&end, |c| c.at).is_ok() {
                self.push_penalty(b, &cands, end, &chunk);
            }
        }
    }

    fn push_penalty(&self, b: &mut Builder, cands: &[Cand], at: usize, before: &Chunk) {
        let Ok(i) = cands.binary_search_by_key(&at, |c| c.at) else {
            return;
        };
        let c = &cands[i];
        let width = if c.hyphen {
            self.shaper
                .fonts
                .face(before.face)
                .hyphen
                .map_or(0.3, |h| h.1)
                * before.style.size
        } else {
            0.0
        };
        b.push(
            Item::Penalty {
                width,
                cost: c.cost,
                flagged: c.flagged,
            },
            Kind::Penalty { hyphen: c.hyphen },
        );
    }

    /// Splits `text` into (byte offset, face, part) runs by which face has each character;
    /// a character no face has is reported once and drawn with the preferred face's .notdef.
    fn fallback_runs<'t>(
        &mut self,
        text: &'t str,
        style: Style,
        span: Span,
    ) -> Vec<(usize, FaceId, &'t str)> {
        let fonts = self.shaper.fonts;
        let mut runs: Vec<(usize, FaceId, &'t str)> = Vec::new();
        let mut cur: Option<(usize, FaceId)> = None;
        for (i, c) in text.char_indices() {
            // Combining marks and joiners stay with their base character.
            let joins = matches!(c, '\u{300}'..='\u{36f}' | '\u{200d}' | '\u{fe0f}');
            let face = match (joins, cur) {
                (true, Some((_, f))) => f,
                _ => fonts.face_for(style.face, c).unwrap_or_else(|| {
                    if self.missing.insert(c) {
                        match self.pending.last_mut() {
                            Some((s, chars)) if *s == span => chars.push(c),
                            _ => self.pending.push((span, vec![c])),
                        }
                    }
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

    fn render(&self, b: &Builder, line: &linebreak::Line) -> SetLine {
        let mut out = SetLine::default();
        let mut x = 0.0_f32;
        for i in line.start..line.end {
            match &b.kinds[i] {
                Kind::Box(c) => {
                    let chunk = &b.chunks[*c];
                    self.append(&mut out, chunk, x);
                    x += chunk.width;
                }
                Kind::Glue => {
                    // Ragged lines keep natural spaces whatever the line's ratio.
                    let w = b.items[i].set_width(if b.justify { line.ratio } else { 0.0 });
                    if w > 0.0 {
                        self.append_space(&mut out, w);
                    }
                    x += w;
                }
                Kind::Penalty { .. } => {}
            }
        }
        if let (Kind::Penalty { hyphen: true }, Some(last)) =
            (&b.kinds[line.end], out.runs.last_mut())
        {
            if let Some((id, adv)) = self.shaper.fonts.face(last.face).hyphen {
                let start = last.text.len();
                last.text.push('-');
                last.glyphs.push(Glyph {
                    id,
                    advance: adv * last.size,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    range: start as u32..start as u32 + 1,
                });
                x += adv * last.size;
                out.hyphen = true;
            }
        }
        out.width = x;
        out
    }

    fn append(&self, out: &mut SetLine, chunk: &Chunk, x: f32) {
        let s = chunk.style;
        out.size = out.size.max(s.size);
        let continues = out.runs.last().is_some_and(|r| {
            r.face == chunk.face
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
        let face = self.shaper.fonts.face(chunk.face);
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
    fn append_space(&self, out: &mut SetLine, w: f32) {
        if let Some(run) = out.runs.last_mut() {
            if let Some((id, _)) = self.shaper.fonts.face(run.face).space {
                let start = run.text.len();
                run.text.push(' ');
                run.glyphs.push(Glyph {
                    id,
                    advance: w,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    range: start as u32..start as u32 + 1,
                });
            }
        }
    }
}

fn fil() -> Item {
    Item::Glue {
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        fil: true,
    }
}

fn forced() -> Item {
    Item::Penalty {
        width: 0.0,
        cost: -INFINITE,
        flagged: false,
    }
}

/// Breaks after explicit hyphens between letters and after dashes.
fn explicit_breaks(text: &str) -> Vec<Cand> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    for w in chars.windows(3) {
        let (_, a) = w[0];
        let (i, c) = w[1];
        let (_, z) = w[2];
        let after = i + c.len_utf8();
        if c == '-' && a.is_alphabetic() && z.is_alphabetic() {
            out.push(Cand {
                at: after,
                cost: EXPLICIT_HYPHEN_PENALTY,
                flagged: true,
                hyphen: false,
            });
        } else if matches!(c, '—' | '–') && z.is_alphanumeric() {
            out.push(Cand {
                at: after,
                cost: 0.0,
                flagged: false,
                hyphen: false,
            });
        }
    }
    out
}

fn is_url(text: &str) -> bool {
    text.contains("://") || text.starts_with("www.")
}

/// Breaks after any of `marks` (not at the ends of the token, not inside `://`).
fn safe_breaks(text: &str, marks: &[char]) -> Vec<Cand> {
    text.char_indices()
        .filter(|&(i, c)| {
            marks.contains(&c)
                && !(c == '/' && text[..i].ends_with(':'))
                && !text[i..].starts_with(":/")
        })
        .map(|(i, c)| Cand {
            at: i + c.len_utf8(),
            cost: URL_PENALTY,
            flagged: false,
            hyphen: false,
        })
        .collect()
}

/// The widest part of a word between two break candidates.
fn widest_piece(groups: &[(usize, Chunk)], cands: &[Cand], len: usize) -> f32 {
    let mut cuts: Vec<usize> = cands.iter().map(|c| c.at).collect();
    cuts.push(len);
    let mut widest = 0.0_f32;
    let mut acc = 0.0;
    let mut next = 0;
    for (start, chunk) in groups {
        for g in &chunk.glyphs {
            let at = start + g.cluster;
            while next < cuts.len() && cuts[next] <= at {
                if cuts[next] > 0 {
                    widest = widest.max(acc);
                    acc = 0.0;
                }
                next += 1;
            }
            acc += g.advance * chunk.style.size;
        }
    }
    widest.max(acc)
}

/// Indices of `chunk`'s glyphs sorted by cluster (glyphs come in visual order, which is
/// reversed in right-to-left text), so that [`sub_chunk`] finds a range by binary search.
fn cluster_order(chunk: &Chunk) -> Vec<usize> {
    let mut order: Vec<usize> = (0..chunk.glyphs.len()).collect();
    order.sort_by_key(|&i| chunk.glyphs[i].cluster);
    order
}

/// The glyphs of `chunk` whose clusters fall in `from..to` (byte offsets into its text), in
/// their visual order; `order` is [`cluster_order`] of `chunk`. Linear in the glyphs taken, so
/// cutting a long word into many pieces stays linear.
fn sub_chunk(chunk: &Chunk, order: &[usize], from: usize, to: usize) -> Chunk {
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

/// The mark that starts the continuation of a code line too wide for the measure.
pub const CONTINUATION: &str = "↪";

impl Setter<'_> {
    /// One line of code, spaces kept as typed; wrapped (preferably after a space) only when
    /// wider than `width`, each continuation starting with [`CONTINUATION`].
    pub fn set_verbatim(
        &mut self,
        text: &str,
        style: Style,
        width: f32,
        span: Span,
    ) -> Vec<SetLine> {
        // Every glyph with its absolute byte offset, face and advance in points.
        let mut glyphs: Vec<(usize, FaceId, ShapedGlyph)> = Vec::new();
        for (start, face, part) in self.fallback_runs(text, style, span) {
            for g in self.shaper.shape(face, part, true).iter() {
                glyphs.push((start + g.cluster, face, *g));
            }
        }
        let mark_style = Style {
            color: Rgb(0x88, 0x88, 0x88),
            ..style
        };
        let mark = self.set_plain(CONTINUATION, mark_style, span);
        let indent = mark.width + style.size * 0.4;
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
                    text: text[at..next_cluster(&glyphs, at, w[1])].to_string(),
                    glyphs: vec![ShapedGlyph { cluster: 0, ..g }],
                    width: g.advance * style.size,
                };
                self.append(&mut line, &chunk, x);
                x += chunk.width;
            }
            line.width = x;
            lines.push(line);
        }
        lines
    }

    /// A short unbreakable text on one line.
    fn set_plain(&mut self, text: &str, style: Style, span: Span) -> SetLine {
        self.set(
            &[Piece::Text(text.to_string(), style)],
            f32::MAX / 4.0,
            false,
            span,
        )
        .pop()
        .unwrap_or_default()
    }
}

/// The byte offset where the cluster starting at `at` ends (the next larger cluster, or `end`).
fn next_cluster(glyphs: &[(usize, FaceId, ShapedGlyph)], at: usize, end: usize) -> usize {
    glyphs
        .iter()
        .map(|g| g.0)
        .filter(|&c| c > at && c <= end)
        .min()
        .unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::{Fonts, MONO, REGULAR};

    fn style(face: FaceId, code: bool) -> Style {
        Style {
            face,
            size: 11.0,
            color: Rgb::BLACK,
            code,
            strike: false,
            raise: 0.0,
            link: None,
        }
    }

    fn line_texts(lines: &[SetLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>())
            .collect()
    }

    #[test]
    fn hyphenation_never_touches_code_or_identifiers() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Setter::new(Shaper::new(&fonts));
        let mut pieces = Vec::new();
        for _ in 0..12 {
            pieces.push(Piece::Text(
                "Submission through io_uring_submit_and_wait with ".into(),
                style(REGULAR, false),
            ));
            pieces.push(Piece::Text("registerbuffers".into(), style(MONO, true)));
            pieces.push(Piece::Text(
                " and std::collections for infrastructure documentation considerations ".into(),
                style(REGULAR, false),
            ));
        }
        // Wide enough for the identifier, so only hyphenation could split it.
        for width in [150.0, 190.0, 230.0] {
            let lines = s.set(&pieces, width, true, Span::default());
            let texts = line_texts(&lines);
            let hyphenated = texts.iter().filter(|t| t.ends_with('-')).count();
            assert!(
                hyphenated > 0,
                "narrow lines should need some hyphens: {texts:?}"
            );
            let all = texts.join("\n");
            for token in [
                "io_uring_submit_and_wait",
                "registerbuffers",
                "std::collections",
            ] {
                assert_eq!(
                    all.matches(token).count(),
                    12,
                    "{token} was split: {texts:?}"
                );
            }
            for l in &lines {
                assert!(
                    l.width <= width + 0.01,
                    "overfull line {} > {width}",
                    l.width
                );
            }
        }
    }

    #[test]
    fn an_over_wide_url_breaks_after_slashes() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Setter::new(Shaper::new(&fonts));
        let url = "https://example.org/a/very/long/path/that/does/not/fit/on/one/line";
        let pieces = [Piece::Text(
            format!("See {url} now."),
            style(REGULAR, false),
        )];
        let lines = s.set(&pieces, 120.0, true, Span::default());
        let texts = line_texts(&lines);
        assert!(lines.len() >= 3, "{texts:?}");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(texts.concat().replace(' ', ""), format!("See{url}now."));
        for (l, t) in lines.iter().zip(&texts) {
            assert!(l.width <= 120.01, "{t}: {}", l.width);
        }
        // Inside the URL, lines end after a slash.
        for t in &texts[..texts.len() - 1] {
            let t = t.trim_end();
            assert!(t.ends_with('/') || t.ends_with("line"), "{texts:?}");
        }
    }

    #[test]
    fn a_token_with_no_safe_break_is_reported_and_still_fits() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Setter::new(Shaper::new(&fonts));
        let token = "0123456789".repeat(8);
        let pieces = [Piece::Text(token.clone(), style(MONO, true))];
        let span = Span {
            file: 0,
            line: 7,
            col: 3,
        };
        let lines = s.set(&pieces, 100.0, true, span);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.01));
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].0, span);
    }

    #[test]
    fn ligatures_keep_their_characters_for_copying() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Setter::new(Shaper::new(&fonts));
        let pieces = [Piece::Text(
            "official figures".into(),
            style(REGULAR, false),
        )];
        let lines = s.set(&pieces, 300.0, true, Span::default());
        let run = &lines[0].runs[0];
        assert_eq!(run.text, "official figures");
        let lig = run
            .glyphs
            .iter()
            .find(|g| g.range.len() > 1)
            .expect("a ligature glyph");
        assert!(["ffi", "ff", "fi"]
            .contains(&&run.text[lig.range.start as usize..lig.range.end as usize]));
        // Every character is covered by exactly one glyph's range.
        let mut covered = vec![0; run.text.len()];
        for g in &run.glyphs {
            for i in g.range.clone() {
                covered[i as usize] += 1;
            }
        }
        assert!(covered.iter().all(|&c| c == 1), "{covered:?}");
    }

    #[test]
    fn code_lines_wrap_only_when_too_wide_with_a_mark() {
        let fonts = Fonts::bundled().expect("fonts");
        let mut s = Setter::new(Shaper::new(&fonts));
        let st = style(MONO, true);
        let short = s.set_verbatim("    let x = 1;", st, 300.0, Span::default());
        assert_eq!(line_texts(&short), ["    let x = 1;"]);
        let long = "call(argument_one, argument_two, argument_three, argument_four);";
        let lines = s.set_verbatim(long, st, 200.0, Span::default());
        let texts = line_texts(&lines);
        assert!(texts.len() >= 2, "{texts:?}");
        assert!(
            texts[1..].iter().all(|t| t.starts_with(CONTINUATION)),
            "{texts:?}"
        );
        assert_eq!(texts.concat().replace(CONTINUATION, ""), long);
        assert!(lines.iter().all(|l| l.width <= 200.01));
    }
}
