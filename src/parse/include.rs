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

/// How deeply included files may include others (mdBook's limit).
pub const MAX_DEPTH: usize = 10;

/// The most text a chapter may grow to through its includes.
const MAX_EXPANDED: usize = 64 << 20;

/// Maps byte offsets of an expanded chapter back to offsets in the chapter's own text.
#[derive(Debug, Clone)]
pub struct SourceMap {
    segs: Vec<Seg>,
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Where the segment starts in the expanded text.
    out: usize,
    /// Where it comes from in the chapter's text (for inserted text: its directive).
    orig: usize,
    /// Copied from the chapter as is, so offsets inside it map one to one.
    verbatim: bool,
}

impl SourceMap {
    /// The map of a text that is the chapter's own from `base` on.
    pub fn identity(base: usize) -> Self {
        Self {
            segs: vec![Seg {
                out: 0,
                orig: base,
                verbatim: true,
            }],
        }
    }

    /// The offset in the chapter's text that expanded offset `out` comes from.
    pub fn orig(&self, out: usize) -> usize {
        let i = self.segs.partition_point(|s| s.out <= out);
        match i.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some(s) if s.verbatim => s.orig + (out - s.out),
            Some(s) => s.orig,
            None => out,
        }
    }

    /// The map of `new`, a text that replaced `old` (whose offsets this map maps): text the
    /// two share at their start and end keeps its place, the changed middle points at where
    /// the change starts.
    pub fn edited(&self, old: &str, new: &str) -> SourceMap {
        let mut prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let most = old.len().min(new.len()) - prefix;
        let mut suffix = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(most)
            .take_while(|(a, b)| a == b)
            .count();
        while !new.is_char_boundary(new.len() - suffix) || !old.is_char_boundary(old.len() - suffix)
        {
            suffix -= 1;
        }
        let mut diff = SourceMap::identity(0);
        if new.len() - suffix > prefix {
            diff.push(prefix, prefix, false);
        }
        diff.push(new.len() - suffix, old.len() - suffix, true);
        diff.then(self)
    }

    /// This map followed by `outer`, which maps the offsets this one maps to.
    pub fn then(&self, outer: &SourceMap) -> SourceMap {
        let mut out = SourceMap { segs: Vec::new() };
        for (i, seg) in self.segs.iter().enumerate() {
            if !seg.verbatim {
                out.push(seg.out, outer.orig(seg.orig), false);
                continue;
            }
            // A verbatim run [seg.orig, seg.orig + len) is split where `outer` changes segment.
            let len = self
                .segs
                .get(i + 1)
                .map_or(usize::MAX, |next| next.out - seg.out);
            let end = seg.orig.saturating_add(len);
            let at = outer.segs.partition_point(|o| o.out <= seg.orig);
            let mut start = seg.orig;
            let mut k = at.saturating_sub(1);
            loop {
                let (orig, verbatim) = match outer.segs.get(k) {
                    Some(o) if o.out <= start => (
                        if o.verbatim {
                            o.orig + (start - o.out)
                        } else {
                            o.orig
                        },
                        o.verbatim,
                    ),
                    _ => (start, true),
                };
                out.push(seg.out + (start - seg.orig), orig, verbatim);
                k += 1;
                match outer.segs.get(k) {
                    Some(o) if o.out < end => start = o.out,
                    _ => break,
                }
            }
        }
        out
    }

    fn push(&mut self, out: usize, orig: usize, verbatim: bool) {
        let seg = Seg {
            out,
            orig,
            verbatim,
        };
        match self.segs.last_mut() {
            Some(last) if last.out == out => *last = seg,
            _ => self.segs.push(seg),
        }
    }
}

/// A chapter after the pass.
#[derive(Debug)]
pub struct Expanded {
    pub text: String,
    pub map: SourceMap,
    /// Set by `{{#title …}}`.
    pub title: Option<String>,
}

/// Expands the directives of `text[body_start..]`, the Markdown of the chapter at `rel`
/// (relative to `book_dir`). Diagnostics name files as `book_dir.join(rel)`.
pub fn expand(
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
    let mut map = SourceMap {
        segs: vec![Seg {
            out: 0,
            orig: body_start,
            verbatim: true,
        }],
    };
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
    cache: HashMap<String, Result<Rc<str>, String>>,
    diags: &'a mut Vec<Diagnostic>,
    /// Bytes of text produced so far, at every level; bounded by [`MAX_EXPANDED`].
    produced: usize,
    overflow: bool,
    /// The nesting limit was reported.
    too_deep: bool,
    title: Option<String>,
}

