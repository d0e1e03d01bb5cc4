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

/// mdBook's `[book]` table, as far as kr-publish reads it (see [`BOOK_KEYS`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BookTable {
    pub title: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub description: Option<String>,
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
    #[serde(rename = "ltr")]
    Ltr,
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
    pub subtitle: Option<String>,
    pub identifier: Option<String>,
    pub date: Option<String>,
    pub publisher: Option<String>,
    #[serde(default)]
    pub subjects: Vec<String>,
    pub base_name: Option<String>,
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
    pub smart_punctuation: bool,
    pub definition_lists: bool,
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
    pub name: String,
    /// `command`; `mdbook-NAME` by default.
    pub command: String,
    /// Preprocessors this one runs before, and after.
    pub before: Vec<String>,
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
pub struct Key {
    pub name: &'static str,
    pub sub: Option<&'static [Key]>,
}

const fn key(name: &'static str) -> Key {
    Key { name, sub: None }
}

/// The keys of `[book]` kr-publish reads; mdBook's others are warned about.
pub const BOOK_KEYS: &[Key] = &[
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
    pub book: BookTable,
    pub build: BuildTable,
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
        let mut cx = Check {
            text,
            path,
            spans: toml::de::DeTable::parse(text).ok(),
            index: LineIndex::new(text),
            env_set: Vec::new(),
            warnings: Vec::new(),
        };
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
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(shown.clone(), 0, 0, format!("cannot read book.toml: {e}"))
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
                Diagnostic::error(
                    self.path.clone(),
                    0,
                    0,
                    format!("bad [output.{name}] table: {}", e.message().trim()),
                )
            }),
        }
    }
}

/// The checks of one book.toml: where its keys are, which ones `MDBOOK_*` variables set, and
/// the warnings found.
struct Check<'a> {
    text: &'a str,
    path: &'a str,
    spans: Option<toml::Spanned<toml::de::DeTable<'a>>>,
    index: LineIndex,
    /// Keys set by environment variables, with the variable's name; later ones win.
    env_set: Vec<(Vec<String>, String)>,
    warnings: Vec<Diagnostic>,
}

/// Where a message about book.toml points: a line of the file, or an environment variable.
enum Place {
    File(u32, u32),
    Env(String),
}

