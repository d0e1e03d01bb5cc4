//! Syntax highlighting of code blocks: the spans of a listing that belong to a short, fixed
//! set of classes (keyword, string, comment…), which the EPUB writes as classes and the PDF as
//! colours of one shared palette. Code is parsed with tree-sitter grammars (compiled C parsers:
//! a listing takes microseconds) and classed by the grammars' own highlight queries; each
//! query is compiled the first time a block asks for its language, so a book without tagged
//! code pays nothing. Diffs are classed line by line, console sessions' prompt lines as shell.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tree_sitter_highlight::{Highlight, HighlightConfiguration, HighlightEvent, Highlighter};

/// What a span of code is, as far as its colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    /// `fn`, `if`, `struct`, storage modifiers.
    Keyword,
    /// String and character literals.
    String,
    /// Comments.
    Comment,
    /// Numeric literals.
    Number,
    /// Type names.
    Type,
    /// Function names, where defined or called.
    Function,
    /// Language constants (`true`, `None`, `NULL`) and escapes.
    Constant,
    /// Macros, attributes, preprocessor directives.
    Macro,
    /// Operators.
    Operator,
    /// A diff's added lines.
    Inserted,
    /// A diff's removed lines.
    Deleted,
}

/// A colour as red, green, blue.
pub(crate) type Colour = (u8, u8, u8);

impl Class {
    /// Every class, in a fixed order (the stylesheet's).
    pub(crate) const ALL: [Class; 11] = [
        Class::Keyword,
        Class::String,
        Class::Comment,
        Class::Number,
        Class::Type,
        Class::Function,
        Class::Constant,
        Class::Macro,
        Class::Operator,
        Class::Inserted,
        Class::Deleted,
    ];

    /// The class's name, as in the EPUB's `hl-NAME` classes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Keyword => "keyword",
            Class::String => "string",
            Class::Comment => "comment",
            Class::Number => "number",
            Class::Type => "type",
            Class::Function => "function",
            Class::Constant => "constant",
            Class::Macro => "macro",
            Class::Operator => "operator",
            Class::Inserted => "inserted",
            Class::Deleted => "deleted",
        }
    }

    /// Its colour on a light page: each at least 4.5:1 against white (WCAG AA).
    pub(crate) fn light(self) -> Colour {
        match self {
            Class::Keyword => (0xa3, 0x15, 0x5a),
            Class::String => (0x0a, 0x5c, 0x1f),
            Class::Comment => (0x5c, 0x63, 0x6a),
            Class::Number | Class::Constant => (0x0b, 0x4f, 0xa8),
            Class::Type => (0x8a, 0x4b, 0x00),
            Class::Function => (0x6a, 0x35, 0xc9),
            Class::Macro => (0x00, 0x6b, 0x75),
            Class::Operator => (0x5b, 0x3a, 0x1e),
            Class::Inserted => (0x11, 0x63, 0x29),
            Class::Deleted => (0xa4, 0x0e, 0x26),
        }
    }

    /// Its colour on a dark page (`prefers-color-scheme: dark`): each at least 4.5:1 against
    /// black.
    pub(crate) fn dark(self) -> Colour {
        match self {
            Class::Keyword => (0xff, 0x8f, 0xb8),
            Class::String => (0x8d, 0xdb, 0x8c),
            Class::Comment => (0xa0, 0xa8, 0xb0),
            Class::Number | Class::Constant => (0x79, 0xc0, 0xff),
            Class::Type => (0xff, 0xb8, 0x6c),
            Class::Function => (0xd2, 0xa8, 0xff),
            Class::Macro => (0x5e, 0xd6, 0xe0),
            Class::Operator => (0xe0, 0xc0, 0xa0),
            Class::Inserted => (0xaf, 0xf5, 0xb4),
            Class::Deleted => (0xff, 0xb0, 0xb0),
        }
    }
}

/// The contrast ratio of `fg` against `bg`, as WCAG 2 defines it (1 to 21).
#[cfg(test)]
pub(crate) fn contrast(fg: Colour, bg: Colour) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let lum = |(r, g, b): Colour| 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    let (a, b) = (lum(fg), lum(bg));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The canonical names [`language`] gives.
pub(crate) const LANGUAGES: [&str; 13] = [
    "rust", "c", "cpp", "sh", "console", "python", "json", "toml", "yaml", "diff", "make", "go",
    "js",
];

