//! Finding mdBook's directives in a text, and taking the lines they select from a file.

/// Lines taken from a file, with where each came from.
pub(super) struct Taken {
    pub(super) text: String,
    pub(super) lines: Vec<(u32, u32)>,
}

impl Taken {
    pub(super) fn new() -> Self {
        Taken {
            text: String::new(),
            lines: Vec::new(),
        }
    }

    /// Adds line `no` (0-based) of the file, after `added`.
    pub(super) fn push(&mut self, no: usize, added: &str, line: &str) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(added);
        self.text.push_str(line);
        self.lines
            .push((no as u32 + 1, added.chars().count() as u32));
    }
}

/// Lines `start..end` (0-based, end exclusive, `None`: to the end of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineRange {
    pub(super) start: usize,
    pub(super) end: Option<usize>,
}

impl LineRange {
    pub(super) fn contains(&self, i: usize) -> bool {
        i >= self.start && self.end.is_none_or(|e| i < e)
    }

    pub(super) fn is_full(&self) -> bool {
        self.start == 0 && self.end.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sel {
    Lines(LineRange),
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind<'s> {
    Escaped,
    Include(&'s str, Sel),
    Rustdoc(&'s str, Sel),
    Playground(&'s str, Vec<&'s str>),
    Playpen(&'s str, Vec<&'s str>),
    Title(&'s str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link<'s> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: Kind<'s>,
    pub(super) text: &'s str,
}

/// mdBook's `parse_range_or_anchor`: what follows the first `:` of an include's path.
pub(super) fn parse_sel(spec: Option<&str>) -> Sel {
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

pub(super) fn parse_path(arg: &str) -> (&str, Sel) {
    let mut parts = arg.splitn(2, ':');
    let path = parts.next().unwrap_or_default();
    (path, parse_sel(parts.next()))
}

/// Finds directives the way mdBook's regular expression does:
/// `\\\{\{#.*\}\}` (an escaped directive, to the last `}}` of its line) or
/// `\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`. Matches of unknown kinds are skipped.
pub(super) struct Scanner<'s> {
    s: &'s str,
    pos: usize,
    /// The first `}` at or after some offset, cached so that scanning stays linear.
    brace: Option<(usize, Option<usize>)>,
}

impl<'s> Scanner<'s> {
    pub(super) fn new(s: &'s str) -> Self {
        Scanner {
            s,
            pos: 0,
            brace: None,
        }
    }

    pub(super) fn next_brace(&mut self, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.brace {
            if searched_from <= from && found.is_none_or(|f| f >= from) {
                return found;
            }
        }
        let found = self.s[from..].find('}').map(|i| from + i);
        self.brace = Some((from, found));
        found
    }

    pub(super) fn next_link(&mut self) -> Option<Link<'s>> {
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
    pub(super) fn directive_at(&mut self, i: usize) -> Option<(usize, Option<Kind<'s>>)> {
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
pub(super) fn marker<'l>(line: &'l str, tag: &str) -> Option<(&'l str, std::ops::Range<usize>)> {
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

pub(super) fn anchor_start(line: &str) -> Option<&str> {
    marker(line, "ANCHOR:").map(|(n, _)| n)
}

pub(super) fn anchor_end(line: &str) -> Option<&str> {
    marker(line, "ANCHOR_END:").map(|(n, _)| n)
}

/// A line that is only an anchor marker, perhaps in a comment (`// ANCHOR: x`,
/// `<!-- ANCHOR_END: x -->`): nothing alphanumeric besides the marker.
pub(super) fn is_marker_line(line: &str) -> bool {
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
pub(super) fn take_lines(s: &str, range: &LineRange, hide: bool) -> Taken {
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
pub(super) fn take_anchored(s: &str, anchor: &str, hide: bool) -> Option<Taken> {
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
