//! SUMMARY.md in mdBook's format: prefix chapters, `# Part` titles, nested `- [Title](file.md)`
//! items, separators (`---`), suffix chapters. Parsed line by line so every error has an exact
//! line and column. As in mdBook, only `# ` headings are part titles (others are ignored, with a
//! warning here), numbered chapters get section numbers (`1.`, `1.2.`) counted on across parts
//! and separators, and a link's text is read as Markdown (`[The *book*](b.md)` is "The book").

use crate::diag::Diagnostic;

/// One chapter entry of SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SummaryItem {
    /// The link text as written (with `\[` and `\]` unescaped), for messages.
    pub title: String,
    /// The link text as mdBook reads it: its Markdown rendered to plain text.
    pub text: String,
    /// mdBook's section number (`[1, 2]` for "1.2."); empty for prefix and suffix chapters.
    pub number: Vec<u32>,
    /// A separator (`---`) stands right before this item.
    pub separator_before: bool,
    /// `None` for a draft chapter (`[Title]()`), which has no file yet.
    pub path: Option<String>,
    /// Where the entry's link starts in SUMMARY.md (1-based).
    pub line: u32,
    /// The column of that link (1-based).
    pub col: u32,
    /// The nested entries below this one.
    pub children: Vec<SummaryItem>,
}

/// A part of the book: a `# Part` title and the numbered chapters below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SummaryPart {
    /// Empty when the list has no `# Part` title above it.
    pub title: String,
    /// The title's line in SUMMARY.md (or the first item's, without a title).
    pub line: u32,
    /// The part's numbered chapters.
    pub items: Vec<SummaryItem>,
}

/// SUMMARY.md as read: the book's structure before its chapters are loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Unnumbered chapters before the first numbered one.
    pub prefix: Vec<SummaryItem>,
    /// The numbered chapters, by part.
    pub parts: Vec<SummaryPart>,
    /// Unnumbered chapters after the last numbered one.
    pub suffix: Vec<SummaryItem>,
    /// Lines that mdBook ignores and so does kr-publish, said once each.
    pub warnings: Vec<Diagnostic>,
}

/// How deep chapters may nest: far beyond any real book's contents, and a bound on the work
/// and the output (each level indents the contents of the text and JSON outputs).
pub(crate) const MAX_DEPTH: usize = 16;

/// Parses SUMMARY.md; `path` is only used in messages. All bad lines are reported.
/// `dialect` is the book's Markdown, in which link texts are read.
pub(crate) fn parse_summary(
    text: &str,
    path: &str,
    dialect: &super::markdown::Dialect,
) -> Result<Summary, Vec<Diagnostic>> {
    let mut parser = Parser {
        path,
        dialect,
        summary: Summary::default(),
        errors: Vec::new(),
        seen_title: false,
        indents: Vec::new(),
        in_comment: false,
        separator: false,
    };
    for (i, raw) in text.lines().enumerate() {
        parser.line(i as u32 + 1, raw);
    }
    let Parser {
        mut summary,
        errors,
        ..
    } = parser;
    if errors.is_empty() {
        let mut root = 0;
        for part in &mut summary.parts {
            for item in &mut part.items {
                root += 1;
                number(item, vec![root]);
            }
        }
        Ok(summary)
    } else {
        Err(errors)
    }
}

/// SUMMARY.md read so far, line by line.
struct Parser<'a> {
    path: &'a str,
    dialect: &'a super::markdown::Dialect,
    summary: Summary,
    errors: Vec<Diagnostic>,
    seen_title: bool,
    /// Indents of the open list items, innermost last.
    indents: Vec<usize>,
    in_comment: bool,
    /// A separator waits for the item it stands before.
    separator: bool,
}

/// One line of SUMMARY.md: its number and its indent.
#[derive(Clone, Copy)]
struct Line<'l> {
    no: u32,
    indent: usize,
    trimmed: &'l str,
}

