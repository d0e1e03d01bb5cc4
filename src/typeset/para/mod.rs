//! Setting one paragraph, in three stages, one file each: word building (styled pieces become
//! words, words become shaped boxes with glue and penalties between them: `words`, with
//! `shaping` for fallback faces), breaking (where words may break and where lines do:
//! `breaks`, over the abstract `linebreak`), and rendering (each line becomes glyph runs placed
//! relative to its baseline: `render`). Code lines are set as typed by `verbatim`.

mod breaks;
mod render;
mod shaping;
mod style;
mod verbatim;
mod words;

use std::collections::HashMap;

use hyphenation::Language;

use crate::ir::Span;
use crate::typeset::frame::Rgb;
use crate::typeset::hyphenate;
use crate::typeset::shape::Shaper;

pub(super) use render::SetLine;
pub(super) use style::{Piece, Style};
pub(super) use verbatim::{Colours, CONTINUATION};

/// The colour of the continuation mark: grey, yet 5.9:1 on white and 5.2:1 on a listing's
/// background (WCAG AA asks 4.5:1).
pub(super) const MARK_GREY: Rgb = Rgb(0x64, 0x64, 0x64);

/// The paragraph setter: the stages' shared state (shaper and caches, warnings) and the set
/// paragraphs, cached.
pub(super) struct Setter<'f> {
    words: words::WordBuilder<'f>,
    /// Set paragraphs by [`paragraph_key`].
    paragraphs: HashMap<u64, Cached>,
    /// Whether words may take hyphens at all.
    hyphenate: bool,
    /// How [`Self::set`] hands out what it set.
    mode: Mode,
    /// The paragraphs set since the last [`Self::take_glyphs`].
    fresh: Vec<u64>,
    /// How many paragraphs [`Mode::Final`] set again, having only their outlines.
    pub(super) set_again: usize,
    /// Glyphs [`Mode::Final`] keeps for paragraphs asked for again later, and how many it may.
    kept: usize,
    keep_budget: usize,
}

/// How many glyphs [`Mode::Final`] may keep for paragraphs that come back later in the book:
/// about 250 KB of text, some 7 MB. Past it, a paragraph keeps only its outline and is set
/// again when it comes back, so that a book that repeats much does not hold it all.
const KEEP_BUDGET: usize = 1 << 18;

/// A set paragraph in the cache, and how often the last outline pass asked for it.
struct Cached {
    lines: Vec<SetLine>,
    uses: u32,
    /// The lines have their glyph runs; else only their outlines (see
    /// [`Setter::take_glyphs`]), and [`Mode::Final`] sets the paragraph again.
    glyphs: bool,
    /// Its glyphs are counted in [`Setter::kept`].
    kept: bool,
}

/// How [`Setter::set`] hands out set paragraphs: a layout pass that only finds the page
/// numbers needs the lines' boxes, not their glyphs, and the pass that places the pages
/// needs each paragraph's glyphs once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A copy of the lines, glyphs and all.
    Full,
    /// The lines without their glyph runs (see [`SetLine::outline`]); the cache counts the
    /// uses, so that [`Mode::Final`] knows when a paragraph is asked for the last time.
    Outline,
    /// The lines, moved out of the cache at their last use as counted by the outline pass
    /// before (copied before that; left in the cache when that pass did not ask for them).
    Final,
}

/// Set paragraphs with their glyphs, which another setter had only the outlines of: what a
/// thread of [`super::ahead`] hands to the last pass.
pub(super) struct SetGlyphs(HashMap<u64, Vec<SetLine>>);

impl SetGlyphs {
    /// How many glyphs they are.
    pub(super) fn count(&self) -> usize {
        self.0.values().map(|lines| glyph_count(lines)).sum()
    }
}

/// How many glyphs set lines hold.
fn glyph_count(lines: &[SetLine]) -> usize {
    lines
        .iter()
        .flat_map(|l| &l.runs)
        .map(|r| r.glyphs.len())
        .sum()
}

/// A paragraph's lines for a use before its last: a copy while the glyphs kept for later uses
/// fit `budget` (counted in `kept`), else the lines themselves, the cache keeping only their
/// outline (and the paragraph is set again when it comes back).
fn hand_out_again(cached: &mut Cached, kept: &mut usize, budget: usize) -> Vec<SetLine> {
    if !cached.kept {
        let n = glyph_count(&cached.lines);
        if *kept + n > budget {
            let outline = cached.lines.iter().map(SetLine::outline).collect();
            cached.glyphs = false;
            return std::mem::replace(&mut cached.lines, outline);
        }
        cached.kept = true;
        *kept += n;
    }
    cached.lines.clone()
}

