//! Breaking: where a word may break (hyphenation points, explicit hyphens and dashes, the
//! slashes of a URL, and between any characters as a last resort for a word wider than the
//! line), and where the paragraph's lines do break, by Knuth and Plass's algorithm.

use std::collections::HashMap;

use hyphenation::Language;

use super::shaping::Chunk;
use crate::ir::Span;
use crate::typeset::hyphenate;
use crate::typeset::linebreak::{self, Item, Line, Params};

/// Penalty of a discretionary hyphen: twice TeX's \hyphenpenalty, because the narrow Gentium
/// space leaves little stretch and 50 hyphenated one line in seven.
const HYPHEN_PENALTY: f32 = 100.0;
/// Penalty of a break after an explicit hyphen (TeX's \exhyphenpenalty).
const EXPLICIT_HYPHEN_PENALTY: f32 = 50.0;
/// Penalty of a break inside a URL or an over-wide token.
const URL_PENALTY: f32 = 100.0;

/// A break opportunity inside a word: byte offset, cost, flagged (a hyphen), draws a hyphen.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cand {
    /// Byte offset in the word.
    pub(super) at: usize,
    /// Penalty of a break there.
    pub(super) cost: f32,
    /// A hyphen's break (consecutive ones cost more).
    pub(super) flagged: bool,
    /// A break there draws a hyphen.
    pub(super) hyphen: bool,
}

/// The lines of a paragraph's items set `width` wide: total-fit, or first-fit when no set of
/// breaks is feasible. Ragged lines may fall short by a few `em`.
pub(super) fn lines(items: &[Item], width: f32, justify: bool, em: f32) -> Vec<Line> {
    let params = if justify {
        Params::justified(width)
    } else {
        Params::ragged(width, em)
    };
    linebreak::knuth_plass(items, &params).unwrap_or_else(|| linebreak::greedy(items, &params))
}

/// Where `text`, a word, may break as written: hyphenation points and breaks after explicit
/// hyphens and dashes (none in code), and after a URL's slashes and query marks. Hyphenation
/// points come from the patterns of a language, when there is one, and are cached by word in
/// its map: a book repeats its words, and patterns are slow.
pub(super) fn candidates(
    hyphens: Option<(Language, &mut HashMap<String, Vec<usize>>)>,
    text: &str,
    any_code: bool,
) -> Vec<Cand> {
    let mut cands = Vec::new();
    if !any_code {
        if let Some((lang, cache)) = hyphens {
            let points = cache
                .entry(text.to_string())
                .or_insert_with(|| hyphenate::points(text, lang));
            cands.extend(points.iter().map(|&at| Cand {
                at,
                cost: HYPHEN_PENALTY,
                flagged: true,
                hyphen: true,
            }));
        }
        cands.extend(explicit_breaks(text));
    }
    if is_url(text) {
        cands.extend(safe_breaks(text, &['/', '?', '&', '=', '#']));
    }
    cands
}

/// The candidates a word shaped into `groups` can use, sorted: only at glyph cluster (or run)
/// boundaries. When a piece between them is still wider than `width`, breaks after
/// punctuation join them, then (reported) breaks between any characters.
pub(super) fn fitting(
    groups: &[(usize, Chunk)],
    cands: &[Cand],
    text: &str,
    width: f32,
    span: Span,
    warnings: &mut Vec<(Span, String)>,
) -> Vec<Cand> {
    // Byte offsets where a glyph cluster (or a run) starts: the only places a word can break.
    let mut boundary = vec![false; text.len() + 1];
    for (start, ch) in groups {
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
    let mut cands = valid(cands);
    if widest_piece(groups, &cands, text.len()) > width {
        cands.extend(safe_breaks(
            text,
            &['/', '_', '.', ':', '-', ',', '?', '&', '='],
        ));
        cands = valid(&cands);
        if widest_piece(groups, &cands, text.len()) > width {
            let shown: String = text.chars().take(40).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            warnings.push((
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
    cands
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
