//! `book.toml`: mdBook's `[book]` table, our `[publish]` table, and per-backend `[output.X]` tables.
//!
//! A book written for mdBook builds unchanged: keys and tables that kr-publish does not read
//! (mdBook's own, or those of other tools such as mdbook-epub's `[output.epub] cover-image`)
//! are warnings, located in book.toml, never errors. The keys kr-publish reads are checked
//! strictly: a value of the wrong type is an error at its line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::diag::{Diagnostic, LineIndex};
use check::Check;

mod check;

/// mdBook's `[book]` table, as far as kr-publish reads it (see `BOOK_KEYS`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BookTable {
    /// The book's title.
    pub title: Option<String>,
    /// Its authors, in order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Its language, a BCP 47 tag (`en`, `fr-CA`).
    pub language: Option<String>,
    /// A short description, for the outputs' metadata.
    pub description: Option<String>,
    /// The folder of SUMMARY.md and the chapters, relative to book.toml; `src` by default.
    #[serde(default = "default_src")]
    pub src: String,
    /// `ltr` or `rtl`; when absent, mdBook derives it from the language.
    pub text_direction: Option<TextDirection>,
}

impl Default for BookTable {
    fn default() -> Self {
        Self {
            title: None,
            authors: Vec::new(),
            language: None,
            description: None,
            src: default_src(),
            text_direction: None,
        }
    }
}

/// `[book] text-direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TextDirection {
    /// Left to right.
    #[serde(rename = "ltr")]
    Ltr,
    /// Right to left.
    #[serde(rename = "rtl")]
    Rtl,
}

impl BookTable {
    /// Right to left: as `text-direction` says, else as mdBook guesses from the language.
    pub fn rtl(&self) -> bool {
        match self.text_direction {
            Some(d) => d == TextDirection::Rtl,
            None => {
                let lang = self.language.as_deref().unwrap_or_default();
                let primary = lang.split(['-', '_']).next().unwrap_or_default();
                // mdBook's list (its `TextDirection::from_lang_code`), matched on the primary
                // subtag so that `ar-EG` counts too.
                matches!(
                    primary.to_ascii_lowercase().as_str(),
                    "ar" | "ara"
                        | "arc"
                        | "ae"
                        | "ave"
                        | "egy"
                        | "he"
                        | "heb"
                        | "nqo"
                        | "pal"
                        | "phn"
                        | "sam"
                        | "syc"
                        | "syr"
                        | "fa"
                        | "per"
                        | "fas"
                        | "ku"
                        | "kur"
                        | "ur"
                        | "urd"
                        | "pus"
                        | "ps"
                        | "yi"
                        | "yid"
                )
            }
        }
    }
}

fn default_src() -> String {
    "src".to_string()
}

/// Our own `[publish]` table: what publishing needs beyond mdBook.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PublishTable {
    /// The book's subtitle.
    pub subtitle: Option<String>,
    /// Its unique identifier (an ISBN, a URN, a URL).
    pub identifier: Option<String>,
    /// Its publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its subjects or keywords.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// The outputs' file name without its extension.
    pub base_name: Option<String>,
    /// The cover image, relative to the book's directory.
    pub cover: Option<String>,
    /// The book's web address (an absolute `http(s)` URL): links that leave the book are
    /// resolved against it. Takes precedence over `[output.html] site-url`.
    pub site_url: Option<String>,
    /// `proceedings` (speakers' index, "Edited by") or `book`; when absent, a book is
    /// proceedings when a chapter names speakers.
    pub kind: Option<crate::ir::BookKind>,
}

/// mdBook's `[build]` table; of its keys kr-publish reads `strict`, the others are mdBook's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BuildTable {
    /// Every warning is an error: nothing is degraded silently into a published book.
    #[serde(default)]
    pub strict: bool,
}

/// The part of mdBook's `[output.html]` table that kr-publish reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct HtmlTable {
    #[serde(default)]
    code: CodeTable,
    /// mdBook's: where the book is served (often only a path, such as `/book/`).
    site_url: Option<String>,
    /// mdBook's: no chapter numbers in the contents (and here in headings).
    #[serde(default)]
    no_section_label: bool,
    smart_punctuation: Option<bool>,
    definition_lists: Option<bool>,
    admonitions: Option<bool>,
    #[serde(default)]
    mathjax_support: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct CodeTable {
    #[serde(default)]
    hidelines: BTreeMap<String, String>,
}

