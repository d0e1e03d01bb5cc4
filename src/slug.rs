//! ASCII slugs for ids and file names: `Update on Landlock: Audit` → `update-on-landlock-audit`;
//! heading ids as mdBook makes them ([`heading_id`]); and [`UniqueNames`], which makes them unique.

use std::collections::{HashMap, HashSet};

/// Names handed out once each: `base`, then `base-2`, `base-3`… (or from `-1`, as mdBook numbers
/// heading ids). Each base remembers its next number, so 20,000 headings called "Notes" cost
/// linear time, not quadratic.
#[derive(Debug, Clone)]
pub(crate) struct UniqueNames {
    taken: HashSet<String>,
    next: HashMap<String, u32>,
    first_suffix: u32,
}

impl Default for UniqueNames {
    fn default() -> Self {
        Self::starting_at(2)
    }
}

impl UniqueNames {
    /// Names whose first numbered form is `base-{first_suffix}`.
    pub(crate) fn starting_at(first_suffix: u32) -> Self {
        Self {
            taken: HashSet::new(),
            next: HashMap::new(),
            first_suffix,
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `name` as it is; false when it was already taken.
    pub(crate) fn insert(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    /// `base` if it is free, else the first free `base-N`; the result is taken.
    pub(crate) fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self
            .next
            .entry(base.to_string())
            .or_insert(self.first_suffix);
        loop {
            let name = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// Lowercase ASCII letters and digits joined by single dashes; common Latin accents are folded.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    let push = |f: char, out: &mut String, dash: &mut bool| {
        if *dash && !out.is_empty() {
            out.push('-');
        }
        *dash = false;
        out.push(f.to_ascii_lowercase());
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            push(c, &mut out, &mut dash);
        } else if let Some(folded) = fold(c) {
            for f in folded.chars() {
                push(f, &mut out, &mut dash);
            }
        } else if !(c == '\'' || c == '\u{2019}') {
            dash = true;
        }
    }
    out
}

/// A heading's id from its text, by mdBook's rule (`id_from_content` in mdbook-html), so that
/// links written against mdBook's pages resolve: the text trimmed and lowercased, letters and
/// digits of any script kept with `_` and `-`, whitespace made `-`, everything else dropped;
/// `section` when nothing is left. `The export_name attribute` → `the-export_name-attribute`,
/// `Über` → `über`. Unlike [`slugify`], runs of dashes are kept (`a -- b` → `a----b`).
pub(crate) fn heading_id(text: &str) -> String {
    let id: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// ASCII spelling of common accented Latin letters.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{heading_id, slugify, UniqueNames};

    #[test]
    fn unique_names_count_up_and_skip_taken_ones() {
        let mut u = UniqueNames::default();
        assert!(u.insert("a-3"));
        assert_eq!(u.unique("a"), "a");
        assert_eq!(u.unique("a"), "a-2");
        assert_eq!(u.unique("a"), "a-4");
        assert!(!u.insert("a-4"));
        let mut h = UniqueNames::starting_at(1);
        assert_eq!(h.unique("x"), "x");
        assert_eq!(h.unique("x"), "x-1");
        for _ in 0..20_000 {
            h.unique("x");
        }
        assert_eq!(h.unique("x"), "x-20002");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Update on Landlock: Audit, Debugging"),
            "update-on-landlock-audit-debugging"
        );
        assert_eq!(slugify("Mickaël Salaün"), "mickael-salaun");
        assert_eq!(slugify("The maintainer's POV"), "the-maintainers-pov");
        assert_eq!(slugify("day-1/morning.md"), "day-1-morning-md");
        assert_eq!(slugify("日本語"), "");
    }

    /// mdBook's own cases (mdbook-html `utils.rs`), and the ids issue 12 found differing.
    #[test]
    fn heading_ids_as_mdbook_makes_them() {
        let cases = [
            (
                "--passes: add more rustdoc passes",
                "--passes-add-more-rustdoc-passes",
            ),
            (
                "Method-call 🐙 expressions \u{1f47c}",
                "method-call--expressions-",
            ),
            ("_-_12345", "_-_12345"),
            ("12345", "12345"),
            ("中文", "中文"),
            ("にほんご", "にほんご"),
            ("한국어", "한국어"),
            ("", "section"),
            ("::", "section"),
            ("!.():", "section"),
            ("   ", "section"),
            ("中文標題 CJK title", "中文標題-cjk-title"),
            ("Über", "über"),
            ("The export_name attribute", "the-export_name-attribute"),
            ("net.git-fetch-with-cli", "netgit-fetch-with-cli"),
            ("Update on Landlock: Audit", "update-on-landlock-audit"),
            ("The maintainer's POV", "the-maintainers-pov"),
            ("Mickaël Salaün", "mickaël-salaün"),
        ];
        for (text, id) in cases {
            assert_eq!(heading_id(text), id, "{text:?}");
        }
    }
}
