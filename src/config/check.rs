//! Checking book.toml: what kr-publish does not read is warned about, the rest is read
//! strictly, and every message points at the key (or the `MDBOOK_*` variable) at fault.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::{
    hint, BookTable, BuildTable, Config, Dialect, HtmlTable, Key, PreprocessorConfig,
    PreprocessorTable, PublishTable, BOOK_KEYS, BUILD_KEYS, HTML_KEYS, OWN_OUTPUTS, TOP_TABLES,
};
use crate::diag::{Diagnostic, LineIndex};

/// The checks of one book.toml: where its keys are, which ones `MDBOOK_*` variables set, and
/// the warnings found.
pub(super) struct Check<'a> {
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

/// book.toml's tables, sorted out by [`Check::table`] but not yet read as their types.
#[derive(Default)]
struct Tables {
    book: toml::Table,
    build: toml::Table,
    publish: toml::Table,
    output: BTreeMap<String, toml::Value>,
    html: toml::Table,
    preprocessors: Vec<PreprocessorConfig>,
}

impl<'a> Check<'a> {
    pub(super) fn new(text: &'a str, path: &'a str) -> Self {
        Check {
            text,
            path,
            spans: toml::de::DeTable::parse(text).ok(),
            index: LineIndex::new(text),
            env_set: Vec::new(),
            warnings: Vec::new(),
        }
    }
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

    pub(super) fn apply_env(
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
                self.warnings.push(Diagnostic::warning_in(
                    var.clone(),
                    format!("`{dotted}` is not a book.toml key; this variable is ignored"),
                ));
                continue;
            }
            let json = serde_json::from_str(value)
                .unwrap_or_else(|_| serde_json::Value::String(value.clone()));
            let value = toml::Value::try_from(json).map_err(|e| {
                Diagnostic::error_in(
                    var.clone(),
                    format!("its value cannot be a book.toml value: {e}"),
                )
            })?;
            set(doc, &keys, value);
            self.env_set.push((keys, var.clone()));
        }
        Ok(())
    }

    /// Warns about what kr-publish does not read, then reads the rest strictly.
    pub(super) fn check(mut self, doc: toml::Table) -> Result<Config, Diagnostic> {
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
        let mut tables = Tables::default();
        for (name, value) in doc {
            self.table(&mut tables, name, value)?;
        }
        let book: BookTable = self.typed(&["book"], tables.book)?;
        let build: BuildTable = self.typed(&["build"], tables.build)?;
        let publish: PublishTable = self.typed(&["publish"], tables.publish)?;
        let html: HtmlTable = self.typed(&["output", "html"], tables.html)?;
        self.check_outputs(&tables.output)?;
        self.check_publish(&publish)?;
        // mdBook's site-url is often only a path (`/book/`): then links leaving the book
        // cannot be made absolute, and stay text.
        let site_url = publish
            .site_url
            .clone()
            .or(html.site_url.filter(|u| crate::uri::is_web_base(u)));
        Ok(Config {
            book,
            build,
            publish,
            output: tables.output,
            hidelines: html.code.hidelines,
            site_url,
            section_labels: !html.no_section_label,
            preprocessors: tables.preprocessors,
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

    /// Sorts one top-level table of book.toml into `tables`, warning about what is not read.
    fn table(
        &mut self,
        tables: &mut Tables,
        name: String,
        value: toml::Value,
    ) -> Result<(), Diagnostic> {
        match name.as_str() {
            "book" | "build" | "publish" | "output" | "preprocessor" | "rust" => {}
            _ => {
                self.warn(
                    &[&name],
                    format!("`{name}` is neither a kr-publish nor an mdBook setting; ignored"),
                );
                return Ok(());
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
            "book" => tables.book = self.own(&["book"], table, BOOK_KEYS),
            "build" => tables.build = self.own(&["build"], table, BUILD_KEYS),
            "publish" => tables.publish = table,
            "rust" => self.warn(
                &["rust"],
                "[rust] matters to `mdbook test`, which kr-publish does not run; ignored"
                    .to_string(),
            ),
            "preprocessor" => {
                for (pre, value) in table {
                    let p = self.preprocessor(pre, value)?;
                    tables.preprocessors.push(p);
                }
            }
            _ => {
                for (out, value) in table {
                    self.output(tables, out, value)?;
                }
            }
        }
        Ok(())
    }

    /// `[preprocessor.<pre>]`.
    fn preprocessor(
        &mut self,
        pre: String,
        value: toml::Value,
    ) -> Result<PreprocessorConfig, Diagnostic> {
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
        Ok(PreprocessorConfig {
            command: t.command.unwrap_or_else(|| format!("mdbook-{pre}")),
            name: pre,
            before: t.before,
            after: t.after,
            optional: t.optional,
            renderers: t.renderers,
            at,
        })
    }

    /// `[output.<out>]`: kr-publish's own (kept for the backends), mdBook's HTML one (read in
    /// part) or another renderer's (ignored, with a warning).
    fn output(
        &mut self,
        tables: &mut Tables,
        out: String,
        value: toml::Value,
    ) -> Result<(), Diagnostic> {
        let own = OWN_OUTPUTS.iter().find(|(n, _)| *n == out);
        match (own, value) {
            (Some((_, keys)), toml::Value::Table(t)) => {
                let t = self.own(&["output", &out], t, keys);
                tables.output.insert(out, toml::Value::Table(t));
            }
            (Some(_), _) => {
                return Err(self.diag(
                    true,
                    &["output", &out],
                    format!("bad book.toml: `output.{out}` must be a table"),
                ))
            }
            (None, toml::Value::Table(t)) if out == "html" => {
                tables.html = self.html(t);
            }
            (None, _) => self.warn(
                &["output", &out],
                format!(
                    "[output.{out}] is for another renderer (mdbook-{out}?); kr-publish ignores it"
                ),
            ),
        }
        Ok(())
    }

    /// The backends read their tables later: check them now, where errors can be located.
    fn check_outputs(&self, output: &BTreeMap<String, toml::Value>) -> Result<(), Diagnostic> {
        for (name, value) in output {
            use crate::outputs::{EpubOptions, GeminiOptions, PdfOptions};
            let keys = ["output", name.as_str()];
            let table = value.as_table().cloned().unwrap_or_default();
            match name.as_str() {
                "epub" => self.typed::<EpubOptions>(&keys, table).map(|_| ())?,
                "pdf" => {
                    let pdf = self.typed::<PdfOptions>(&keys, table)?;
                    pdf.check().map_err(|e| {
                        self.diag_at(true, &["output", "pdf", e.key()], true, e.to_string())
                    })?;
                }
                "gemini" => {
                    let gemini = self.typed::<GeminiOptions>(&keys, table)?;
                    gemini.base_url().map_err(|e| {
                        self.diag_at(true, &["output", "gemini", e.key()], true, e.to_string())
                    })?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `[publish]`'s values that its types do not check: site-url and date.
    fn check_publish(&self, publish: &PublishTable) -> Result<(), Diagnostic> {
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
        if let Some(date) = &publish.date {
            if !crate::dates::is_iso_date(date) {
                return Err(self.diag(
                    true,
                    &["publish", "date"],
                    format!("bad book.toml: date `{date}` is not YYYY-MM-DD"),
                ));
            }
        }
        Ok(())
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