/// What a book's Markdown may contain beyond CommonMark, as mdBook reads it: its
/// `[output.html]` switches `smart-punctuation`, `definition-lists`, `admonitions` (each on
/// unless turned off) and `mathjax-support` (off unless turned on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// Straight quotes, `--`, `---` and `...` become typographic ones.
    pub smart_punctuation: bool,
    /// `Term` then `: definition` lines are definition lists.
    pub definition_lists: bool,
    /// `> [!NOTE]` and its kind are admonitions.
    pub admonitions: bool,
    /// `\( … \)`, `\[ … \]`, `$…$` and `$$…$$` are formulas, kept as their TeX source.
    pub math: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            definition_lists: true,
            admonitions: true,
            math: false,
        }
    }
}

/// A `[preprocessor.NAME]` table: an external preprocessor, run with mdBook's protocol
/// (`links` and `index`, mdBook's own, are built in: their tables only order the others).
#[derive(Debug, Clone)]
pub struct PreprocessorConfig {
    /// `NAME` of the table.
    pub name: String,
    /// `command`; `mdbook-NAME` by default.
    pub command: String,
    /// Preprocessors this one runs before.
    pub before: Vec<String>,
    /// Preprocessors this one runs after.
    pub after: Vec<String>,
    /// Not installed is a warning rather than an error (mdBook's default is `false`).
    pub optional: bool,
    /// When set, it runs only for these renderers (kr-publish is `kr-publish`).
    pub renderers: Option<Vec<String>>,
    /// Where the table is set, for messages: book.toml (or an `MDBOOK_*` variable), line, column.
    pub at: (String, u32, u32),
}

/// The keys of a `[preprocessor.NAME]` table that kr-publish reads; the others are the
/// preprocessor's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PreprocessorTable {
    command: Option<String>,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    optional: bool,
    renderers: Option<Vec<String>>,
}

/// A key of book.toml that kr-publish reads, and the keys it reads inside it when it is a table
/// (`None`: the whole value is read as it is).
pub(crate) struct Key {
    /// The key as written in book.toml.
    pub(crate) name: &'static str,
    /// The keys read inside it, when it is a table.
    pub(crate) sub: Option<&'static [Key]>,
}

const fn key(name: &'static str) -> Key {
    Key { name, sub: None }
}

/// The keys of `[book]` kr-publish reads; mdBook's others are warned about.
pub(crate) const BOOK_KEYS: &[Key] = &[
    key("title"),
    key("authors"),
    key("language"),
    key("description"),
    key("src"),
    key("text-direction"),
];
const BUILD_KEYS: &[Key] = &[key("strict")];
const EPUB_KEYS: &[Key] = &[key("embed-fonts"), key("fonts-dir"), key("extra-css")];
const PDF_FONT_KEYS: &[Key] = &[
    key("regular"),
    key("italic"),
    key("bold"),
    key("bold-italic"),
    key("mono"),
];
const PDF_KEYS: &[Key] = &[
    key("page"),
    key("standard"),
    key("hyphenate"),
    key("line-numbers"),
    key("fallback"),
    Key {
        name: "fonts",
        sub: Some(PDF_FONT_KEYS),
    },
];
const GEMINI_KEYS: &[Key] = &[key("base-url")];
const HTML_CODE_KEYS: &[Key] = &[key("hidelines")];
const HTML_KEYS: &[Key] = &[
    Key {
        name: "code",
        sub: Some(HTML_CODE_KEYS),
    },
    key("smart-punctuation"),
    key("definition-lists"),
    key("admonitions"),
    key("mathjax-support"),
    key("no-section-label"),
    key("site-url"),
];

/// kr-publish's own `[output.X]` tables and their keys. The structs the backends read them into
/// (`EpubOptions`, …) deny other keys, so a key added there must be added here too.
const OWN_OUTPUTS: &[(&str, &[Key])] = &[
    ("epub", EPUB_KEYS),
    ("pdf", PDF_KEYS),
    ("gemini", GEMINI_KEYS),
    ("text", &[]),
    ("json", &[]),
];

/// Tables of `book.toml` that mdBook knows (kr-publish adds `publish`); `MDBOOK_*` environment
/// variables may set keys in them.
const TOP_TABLES: &[&str] = &["book", "build", "rust", "output", "preprocessor", "publish"];

