//! SUMMARY.md in mdBook's format: prefix chapters, `# Part` titles, nested `- [Title](file.md)`
//! items, separators (`---`), suffix chapters. Parsed line by line so every error has an exact
//! line and column. As in mdBook, only `# ` headings are part titles (others are ignored, with a
//! warning here), numbered chapters get section numbers (`1.`, `1.2.`) counted on across parts
//! and separators, and a link's text is read as Markdown (`[The *book*](b.md)` is "The book").

use crate::diag::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
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
    pub line: u32,
    pub col: u32,
    pub children: Vec<SummaryItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryPart {
    /// Empty when the list has no `# Part` title above it.
    pub title: String,
    pub line: u32,
    pub items: Vec<SummaryItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub prefix: Vec<SummaryItem>,
    pub parts: Vec<SummaryPart>,
    pub suffix: Vec<SummaryItem>,
    /// Lines that mdBook ignores and so does kr-publish, said once each.
    pub warnings: Vec<Diagnostic>,
}

/// How deep chapters may nest: far beyond any real book's contents, and a bound on the work
/// and the output (each level indents the contents of the text and JSON outputs).
pub const MAX_DEPTH: usize = 16;

/// Parses SUMMARY.md; `path` is only used in messages. All bad lines are reported.
/// `dialect` is the book's Markdown, in which link texts are read.
pub fn parse_summary(
    text: &str,
    path: &str,
    dialect: &super::markdown::Dialect,
) -> Result<Summary, Vec<Diagnostic>> {
    let mut summary = Summary::default();
    let mut errors = Vec::new();
    let mut seen_title = false;
    // (indent, depth) of the open list items, innermost last.
    let mut indents: Vec<usize> = Vec::new();
    let mut in_comment = false;
    // A separator waits for the item it stands before.
    let mut separator = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = expand_indent(&line[..line.len() - trimmed.len()]);
        let err = |col: usize, msg: String| Diagnostic::error(path, line_no, col as u32 + 1, msg);
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if is_separator(trimmed) {
            separator = true;
            continue;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if hashes > 1 {
            // mdBook reads only `# ` headings; it skips the others without a word.
            summary.warnings.push(Diagnostic::warning(
                path,
                line_no,
                indent as u32 + 1,
                format!("`{trimmed}` is ignored: only `# ` headings are part titles in SUMMARY.md, as in mdBook"),
            ));
            continue;
        }
        if let Some(title) = trimmed.strip_prefix('#') {
            let title = title.trim().to_string();
            if !seen_title && summary.parts.is_empty() && summary.prefix.is_empty() {
                seen_title = true; // "# Summary"
                continue;
            }
            // The part title separates already; a separator before it is not kept.
            separator = false;
            if !summary.suffix.is_empty() {
                errors.push(err(
                    indent,
                    "a part title cannot follow suffix chapters".into(),
                ));
                continue;
            }
            summary.parts.push(SummaryPart {
                title,
                line: line_no,
                items: Vec::new(),
            });
            indents.clear();
            continue;
        }
        seen_title = true;
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
        let (title, target) = match split_link(body) {
            Some(x) => x,
            None => {
                errors.push(err(
                    body_col,
                    format!("bad SUMMARY entry `{trimmed}`: expected `[Title](file.md)`"),
                ));
                continue;
            }
        };
        let item = SummaryItem {
            text: link_text(&title, dialect),
            title: title.replace("\\[", "[").replace("\\]", "]"),
            number: Vec::new(),
            separator_before: std::mem::take(&mut separator),
            path: if target.is_empty() {
                None
            } else {
                Some(target)
            },
            line: line_no,
            col: body_col as u32 + 1,
            children: Vec::new(),
        };
        if !is_item {
            if indent > 0 {
                errors.push(err(
                    indent,
                    "prefix and suffix chapters must not be indented".into(),
                ));
            } else if summary.parts.is_empty() {
                summary.prefix.push(item);
            } else {
                summary.suffix.push(item);
                indents.clear();
            }
            continue;
        }
        if !summary.suffix.is_empty() {
            errors.push(err(
                indent,
                "a numbered chapter cannot follow suffix chapters".into(),
            ));
            continue;
        }
        if summary.parts.is_empty() {
            summary.parts.push(SummaryPart {
                title: String::new(),
                line: line_no,
                items: Vec::new(),
            });
        }
        while indents.last().is_some_and(|&open| open >= indent) {
            indents.pop();
        }
        let depth = indents.len();
        if depth >= MAX_DEPTH {
            errors.push(err(
                indent,
                format!(
                    "`{}` nests chapters deeper than {MAX_DEPTH} levels",
                    item.title
                ),
            ));
            continue;
        }
        let part = summary.parts.last_mut().expect("a part was pushed above");
        match insert_at_depth(&mut part.items, depth, Box::new(item)) {
            Ok(()) => indents.push(indent),
            Err(item) => errors.push(err(
                indent,
                format!("`{}` is indented deeper than any item above it", item.title),
            )),
        }
    }
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
