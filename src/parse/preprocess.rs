//! External preprocessors, run as mdBook runs them: the programs that `[preprocessor.NAME]`
//! tables of book.toml name (and nothing else), with mdBook's JSON protocol, before kr-publish
//! parses the chapters' Markdown.
//!
//! The protocol (mdBook's `CmdPreprocessor`): `CMD supports kr-publish` first, where exit
//! status 0 means the preprocessor works for this renderer; then `CMD` with the JSON array
//! `[context, book]` on its standard input, and the book, changed, on its standard output.
//! `command` defaults to `mdbook-NAME`; `before`, `after` and mdBook's tie-break by name order
//! the preprocessors, mdBook's own `links` (the include pass, built in here) and `index` among
//! them; `renderers`, when set, decides instead of `supports`. A preprocessor that is not
//! installed is an error unless its table says `optional = true` (then a warning), as in
//! mdBook. One that fails, hangs (past [`TIMEOUT`], then it is killed) or writes something that
//! is not a book is an error that names it.
//!
//! The book sent is built from SUMMARY.md and the chapter files: each chapter's `content` is its
//! Markdown after its front matter. What comes back replaces it, matched by `source_path`.
//! Diagnostics about changed text point where the change starts (see
//! [`SourceMap::edited`]); text a preprocessor left alone keeps its exact place.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::include::{self, Expanded, SourceMap};
use super::summary::{Summary, SummaryItem};
use crate::config::{Config, PreprocessorConfig};
use crate::diag::Diagnostic;

/// The renderer name preprocessors are asked about (`supports kr-publish`).
pub const RENDERER: &str = "kr-publish";

/// The mdBook version whose protocol this follows, sent as `mdbook_version`.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// How long a preprocessor may take, for each of its two runs.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The most a preprocessor may write: far beyond any book.
const MAX_OUTPUT: u64 = 256 << 20;

/// mdBook's own preprocessors: kr-publish does their work itself.
const BUILT_IN: [&str; 2] = ["index", "links"];