/// Why a key that kr-publish does not read is there, when it is well known.
fn hint(table: &str, key: &str) -> &'static str {
    match (table, key) {
        ("output.epub", "cover-image") => {
            " (mdbook-epub's; kr-publish's cover is `[publish] cover`)"
        }
        ("output.epub", "additional-css") => {
            " (mdbook-epub's; kr-publish's is `[output.epub] extra-css`)"
        }
        ("output.epub", _) => " (mdbook-epub's?)",
        ("output.pdf", _) => " (mdbook-pdf's?)",
        ("build", "create-missing") => {
            " (mdBook's; kr-publish never creates chapters: a missing chapter file is an error)"
        }
        ("build", "build-dir") => " (mdBook's; kr-publish writes where `--out` says)",
        ("book" | "build", _) => " (mdBook's)",
        _ => "",
    }
}

/// The parsed `book.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// `[book]`.
    pub book: BookTable,
    /// `[build]`.
    pub build: BuildTable,
    /// `[publish]`.
    pub publish: PublishTable,
    /// kr-publish's own `[output.X]` tables, deserialised by each backend with
    /// [`Config::output`]; only the keys kr-publish reads are kept.
    pub output: BTreeMap<String, toml::Value>,
    /// `[output.html.code.hidelines]`: language → prefix of the hidden lines of its code blocks.
    pub hidelines: BTreeMap<String, String>,
    /// The book's web address, when `[publish] site-url` or `[output.html] site-url` is an
    /// absolute `http(s)` URL: links that leave the book are resolved against it.
    pub site_url: Option<String>,
    /// Numbered chapters show their numbers, unless `[output.html] no-section-label = true`
    /// (and the book is not proceedings: see the parser).
    pub section_labels: bool,
    /// The Markdown extensions `[output.html]` turns on or off.
    pub markdown: Dialect,
    /// `[preprocessor.*]`, in book.toml's order.
    pub preprocessors: Vec<PreprocessorConfig>,
    /// book.toml as read (with the `MDBOOK_*` overrides), for preprocessors.
    pub toml: toml::Table,
    /// Path of `book.toml`, for diagnostics.
    pub path: String,
    /// The text of `book.toml`, to locate keys in messages without reading it again.
    pub text: String,
    /// What book.toml (or an `MDBOOK_*` variable) sets that kr-publish does not read.
    pub warnings: Vec<Diagnostic>,
}

impl Config {
    /// Parses `book.toml` text; `path` is only used in messages.
    pub fn parse(text: &str, path: &str) -> Result<Config, Diagnostic> {
        Config::parse_with_env(text, path, &[])
    }

    /// Parses `book.toml` text, then applies `MDBOOK_*` overrides from `env` as mdBook does:
    /// `MDBOOK_BOOK__TITLE` sets `book.title` (`__` separates tables, `_` stands for `-`, case
    /// is ignored), with the value read as JSON when it is JSON and as a string otherwise.
    /// Only the tables mdBook knows (and `[publish]`) can be set this way; other `MDBOOK_*`
    /// variables are left alone.
    pub fn parse_with_env(
        text: &str,
        path: &str,
        env: &[(String, String)],
    ) -> Result<Config, Diagnostic> {
        let mut doc: toml::Table = toml::from_str(text).map_err(|e| {
            let (line, col) = match e.span() {
                Some(r) => LineIndex::new(text).locate(text, r.start),
                None => (1, 1),
            };
            let msg = e.message().trim().to_string();
            Diagnostic::error(path, line, col, format!("bad book.toml: {msg}"))
        })?;
        let mut cx = Check::new(text, path);
        cx.apply_env(&mut doc, env)?;
        cx.check(doc)
    }

    /// Line and column of `key = …` in book.toml, for messages about its value.
    pub fn key_position(&self, key: &str) -> (u32, u32) {
        find_key(&self.text, key)
    }

    /// Reads `book.toml` in `book_dir`, with the `MDBOOK_*` environment variables applied.
    pub fn load(book_dir: &Path) -> Result<Config, Diagnostic> {
        let path = book_dir.join("book.toml");
        let shown = crate::diag::shown_path(book_dir, "book.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error_in(shown.clone(), format!("cannot read book.toml: {e}"))
        })?;
        let env: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with("MDBOOK_"))
            .collect();
        Config::parse_with_env(&text, &shown, &env)
    }

    /// The `[output.<name>]` table as `T`; the default when the table is absent.
    pub fn output<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T, Diagnostic> {
        match self.output.get(name) {
            None => Ok(T::default()),
            Some(v) => v.clone().try_into().map_err(|e: toml::de::Error| {
                Diagnostic::error_in(
                    self.path.clone(),
                    format!("bad [output.{name}] table: {}", e.message().trim()),
                )
            }),
        }
    }
}

fn find_key(text: &str, key: &str) -> (u32, u32) {
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with(key) {
            let col = line.len() - line.trim_start().len();
            return (i as u32 + 1, col as u32 + 1);
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests;