/// What a setter set and has to report, without its caches of shapes (which stay on the
/// thread that made them): what one thread of [`super::ahead`] hands back.
pub(super) struct SetParagraphs {
    paragraphs: HashMap<u64, Cached>,
    warnings: Vec<(Span, String)>,
    missing: shaping::Missing,
}

/// Identifies a paragraph's content and measure, for the cache of set paragraphs.
fn paragraph_key(pieces: &[Piece], width: f32, justify: bool, lang: Option<Language>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (width.to_bits(), justify, pieces.len(), lang).hash(&mut h);
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

impl<'f> Setter<'f> {
    /// A setter that shapes with `shaper`.
    pub(super) fn new(shaper: Shaper<'f>) -> Self {
        Setter {
            words: words::WordBuilder::new(shaper),
            paragraphs: HashMap::new(),
            hyphenate: true,
            mode: Mode::Full,
            fresh: Vec::new(),
            set_again: 0,
            kept: 0,
            keep_budget: KEEP_BUDGET,
        }
    }

    /// Hands out set paragraphs as `mode` says from now on. Entering [`Mode::Outline`] starts
    /// a new count of uses; entering [`Mode::Final`] drops what the last count did not see
    /// (paragraphs of page numbers that changed).
    pub(super) fn set_mode(&mut self, mode: Mode) {
        match mode {
            Mode::Outline => self.paragraphs.values_mut().for_each(|c| c.uses = 0),
            Mode::Final => self.paragraphs.retain(|_, c| c.uses > 0),
            Mode::Full => {}
        }
        self.mode = mode;
    }

    /// Hyphenates what follows by the patterns of the language `tag` (unless hyphenation is
    /// off). A language without patterns is set without hyphens, with a warning at `span`
    /// when given (the place that chose the language).
    pub(super) fn set_language(&mut self, tag: &str, span: Option<Span>) {
        let lang = self.hyphenate.then(|| hyphenate::language(tag)).flatten();
        if let (None, true, Some(span)) = (lang, self.hyphenate, span) {
            self.warn(
                span,
                format!(
                    "no hyphenation patterns for language `{tag}`: its text is set without hyphens"
                ),
            );
        }
        self.words.language = lang;
    }

    /// The fonts it sets with.
    pub(super) fn fonts(&self) -> &'f crate::typeset::fonts::Fonts {
        self.words.shaper.fonts
    }

    /// Switches hyphenation off (`[output.pdf] hyphenate = false`) or back on, for what follows.
    pub(super) fn set_hyphenation(&mut self, on: bool) {
        self.hyphenate = on;
        if !on {
            self.words.language = None;
        }
    }

    /// Reports `message` about the source at `span`.
    pub(super) fn warn(&mut self, span: Span, message: String) {
        self.words.warnings.push((span, message));
    }

    /// What this setter has set and has to report, for another setter to take in: see
    /// [`Self::absorb`].
    pub(super) fn into_set(self) -> SetParagraphs {
        let (warnings, missing) = self.words.into_reports();
        SetParagraphs {
            paragraphs: self.paragraphs,
            warnings,
            missing,
        }
    }

    /// Takes in what another setter set (with the same fonts): its paragraphs join the cache,
    /// its reports join this setter's.
    pub(super) fn absorb(&mut self, set: SetParagraphs) {
        self.paragraphs.extend(set.paragraphs);
        self.words.absorb_reports(set.warnings, set.missing);
    }

    /// The glyphs of the paragraphs set since the last call, which keep only their outlines
    /// here: a thread that sets chapters one by one hands each chapter's glyphs on and holds
    /// none.
    pub(super) fn take_glyphs(&mut self) -> SetGlyphs {
        let mut out = HashMap::new();
        for key in std::mem::take(&mut self.fresh) {
            let Some(c) = self.paragraphs.get_mut(&key).filter(|c| c.glyphs) else {
                continue;
            };
            let outline = c.lines.iter().map(SetLine::outline).collect();
            out.insert(key, std::mem::replace(&mut c.lines, outline));
            c.glyphs = false;
        }
        SetGlyphs(out)
    }

    /// Takes in the glyphs of paragraphs this setter has only the outlines of (from the same
    /// fonts); the others are not asked for again.
    pub(super) fn absorb_glyphs(&mut self, set: SetGlyphs) {
        for (key, lines) in set.0 {
            if let Some(c) = self.paragraphs.get_mut(&key).filter(|c| !c.glyphs) {
                c.lines = lines;
                c.glyphs = true;
            }
        }
    }

    /// Everything to report, missing characters merged into one warning per block.
    pub(super) fn into_warnings(self) -> Vec<(Span, String)> {
        self.words.into_warnings()
    }

    /// Sets `pieces` into lines of `width` points, justified or ragged-right.
    pub(super) fn set(
        &mut self,
        pieces: &[Piece],
        width: f32,
        justify: bool,
        span: Span,
    ) -> Vec<SetLine> {
        // Later layout passes set the same paragraphs again (only page numbers change).
        let key = paragraph_key(pieces, width, justify, self.words.language);
        let glyphs = self.paragraphs.get(&key).map(|c| c.glyphs);
        // The last pass needs the glyphs that only the outline was kept of.
        if glyphs.is_none() || (glyphs == Some(false) && self.mode == Mode::Final) {
            let lines = self.set_uncached(pieces, width, justify, span);
            let uses = self.paragraphs.get(&key).map_or(0, |c| c.uses);
            self.set_again += usize::from(glyphs.is_some());
            self.paragraphs.insert(
                key,
                Cached {
                    lines,
                    uses,
                    glyphs: true,
                    kept: false,
                },
            );
            self.fresh.push(key);
        }
        let Some(cached) = self.paragraphs.get_mut(&key) else {
            return Vec::new();
        };
        match self.mode {
            Mode::Full => cached.lines.clone(),
            Mode::Outline => {
                cached.uses += 1;
                cached.lines.iter().map(SetLine::outline).collect()
            }
            Mode::Final if cached.uses == 1 => {
                if cached.kept {
                    self.kept = self.kept.saturating_sub(glyph_count(&cached.lines));
                }
                self.paragraphs
                    .remove(&key)
                    .map(|c| c.lines)
                    .unwrap_or_default()
            }
            Mode::Final => {
                cached.uses = cached.uses.saturating_sub(1);
                hand_out_again(cached, &mut self.kept, self.keep_budget)
            }
        }
    }

    /// The three stages: words, breaks, lines.
    fn set_uncached(
        &mut self,
        pieces: &[Piece],
        width: f32,
        justify: bool,
        span: Span,
    ) -> Vec<SetLine> {
        let Some((list, em)) = self.words.build(pieces, width, justify, span) else {
            return Vec::new();
        };
        let lines = breaks::lines(&list.items, width, justify, em);
        let fonts = self.words.shaper.fonts;
        lines
            .iter()
            .map(|l| render::render(fonts, &list, l))
            .collect()
    }

    /// The narrowest width `pieces` can be set in without breaking a word (its widest word)
    /// and its natural width on one line: what a table column needs.
    pub(super) fn widths(&mut self, pieces: &[Piece], span: Span) -> (f32, f32) {
        match self.words.build(pieces, f32::MAX, false, span) {
            Some((list, _)) => list.widths(),
            None => (0.0, 0.0),
        }
    }

    /// One line of code, spaces kept as typed, its parts coloured by `colours`; wrapped
    /// (preferably at a space or punctuation) only when wider than `width`, each continuation
    /// starting with [`CONTINUATION`] at the line's indentation.
    pub(super) fn set_verbatim(
        &mut self,
        text: &str,
        style: Style,
        width: f32,
        span: Span,
        colours: &Colours,
    ) -> Vec<SetLine> {
        let glyphs = verbatim::glyphs(&mut self.words, text, style, span, colours);
        let mark_style = Style {
            color: MARK_GREY,
            ..style
        };
        let mark = self.set_plain(CONTINUATION, mark_style, span);
        let fonts = self.words.shaper.fonts;
        verbatim::lines(fonts, text, &glyphs, style, width, &mark, colours)
    }

    /// A short unbreakable text on one line.
    fn set_plain(&mut self, text: &str, style: Style, span: Span) -> SetLine {
        self.line(text, style, f32::MAX / 4.0, span)
            .unwrap_or_default()
    }

    /// The first line of `text` set ragged in `width`: a short text on a line of its own.
    pub(super) fn line(
        &mut self,
        text: &str,
        style: Style,
        width: f32,
        span: Span,
    ) -> Option<SetLine> {
        self.set(&[Piece::Text(text.to_string(), style)], width, false, span)
            .into_iter()
            .next()
    }
}

#[cfg(test)]
mod tests;