/// Runs the book's external preprocessors, in order with the include pass. Returns each
/// chapter's Markdown after them (keyed by its path relative to `src`), or nothing when no
/// external preprocessor runs (the chapters are then read as usual).
pub fn run(
    book_dir: &Path,
    config: &Config,
    summary: &Summary,
    src_rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, Expanded> {
    let pres = &config.preprocessors;
    if pres.iter().all(|p| BUILT_IN.contains(&p.name.as_str())) {
        return HashMap::new();
    }
    let Some(order) = order(pres, diags) else {
        return HashMap::new();
    };
    let mut steps: Vec<Step> = Vec::new();
    for name in order {
        match pres.iter().find(|p| p.name == name) {
            _ if BUILT_IN.contains(&name.as_str()) => steps.push(Step::BuiltIn(name)),
            Some(p) if will_run(p, book_dir, diags) => steps.push(Step::External(p)),
            _ => {}
        }
    }
    if !steps.iter().any(|s| matches!(s, Step::External(_))) {
        return HashMap::new();
    }
    let mut book = Chapters::read(book_dir, summary, src_rel);
    let context = context(book_dir, config);
    for step in steps {
        match step {
            Step::BuiltIn(name) if name == "links" => book.expand_includes(book_dir, diags),
            Step::BuiltIn(_) => book.index = true,
            Step::External(p) => {
                if let Err(d) = book.preprocess(p, book_dir, &context, diags) {
                    diags.push(d);
                    return HashMap::new();
                }
            }
        }
    }
    book.records
        .into_iter()
        .map(|r| {
            (
                r.path,
                Expanded {
                    text: r.text,
                    map: r.map,
                    title: r.title,
                },
            )
        })
        .collect()
}

enum Step<'c> {
    BuiltIn(String),
    External(&'c PreprocessorConfig),
}

fn error(p: &PreprocessorConfig, msg: String) -> Diagnostic {
    Diagnostic::error(p.at.0.clone(), p.at.1, p.at.2, msg)
}

fn warning(p: &PreprocessorConfig, msg: String) -> Diagnostic {
    Diagnostic::warning(p.at.0.clone(), p.at.1, p.at.2, msg)
}

/// The preprocessors in mdBook's order: `before`/`after` respected, and among those free to
/// run, by name. `None` (after an error) for a cycle.
fn order(pres: &[PreprocessorConfig], diags: &mut Vec<Diagnostic>) -> Option<Vec<String>> {
    let mut names: BTreeSet<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
    names.extend(pres.iter().map(|p| p.name.clone()));
    // (first, then): `first` runs before `then`.
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for p in pres {
        for (list, key) in [(&p.before, "before"), (&p.after, "after")] {
            for other in list {
                if !names.contains(other) {
                    diags.push(warning(
                        p,
                        format!(
                            "[preprocessor.{}] {key} names `{other}`, which is not a preprocessor of this book; ignored",
                            p.name
                        ),
                    ));
                    continue;
                }
                edges.insert(match key {
                    "before" => (p.name.clone(), other.clone()),
                    _ => (other.clone(), p.name.clone()),
                });
            }
        }
    }
    let mut out = Vec::new();
    while !names.is_empty() {
        let free: Vec<String> = names
            .iter()
            .filter(|n| !edges.iter().any(|(a, b)| b == *n && names.contains(a)))
            .cloned()
            .collect();
        if free.is_empty() {
            let stuck: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let at = pres
                .iter()
                .find(|p| names.contains(&p.name))
                .or(pres.first());
            let msg = format!(
                "the preprocessors {} must each run before another: their `before` and `after` make a cycle",
                stuck.join(", ")
            );
            diags.push(match at {
                Some(p) => error(p, msg),
                None => Diagnostic::general(msg),
            });
            return None;
        }
        for n in &free {
            names.remove(n);
        }
        out.extend(free);
    }
    Some(out)
}

/// Whether `p` runs for kr-publish: its `renderers`, else its answer to `supports`. Says why
/// not (a warning, or an error for a required preprocessor that is not installed).
fn will_run(p: &PreprocessorConfig, book_dir: &Path, diags: &mut Vec<Diagnostic>) -> bool {
    if let Some(list) = &p.renderers {
        if list.iter().any(|r| r == RENDERER) {
            return true;
        }
        let names: Vec<String> = list.iter().map(|r| format!("`{r}`")).collect();
        diags.push(warning(
            p,
            format!(
                "preprocessor `{}` is not run: its renderers are {}, not `{RENDERER}`",
                p.name,
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
        ));
        return false;
    }
    match execute(p, book_dir, &["supports", RENDERER], None, TIMEOUT) {
        Ok((status, _)) if status.success() => true,
        Ok((status, _)) => {
            diags.push(warning(
                p,
                format!(
                    "preprocessor `{}` is not run: `{} supports {RENDERER}` says it does not support kr-publish ({status})",
                    p.name, p.command
                ),
            ));
            false
        }
        Err(Failure::NotFound(exe)) => {
            diags.push(not_installed(p, &exe));
            false
        }
        Err(f) => {
            diags.push(error(
                p,
                format!(
                    "preprocessor `{}`: `{} supports {RENDERER}` {f}",
                    p.name, p.command
                ),
            ));
            false
        }
    }
}

/// The message for a preprocessor whose program is not found: an error unless it is optional.
fn not_installed(p: &PreprocessorConfig, exe: &str) -> Diagnostic {
    let hint = match exe.starts_with("mdbook-") && !exe.contains(['/', '\\']) {
        true => format!("install it with `cargo install {exe}`"),
        false => format!("install `{exe}`"),
    };
    if p.optional {
        warning(
            p,
            format!(
                "preprocessor `{}` is not installed (`{exe}` was not found); the book is built without it ({hint})",
                p.name
            ),
        )
    } else {
        error(
            p,
            format!(
                "preprocessor `{}` is not installed: `{exe}` was not found; {hint}, or set `optional = true` in [preprocessor.{}] to build without it",
                p.name, p.name
            ),
        )
    }
}

/// Why running a preprocessor's program failed.
enum Failure {
    /// The program does not exist (its name as written).
    NotFound(String),
    Io(std::io::Error),
    TimedOut,
    TooMuch,
    Empty,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NotFound(exe) => write!(f, "failed: `{exe}` was not found"),
            Failure::Io(e) => write!(f, "could not be run: {e}"),
            Failure::TimedOut => write!(
                f,
                "did not finish within {} seconds and was stopped",
                TIMEOUT.as_secs()
            ),
            Failure::TooMuch => write!(f, "wrote more than {} MiB", MAX_OUTPUT >> 20),
            Failure::Empty => write!(f, "cannot be run: the command is empty"),
        }
    }
}