/// The canonical name of the language a code block's info word names (`rs` → `rust`), or
/// `None` for a language without a grammar here. mdBook's `rust,ignore` counts as `rust`.
pub(crate) fn language(info: &str) -> Option<&'static str> {
    let word = info
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match word.as_str() {
        "rust" | "rs" => "rust",
        "c" | "h" => "c",
        "cpp" | "c++" | "cc" => "cpp",
        "sh" | "bash" | "shell" | "zsh" => "sh",
        "console" | "shell-session" => "console",
        "python" | "py" | "python3" => "python",
        "json" => "json",
        "toml" => "toml",
        "yaml" | "yml" => "yaml",
        "diff" | "patch" => "diff",
        "make" | "makefile" | "mk" => "make",
        "go" | "golang" => "go",
        "js" | "javascript" => "js",
        _ => return None,
    })
}

/// Classified spans of a listing: byte ranges, in order, not overlapping.
pub(crate) type Spans = Vec<(Range<usize>, Class)>;

/// A listing's spans, highlighted once by whichever thread asks first.
type Entry = Arc<OnceLock<Arc<Spans>>>;

/// The classified spans of `code` in the language `lang` names, or `None` when there is no
/// grammar for it: the block stays plain. Each listing is highlighted once per run: the PDF's
/// layout passes, the EPUB and [`ahead`] share the result (highlighting is the slow part).
pub(crate) fn spans(lang: &str, code: &str) -> Option<Arc<Spans>> {
    static CACHE: OnceLock<Mutex<HashMap<(&'static str, String), Entry>>> = OnceLock::new();
    let lang = language(lang)?;
    // Writers differ in whether they keep a final newline: one key for both.
    let code = code.trim_end_matches('\n');
    let entry = {
        let mut cache = CACHE
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // The lock is not held while highlighting, so other listings go on meanwhile.
        Arc::clone(cache.entry((lang, code.to_string())).or_default())
    };
    Some(Arc::clone(
        entry.get_or_init(|| Arc::new(highlight(lang, code))),
    ))
}

/// Highlights `listings` (language, code), last first, so that a thread running this while
/// the writers ask for them first to last meets them in the middle.
pub(crate) fn ahead(listings: &[(&str, &str)]) {
    for (lang, code) in listings.iter().rev() {
        spans(lang, code);
    }
}

/// The spans of `code` in `lang` (a name [`language`] gives).
fn highlight(lang: &str, code: &str) -> Spans {
    let mut out = Vec::new();
    match lang {
        // A session: prompt lines are shell commands, the rest is output and stays plain.
        "console" => {
            let mut at = 0;
            for line in code.split_inclusive('\n') {
                if let Some(cmd) = line.strip_prefix("$ ").or_else(|| line.strip_prefix("# ")) {
                    classify("sh", cmd, at + line.len() - cmd.len(), &mut out);
                }
                at += line.len();
            }
        }
        "diff" => diff(code, &mut out),
        _ => classify(lang, code, 0, &mut out),
    }
    out
}

/// A diff's spans, line by line: added and removed lines, file headers and hunk headers.
fn diff(code: &str, out: &mut Spans) {
    let mut at = 0;
    for line in code.split_inclusive('\n') {
        let class = if line.starts_with("+++") || line.starts_with("---") {
            Some(Class::Keyword)
        } else if line.starts_with('+') {
            Some(Class::Inserted)
        } else if line.starts_with('-') {
            Some(Class::Deleted)
        } else if line.starts_with("@@") {
            Some(Class::Macro)
        } else {
            None
        };
        push(out, code, 0, at..at + line.len(), class);
        at += line.len();
    }
}

/// The capture names the grammars' queries use, and the class of each (none: plain text); a
/// capture takes the longest of these its name starts with (`function.method` → `function`).
const CAPTURES: [(&str, Option<Class>); 26] = [
    ("keyword", Some(Class::Keyword)),
    ("conditional", Some(Class::Keyword)),
    ("repeat", Some(Class::Keyword)),
    ("include", Some(Class::Keyword)),
    ("exception", Some(Class::Keyword)),
    ("string", Some(Class::String)),
    // Keys of the data languages, as types (JSON's quoted keys are strings all the same: its
    // query's later `(string)` pattern wins).
    ("string.special.key", Some(Class::Type)),
    ("comment", Some(Class::Comment)),
    ("number", Some(Class::Number)),
    ("boolean", Some(Class::Constant)),
    ("constant", Some(Class::Constant)),
    ("constant.macro", Some(Class::Macro)),
    ("escape", Some(Class::Constant)),
    ("type", Some(Class::Type)),
    ("constructor", Some(Class::Type)),
    ("function", Some(Class::Function)),
    ("function.macro", Some(Class::Macro)),
    ("function.special", Some(Class::Macro)),
    ("attribute", Some(Class::Macro)),
    ("operator", Some(Class::Operator)),
    ("property", Some(Class::Type)),
    // Named so that they stay plain rather than take a shorter name's class.
    ("variable", None),
    ("punctuation", None),
    ("label", None),
    ("embedded", None),
    ("text", None),
];

/// Patterns put after a grammar's own highlights query, whose patterns they override (of the
/// patterns that capture a node, the last wins): Rust's number literals are numbers, not
/// constants; C's preprocessor directives are macros.
fn overrides(lang: &str) -> &'static str {
    match lang {
        "rust" => "[(integer_literal) (float_literal)] @number\n",
        "c" | "cpp" => "[\"#define\" \"#include\" (preproc_directive)] @attribute\n",
        _ => "",
    }
}

