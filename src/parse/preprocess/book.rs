//! The book as mdBook's preprocessors see it: SUMMARY.md's tree with each chapter's Markdown,
//! sent as JSON and read back.

use std::path::Path;

use serde_json::{json, Value};

use super::{error, execute, not_installed, warning, Failure, TIMEOUT};
use crate::config::PreprocessorConfig;
use crate::diag::Diagnostic;
use crate::parse::include::{self, SourceMap};
use crate::parse::summary::{Summary, SummaryItem};

/// One chapter file on its way through the preprocessors.
pub(super) struct Record {
    /// Relative to the book's `src`, as SUMMARY.md names it.
    pub(super) path: String,
    /// Relative to the book's directory.
    rel: String,
    /// The file's text (the offsets of diagnostics).
    whole: String,
    body_start: usize,
    /// Its Markdown now, and where each byte of it comes from in `whole`.
    pub(super) text: String,
    pub(super) map: SourceMap,
    pub(super) title: Option<String>,
    /// Not changed by a preprocessor yet.
    pristine: bool,
}

/// SUMMARY.md's tree, as mdBook's book JSON has it.
enum Node {
    Chapter {
        name: String,
        /// Index into the records; `None` for a draft or a file that cannot be read (kr-publish
        /// reports it when it reads the chapter).
        record: Option<usize>,
        number: Option<Vec<u32>>,
        parents: Vec<String>,
        children: Vec<Node>,
    },
    PartTitle(String),
}

pub(super) struct Chapters {
    nodes: Vec<Node>,
    pub(super) records: Vec<Record>,
    /// mdBook's `index` preprocessor has run: `README.md` chapters are `index.md` in `path`.
    pub(super) index: bool,
}

impl Chapters {
    pub(super) fn read(book_dir: &Path, summary: &Summary, src_rel: &str) -> Chapters {
        let mut book = Chapters {
            nodes: Vec::new(),
            records: Vec::new(),
            index: false,
        };
        let mut nodes = Vec::new();
        for item in &summary.prefix {
            nodes.push(book.node(book_dir, src_rel, item, None, &[]));
        }
        let mut number = 0;
        for part in &summary.parts {
            if !part.title.is_empty() {
                nodes.push(Node::PartTitle(part.title.clone()));
            }
            for item in &part.items {
                number += 1;
                nodes.push(book.node(book_dir, src_rel, item, Some(vec![number]), &[]));
            }
        }
        for item in &summary.suffix {
            nodes.push(book.node(book_dir, src_rel, item, None, &[]));
        }
        book.nodes = nodes;
        book
    }

    fn node(
        &mut self,
        book_dir: &Path,
        src_rel: &str,
        item: &SummaryItem,
        number: Option<Vec<u32>>,
        parents: &[String],
    ) -> Node {
        let record = item
            .path
            .as_deref()
            .and_then(crate::parse::chapter_path)
            .filter(|p| !self.records.iter().any(|r| r.path == *p))
            .and_then(|path| {
                let rel = format!("{src_rel}/{path}");
                let text = crate::parse::read_text(book_dir, &rel, "chapter").ok()?;
                let whole = crate::parse::chapter_source(&text);
                let body_start =
                    crate::parse::frontmatter::split(&whole, &rel).map_or(0, |(_, at)| at);
                let text = whole.get(body_start..).unwrap_or_default().to_string();
                self.records.push(Record {
                    path,
                    rel,
                    text,
                    map: SourceMap::identity(body_start),
                    whole,
                    body_start,
                    title: None,
                    pristine: true,
                });
                Some(self.records.len() - 1)
            });
        let mut inner: Vec<String> = parents.to_vec();
        inner.push(item.title.clone());
        let children = item
            .children
            .iter()
            .enumerate()
            .map(|(i, child)| {
                let n = number.as_ref().map(|n| {
                    let mut n = n.clone();
                    n.push(i as u32 + 1);
                    n
                });
                self.node(book_dir, src_rel, child, n, &inner)
            })
            .collect();
        Node::Chapter {
            name: item.title.clone(),
            record,
            number,
            parents: parents.to_vec(),
            children,
        }
    }

    /// mdBook's `links` preprocessor: the include pass, on the text as it is now.
    pub(super) fn expand_includes(&mut self, book_dir: &Path, diags: &mut Vec<Diagnostic>) {
        for r in &mut self.records {
            if r.pristine {
                let e = include::expand(book_dir, &r.rel, &r.whole, r.body_start, diags);
                r.text = e.text;
                r.map = e.map;
                r.title = e.title.or(r.title.take());
            } else {
                // Directives a preprocessor wrote: located in its text, mapped back from there.
                let e = include::expand(book_dir, &r.rel, &r.text, 0, diags);
                r.map = e.map.then(&r.map);
                r.text = e.text;
                r.title = e.title.or(r.title.take());
            }
        }
    }

    /// mdBook's book JSON: `items` (mdBook 0.5), and `sections` for preprocessors built
    /// against mdBook 0.4.
    fn json(&self) -> Value {
        let items: Vec<Value> = self.nodes.iter().map(|n| self.node_json(n)).collect();
        json!({ "items": items, "sections": items, "__non_exhaustive": null })
    }

