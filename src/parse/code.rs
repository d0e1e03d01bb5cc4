//! Fenced code blocks as mdBook reads them: the language is the first word of the info string
//! (words are separated by spaces, tabs or commas, so `rust,ignore` is Rust with the `ignore`
//! attribute), and hidden lines are left out.
//!
//! Hidden lines, as mdBook's HTML renderer hides them: in a `rust` block, a line whose first
//! non-blank character is `#` followed by a space or nothing; `##` there prints as `#`. In
//! another language, the lines whose first non-blank text is the prefix that a `hidelines=PREFIX`
//! word of the info string, or `[output.html.code.hidelines]` in book.toml, names for it. mdBook
//! shows hidden lines on request in HTML; a printed book has no such button, so every format
//! leaves them out.
//!
//! As in mdBook, only a block whose first word is `rust` is Rust: a block written with a bare
//! attribute (```` ```ignore ````) has no language and hides nothing.

use std::collections::BTreeMap;

/// rustdoc's and mdBook's code-block attributes: never a language.
const ATTRIBUTES: &[&str] = &[
    "ignore",
    "should_panic",
    "no_run",
    "compile_fail",
    "editable",
    "noplayground",
    "noplaypen",
    "mdbook-runnable",
    "test_harness",
    "allow_fail",
    "standalone_crate",
];

fn is_attribute(word: &str) -> bool {
    ATTRIBUTES.contains(&word)
        || word.starts_with("edition")
        || word.contains('=')
        || line_number_word(word).is_some()
}

/// The info string's words: split on spaces, tabs and commas, pandoc's braces
/// (`{.rust .numberLines}`) and class dots taken off.
fn words(info: &str) -> impl Iterator<Item = &str> {
    info.split([' ', '\t', ',', '{', '}'])
        .map(|w| w.strip_prefix('.').unwrap_or(w))
        .filter(|w| !w.is_empty())
}

/// What a word says of line numbers: pandoc's `numberLines` (and `number-lines`), Sphinx's
/// and Hugo's `linenos` (`linenos=true`, `table`, `inline`; `linenos=false`), `line-numbers`.
fn line_number_word(word: &str) -> Option<bool> {
    let (key, value) = word.split_once('=').unwrap_or((word, "true"));
    let key = key.to_ascii_lowercase();
    if !matches!(
        key.as_str(),
        "numberlines" | "number-lines" | "linenos" | "line-numbers" | "linenumbers"
    ) {
        return None;
    }
    match value
        .trim_matches(['"', '\''])
        .to_ascii_lowercase()
        .as_str()
    {
        "false" | "0" | "no" | "none" => Some(false),
        _ => Some(true),
    }
}

/// Whether the info string asks for line numbers (`Some(true)`), refuses them
/// (`Some(false)`) or says nothing; the last word that speaks of them wins.
pub(crate) fn line_numbers(info: &str) -> Option<bool> {
    words(info).filter_map(line_number_word).last()
}

/// The language of a code block with `info` (`None` for an indented block) and its text
/// without hidden lines or the final newline.
pub(crate) fn code_block(
    info: Option<&str>,
    text: &str,
    hidelines: &BTreeMap<String, String>,
) -> (Option<String>, String) {
    let mut words = words(info.unwrap_or_default());
    let first = words.next();
    // Like mdBook, only the words after the language are read as attributes.
    let attr_prefix = words.find_map(|w| w.strip_prefix("hidelines="));
    let body = text.strip_suffix('\n').unwrap_or(text);
    let shown = match first {
        Some("rust") => hide_rust(body),
        Some(lang) => match attr_prefix
            .or_else(|| hidelines.get(lang).map(String::as_str))
            .filter(|p| !p.is_empty())
        {
            Some(prefix) => hide_prefixed(body, prefix),
            None => body.to_string(),
        },
        None => body.to_string(),
    };
    let lang = first.filter(|w| !is_attribute(w)).map(str::to_string);
    (lang, shown)
}

/// mdBook's `^(\s*)#(.?)(.*)$`: `#` then a space or nothing hides the line, `##` prints `#`.
fn hide_rust(body: &str) -> String {
    if !body.contains('#') {
        return body.to_string();
    }
    let mut out: Vec<String> = Vec::new();
    for line in body.split('\n') {
        let rest = line.trim_start();
        let ws = &line[..line.len() - rest.len()];
        match rest.strip_prefix('#') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {}
            Some(after) if after.starts_with('#') => out.push(format!("{ws}{after}")),
            _ => out.push(line.to_string()),
        }
    }
    out.join("\n")
}

fn hide_prefixed(body: &str, prefix: &str) -> String {
    body.split('\n')
        .filter(|line| !line.trim_start().starts_with(prefix))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
