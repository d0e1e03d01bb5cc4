//! Where a word of running text may take a hyphen. Conservative on purpose: only plain
//! alphabetic words are hyphenated, never code, URLs, identifiers (`io_uring`, `std::mem`),
//! acronyms or words with digits; at least 2 letters stay before the hyphen and 3 after it.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};

const MIN_BEFORE: usize = 2;
const MIN_AFTER: usize = 3;

/// The patterns for a BCP 47 language tag (`en`, `fr-CA`, `de-AT`, `pt-BR`…), when the
/// `hyphenation` crate ships them.
pub(crate) fn language(tag: &str) -> Option<Language> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let primary = tag.split('-').next().unwrap_or_default();
    // Where a tag names a variety the patterns spell differently, or a language has several
    // pattern sets, pick the one a reader of today expects.
    let alias = match (primary, tag.as_str()) {
        ("en", "en-us" | "en") => "en-us",
        ("en", _) => "en-gb",
        ("de", "de-ch") => "de-ch-1901",
        ("de", "de-1901" | "de-ch-1901") => tag.as_str(),
        ("de", _) => "de-1996",
        ("el", _) => "el-monoton",
        ("mn", _) => "mn-cyrl",
        ("sr", _) => "sr-cyrl",
        ("no", _) => "nb",
        ("la", "la-x-classic" | "la-x-liturgic") => tag.as_str(),
        ("fi", "fi-x-school") => tag.as_str(),
        ("zh", _) => return None,
        _ => primary,
    };
    Language::try_from_code(alias)
}

/// The dictionary of `lang`, loaded once per process from the patterns compiled in.
fn dictionary(lang: Language) -> Option<&'static Standard> {
    thread_local! {
        /// The last language this thread asked for: nearly every word asks for the same one,
        /// and the shared map's lock would make the threads setting chapters wait on each other.
        static LAST: Cell<Option<(Language, Option<&'static Standard>)>> = const { Cell::new(None) };
    }
    if let Some((last, dict)) = LAST.with(Cell::get) {
        if last == lang {
            return dict;
        }
    }
    let dict = loaded(lang);
    LAST.with(|l| l.set(Some((lang, dict))));
    dict
}

/// The dictionary of `lang` from the process's map, loaded on first use.
fn loaded(lang: Language) -> Option<&'static Standard> {
    static DICTS: OnceLock<Mutex<HashMap<Language, Option<&'static Standard>>>> = OnceLock::new();
    let mut dicts = DICTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *dicts.entry(lang).or_insert_with(|| {
        // Leaked on purpose: one immutable dictionary per language, for the process's life.
        Standard::from_embedded(lang)
            .ok()
            .map(|d| &*Box::leak(Box::new(d)))
    })
}

/// Byte offsets into `token` (one space-delimited word of running text, punctuation included)
/// where a discretionary hyphen may go, by the patterns of `lang`.
pub(super) fn points(token: &str, lang: Language) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(dict) = dictionary(lang) else {
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
        let pts = points(word, Language::EnglishUS);
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
            for p in points(w, Language::EnglishUS) {
                assert!(p >= 2 && w.len() - p >= 3, "{w} at {p}");
            }
            assert!(!points(w, Language::EnglishUS).is_empty(), "{w}");
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
            assert!(
                points(w, Language::EnglishUS).is_empty(),
                "{w} was hyphenated: {:?}",
                points(w, Language::EnglishUS)
            );
        }
    }

    #[test]
    fn each_language_uses_its_own_patterns() {
        let de = language("de-AT").expect("German");
        let fr = language("fr-CA").expect("French");
        let word = |w: &str, l: Language| {
            let mut s = String::new();
            let pts = points(w, l);
            for (i, c) in w.char_indices() {
                if pts.contains(&i) {
                    s.push('-');
                }
                s.push(c);
            }
            s
        };
        assert_eq!(word("Silbentrennung", de), "Sil-ben-tren-nung");
        assert_eq!(word("ordinateur", fr), "or-di-na-teur");
        assert_eq!(language("en"), Some(Language::EnglishUS));
        assert_eq!(language("en-AU"), Some(Language::EnglishGB));
        assert_eq!(language("pt_BR"), Some(Language::Portuguese));
        assert_eq!(language("zh-Hans"), None);
        assert_eq!(language("tlh"), None);
    }

    #[test]
    fn compounds_hyphenate_each_part() {
        let w = "performance-scheduling";
        let pts = points(w, Language::EnglishUS);
        assert!(
            pts.iter().any(|&p| p < 11) && pts.iter().any(|&p| p > 12),
            "{pts:?}"
        );
    }
}