/// Runs `p`'s command with `args` in the book's directory, `input` on its standard input,
/// its standard error passed through; returns its exit status and standard output. A program
/// named with a path (`scripts/pre.sh`) is relative to the book, as in mdBook.
fn execute(
    p: &PreprocessorConfig,
    book_dir: &Path,
    args: &[&str],
    input: Option<Vec<u8>>,
    timeout: Duration,
) -> Result<(ExitStatus, Vec<u8>), Failure> {
    let words = split_command(&p.command);
    let Some((exe, rest)) = words.split_first() else {
        return Err(Failure::Empty);
    };
    let program = match Path::new(exe).components().count() {
        1 => PathBuf::from(exe),
        _ => book_dir.join(exe),
    };
    let mut cmd = Command::new(program);
    cmd.args(rest)
        .args(args)
        .current_dir(book_dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        // Its own process group, so that a timeout stops whatever it started too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound(exe.clone()),
        _ => Failure::Io(e),
    })?;
    let writer = match (child.stdin.take(), input) {
        (Some(mut stdin), Some(bytes)) => Some(std::thread::spawn(move || {
            // A preprocessor may stop reading early (it hung up or failed): its exit status
            // tells, not this write.
            let _ = stdin.write_all(&bytes);
        })),
        _ => None,
    };
    let reader = child.stdout.take().map(|stdout| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let read = stdout.take(MAX_OUTPUT + 1).read_to_end(&mut out);
            read.map(|_| out)
        })
    });
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                stop(&mut child);
                return Err(Failure::TimedOut);
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                stop(&mut child);
                return Err(Failure::Io(e));
            }
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let out = match reader.map(|r| r.join()) {
        Some(Ok(Ok(out))) => out,
        Some(Ok(Err(e))) => return Err(Failure::Io(e)),
        Some(Err(_)) | None => Vec::new(),
    };
    if out.len() as u64 > MAX_OUTPUT {
        return Err(Failure::TooMuch);
    }
    Ok((status, out))
}

/// Kills a preprocessor that ran too long, and what it started, and reaps it.
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group that `process_group(0)`
        // made for this child alone; it touches no memory.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A command line split into words as a POSIX shell would (mdBook uses `shlex`): spaces
