//! Where a word of running text may take a hyphen. Conservative on purpose: only plain
//! alphabetic words are hyphenated, never code, URLs, identifiers (`io_uring`, `std::mem`),
//! acronyms or words with digits; at least 2 letters stay before the hyphen and 3 after it.

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

const MIN_BEFORE: usize = 2;
const MIN_AFTER: usize = 3;

fn dictionary() -> Option<&'static Standard> {
    static DICT: OnceLock<Option<Standard>> = OnceLock::new();
    DICT.get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok())
        .as_ref()
}

/// Byte offsets into `token` (one space-delimited word of running text, punctuation included)
/// where a discretionary hyphen may go.
pub(super) fn points(token: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(dict) = dictionary() else {
        return out;
    };
    let start = token
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(token.len(), |(i, _)| i);
    let end = token
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(start, |(i, c)| i + c.len_utf8());
    if start >= end {
        return out;
    }
    let core = &token[start..end];
    // Anything but letters and joining hyphens marks an identifier, a number, a path or a URL.
    if !core.chars().all(|c| c.is_alphabetic() || c == '-') {
        return out;
    }
    let mut offset = start;
    for part in core.split('-') {
        if is_plain_word(part) {
            let lower = part.to_lowercase();
            // Lowercasing can change byte lengths (rare letters); skip those words.
            if lower.len() == part.len() {
                for b in dict.hyphenate(&lower).breaks {
                    let before = part[..b].chars().count();
                    let after = part[b..].chars().count();
                    if before >= MIN_BEFORE && after >= MIN_AFTER {
                        out.push(offset + b);
                    }
                }
            }
        }
        offset += part.len() + 1;
    }
    out
}

/// A lowercase word, or a capitalised one; not an acronym or a camel-cased name.
fn is_plain_word(part: &str) -> bool {
    let mut chars = part.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_alphabetic()
        && chars.clone().all(char::is_lowercase)
        && part.chars().count() >= MIN_BEFORE + MIN_AFTER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyphenated(word: &str) -> String {
        let mut s = String::new();
        let pts = points(word);
        for (i, c) in word.char_indices() {
            if pts.contains(&i) {
                s.push('-');
            }
            s.push(c);
        }
        s
    }

    #[test]
    fn hyphenates_plain_words_with_margins() {
        assert_eq!(hyphenated("representation"), "rep-re-sen-ta-tion");
        assert_eq!(hyphenated("(representation),"), "(rep-re-sen-ta-tion),");
        assert_eq!(hyphenated("Representation"), "Rep-re-sen-ta-tion");
        for w in ["hyphenation", "performance", "scheduling", "anniversary"] {
            for p in points(w) {
                assert!(p >= 2 && w.len() - p >= 3, "{w} at {p}");
            }
            assert!(!points(w).is_empty(), "{w}");
        }
    }

    #[test]
    fn never_touches_identifiers_numbers_urls_or_acronyms() {
        for w in [
            "io_uring",
            "sched_ext",
            "std::collections",
            "https://kernel.org/documentation",
            "arm64",
            "CONFIG_DEBUG",
            "kernel.org",
            "performance/scheduling",
            "LANDLOCK",
            "KubeCon",
            "user@example",
        ] {
            assert!(points(w).is_empty(), "{w} was hyphenated: {:?}", points(w));
        }
    }

    #[test]
    fn compounds_hyphenate_each_part() {
        let w = "performance-scheduling";
        let pts = points(w);
        assert!(
            pts.iter().any(|&p| p < 11) && pts.iter().any(|&p| p > 12),
            "{pts:?}"
        );
    }
}
