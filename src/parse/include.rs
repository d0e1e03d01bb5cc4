//! mdBook's `links` preprocessor, built in: a text pass over a chapter's Markdown before it is
//! parsed. It expands `{{#include file}}` (whole, `:2`, `::3`, `:2:`, `:2:4`, `:anchor`),
//! `{{#rustdoc_include …}}` (the same, with the other lines of the file kept behind `# ` so
//! that a Rust code block hides them), `{{#playground file attrs}}` (the file as a Rust code
//! block), `{{#title …}}` (the chapter's title), and prints `\{{#…}}` without its backslash.
//! Included text is expanded in turn, up to [`MAX_DEPTH`] levels, as mdBook does.
//!
//! Matching follows mdBook's own rules (its `links.rs`): the same directive syntax, the same line
//! ranges, anchors found anywhere in a line, and the text before a directive on its line
//! repeated before every included line (so an include inside a list item or a quote stays
//! inside it). Two deliberate differences: a missing file, a missing anchor or a cycle is an
//! error at the directive's `file:line:col` (mdBook logs it and builds on), and a whole-file
//! include leaves out the lines that are only an `ANCHOR:`/`ANCHOR_END:` marker (mdBook prints
//! them).
//!
//! Files are named relative to the file that names them and may lie anywhere inside the book's
//! folder, never outside it (after following symlinks).
//!
//! Line numbers: text copied from the chapter keeps its exact position; everything an include
//! inserts is located at its directive. So diagnostics about text after an include point at the
//! right line, and those about included text point at the directive that brought it in.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use crate::diag::{Diagnostic, LineIndex};
use directive::{take_anchored, take_lines, Kind, Link, Scanner, Sel, Taken};
pub(crate) use source_map::SourceMap;

mod directive;
mod source_map;

/// How deeply included files may include others (mdBook's limit).
pub(crate) const MAX_DEPTH: usize = 10;

/// The most text a chapter may grow to through its includes.
const MAX_EXPANDED: usize = 64 << 20;

/// A chapter after the pass.
#[derive(Debug)]
pub(crate) struct Expanded {
    /// The chapter's Markdown with its directives expanded.
    pub text: String,
    /// Offsets in `text` → offsets in the chapter's own text.
    pub map: SourceMap,
    /// Set by `{{#title …}}`.
    pub title: Option<String>,
}

/// Expands the directives of `text[body_start..]`, the Markdown of the chapter at `rel`
/// (relative to `book_dir`). Diagnostics name files as `book_dir.join(rel)`.
pub(crate) fn expand(
    book_dir: &Path,
    rel: &str,
    text: &str,
    body_start: usize,
    diags: &mut Vec<Diagnostic>,
) -> Expanded {
    let body = text.get(body_start..).unwrap_or_default();
    // Fast path: nothing to do for a chapter without directives.
    if !body.contains("{{") {
        return Expanded {
            text: body.to_string(),
            map: SourceMap::identity(body_start),
            title: None,
        };
    }
    let index = LineIndex::new(text);
    let src = Src {
        rel,
        text: body,
        origin: Origin::Chapter {
            whole: text,
            base: body_start,
            index: &index,
        },
    };
    let mut pass = Pass {
        book_dir,
        cache: HashMap::new(),
        diags,
        produced: 0,
        overflow: false,
        too_deep: false,
        title: None,
    };
    let mut map = SourceMap::identity(body_start);
    let out = pass.replace_all(&src, 0, Some(&mut map));
    Expanded {
        text: out,
        map,
        title: pass.title,
    }
}

/// A text being scanned for directives, and where it comes from.
struct Src<'t> {
    /// The file it comes from, relative to the book's directory.
    rel: &'t str,
    text: &'t str,
    origin: Origin<'t>,
}

enum Origin<'t> {
    /// The chapter's own text from `base` on.
    Chapter {
        whole: &'t str,
        base: usize,
        index: &'t LineIndex,
    },
    /// Lines taken from an included file: for each line of `text`, its line number in the
    /// file and how many columns were added before it.
    Taken(&'t [(u32, u32)]),
}