/// separate, quotes group, a backslash escapes outside single quotes.
fn split_command(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = cmd.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => word.push(n),
                            Some(n) => {
                                word.push('\\');
                                word.push(n);
                            }
                            None => word.push('\\'),
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The `context` of the protocol: the book's root, its configuration as mdBook's `Config`
/// reads it (which refuses keys it does not know: kr-publish's `[publish]` is left out), the
/// renderer and the mdBook version.
fn context(book_dir: &Path, config: &Config) -> Value {
    let root = std::path::absolute(book_dir).unwrap_or_else(|_| book_dir.to_path_buf());
    let keep = |table: &str, keys: &[&str]| -> Option<Value> {
        let t = config.toml.get(table)?.as_table()?;
        let kept: toml::Table = t
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::to_value(kept).ok()
    };
    let mut cfg = serde_json::Map::new();
    let tables = [
        (
            "book",
            keep(
                "book",
                &[
                    "title",
                    "authors",
                    "description",
                    "src",
                    "language",
                    "text-direction",
                ],
            ),
        ),
        (
            "build",
            keep(
                "build",
                &[
                    "build-dir",
                    "create-missing",
                    "use-default-preprocessors",
                    "extra-watch-dirs",
                ],
            ),
        ),
        ("rust", keep("rust", &["edition"])),
        (
            "output",
            config
                .toml
                .get("output")
                .and_then(|v| serde_json::to_value(v).ok()),
        ),
        (
            "preprocessor",
            config
                .toml
                .get("preprocessor")
                .and_then(|v| serde_json::to_value(v).ok()),
        ),
    ];
    for (name, value) in tables {
        if let Some(v) = value {
            cfg.insert(name.to_string(), v);
        }
    }
    json!({
        "root": root,
        "config": cfg,
        "renderer": RENDERER,
        "mdbook_version": MDBOOK_VERSION,
    })
}

/// One chapter file on its way through the preprocessors.
struct Record {
    /// Relative to the book's `src`, as SUMMARY.md names it.
    path: String,
    /// Relative to the book's directory.
    rel: String,
    /// The file's text (the offsets of diagnostics).
    whole: String,
    body_start: usize,
    /// Its Markdown now, and where each byte of it comes from in `whole`.
    text: String,
    map: SourceMap,
    title: Option<String>,
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

struct Chapters {
    nodes: Vec<Node>,
    records: Vec<Record>,
    /// mdBook's `index` preprocessor has run: `README.md` chapters are `index.md` in `path`.
    index: bool,
}

impl Chapters {
    fn read(book_dir: &Path, summary: &Summary, src_rel: &str) -> Chapters {
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
            .and_then(super::chapter_path)
            .filter(|p| !self.records.iter().any(|r| r.path == *p))
            .and_then(|path| {
                let rel = format!("{src_rel}/{path}");
                let text = super::read_text(book_dir, &rel, "chapter").ok()?;
                let whole = super::chapter_source(&text);
                let body_start = super::frontmatter::split(&whole, &rel).map_or(0, |(_, at)| at);
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
    fn expand_includes(&mut self, book_dir: &Path, diags: &mut Vec<Diagnostic>) {
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
    fn preprocess(
        &mut self,
        p: &PreprocessorConfig,
        book_dir: &Path,
        context: &Value,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Diagnostic> {
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
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pre(name: &str, before: &[&str], after: &[&str]) -> PreprocessorConfig {
        PreprocessorConfig {
            name: name.into(),
            command: format!("mdbook-{name}"),
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            optional: false,
            renderers: None,
            at: ("book.toml".into(), 1, 1),
        }
    }

    #[test]
    fn order_follows_mdbook() {
        let mut d = Vec::new();
        // No constraints: by name, mdBook's own among them.
        let got = order(&[pre("toc", &[], &[]), pre("admonish", &[], &[])], &mut d);
        assert_eq!(
            got,
            Some(vec![
                "admonish".into(),
                "index".into(),
                "links".into(),
                "toc".into()
            ])
        );
        let got = order(
            &[pre("admonish", &[], &["links"]), pre("zz", &["index"], &[])],
            &mut d,
        );
        // In rounds, as mdBook's topological sort: what is free to run, by name, then the rest.
        assert_eq!(
            got,
            Some(vec![
                "links".into(),
                "zz".into(),
                "admonish".into(),
                "index".into()
            ])
        );
        assert!(d.is_empty(), "{d:?}");
        let got = order(&[pre("a", &["b"], &[]), pre("b", &["a"], &[])], &mut d);
        assert_eq!(got, None);
        assert!(d[0].to_string().contains("make a cycle"), "{}", d[0]);
        let mut d = Vec::new();
        order(&[pre("a", &["nope"], &[])], &mut d);
        assert!(d[0].to_string().contains("`nope`"), "{d:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_preprocessor_that_hangs_is_stopped_with_what_it_started() {
        let mut p = pre("slow", &[], &[]);
        // The shell's child keeps standard output open: stopping only the shell would leave
        // the read waiting for it.
        p.command = "sh -c 'sleep 30; echo late'".into();
        let start = Instant::now();
        let got = execute(&p, Path::new("."), &[], None, Duration::from_millis(300));
        assert!(matches!(got, Err(Failure::TimedOut)));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        p.command = "sh -c 'cat; echo done'".into();
        let got = execute(&p, Path::new("."), &[], Some(b"in ".to_vec()), TIMEOUT);
        assert!(matches!(got, Ok((s, out)) if s.success() && out == b"in done\n"));
        p.command = "no-such-program-kr-publish-test".into();
        let got = execute(&p, Path::new("."), &[], None, TIMEOUT);
        assert!(matches!(got, Err(Failure::NotFound(exe)) if exe == p.command));
    }

    #[test]
    fn commands_split_as_a_shell_would() {
        assert_eq!(split_command("python random.py"), ["python", "random.py"]);
        assert_eq!(
            split_command(r#"sh -c 'echo "a b"' "c d\"" e\ f"#),
            ["sh", "-c", "echo \"a b\"", "c d\"", "e f"]
        );
        assert!(split_command("   ").is_empty());
    }
}