    fn node_json(&self, node: &Node) -> Value {
        match node {
            Node::PartTitle(t) => json!({ "PartTitle": t }),
            Node::Chapter {
                name,
                record,
                number,
                parents,
                children,
            } => {
                let r = record.and_then(|i| self.records.get(i));
                let path = r.map(|r| match (self.index, r.path.strip_suffix("README.md")) {
                    (true, Some(dir)) if dir.is_empty() || dir.ends_with('/') => {
                        format!("{dir}index.md")
                    }
                    _ => r.path.clone(),
                });
                json!({ "Chapter": {
                    "name": name,
                    "content": r.map_or("", |r| r.text.as_str()),
                    "number": number,
                    "sub_items": children.iter().map(|c| self.node_json(c)).collect::<Vec<_>>(),
                    "path": path,
                    "source_path": r.map(|r| r.path.as_str()),
                    "parent_names": parents,
                }})
            }
        }
    }

    /// Runs external preprocessor `p` over the book and takes each chapter's text back.
    pub(super) fn preprocess(
        &mut self,
        p: &PreprocessorConfig,
        book_dir: &Path,
        context: &Value,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let back = self.exchange(p, book_dir, context)?;
        self.take_back(p, back, diags);
        Ok(())
    }

    /// Sends the book to `p`; returns (path, content) of every chapter it sends back.
    fn exchange(
        &self,
        p: &PreprocessorConfig,
        book_dir: &Path,
        context: &Value,
    ) -> Result<Vec<(String, String)>, Diagnostic> {
        let input = serde_json::to_vec(&json!([context, self.json()]))
            .map_err(|e| error(p, format!("preprocessor `{}`: {e}", p.name)))?;
        let (status, out) = match execute(p, book_dir, &[], Some(input), TIMEOUT) {
            Ok(x) => x,
            Err(Failure::NotFound(exe)) => return Err(not_installed(p, &exe)),
            Err(f) => return Err(error(p, format!("preprocessor `{}` {f}", p.name))),
        };
        if !status.success() {
            return Err(error(
                p,
                format!(
                    "preprocessor `{}` (`{}`) failed ({status}); see its messages above",
                    p.name, p.command
                ),
            ));
        }
        let book: Value = serde_json::from_slice(&out).map_err(|e| {
            error(
                p,
                format!(
                    "preprocessor `{}` did not write a book in mdBook's JSON: {e}",
                    p.name
                ),
            )
        })?;
        let Some(items) = book
            .get("items")
            .or_else(|| book.get("sections"))
            .and_then(Value::as_array)
        else {
            return Err(error(
                p,
                format!(
                    "preprocessor `{}` did not write a book in mdBook's JSON: it has no `items`",
                    p.name
                ),
            ));
        };
        let mut back: Vec<(String, String)> = Vec::new();
        collect(items, &mut back);
        Ok(back)
    }

    /// Puts the chapters' texts `p` sent back in their records; a chapter it added or left out
    /// is a warning.
    fn take_back(
        &mut self,
        p: &PreprocessorConfig,
        back: Vec<(String, String)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut seen = vec![false; self.records.len()];
        for (path, content) in back {
            let found = self
                .records
                .iter()
                .position(|r| r.path == path)
                .or_else(|| {
                    // Only `path` given, after `index` renamed README.md.
                    let readme = path
                        .strip_suffix("index.md")
                        .map(|d| format!("{d}README.md"));
                    self.records
                        .iter()
                        .position(|r| Some(&r.path) == readme.as_ref())
                });
            let Some(i) = found else {
                diags.push(warning(
                    p,
                    format!(
                        "preprocessor `{}` added the chapter `{path}`, which SUMMARY.md does not list; it is left out",
                        p.name
                    ),
                ));
                continue;
            };
            seen[i] = true;
            let r = &mut self.records[i];
            if r.text != content {
                r.map = r.map.edited(&r.text, &content);
                r.text = content;
                r.pristine = false;
            }
        }
        for (r, seen) in self.records.iter().zip(seen) {
            if !seen {
                diags.push(warning(
                    p,
                    format!(
                        "preprocessor `{}` left out the chapter `{}`; it is kept as it was",
                        p.name, r.path
                    ),
                ));
            }
        }
    }
}

/// (path, content) of every chapter of mdBook book items, depth first.
fn collect(items: &[Value], out: &mut Vec<(String, String)>) {
    for item in items {
        let Some(ch) = item.get("Chapter") else {
            continue;
        };
        let path = ch
            .get("source_path")
            .and_then(Value::as_str)
            .or_else(|| ch.get("path").and_then(Value::as_str));
        if let (Some(path), Some(content)) = (path, ch.get("content").and_then(Value::as_str)) {
            out.push((path.replace('\\', "/"), content.to_string()));
        }
        if let Some(sub) = ch.get("sub_items").and_then(Value::as_array) {
            collect(sub, out);
        }
    }
}