/// A grammar: its language and highlights query.
type Grammar = (tree_sitter_language::LanguageFn, &'static str);

/// `lang`'s grammar (a name [`language`] gives, other than `console` and `diff`).
fn grammar(lang: &str) -> Option<Grammar> {
    Some(match lang {
        "rust" => (
            tree_sitter_rust::LANGUAGE,
            tree_sitter_rust::HIGHLIGHTS_QUERY,
        ),
        // C++ is read with the C grammar: tree-sitter-cpp's parser is 17 MB of C to compile.
        "c" | "cpp" => (tree_sitter_c::LANGUAGE, tree_sitter_c::HIGHLIGHT_QUERY),
        "sh" => (
            tree_sitter_bash::LANGUAGE,
            tree_sitter_bash::HIGHLIGHT_QUERY,
        ),
        "python" => (
            tree_sitter_python::LANGUAGE,
            tree_sitter_python::HIGHLIGHTS_QUERY,
        ),
        "json" => (
            tree_sitter_json::LANGUAGE,
            tree_sitter_json::HIGHLIGHTS_QUERY,
        ),
        "toml" => (
            tree_sitter_toml_ng::LANGUAGE,
            tree_sitter_toml_ng::HIGHLIGHTS_QUERY,
        ),
        "yaml" => (
            tree_sitter_yaml::LANGUAGE,
            tree_sitter_yaml::HIGHLIGHTS_QUERY,
        ),
        "make" => (
            tree_sitter_make::LANGUAGE,
            tree_sitter_make::HIGHLIGHTS_QUERY,
        ),
        "go" => (tree_sitter_go::LANGUAGE, tree_sitter_go::HIGHLIGHTS_QUERY),
        "js" => (
            tree_sitter_javascript::LANGUAGE,
            tree_sitter_javascript::HIGHLIGHT_QUERY,
        ),
        _ => return None,
    })
}

/// `lang`'s highlighting configuration, made the first time a block asks for it (compiling
/// the query takes milliseconds), or `None` when there is no grammar or its query fails.
fn config(lang: &str) -> Option<&'static HighlightConfiguration> {
    type Config = OnceLock<Option<HighlightConfiguration>>;
    static CONFIGS: [Config; LANGUAGES.len()] = [const { OnceLock::new() }; LANGUAGES.len()];
    let i = LANGUAGES.iter().position(|&l| l == lang)?;
    CONFIGS[i]
        .get_or_init(|| {
            let (language, query) = grammar(lang)?;
            let query = format!("{query}\n{}", overrides(lang));
            let mut config =
                HighlightConfiguration::new(language.into(), lang, &query, "", "").ok()?;
            config.configure(&CAPTURES.map(|(name, _)| name));
            Some(config)
        })
        .as_ref()
}