impl Src<'_> {
    /// Line and column, in the file the text comes from, of byte `offset` of the text.
    fn locate(&self, offset: usize) -> (u32, u32) {
        match &self.origin {
            Origin::Chapter { whole, base, index } => index.locate(whole, base + offset),
            Origin::Taken(lines) => {
                let (line, col) = LineIndex::new(self.text).locate(self.text, offset);
                match lines.get(line as usize - 1) {
                    Some(&(no, added)) => (no, col.saturating_sub(added).max(1)),
                    None => (line, col),
                }
            }
        }
    }
}

struct Pass<'a> {
    book_dir: &'a Path,
    /// Files read so far (by path relative to the book), or why they could not be.
    cache: HashMap<String, Result<Rc<str>, Rc<super::ReadError>>>,
    diags: &'a mut Vec<Diagnostic>,
    /// Bytes of text produced so far, at every level; bounded by [`MAX_EXPANDED`].
    produced: usize,
    overflow: bool,
    /// The nesting limit was reported.
    too_deep: bool,
    title: Option<String>,
}

impl Pass<'_> {
    fn shown(&self, rel: &str) -> String {
        crate::diag::shown_path(self.book_dir, rel)
    }

    fn error(&mut self, src: &Src, at: usize, msg: String) {
        let (line, col) = src.locate(at);
        let file = self.shown(src.rel);
        self.diags.push(Diagnostic::error(file, line, col, msg));
    }

    fn warning(&mut self, src: &Src, at: usize, msg: String) {
        let (line, col) = src.locate(at);
        let file = self.shown(src.rel);
        self.diags.push(Diagnostic::warning(file, line, col, msg));
    }

    /// Counts `n` more bytes of output; false (after one error) once the limit is passed.
    fn budget(&mut self, src: &Src, at: usize, n: usize) -> bool {
        if self.overflow {
            return false;
        }
        self.produced += n;
        if self.produced > MAX_EXPANDED {
            self.overflow = true;
            self.error(
                src,
                at,
                format!(
                    "includes make this chapter larger than {} MiB; the rest is left out",
                    MAX_EXPANDED >> 20
                ),
            );
            return false;
        }
        true
    }

    /// mdBook's `replace_all`: `src.text` with every directive replaced. At the chapter's own
    /// level, `map` records where each piece of the result comes from.
    fn replace_all(&mut self, src: &Src, depth: usize, mut map: Option<&mut SourceMap>) -> String {
        let s = src.text;
        let base = match src.origin {
            Origin::Chapter { base, .. } => base,
            Origin::Taken(_) => 0,
        };
        let mut out = String::new();
        let mut prev = 0;
        let mut scan = Scanner::new(s);
        while let Some(link) = scan.next_link() {
            if !self.budget(src, link.start, link.start - prev) {
                return out;
            }
            if let Some(map) = map.as_deref_mut() {
                map.push(out.len(), base + prev, true);
            }
            out.push_str(&s[prev..link.start]);
            let Some(rendered) = self.render(src, &link) else {
                // Left as written (the error says why).
                prev = link.start;
                continue;
            };
            prev = link.end;
            if depth >= MAX_DEPTH {
                // Reported once: a file that includes itself twice gets here 2^10 times.
                if !self.too_deep {
                    self.too_deep = true;
                    let msg = format!(
                        "`{}`: includes nested more than {MAX_DEPTH} deep (does a file include itself?); left out",
                        short(link.text)
                    );
                    self.error(src, link.start, msg);
                }
                continue;
            }
            let new_content = match rendered {
                Rendered::Text(t) => t,
                Rendered::File { rel, taken } => {
                    let inner = Src {
                        rel: &rel,
                        text: &taken.text,
                        origin: Origin::Taken(&taken.lines),
                    };
                    self.replace_all(&inner, depth + 1, None)
                }
            };
            // mdBook repeats what precedes the directive on its line before every included line.
            let prefix = out.rsplit('\n').next().unwrap_or_default().to_string();
            let joined = new_content
                .lines()
                .collect::<Vec<_>>()
                .join(&format!("\n{prefix}"));
            if !self.budget(src, link.start, joined.len()) {
                return out;
            }
            if let Some(map) = map.as_deref_mut() {
                match link.kind {
                    // The escaped directive is the chapter's own text, one byte on.
                    Kind::Escaped => map.push(out.len(), base + link.start + 1, true),
                    _ => map.push(out.len(), base + link.start, false),
                }
            }
            out.push_str(&joined);
        }
        if self.budget(src, prev, s.len() - prev) {
            if let Some(map) = map {
                map.push(out.len(), base + prev, true);
            }
            out.push_str(&s[prev..]);
        }
        out
    }

    /// What one directive stands for, or `None` after an error.
    fn render(&mut self, src: &Src, link: &Link) -> Option<Rendered> {
        match &link.kind {
            Kind::Escaped => Some(Rendered::Text(link.text[1..].to_string())),
            Kind::Title(title) => {
                // The argument may run over lines: a title is one line.
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                if !title.is_empty() {
                    self.title = Some(title);
                }
                Some(Rendered::Text(String::new()))
            }
            Kind::Include(path, sel) | Kind::Rustdoc(path, sel) => {
                let hide = matches!(link.kind, Kind::Rustdoc(..));
                let (rel, content) = self.read(src, link, path)?;
                let taken = match sel {
                    Sel::Lines(range) => {
                        let count = content.lines().count();
                        if range.start > 0 && range.start >= count {
                            let msg = format!(
                                "`{}`: `{rel}` has {count} lines; this range takes none of them",
                                short(link.text)
                            );
                            self.warning(src, link.start, msg);
                        }
                        take_lines(&content, range, hide)
                    }
                    Sel::Anchor(anchor) => match take_anchored(&content, anchor, hide) {
                        Some(t) => t,
                        None => {
                            let msg = format!(
                                "`{}`: `{rel}` has no `ANCHOR: {anchor}` line",
                                short(link.text)
                            );
                            self.error(src, link.start, msg);
                            return None;
                        }
                    },
                };
                Some(Rendered::File { rel, taken })
            }
            Kind::Playground(path, attrs) => {
                let (rel, content) = self.read(src, link, path)?;
                let mut taken = Taken::new();
                let fence = match attrs.is_empty() {
                    true => "```rust".to_string(),
                    false => format!("```rust,{}", attrs.join(",")),
                };
                taken.push(0, "", &fence);
                for (i, line) in content.lines().enumerate() {
                    taken.push(i, "", line);
                }
                taken.push(0, "", "```");
                Some(Rendered::File { rel, taken })
            }
            Kind::Playpen(path, attrs) => {
                let msg = format!(
                    "`{}`: `{{{{#playpen}}}}` is now called `{{{{#playground}}}}`",
                    short(link.text)
                );
                self.warning(src, link.start, msg);
                let link = Link {
                    kind: Kind::Playground(path, attrs.clone()),
                    ..*link
                };
                self.render(src, &link)
            }
        }
    }

    /// The text of the file `path` names (relative to the file holding the directive), with
    /// its path relative to the book.
    fn read(&mut self, src: &Src, link: &Link, path: &str) -> Option<(String, Rc<str>)> {
        let Some(rel) = crate::paths::join(src.rel, path).filter(|r| !r.is_empty()) else {
            let msg = format!(
                "`{}`: `{path}` is outside the book's directory; nothing of it is read",
                short(link.text)
            );
            self.error(src, link.start, msg);
            return None;
        };
        let book_dir = self.book_dir;
        let result = self
            .cache
            .entry(rel.clone())
            .or_insert_with(|| {
                super::read_text(book_dir, &rel, &format!("included file `{rel}`"))
                    .map(|t| Rc::from(t.strip_prefix('\u{feff}').unwrap_or(&t)))
                    .map_err(Rc::new)
            })
            .clone();
        match result {
            Ok(text) => Some((rel, text)),
            Err(msg) => {
                self.error(src, link.start, format!("`{}`: {msg}", short(link.text)));
                None
            }
        }
    }
}

enum Rendered {
    Text(String),
    /// Lines of a file, to be expanded in turn.
    File {
        rel: String,
        taken: Taken,
    },
}

/// A directive's text for messages: its first line, at most 80 characters.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None if line.len() < text.len() => format!("{line}…"),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests;