impl Parser<'_> {
    fn err(&mut self, line: Line, col: usize, msg: String) {
        self.errors
            .push(Diagnostic::error(self.path, line.no, col as u32 + 1, msg));
    }

    fn line(&mut self, line_no: u32, raw: &str) {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = expand_indent(&line[..line.len() - trimmed.len()]);
        let line = Line {
            no: line_no,
            indent,
            trimmed,
        };
        if self.in_comment {
            self.in_comment = !trimmed.contains("-->");
            return;
        }
        if trimmed.starts_with("<!--") {
            self.in_comment = !trimmed.contains("-->");
            return;
        }
        if trimmed.is_empty() {
            return;
        }
        if is_separator(trimmed) {
            self.separator = true;
            return;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if hashes > 1 {
            // mdBook reads only `# ` headings; it skips the others without a word.
            self.summary.warnings.push(Diagnostic::warning(
                self.path,
                line_no,
                indent as u32 + 1,
                format!("`{trimmed}` is ignored: only `# ` headings are part titles in SUMMARY.md, as in mdBook"),
            ));
            return;
        }
        if let Some(title) = trimmed.strip_prefix('#') {
            self.part_title(line, title.trim().to_string());
            return;
        }
        self.seen_title = true;
        self.entry(line);
    }

    /// A `# Title` line: the book's title (skipped) or a part's.
    fn part_title(&mut self, line: Line, title: String) {
        let summary = &mut self.summary;
        if !self.seen_title && summary.parts.is_empty() && summary.prefix.is_empty() {
            self.seen_title = true; // "# Summary"
            return;
        }
        // The part title separates already; a separator before it is not kept.
        self.separator = false;
        if !summary.suffix.is_empty() {
            let msg = "a part title cannot follow suffix chapters".into();
            self.err(line, line.indent, msg);
            return;
        }
        summary.parts.push(SummaryPart {
            title,
            line: line.no,
            items: Vec::new(),
        });
        self.indents.clear();
    }

    /// A chapter: `- [Title](file.md)` in a list, or a prefix or suffix chapter without one.
    fn entry(&mut self, line: Line) {
        let (indent, trimmed) = (line.indent, line.trimmed);
        let (is_item, body, body_col) = match trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            Some(rest) => (
                true,
                rest.trim_start(),
                indent + 2 + (rest.len() - rest.trim_start().len()),
            ),
            None => (false, trimmed, indent),
        };
        let Some((title, target)) = split_link(body) else {
            let msg = format!("bad SUMMARY entry `{trimmed}`: expected `[Title](file.md)`");
            self.err(line, body_col, msg);
            return;
        };
        let item = SummaryItem {
            text: link_text(&title, self.dialect),
            title: title.replace("\\[", "[").replace("\\]", "]"),
            number: Vec::new(),
            separator_before: std::mem::take(&mut self.separator),
            path: if target.is_empty() {
                None
            } else {
                Some(target)
            },
            line: line.no,
            col: body_col as u32 + 1,
            children: Vec::new(),
        };
        if !is_item {
            if indent > 0 {
                let msg = "prefix and suffix chapters must not be indented".into();
                self.err(line, indent, msg);
            } else if self.summary.parts.is_empty() {
                self.summary.prefix.push(item);
            } else {
                self.summary.suffix.push(item);
                self.indents.clear();
            }
            return;
        }
        self.numbered(line, item);
    }

    /// A numbered chapter, placed in the last part by its indent.
    fn numbered(&mut self, line: Line, item: SummaryItem) {
        let indent = line.indent;
        if !self.summary.suffix.is_empty() {
            let msg = "a numbered chapter cannot follow suffix chapters".into();
            self.err(line, indent, msg);
            return;
        }
        if self.summary.parts.is_empty() {
            self.summary.parts.push(SummaryPart {
                title: String::new(),
                line: line.no,
                items: Vec::new(),
            });
        }
        while self.indents.last().is_some_and(|&open| open >= indent) {
            self.indents.pop();
        }
        let depth = self.indents.len();
        if depth >= MAX_DEPTH {
            let msg = format!(
                "`{}` nests chapters deeper than {MAX_DEPTH} levels",
                item.title
            );
            self.err(line, indent, msg);
            return;
        }
        let part = self
            .summary
            .parts
            .last_mut()
            .expect("a part was pushed above");
        match insert_at_depth(&mut part.items, depth, Box::new(item)) {
            Ok(()) => self.indents.push(indent),
            Err(item) => {
                let msg = format!("`{}` is indented deeper than any item above it", item.title);
                self.err(line, indent, msg);
            }
        }
    }
}

