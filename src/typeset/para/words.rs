//! Word building: styled pieces become words, and words become what the line breaker sees
//! (TeX's horizontal list): a shaped box for each piece of a word between its break
//! candidates, glue for the space between words, penalties where a word may break.

use std::collections::HashMap;

use hyphenation::Language;

use super::breaks::{self, Cand};
use super::shaping::{self, cluster_order, sub_chunk, Chunk, Missing};
use super::style::{Piece, Style};
use crate::ir::Span;
use crate::typeset::fonts::FaceId;
use crate::typeset::linebreak::{Item, INFINITE};
use crate::typeset::shape::Shaper;

/// Narrowest natural interword space, in em.
const MIN_SPACE: f32 = 0.25;

/// What an item of the list stands for.
pub(super) enum Kind {
    /// A box: index into [`HList::chunks`].
    Box(usize),
    /// Interword space.
    Glue,
    /// A break opportunity; `hyphen` when a break there draws a hyphen.
    Penalty { hyphen: bool },
}

/// A paragraph as the line breaker sees it, and what each of its items draws.
pub(super) struct HList {
    /// What the line breaker sees.
    pub(super) items: Vec<Item>,
    /// One for each item.
    pub(super) kinds: Vec<Kind>,
    /// What boxes draw.
    pub(super) chunks: Vec<Chunk>,
    /// Whether lines are justified (else ragged-right).
    pub(super) justify: bool,
}

impl HList {
    fn push(&mut self, item: Item, kind: Kind) {
        self.items.push(item);
        self.kinds.push(kind);
    }

    /// The widest word (the narrowest width the list can be set in without breaking a word,
    /// hyphens aside) and the natural width of the whole list on one line.
    pub(super) fn widths(&self) -> (f32, f32) {
        let (mut widest, mut word, mut total) = (0.0_f32, 0.0_f32, 0.0_f32);
        for (item, kind) in self.items.iter().zip(&self.kinds) {
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
}

/// The word-building stage and what it keeps between paragraphs: the shaper (with its cache),
/// hyphenation points by word, and what it has to report.
pub(super) struct WordBuilder<'f> {
    /// Shapes text, with its cache.
    pub(super) shaper: Shaper<'f>,
    /// What to report.
    pub(super) warnings: Vec<(Span, String)>,
    missing: Missing,
    /// Hyphenation points by language and word: a book repeats its words, and patterns are
    /// slow to apply.
    hyphens: HashMap<Language, HashMap<String, Vec<usize>>>,
    /// The patterns words are hyphenated by now; `None` sets them without hyphens.
    pub(super) language: Option<Language>,
}

impl<'f> WordBuilder<'f> {
    /// A word builder that shapes with `shaper`.
    pub(super) fn new(shaper: Shaper<'f>) -> Self {
        WordBuilder {
            shaper,
            warnings: Vec::new(),
            missing: Missing::default(),
            hyphens: HashMap::new(),
            language: Some(Language::EnglishUS),
        }
    }

    /// What it has to report, as it stands: warnings and missing characters.
    pub(super) fn into_reports(self) -> (Vec<(Span, String)>, Missing) {
        (self.warnings, self.missing)
    }

    /// Adds reports another word builder made (see [`Self::into_reports`]).
    pub(super) fn absorb_reports(&mut self, warnings: Vec<(Span, String)>, missing: Missing) {
        self.warnings.extend(warnings);
        self.missing.merge(missing);
    }

    /// Everything to report, missing characters merged into one warning per block, sorted by
    /// place and without repeats.
    pub(super) fn into_warnings(mut self) -> Vec<(Span, String)> {
        self.warnings.extend(self.missing.into_warnings());
        self.warnings.sort_by(|a, b| {
            (a.0.file, a.0.line, a.0.col, &a.1).cmp(&(b.0.file, b.0.line, b.0.col, &b.1))
        });
        // A paragraph set again in a later pass reports again.
        self.warnings.dedup();
        self.warnings
    }

    /// [`shaping::fallback_runs`] of `text`, reporting missing characters.
    pub(super) fn fallback_runs<'t>(
        &mut self,
        text: &'t str,
        style: Style,
        span: Span,
    ) -> Vec<(usize, FaceId, &'t str)> {
        shaping::fallback_runs(self.shaper.fonts, &mut self.missing, text, style, span)
    }

    /// The list of `pieces` for lines `width` wide, and the largest font size in it; `None`
    /// when there is nothing to set.
    pub(super) fn build(
        &mut self,
        pieces: &[Piece],
        width: f32,
        justify: bool,
        span: Span,
    ) -> Option<(HList, f32)> {
        let mut b = HList {
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

    /// Adds the word made of `word`'s segments (emptied), after the space before it if any:
    /// its break candidates, its shaped chunks, then boxes and penalties.
    fn flush_word(
        &mut self,
        b: &mut HList,
        word: &mut Vec<(String, Style)>,
        space: &mut Option<Style>,
        width: f32,
        span: Span,
    ) {
        let segments = std::mem::take(word);
        if let Some(style) = space.take() {
            b.push(self.space_glue(style, b.justify), Kind::Glue);
        }
        let text: String = segments.iter().map(|(t, _)| t.as_str()).collect();
        let any_code = segments.iter().any(|(_, s)| s.code);
        let hyphens = self
            .language
            .map(|l| (l, self.hyphens.entry(l).or_default()));
        let cands = breaks::candidates(hyphens, &text, any_code);
        let groups = shaping::shape_word(&mut self.shaper, &mut self.missing, &segments, span);
        let cands = breaks::fitting(&groups, &cands, &text, width, span, &mut self.warnings);
        self.emit(b, groups, &cands, text.len());
    }

    /// The space between two words, in `style`: stretchy and shrinkable when justified.
    fn space_glue(&self, style: Style, justify: bool) -> Item {
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
        let (stretch, shrink) = if justify && !style.code {
            (w * 0.6, w / 5.0)
        } else if justify {
            (w / 4.0, w / 6.0)
        } else {
            (0.0, 0.0)
        };
        Item::glue(w, stretch, shrink)
    }

    /// Emits the word's chunks as boxes split at the candidates, with penalties between;
    /// `len` is the word's length in bytes.
    fn emit(&self, b: &mut HList, groups: Vec<(usize, Chunk)>, cands: &[Cand], len: usize) {
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
                    self.push_penalty(b, cands, cut, &chunk);
                }
                from = cut;
            }
            // A candidate exactly at the boundary between two groups.
            if end < len && cands.binary_search_by_key(&end, |c| c.at).is_ok() {
                self.push_penalty(b, cands, end, &chunk);
            }
        }
    }

    /// The penalty of the candidate at `at`, after `before`: a hyphen's width when it draws one.
    fn push_penalty(&self, b: &mut HList, cands: &[Cand], at: usize, before: &Chunk) {
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
}

/// Glue that fills the rest of a line.
fn fil() -> Item {
    Item::Glue {
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        fil: true,
    }
}

/// A forced break.
fn forced() -> Item {
    Item::Penalty {
        width: 0.0,
        cost: -INFINITE,
        flagged: false,
    }
}
