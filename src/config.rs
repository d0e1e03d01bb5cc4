//! `book.toml`: mdBook's `[book]` table, our `[publish]` table, and per-backend `[output.X]` tables.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::diag::{Diagnostic, LineIndex};

/// mdBook's `[book]` table. Unknown keys (mdBook has a few more) are ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BookTable {
    pub title: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    #[serde(default = "default_src")]
    pub src: String,
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
}

/// mdBook's `[build]` table; of its keys kr-publish reads `strict`, the others are mdBook's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BuildTable {
    /// Every warning is an error: nothing is degraded silently into a published book.
    #[serde(default)]
    pub strict: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct RawConfig {
    book: BookTable,
    #[serde(default)]
    build: BuildTable,
    #[serde(default)]
    publish: PublishTable,
    #[serde(default)]
    output: BTreeMap<String, toml::Value>,
}

/// The parsed `book.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    pub book: BookTable,
    pub build: BuildTable,
    pub publish: PublishTable,
    /// `[output.X]` tables, deserialised by each backend with [`Config::output`].
    pub output: BTreeMap<String, toml::Value>,
    /// Path of `book.toml`, for diagnostics.
    pub path: String,
}

impl Config {
    /// Parses `book.toml` text; `path` is only used in messages.
    pub fn parse(text: &str, path: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, col) = match e.span() {
                Some(r) => LineIndex::new(text).locate(text, r.start),
                None => (1, 1),
            };
            let msg = e.message().trim().to_string();
            Diagnostic::error(path, line, col, format!("bad book.toml: {msg}"))
        })?;
        if let Some(date) = &raw.publish.date {
            if !is_iso_date(date) {
                let (line, col) = find_key(text, "date");
                return Err(Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("bad book.toml: date `{date}` is not YYYY-MM-DD"),
                ));
            }
        }
        Ok(Config {
            book: raw.book,
            build: raw.build,
            publish: raw.publish,
            output: raw.output,
            path: path.to_string(),
        })
    }

    /// Line and column of `key = …` in book.toml, for messages about its value.
    pub fn key_position(&self, key: &str) -> (u32, u32) {
        std::fs::read_to_string(&self.path).map_or((1, 1), |text| find_key(&text, key))
    }

    pub fn load(book_dir: &Path) -> Result<Config, Diagnostic> {
        let path = book_dir.join("book.toml");
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(shown.clone(), 0, 0, format!("cannot read book.toml: {e}"))
        })?;
        Config::parse(&text, &shown)
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

/// `YYYY-MM-DD` with plausible month and day.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
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
    fn rejects_unknown_publish_key_and_bad_date() {
        let e = Config::parse("[book]\n[publish]\nsubtitel = \"x\"\n", "book.toml")
            .expect_err("unknown key");
        assert_eq!(e.line, 3);
        let e = Config::parse("[book]\n[publish]\ndate = \"27/09/2023\"\n", "book.toml")
            .expect_err("bad date");
        assert_eq!(e.line, 3);
    }
}
