//! Wrapping by display columns: breaks at spaces and between wide (CJK) characters, never
//! inside a grapheme cluster; a word wider than the line stays whole on its own line.

use unicode_segmentation::UnicodeSegmentation;

use crate::backend::plain::width;

/// A piece that must not be split, with the separator printed before it when it does not
/// start a line (`" "` after a space, `""` between two wide characters).
struct Unit<'a> {
    sep: &'static str,
    text: &'a str,
}

fn units(line: &str) -> Vec<Unit<'_>> {
    let mut out: Vec<Unit> = Vec::new();
    // The unit being built: (start, end, separator before it).
    let mut cur: Option<(usize, usize, &'static str)> = None;
    let mut space_before = false;
    for (i, seg) in line.split_word_bound_indices() {
        let end = i + seg.len();
        if seg.chars().all(|c| c == ' ' || c == '\t') {
            if let Some((s, e, sep)) = cur.take() {
                out.push(Unit {
                    sep,
                    text: &line[s..e],
                });
            }
            space_before = true;
            continue;
        }
        cur = match cur {
            Some((s, e, sep)) if !(starts_wide(seg) || ends_wide(&line[s..e])) => {
                Some((s, end, sep))
            }
            Some((s, e, sep)) => {
                out.push(Unit {
                    sep,
                    text: &line[s..e],
                });
                Some((i, end, ""))
            }
            None => Some((
                i,
                end,
                if space_before && !out.is_empty() {
                    " "
                } else {
                    ""
                },
            )),
        };
        space_before = false;
    }
    if let Some((s, e, sep)) = cur {
        out.push(Unit {
            sep,
            text: &line[s..e],
        });
    }
    out
}

fn char_is_wide(c: char) -> bool {
    width(c.encode_utf8(&mut [0; 4])) == 2
}

fn starts_wide(seg: &str) -> bool {
    seg.chars().next().is_some_and(char_is_wide)
}

fn ends_wide(seg: &str) -> bool {
    seg.chars().next_back().is_some_and(char_is_wide)
}

/// Wraps `text` (which may contain `\n` for forced breaks) to `width` columns. The first line
/// starts with `first`, the others with `rest` (hanging indents, quote markers).
pub(crate) fn wrap(text: &str, width_cols: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (n, hard_line) in text.split('\n').enumerate() {
        let mut line = String::from(if n == 0 { first } else { rest });
        let prefix_w = width(&line);
        let mut w = prefix_w;
        let mut empty = true;
        for unit in units(hard_line) {
            let uw = width(unit.text);
            if !empty && w + width(unit.sep) + uw > width_cols {
                lines.push(std::mem::replace(&mut line, rest.to_string()));
                w = width(rest);
                empty = true;
            }
            if !empty {
                line.push_str(unit.sep);
                w += width(unit.sep);
            }
            line.push_str(unit.text);
            w += uw;
            empty = false;
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_width() {
        let text = "the quick brown fox jumps over the lazy dog";
        let lines = wrap(text, 15, "", "");
        assert_eq!(
            lines,
            vec!["the quick brown", "fox jumps over", "the lazy dog"]
        );
        assert!(lines.iter().all(|l| width(l) <= 15));
    }

    #[test]
    fn hanging_indent_and_prefixes() {
        let lines = wrap("alpha beta gamma delta", 12, "- ", "  ");
        assert_eq!(lines, vec!["- alpha beta", "  gamma", "  delta"]);
        let q = wrap("one two three four", 10, "> ", "> ");
        assert_eq!(q, vec!["> one two", "> three", "> four"]);
    }

    #[test]
    fn long_words_and_urls_stay_whole() {
        let url = "https://example.org/a/very/long/path/that/does/not/fit";
        let lines = wrap(&format!("see {url} now"), 20, "", "");
        assert_eq!(
            lines,
            vec!["see".to_string(), url.to_string(), "now".to_string()]
        );
    }

    #[test]
    fn wide_characters_count_two_and_break_between() {
        // Eight ideographs are 16 columns: at width 10 they break after the fifth.
        let lines = wrap("漢字漢字漢字漢字", 10, "", "");
        assert_eq!(lines, vec!["漢字漢字漢", "字漢字"]);
        assert!(lines.iter().all(|l| width(l) <= 10));
    }

    #[test]
    fn graphemes_are_never_split() {
        // A family emoji (one grapheme of several code points) and a combining accent.
        let text = "e\u{301}e\u{301} 👩\u{200d}👩\u{200d}👧 done";
        let lines = wrap(text, 4, "", "");
        assert_eq!(
            lines,
            vec!["e\u{301}e\u{301}", "👩\u{200d}👩\u{200d}👧", "done"]
        );
    }

    #[test]
    fn hard_breaks_are_kept() {
        assert_eq!(wrap("a b\nc", 72, "", ""), vec!["a b", "c"]);
    }
}