/// Numbers `item` and, below it, its children: `1.2.` is the second child of the first item.
fn number(item: &mut SummaryItem, n: Vec<u32>) {
    for (i, child) in item.children.iter_mut().enumerate() {
        let mut c = n.clone();
        c.push(i as u32 + 1);
        number(child, c);
    }
    item.number = n;
}

/// The text of a SUMMARY link as mdBook takes it: the link's Markdown rendered to text (and
/// code), with markup and raw HTML left out, in kr-publish's dialect (smart punctuation).
fn link_text(raw: &str, dialect: &super::markdown::Dialect) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let md = format!("[{raw}](x)");
    let mut out = String::new();
    let mut in_link = false;
    for event in Parser::new_ext(&md, super::markdown::options(dialect)) {
        match event {
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => in_link = false,
            Event::Text(t) | Event::Code(t) if in_link => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_link => out.push(' '),
            _ => {}
        }
    }
    let out = out.trim();
    if out.is_empty() {
        // Not read as a link (unbalanced brackets…), or only markup: the text as written.
        raw.replace("\\[", "[").replace("\\]", "]")
    } else {
        out.to_string()
    }
}

/// Adds `item` as the last child `depth` levels down the last items; gives it back when there
/// is no item to nest it in.
fn insert_at_depth(
    items: &mut Vec<SummaryItem>,
    depth: usize,
    item: Box<SummaryItem>,
) -> Result<(), Box<SummaryItem>> {
    if depth == 0 {
        items.push(*item);
        return Ok(());
    }
    match items.last_mut() {
        Some(parent) => insert_at_depth(&mut parent.children, depth - 1, item),
        None => Err(item),
    }
}

fn expand_indent(ws: &str) -> usize {
    ws.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// A thematic break (`---`, `***`, `___`, spaces allowed between), which mdBook reads as a
/// separator.
fn is_separator(s: &str) -> bool {
    let marks: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && (marks.chars().all(|c| c == '-')
            || marks.chars().all(|c| c == '*')
            || marks.chars().all(|c| c == '_'))
}

/// `[Title](target)` → (title as written, target). The target may be written `<a b.md>` (then
/// it may hold spaces) and may be followed by a link title (`"…"`), which is dropped.
fn split_link(s: &str) -> Option<(String, String)> {
    let rest = s.strip_prefix('[')?.strip_suffix(')')?;
    let mid = rest.rfind("](")?;
    let title = rest[..mid].trim().to_string();
    let dest = rest[mid + 2..].trim();
    let target = if let Some(inner) = dest.strip_prefix('<') {
        let (inner, after) = inner.split_once('>')?;
        if inner.contains(['<', '\n']) || !is_link_title(after.trim()) {
            return None;
        }
        inner.to_string()
    } else {
        let (target, after) = dest.split_once(char::is_whitespace).unwrap_or((dest, ""));
        if !is_link_title(after.trim()) {
            return None;
        }
        target.to_string()
    };
    if title.is_empty() {
        return None;
    }
    Some((title, target))
}

/// Nothing, or a CommonMark link title: `"…"`, `'…'` or `(…)`.
fn is_link_title(s: &str) -> bool {
    s.is_empty()
        || [('"', '"'), ('\'', '\''), ('(', ')')]
            .iter()
            .any(|&(open, close)| s.len() >= 2 && s.starts_with(open) && s.ends_with(close))
}

#[cfg(test)]
mod tests;