impl Check<'_> {
    /// Where the key at `keys` (a path of table names and a key) was set; with `value`, where
    /// its value is written, unless it is a table.
    fn place(&self, keys: &[&str], value: bool) -> Place {
        let from_env = |exact: bool| {
            self.env_set
                .iter()
                .rev()
                .find(|(set, _)| {
                    let n = set.len().min(keys.len());
                    set[..n] == keys[..n] && (exact == (set.len() <= keys.len()))
                })
                .map(|(_, var)| Place::Env(var.clone()))
        };
        if let Some(p) = from_env(true) {
            return p;
        }
        if let Some(at) = self.key_offset(keys, value) {
            let (line, col) = self.index.locate(self.text, at);
            return Place::File(line, col);
        }
        from_env(false).unwrap_or(Place::File(1, 1))
    }

    /// Byte offset of the deepest key of `keys` written in the file (with `want_value`, of the
    /// value of the last key when it is written and is not a table).
    fn key_offset(&self, keys: &[&str], want_value: bool) -> Option<usize> {
        let mut table = self.spans.as_ref()?.get_ref();
        let mut found = None;
        for (i, k) in keys.iter().enumerate() {
            let Some((key, value)) = table.iter().find(|(key, _)| key.get_ref() == k) else {
                break;
            };
            found = Some(key.span().start);
            match value.get_ref() {
                toml::de::DeValue::Table(t) => table = t,
                _ if want_value && i + 1 == keys.len() => found = Some(value.span().start),
                _ => break,
            }
        }
        found
    }

    fn diag(&self, error: bool, keys: &[&str], msg: String) -> Diagnostic {
        self.diag_at(error, keys, false, msg)
    }

    fn diag_at(&self, error: bool, keys: &[&str], value: bool, msg: String) -> Diagnostic {
        let (file, line, col, msg) = match self.place(keys, value) {
            Place::File(line, col) => (self.path.to_string(), line, col, msg),
            Place::Env(var) => (var, 0, 0, format!("{msg} (from this environment variable)")),
        };
        match error {
            true => Diagnostic::error(file, line, col, msg),
            false => Diagnostic::warning(file, line, col, msg),
        }
    }

    fn warn(&mut self, keys: &[&str], msg: String) {
        let d = self.diag(false, keys, msg);
        self.warnings.push(d);
    }

    fn apply_env(
        &mut self,
        doc: &mut toml::Table,
        env: &[(String, String)],
    ) -> Result<(), Diagnostic> {
        let mut env: Vec<&(String, String)> = env.iter().collect();
        env.sort();
        for (var, value) in env {
            let Some(name) = var.strip_prefix("MDBOOK_") else {
                continue;
            };
            let dotted = name.to_lowercase().replace("__", ".").replace('_', "-");
            let keys: Vec<String> = dotted.split('.').map(str::to_string).collect();
            if !TOP_TABLES.contains(&keys[0].as_str()) {
                continue; // MDBOOK_VERSION and the like are not settings
            }
            if keys.iter().any(String::is_empty) {
                self.warnings.push(Diagnostic::warning(
                    var.clone(),
                    0,
                    0,
                    format!("`{dotted}` is not a book.toml key; this variable is ignored"),
                ));
                continue;
            }
            let json = serde_json::from_str(value)
                .unwrap_or_else(|_| serde_json::Value::String(value.clone()));
            let value = toml::Value::try_from(json).map_err(|e| {
                Diagnostic::error(
                    var.clone(),
                    0,
                    0,
                    format!("its value cannot be a book.toml value: {e}"),
                )
            })?;
            set(doc, &keys, value);
            self.env_set.push((keys, var.clone()));
        }
        Ok(())
    }

    /// Warns about what kr-publish does not read, then reads the rest strictly.
    fn check(mut self, doc: toml::Table) -> Result<Config, Diagnostic> {
        let mut book = toml::Table::new();
        let mut build = toml::Table::new();
        let mut publish = toml::Table::new();
        let mut output = BTreeMap::new();
        let mut html = toml::Table::new();
        let mut preprocessors = Vec::new();
        let raw = doc.clone();
        if !doc.contains_key("book") {
            // mdBook would build on with an untitled book; a publisher needs the table.
            return Err(Diagnostic::error(
                self.path,
                1,
                1,
                "bad book.toml: missing field `book`",
            ));
        }
        for (name, value) in doc {
            match name.as_str() {
                "book" | "build" | "publish" | "output" | "preprocessor" | "rust" => {}
                _ => {
                    self.warn(
                        &[&name],
                        format!("`{name}` is neither a kr-publish nor an mdBook setting; ignored"),
                    );
                    continue;
                }
            }
            let toml::Value::Table(table) = value else {
                return Err(self.diag(
                    true,
                    &[&name],
                    format!("bad book.toml: `{name}` must be a table"),
                ));
            };
            match name.as_str() {
                "book" => book = self.own(&["book"], table, BOOK_KEYS),
                "build" => build = self.own(&["build"], table, BUILD_KEYS),
                "publish" => publish = table,
                "rust" => self.warn(
                    &["rust"],
                    "[rust] matters to `mdbook test`, which kr-publish does not run; ignored"
                        .to_string(),
                ),
                "preprocessor" => {
                    for (pre, value) in table {
                        let keys = ["preprocessor", pre.as_str()];
                        let toml::Value::Table(t) = value else {
                            return Err(self.diag(
                                true,
                                &keys,
                                format!("bad book.toml: `preprocessor.{pre}` must be a table"),
                            ));
                        };
                        let t: PreprocessorTable = self.typed(&keys, t)?;
                        let at = match self.place(&keys, false) {
                            Place::File(line, col) => (self.path.to_string(), line, col),
                            Place::Env(var) => (var, 0, 0),
                        };
                        preprocessors.push(PreprocessorConfig {
                            command: t.command.unwrap_or_else(|| format!("mdbook-{pre}")),
                            name: pre,
                            before: t.before,
                            after: t.after,
                            optional: t.optional,
                            renderers: t.renderers,
                            at,
                        });
                    }
                }
                _ => {
                    for (out, value) in table {
                        let own = OWN_OUTPUTS.iter().find(|(n, _)| *n == out);
                        match (own, value) {
                            (Some((_, keys)), toml::Value::Table(t)) => {
                                let t = self.own(&["output", &out], t, keys);
                                output.insert(out, toml::Value::Table(t));
                            }
                            (Some(_), _) => {
                                return Err(self.diag(
                                    true,
                                    &["output", &out],
                                    format!("bad book.toml: `output.{out}` must be a table"),
                                ))
                            }
                            (None, toml::Value::Table(t)) if out == "html" => {
                                html = self.html(t);
                            }
                            (None, _) => self.warn(
                                &["output", &out],
                                format!(
                                    "[output.{out}] is for another renderer (mdbook-{out}?); kr-publish ignores it"
                                ),
                            ),
                        }
                    }
                }
            }
        }
        let book: BookTable = self.typed(&["book"], book)?;
        let build: BuildTable = self.typed(&["build"], build)?;
        let publish: PublishTable = self.typed(&["publish"], publish)?;
        let html: HtmlTable = self.typed(&["output", "html"], html)?;
        // The backends read their tables later: check them now, where errors can be located.
        for (name, value) in &output {
            use crate::outputs::{EpubOptions, GeminiOptions, PdfOptions};
            let keys = ["output", name.as_str()];
            let table = value.as_table().cloned().unwrap_or_default();
            match name.as_str() {
                "epub" => self.typed::<EpubOptions>(&keys, table).map(|_| ())?,
                "pdf" => {
                    let pdf = self.typed::<PdfOptions>(&keys, table)?;
                    pdf.check()
                        .map_err(|msg| self.diag_at(true, &["output", "pdf", "page"], true, msg))?;
                }
                "gemini" => {
                    let gemini = self.typed::<GeminiOptions>(&keys, table)?;
                    gemini.base_url().map_err(|msg| {
                        self.diag_at(true, &["output", "gemini", "base-url"], true, msg)
                    })?;
                }
                _ => {}
            }
        }
        if let Some(url) = &publish.site_url {
            if !crate::uri::is_web_base(url) {
                return Err(self.diag_at(
                    true,
                    &["publish", "site-url"],
                    true,
                    format!("bad book.toml: site-url `{url}` is not an absolute http(s) address"),
                ));
            }
        }
        // mdBook's site-url is often only a path (`/book/`): then links leaving the book
        // cannot be made absolute, and stay text.
        let site_url = publish
            .site_url
            .clone()
            .or(html.site_url.filter(|u| crate::uri::is_web_base(u)));
        if let Some(date) = &publish.date {
            if !crate::dates::is_iso_date(date) {
                return Err(self.diag(
                    true,
                    &["publish", "date"],
                    format!("bad book.toml: date `{date}` is not YYYY-MM-DD"),
                ));
            }
        }
        Ok(Config {
            book,
            build,
            publish,
            output,
            hidelines: html.code.hidelines,
            site_url,
            section_labels: !html.no_section_label,
            preprocessors,
            toml: raw,
            markdown: Dialect {
                smart_punctuation: html.smart_punctuation.unwrap_or(true),
                definition_lists: html.definition_lists.unwrap_or(true),
                admonitions: html.admonitions.unwrap_or(true),
                math: html.mathjax_support,
            },
            path: self.path.to_string(),
            text: self.text.to_string(),
            warnings: self.warnings,
        })
    }

    /// One of kr-publish's tables: a warning for each key it does not read, and the table
    /// without them.
    fn own(&mut self, at: &[&str], table: toml::Table, keys: &[Key]) -> toml::Table {
        let mut unknown = Vec::new();
        let kept = filter(table, keys, &mut Vec::new(), &mut unknown);
        let name = at.join(".");
        for path in unknown {
            let mut full: Vec<&str> = at.to_vec();
            full.extend(path.iter().map(String::as_str));
            let shown = path.join(".");
            let last = path.last().map_or("", String::as_str);
            let near = known_near(keys, &path);
            let why = match &near {
                Some(k) => format!(" (did you mean `{k}`?)"),
                None => hint(&name, last).to_string(),
            };
            self.warn(
                &full,
                format!("`{shown}` in [{name}] is not a kr-publish setting{why}; ignored"),
            );
        }
        kept
    }

    /// mdBook's `[output.html]`: one warning naming what kr-publish ignores there.
    fn html(&mut self, table: toml::Table) -> toml::Table {
        let mut unknown = Vec::new();
        let kept = filter(table, HTML_KEYS, &mut Vec::new(), &mut unknown);
        if !unknown.is_empty() {
            let names: Vec<String> = unknown
                .iter()
                .map(|p| format!("`{}`", p.join(".")))
                .collect();
            let mut read = Vec::new();
            for k in HTML_KEYS {
                match k.sub {
                    Some(sub) => {
                        read.extend(sub.iter().map(|s| format!("`{}.{}`", k.name, s.name)))
                    }
                    None => read.push(format!("`{}`", k.name)),
                }
            }
            self.warn(
                &["output", "html"],
                format!(
                    "[output.html] is for mdBook's HTML renderer: kr-publish reads only {} there and ignores {}",
                    read.join(", "),
                    names.join(", ")
                ),
            );
        }
        kept
    }

    /// `table` read strictly as `T`; an error names the key at fault.
    fn typed<T: DeserializeOwned>(&self, at: &[&str], table: toml::Table) -> Result<T, Diagnostic> {
        let err = match toml::Value::Table(table.clone()).try_into::<T>() {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let name = at.join(".");
        // The key at fault is the one that fails on its own.
        for (k, v) in table {
            let one: toml::Table = std::iter::once((k.clone(), v)).collect();
            if let Err(e) = toml::Value::Table(one).try_into::<T>() {
                let mut keys = at.to_vec();
                keys.push(&k);
                let msg = e.message().trim();
                // A bad value is shown where it is written, an unknown key where it is.
                let value = !msg.starts_with("unknown field");
                let msg = format!("bad book.toml: [{name}] `{k}`: {msg}");
                return Err(self.diag_at(true, &keys, value, msg));
            }
        }
        let msg = format!("bad book.toml: [{name}]: {}", err.message().trim());
        Err(self.diag(true, at, msg))
    }
}