/// Lines taken from a file, with where each came from.
struct Taken {
    text: String,
    lines: Vec<(u32, u32)>,
}

impl Taken {
    fn new() -> Self {
        Taken {
            text: String::new(),
            lines: Vec::new(),
        }
    }

    /// Adds line `no` (0-based) of the file, after `added`.
    fn push(&mut self, no: usize, added: &str, line: &str) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(added);
        self.text.push_str(line);
        self.lines
            .push((no as u32 + 1, added.chars().count() as u32));
    }
}

impl Pass<'_> {
    fn shown(&self, rel: &str) -> String {
        self.book_dir.join(rel).display().to_string()
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

/// Lines `start..end` (0-based, end exclusive, `None`: to the end of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineRange {
    start: usize,
    end: Option<usize>,
}

impl LineRange {
    fn contains(&self, i: usize) -> bool {
        i >= self.start && self.end.is_none_or(|e| i < e)
    }

    fn is_full(&self) -> bool {
        self.start == 0 && self.end.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Sel {
    Lines(LineRange),
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind<'s> {
    Escaped,
    Include(&'s str, Sel),
    Rustdoc(&'s str, Sel),
    Playground(&'s str, Vec<&'s str>),
    Playpen(&'s str, Vec<&'s str>),
    Title(&'s str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Link<'s> {
    start: usize,
    end: usize,
    kind: Kind<'s>,
    text: &'s str,
}

/// mdBook's `parse_range_or_anchor`: what follows the first `:` of an include's path.
fn parse_sel(spec: Option<&str>) -> Sel {
    let mut parts = spec.unwrap_or_default().splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(v) => match v.parse::<usize>() {
            Ok(n) => Some(n.saturating_sub(1)),
            Err(_) if v.is_empty() => None,
            Err(_) => return Sel::Anchor(v.to_string()),
        },
        None => None,
    };
    let end = parts.next().map(str::parse::<usize>);
    let range = match (start, end) {
        (Some(s), Some(Ok(e))) => LineRange {
            start: s,
            end: Some(e),
        },
        (Some(s), Some(Err(_))) => LineRange {
            start: s,
            end: None,
        },
        (Some(s), None) => LineRange {
            start: s,
            end: Some(s + 1),
        },
        (None, Some(Ok(e))) => LineRange {
            start: 0,
            end: Some(e),
        },
        (None, _) => LineRange {
            start: 0,
            end: None,
        },
    };
    Sel::Lines(range)
}

fn parse_path(arg: &str) -> (&str, Sel) {
    let mut parts = arg.splitn(2, ':');
    let path = parts.next().unwrap_or_default();
    (path, parse_sel(parts.next()))
}

/// Finds directives the way mdBook's regular expression does:
/// `\\\{\{#.*\}\}` (an escaped directive, to the last `}}` of its line) or
/// `\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`. Matches of unknown kinds are skipped.
struct Scanner<'s> {
    s: &'s str,
    pos: usize,
    /// The first `}` at or after some offset, cached so that scanning stays linear.
    brace: Option<(usize, Option<usize>)>,
}

impl<'s> Scanner<'s> {
    fn new(s: &'s str) -> Self {
        Scanner {
            s,
            pos: 0,
            brace: None,
        }
    }

    fn next_brace(&mut self, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.brace {
            if searched_from <= from && found.is_none_or(|f| f >= from) {
                return found;
            }
        }
        let found = self.s[from..].find('}').map(|i| from + i);
        self.brace = Some((from, found));
        found
    }

    fn next_link(&mut self) -> Option<Link<'s>> {
        let s = self.s;
        while let Some(i) = s[self.pos..].find("{{").map(|i| self.pos + i) {
            // An escaped directive starts one byte earlier.
            if i > self.pos && s.as_bytes()[i - 1] == b'\\' && s[i..].starts_with("{{#") {
                let line_end = s[i..].find('\n').map_or(s.len(), |n| i + n);
                if let Some(close) = s[i + 3..line_end].rfind("}}") {
                    let end = i + 3 + close + 2;
                    self.pos = end;
                    return Some(Link {
                        start: i - 1,
                        end,
                        kind: Kind::Escaped,
                        text: &s[i - 1..end],
                    });
                }
            }
            match self.directive_at(i) {
                Some((end, kind)) => {
                    self.pos = end;
                    if let Some(kind) = kind {
                        return Some(Link {
                            start: i,
                            end,
                            kind,
                            text: &s[i..end],
                        });
                    }
                }
                None => self.pos = i + 1,
            }
        }
        self.pos = s.len();
        None
    }

    /// A match of the unescaped form at `i` (which starts `{{`): its end, and its kind when
    /// it is one that mdBook knows.
    fn directive_at(&mut self, i: usize) -> Option<(usize, Option<Kind<'s>>)> {
        let s = self.s;
        let mut j = i + 2;
        j += s[j..].len() - s[j..].trim_start().len();
        if !s[j..].starts_with('#') {
            return None;
        }
        j += 1;
        let name_len = s[j..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len() - j);
        if name_len == 0 {
            return None;
        }
        let name = &s[j..j + name_len];
        j += name_len;
        let ws_len = s[j..].len() - s[j..].trim_start().len();
        if ws_len == 0 {
            return None;
        }
        let close = self.next_brace(j)?;
        if !s[close..].starts_with("}}") {
            return None;
        }
        let rest = &s[j..close];
        let end = close + 2;
        if rest.trim().is_empty() {
            // `[^}]+` can still match whitespace when `\s+` leaves it some.
            return (ws_len >= 2 && rest.chars().count() >= 2).then_some((end, None));
        }
        let mut words = rest.split_whitespace();
        let kind = match (name, words.next()) {
            ("title", _) => Some(Kind::Title(rest.trim())),
            ("include", Some(arg)) => {
                let (path, sel) = parse_path(arg);
                Some(Kind::Include(path, sel))
            }
            ("rustdoc_include", Some(arg)) => {
                let (path, sel) = parse_path(arg);
                Some(Kind::Rustdoc(path, sel))
            }
            ("playground", Some(path)) => Some(Kind::Playground(path, words.collect())),
            ("playpen", Some(path)) => Some(Kind::Playpen(path, words.collect())),
            _ => None,
        };
        Some((end, kind))
    }
}

/// Where `tag` (`ANCHOR:` or `ANCHOR_END:`) followed by a name occurs in `line`: the name and
/// the byte range of the whole marker (mdBook's `ANCHOR:\s*([\w_-]+)`).
fn marker<'l>(line: &'l str, tag: &str) -> Option<(&'l str, std::ops::Range<usize>)> {
    for (i, _) in line.match_indices(tag) {
        let after = &line[i + tag.len()..];
        let rest = after.trim_start();
        let n = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if n > 0 {
            let name_at = i + tag.len() + (after.len() - rest.len());
            return Some((&rest[..n], i..name_at + n));
        }
    }
    None
}

fn anchor_start(line: &str) -> Option<&str> {
    marker(line, "ANCHOR:").map(|(n, _)| n)
}

fn anchor_end(line: &str) -> Option<&str> {
    marker(line, "ANCHOR_END:").map(|(n, _)| n)
}

/// A line that is only an anchor marker, perhaps in a comment (`// ANCHOR: x`,
/// `<!-- ANCHOR_END: x -->`): nothing alphanumeric besides the marker.
fn is_marker_line(line: &str) -> bool {
    let Some((_, range)) = marker(line, "ANCHOR:").or_else(|| marker(line, "ANCHOR_END:")) else {
        return false;
    };
    !line[..range.start]
        .chars()
        .chain(line[range.end..].chars())
        .any(char::is_alphanumeric)
}

/// mdBook's `take_lines` and `take_rustdoc_include_lines`: the lines of `range`; with `hide`,
/// the other lines too, behind `# `. A whole file loses its marker-only lines.
fn take_lines(s: &str, range: &LineRange, hide: bool) -> Taken {
    let mut t = Taken::new();
    let full = range.is_full();
    for (i, line) in s.lines().enumerate() {
        if full && is_marker_line(line) {
            continue;
        }
        if range.contains(i) {
            t.push(i, "", line);
        } else if hide {
            t.push(i, "# ", line);
        } else if range.end.is_some_and(|e| i >= e) {
            break;
        }
    }
    t
}

/// mdBook's `take_anchored_lines` and `take_rustdoc_include_anchored_lines`: the lines between
/// `ANCHOR: anchor` and `ANCHOR_END: anchor`, without marker lines; with `hide`, the other
/// lines too, behind `# `. `None` when the file has no such anchor.
fn take_anchored(s: &str, anchor: &str, hide: bool) -> Option<Taken> {
    let mut t = Taken::new();
    let mut found = false;
    let mut inside = false;
    for (i, l) in s.lines().enumerate() {
        if inside {
            match anchor_end(l) {
                Some(name) if name == anchor => {
                    inside = false;
                    if !hide {
                        break;
                    }
                }
                Some(_) => {}
                None if anchor_start(l).is_none() => t.push(i, "", l),
                None => {}
            }
        } else if let Some(name) = anchor_start(l) {
            if name == anchor {
                found = true;
                inside = true;
            }
        } else if hide && anchor_end(l).is_none() {
            t.push(i, "# ", l);
        }
    }
    found.then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(s: &str) -> Vec<Link<'_>> {
        let mut sc = Scanner::new(s);
        std::iter::from_fn(|| sc.next_link()).collect()
    }

    fn range(start: usize, end: Option<usize>) -> Sel {
        Sel::Lines(LineRange { start, end })
    }

    #[test]
    fn edited_text_maps_through_the_earlier_map() {
        // "ab{{#include x}}cd" expanded to "abXYZcd", its body starting at offset 10 of the file.
        let mut map = SourceMap::identity(10);
        map.push(2, 12, false);
        map.push(5, 28, true);
        let before = "abXYZcd";
        // A preprocessor then writes "!!" before and changes "cd" to "cD".
        let after = "!!abXYZcD";
        let m = map.edited(before, after);
        // Everything up to the change points at its start: "a" of "ab" is changed text now.
        assert_eq!(m.orig(0), 10);
        let m = map.edited(before, "abXYZcD");
        assert_eq!(
            (m.orig(0), m.orig(1)),
            (10, 11),
            "shared start keeps its place"
        );
        assert_eq!(m.orig(3), 12, "included text points at its directive");
        assert_eq!(m.orig(5), 28, "text after the include keeps its place");
        assert_eq!(m.orig(6), 29, "changed text points where the change starts");
        let same = map.edited(before, before);
        for o in 0..=before.len() {
            assert_eq!(same.orig(o), map.orig(o), "offset {o}");
        }
        // Multi-byte characters: offsets never land inside one.
        let m = SourceMap::identity(0).edited("é1", "è1");
        assert_eq!(m.orig(0), 0);
        assert_eq!(m.orig(2), 2);
    }

    #[test]
    fn finds_directives_like_mdbook() {
        assert!(links("no link {{#include").is_empty());
        assert!(links("{{#include}}").is_empty());
        assert!(links("{{#unknown a.rs}}").is_empty());
        let l = links("x {{#include file.rs}} y");
        assert_eq!((l[0].start, l[0].end), (2, 22));
        assert_eq!(l[0].kind, Kind::Include("file.rs", range(0, None)));
        let forms = [
            ("{{#include f:2}}", range(1, Some(2))),
            ("{{#include f::3}}", range(0, Some(3))),
            ("{{#include f:2:}}", range(1, None)),
            ("{{#include f:2:4}}", range(1, Some(4))),
            ("{{#include f:}}", range(0, None)),
            ("{{#include f:0}}", range(0, Some(1))),
            ("{{ #include  f:anchor_1 }}", Sel::Anchor("anchor_1".into())),
        ];
        for (text, sel) in forms {
            assert_eq!(links(text)[0].kind, Kind::Include("f", sel), "{text}");
        }
        assert_eq!(
            links("{{#playground a.rs editable should_panic}}")[0].kind,
            Kind::Playground("a.rs", vec!["editable", "should_panic"])
        );
        assert_eq!(
            links("{{#title  My  Title }}")[0].kind,
            Kind::Title("My  Title")
        );
        // The argument may run over lines, up to the first `}`.
        assert_eq!(
            links("{{#include\n  a.rs\n}}")[0].kind,
            Kind::Include("a.rs", range(0, None))
        );
        assert!(links("{{#include a}b}}").is_empty());
        // `{{{#…}}` matches from its second brace.
        assert_eq!(links("{{{#include a}}")[0].start, 1);
    }

    #[test]
    fn escapes_run_to_the_last_braces_of_the_line() {
        let l = links("\\{{#include a}} and {{#include b}}\n{{#include c}}");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].kind, Kind::Escaped);
        assert_eq!(l[0].text, "\\{{#include a}} and {{#include b}}");
        assert_eq!(l[1].kind, Kind::Include("c", range(0, None)));
        // No `}}` on the line: not an escape, and the directive after the backslash counts.
        let l = links("\\{{#include a\n}}");
        assert_eq!(l[0].kind, Kind::Include("a", range(0, None)));
    }

    #[test]
    fn scanning_stays_linear_without_closing_braces() {
        let s = "{{#a b ".repeat(200_000);
        let t = std::time::Instant::now();
        assert!(links(&s).is_empty());
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn takes_lines_like_mdbook() {
        let s = "Lorem\nipsum\ndolor\nsit\namet";
        let take = |start, end| take_lines(s, &LineRange { start, end }, false).text;
        assert_eq!(take(1, Some(3)), "ipsum\ndolor");
        assert_eq!(take(3, None), "sit\namet");
        assert_eq!(take(0, Some(3)), "Lorem\nipsum\ndolor");
        assert_eq!(take(0, None), s);
        assert_eq!(take(4, Some(3)), "");
        assert_eq!(take(0, Some(100)), s);
        let hidden = |start, end| take_lines(s, &LineRange { start, end }, true).text;
        assert_eq!(hidden(1, Some(3)), "# Lorem\nipsum\ndolor\n# sit\n# amet");
        assert_eq!(
            hidden(4, Some(3)),
            "# Lorem\n# ipsum\n# dolor\n# sit\n# amet"
        );
        let t = take_lines(
            s,
            &LineRange {
                start: 2,
                end: None,
            },
            true,
        );
        assert_eq!(t.lines, vec![(1, 2), (2, 2), (3, 0), (4, 0), (5, 0)]);
    }

    #[test]
    fn takes_anchored_lines_like_mdbook() {
        let a = |s: &str, name| take_anchored(s, name, false).map(|t| t.text);
        assert_eq!(a("Lorem\nipsum", "test"), None);
        assert_eq!(a("Lorem\nANCHOR_END: test\nsit", "test"), None);
        assert_eq!(
            a("Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet", "test").as_deref(),
            Some("dolor\nsit\namet")
        );
        let s = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
        assert_eq!(
            a(s, "test2").as_deref(),
            Some("ipsum\ndolor\nsit\namet\nlorem")
        );
        assert_eq!(a(s, "test").as_deref(), Some("dolor\nsit\namet"));
        let h = |s: &str, name| take_anchored(s, name, true).map(|t| t.text);
        let s = "Lorem\nipsum\n// ANCHOR: test\ndolor\nsit\n// ANCHOR_END: test\namet";
        assert_eq!(
            h(s, "test").as_deref(),
            Some("# Lorem\n# ipsum\ndolor\nsit\n# amet")
        );
        // A file with the same anchor twice: rustdoc_include shows both, include the first.
        let s = "a\nANCHOR: x\nb\nANCHOR_END: x\nc\nANCHOR: x\nd\nANCHOR_END: x";
        assert_eq!(h(s, "x").as_deref(), Some("# a\nb\n# c\nd"));
        assert_eq!(a(s, "x").as_deref(), Some("b"));
    }

    #[test]
    fn whole_files_lose_marker_only_lines() {
        let s =
            "// ANCHOR: all\nfn main() {}\n<!-- ANCHOR_END: all -->\nUse ANCHOR: name to mark\n";
        let t = take_lines(
            s,
            &LineRange {
                start: 0,
                end: None,
            },
            false,
        );
        assert_eq!(t.text, "fn main() {}\nUse ANCHOR: name to mark");
        assert_eq!(t.lines, vec![(2, 0), (4, 0)]);
    }

    #[test]
    fn source_map_points_inserted_text_at_its_directive() {
        let mut map = SourceMap::identity(10);
        map.push(5, 15, false);
        map.push(40, 30, true);
        assert_eq!(map.orig(0), 10);
        assert_eq!(map.orig(4), 14);
        assert_eq!(map.orig(5), 15);
        assert_eq!(map.orig(39), 15);
        assert_eq!(map.orig(42), 32);
    }

    #[test]
    fn short_keeps_one_line() {
        assert_eq!(short("{{#include\na}}"), "{{#include…");
        assert_eq!(short("{{#include a}}"), "{{#include a}}");
    }
}