/// Appends the classified spans of `code` (which starts at `base` in the block) in `lang` to
/// `out`. A grammar that fails leaves the rest of the block plain.
fn classify(lang: &str, code: &str, base: usize, out: &mut Spans) {
    thread_local! {
        static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
    }
    let Some(config) = config(lang) else { return };
    HIGHLIGHTER.with(|h| {
        let Ok(mut h) = h.try_borrow_mut() else {
            return;
        };
        let Ok(events) = h.highlight(config, code.as_bytes(), None, None, |_| None) else {
            return;
        };
        let mut stack: Vec<Option<Class>> = Vec::new();
        for event in events {
            match event {
                Ok(HighlightEvent::Source { start, end }) => {
                    let class = stack.iter().rev().find_map(|c| *c);
                    push(out, code, base, base + start..base + end, class);
                }
                Ok(HighlightEvent::HighlightStart(Highlight(i))) => {
                    stack.push(CAPTURES.get(i).and_then(|&(_, class)| class));
                }
                Ok(HighlightEvent::HighlightEnd) => {
                    stack.pop();
                }
                Err(_) => return,
            }
        }
    });
}

/// Adds `range` (of `code`, which starts at `base`) as `class` to `out`, merged with the
/// span before when they touch. Blank text gets no span: it shows no colour.
fn push(
    out: &mut Vec<(Range<usize>, Class)>,
    code: &str,
    base: usize,
    range: Range<usize>,
    class: Option<Class>,
) {
    let Some(class) = class else { return };
    let text = code.get(range.start - base..range.end - base).unwrap_or("");
    if text.trim().is_empty() {
        return;
    }
    if let Some((last, c)) = out.last_mut() {
        if *c == class && last.end == range.start {
            last.end = range.end;
            return;
        }
    }
    out.push((range, class));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(lang: &str, code: &str) -> Vec<(String, Class)> {
        spans(lang, code)
            .expect("a grammar")
            .iter()
            .map(|(r, c)| (code[r.clone()].to_string(), *c))
            .collect()
    }

    #[test]
    fn every_colour_passes_aa_on_its_background() {
        for c in Class::ALL {
            let light = contrast(c.light(), (255, 255, 255));
            assert!(light >= 4.5, "{} on white: {light:.2}", c.name());
            let dark = contrast(c.dark(), (0, 0, 0));
            assert!(dark >= 4.5, "{} on black: {dark:.2}", c.name());
        }
        // The formula itself: black on white is 21:1, grey #777 is 4.48:1.
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!(contrast((0x77, 0x77, 0x77), (255, 255, 255)) < 4.5);
    }

    #[test]
    fn rust_has_keywords_strings_comments_and_macros() {
        let got = classes("rust", "// hi\nfn main() { println!(\"x\"); let n = 1; }\n");
        for want in [
            ("// hi", Class::Comment),
            ("fn", Class::Keyword),
            ("main", Class::Function),
            ("println!", Class::Macro),
            ("1", Class::Number),
        ] {
            assert!(
                got.iter().any(|(t, c)| t == want.0 && *c == want.1),
                "{want:?} in {got:?}"
            );
        }
        assert!(got
            .iter()
            .any(|(t, c)| t.contains('x') && *c == Class::String));
    }

    #[test]
    fn unknown_languages_stay_plain() {
        assert!(spans("brainfuck", "+++").is_none());
        assert!(spans("", "x").is_none());
        assert_eq!(language("rust,ignore"), Some("rust"));
    }

    #[test]
    fn toml_has_strings_and_comments() {
        let got = classes("toml", "[package]\nname = \"x\" # c\n");
        assert!(got.iter().any(|(_, c)| *c == Class::String), "{got:?}");
        assert!(got.iter().any(|(_, c)| *c == Class::Comment), "{got:?}");
    }

    #[test]
    fn console_output_lines_stay_plain() {
        let code = "$ echo \"hi\" # say it\nhi # not a comment\n";
        let got = spans("console", code).expect("console");
        let output = code.find("hi #").expect("output line");
        assert!(got.iter().all(|(r, _)| r.end <= output), "{got:?}");
        assert!(got.iter().any(|(_, c)| *c == Class::Comment), "{got:?}");
    }

    #[test]
    fn every_listed_language_has_a_grammar() {
        for l in [
            "rust",
            "c",
            "sh",
            "bash",
            "shell",
            "console",
            "python",
            "json",
            "toml",
            "yaml",
            "diff",
            "make",
            "makefile",
            "go",
            "js",
            "javascript",
        ] {
            let got = spans(l, "x = 1 # 2\n\"s\"\n");
            assert!(got.is_some(), "{l}");
        }
    }
}