/// The key kr-publish reads that the unknown key at `path` (under `keys`) misspells, when it
/// differs only in case or `_` for `-`.
fn known_near(keys: &[Key], path: &[String]) -> Option<String> {
    let (last, parents) = path.split_last()?;
    let mut keys = keys;
    for p in parents {
        keys = keys.iter().find(|k| k.name == p)?.sub?;
    }
    let norm = last.to_lowercase().replace('_', "-");
    keys.iter()
        .find(|k| k.name == norm)
        .map(|k| k.name.to_string())
}

/// `table` with only the keys of `keys` (recursively); the paths of the others go to `unknown`.
fn filter(
    table: toml::Table,
    keys: &[Key],
    path: &mut Vec<String>,
    unknown: &mut Vec<Vec<String>>,
) -> toml::Table {
    let mut kept = toml::Table::new();
    for (k, v) in table {
        match (keys.iter().find(|key| key.name == k), v) {
            (Some(Key { sub: Some(sub), .. }), toml::Value::Table(t)) => {
                path.push(k.clone());
                let t = filter(t, sub, path, unknown);
                path.pop();
                kept.insert(k, toml::Value::Table(t));
            }
            (Some(_), v) => {
                kept.insert(k, v);
            }
            (None, _) => {
                let mut p = path.clone();
                p.push(k);
                unknown.push(p);
            }
        }
    }
    kept
}

