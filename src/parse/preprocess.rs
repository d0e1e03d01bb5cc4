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

mod book;

use super::include::Expanded;
use super::summary::Summary;
use crate::config::{Config, PreprocessorConfig};
use crate::diag::Diagnostic;
use book::Chapters;

/// The renderer name preprocessors are asked about (`supports kr-publish`).
pub(crate) const RENDERER: &str = "kr-publish";

/// The mdBook version whose protocol this follows, sent as `mdbook_version`.
pub(crate) const MDBOOK_VERSION: &str = "0.5.4";

/// How long a preprocessor may take, for each of its two runs.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// The most a preprocessor may write: far beyond any book.
const MAX_OUTPUT: u64 = 256 << 20;

/// mdBook's own preprocessors: kr-publish does their work itself.
const BUILT_IN: [&str; 2] = ["index", "links"];

/// Runs the book's external preprocessors, in order with the include pass. Returns each
/// chapter's Markdown after them (keyed by its path relative to `src`), or nothing when no
/// external preprocessor runs (the chapters are then read as usual).
pub(crate) fn run(
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
    let (mut cmd, exe) = command(p, book_dir, args, input.is_some())?;
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound(exe),
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
    let status = wait(&mut child, timeout)?;
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

/// `p`'s command with `args`, to run in the book's directory; with the program's name as
/// written.
fn command(
    p: &PreprocessorConfig,
    book_dir: &Path,
    args: &[&str],
    input: bool,
) -> Result<(Command, String), Failure> {
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
        .stdin(if input { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        // Its own process group, so that a timeout stops whatever it started too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    Ok((cmd, exe.clone()))
}

/// Waits for `child` to exit; past `timeout` it is stopped.
fn wait(child: &mut std::process::Child, timeout: Duration) -> Result<ExitStatus, Failure> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => {
                stop(child);
                return Err(Failure::TimedOut);
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                stop(child);
                return Err(Failure::Io(e));
            }
        }
    }
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

#[cfg(test)]
mod tests;