/// Sets `keys` in `doc` to `value`, making tables on the way (a value in the way is replaced).
fn set(doc: &mut toml::Table, keys: &[String], value: toml::Value) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut table = doc;
    for k in parents {
        let entry = table
            .entry(k.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(t) = entry else {
            return;
        };
        table = t;
    }
    table.insert(last.clone(), value);
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
mod tests {
    use super::*;

    #[test]
    fn parses_mdbook_and_publish_tables() {
        let c = Config::parse(
            "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nlanguage = \"en\"\nmultilingual = false\n\n[publish]\nbase-name = \"t\"\ndate = \"2023-09-27\"\n\n[output.epub]\nembed-fonts = true\n",
            "book.toml",
        )
        .expect("valid");
        assert_eq!(c.book.title.as_deref(), Some("T"));
        assert_eq!(c.book.src, "src");
        assert_eq!(c.publish.base_name.as_deref(), Some("t"));
        assert!(c.output.contains_key("epub"));
    }

    #[test]
    fn reports_line_of_bad_toml() {
        let e = Config::parse("[book]\ntitle = \"T\"\nauthors = 3\n", "b/book.toml")
            .expect_err("invalid");
        assert_eq!((e.line, e.file.as_deref()), (3, Some("b/book.toml")));
        assert!(e.message.contains("bad book.toml"), "{}", e.message);
    }

    #[test]
    fn foreign_keys_and_tables_are_located_warnings() {
        let text = "[book]\ntitle = \"T\"\nmultilingual = false\n\n[rust]\nedition = \"2021\"\n\n[output.html]\nsite-url = \"/x/\"\n\n[output.html.code.hidelines]\npython = \"~\"\n\n[output.html.playground]\neditable = true\n\n[output.epub]\ncover-image = \"c.png\"\nembed-fonts = true\n\n[output.pdf]\nlandscape = true\npage = \"a5\"\n\n[output.linkcheck]\n\n[preprocessor.links]\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\n\n[build]\ncreate-missing = false\n";
        let c = Config::parse(text, "book.toml").expect("only warnings");
        let got: Vec<String> = c.warnings.iter().map(|d| d.to_string()).collect();
        let want = [
            "book.toml:3:1: warning: `multilingual` in [book] is not a kr-publish setting (mdBook's); ignored",
            "book.toml:32:1: warning: `create-missing` in [build] is not a kr-publish setting (mdBook's; kr-publish never creates chapters: a missing chapter file is an error); ignored",
            "book.toml:8:9: warning: [output.html] is for mdBook's HTML renderer: kr-publish reads only `code.hidelines`, `smart-punctuation`, `definition-lists`, `admonitions`, `mathjax-support`, `no-section-label`, `site-url` there and ignores `playground`",
            "book.toml:18:1: warning: `cover-image` in [output.epub] is not a kr-publish setting (mdbook-epub's; kr-publish's cover is `[publish] cover`); ignored",
            "book.toml:22:1: warning: `landscape` in [output.pdf] is not a kr-publish setting (mdbook-pdf's?); ignored",
            "book.toml:25:9: warning: [output.linkcheck] is for another renderer (mdbook-linkcheck?); kr-publish ignores it",
            "book.toml:5:2: warning: [rust] matters to `mdbook test`, which kr-publish does not run; ignored",
        ];
        for w in want {
            assert!(got.iter().any(|g| g == w), "missing {w}\nin {got:#?}");
        }
        assert_eq!(got.len(), want.len(), "{got:#?}");
        assert_eq!(c.hidelines.get("python").map(String::as_str), Some("~"));
        let pres: Vec<(&str, &str, (u32, u32))> = c
            .preprocessors
            .iter()
            .map(|p| (p.name.as_str(), p.command.as_str(), (p.at.1, p.at.2)))
            .collect();
        assert_eq!(
            pres,
            [
                ("admonish", "mdbook-admonish", (28, 15)),
                ("links", "mdbook-links", (27, 15))
            ]
        );
        // Kept keys are still read, and foreign ones are not passed to the backends.
        let pdf = c.output.get("pdf").and_then(|v| v.as_table()).expect("pdf");
        assert_eq!(pdf.keys().collect::<Vec<_>>(), vec!["page"]);
    }

    #[test]
    fn own_keys_stay_strict() {
        let e = Config::parse(
            "[book]\n[output.pdf]\nlandscape = 1\npage = 3\n",
            "book.toml",
        )
        .expect_err("bad type");
        assert_eq!(
            e.to_string(),
            "book.toml:4:8: error: bad book.toml: [output.pdf] `page`: invalid type: integer `3`, expected a string"
        );
        let e = Config::parse("[book]\n[output.pdf.fonts]\nmono = true\n", "book.toml")
            .expect_err("bad");
        assert_eq!((e.line, e.col), (2, 13), "{e}");
        let e = Config::parse(
            "[book]\n[output.html.code.hidelines]\npython = 1\n",
            "book.toml",
        )
        .expect_err("bad hidelines");
        assert!(e.message.contains("[output.html] `code`"), "{e}");
        let e = Config::parse(
            "[book]\n[preprocessor.x]\noptional = \"yes\"\n",
            "book.toml",
        )
        .expect_err("bad optional");
        assert_eq!((e.line, e.col), (3, 12), "{e}");
        let e =
            Config::parse("[book]\n[output]\nepub = 3\n", "book.toml").expect_err("not a table");
        assert_eq!(e.line, 3, "{e}");
        let e =
            Config::parse("[publish]\nbase-name = \"x\"\n", "book.toml").expect_err("no [book]");
        assert_eq!(
            e.to_string(),
            "book.toml:1:1: error: bad book.toml: missing field `book`"
        );
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_overrides_as_mdbook() {
        let c =
            Config::parse("[book]\n[output.gemini]\nbase_url = \"x\"\n", "book.toml").expect("ok");
        assert_eq!(
            c.warnings[0].to_string(),
            "book.toml:3:1: warning: `base_url` in [output.gemini] is not a kr-publish setting (did you mean `base-url`?); ignored"
        );
        let text = "[book]\ntitle = \"T\"\n";
        let c = Config::parse_with_env(
            text,
            "book.toml",
            &env(&[
                ("MDBOOK_BOOK__TITLE", "From env"),
                ("MDBOOK_book__authors", "[\"A\", \"B\"]"),
                ("MDBOOK_BUILD__STRICT", "true"),
                ("MDBOOK_OUTPUT__PDF__PAGE", "a5"),
                (
                    "MDBOOK_OUTPUT__HTML__CODE__HIDELINES",
                    "{\"python\": \"~\"}",
                ),
                ("MDBOOK_PUBLISH__BASE_NAME", "b"),
                ("MDBOOK_VERSION", "0.4.40"),
            ]),
        )
        .expect("valid");
        assert_eq!(c.book.title.as_deref(), Some("From env"));
        assert_eq!(c.book.authors, vec!["A", "B"]);
        assert!(c.build.strict);
        assert_eq!(c.publish.base_name.as_deref(), Some("b"));
        assert_eq!(c.hidelines.get("python").map(String::as_str), Some("~"));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let page = c.output.get("pdf").and_then(|p| p.get("page"));
        assert_eq!(page.and_then(|p| p.as_str()), Some("a5"));
        // The whole table at once, as mdBook's docs show.
        let c = Config::parse_with_env(
            text,
            "book.toml",
            &env(&[("MDBOOK_BOOK", "{\"title\": \"Whole\"}")]),
        )
        .expect("valid");
        assert_eq!(c.book.title.as_deref(), Some("Whole"));
        // Errors and warnings name the variable.
        let e = Config::parse_with_env(text, "book.toml", &env(&[("MDBOOK_BOOK__TITLE", "3")]))
            .expect_err("a number is no title");
        assert_eq!(
            e.to_string(),
            "MDBOOK_BOOK__TITLE: error: bad book.toml: [book] `title`: invalid type: integer `3`, expected a string (from this environment variable)"
        );
        let c = Config::parse_with_env(
            text,
            "book.toml",
            &env(&[("MDBOOK_OUTPUT__EPUB__COVER_IMAGE", "c.png")]),
        )
        .expect("a warning");
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(
            c.warnings[0].file.as_deref(),
            Some("MDBOOK_OUTPUT__EPUB__COVER_IMAGE")
        );
    }

    #[test]
    fn rejects_unknown_publish_key_and_bad_date() {
        let e = Config::parse("[book]\n[publish]\nsubtitel = \"x\"\n", "book.toml")
            .expect_err("unknown key");
        assert_eq!(e.line, 3);
        let e = Config::parse("[book]\n[publish]\ndate = \"27/09/2023\"\n", "book.toml")
            .expect_err("bad date");
        assert_eq!(e.line, 3);
    }
}
