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
mod tests {
    use super::*;

    const GOOD: &str = "# Summary\n\n[About](about.md)\n\n# Day 1\n\n- [Morning](d1/m.md)\n    - [Talk A](d1/a.md)\n    - [Talk B](d1/b.md)\n        - [Deep](d1/c.md)\n- [Afternoon](d1/pm.md)\n\n---\n\n# Day 2\n\n* [Draft]()\n\n[Credits](credits.md)\n";

    #[test]
    fn parses_prefix_parts_nesting_and_suffix() {
        let s = parse_summary(GOOD, "SUMMARY.md", &Default::default()).expect("valid");
        assert_eq!(s.prefix.len(), 1);
        assert_eq!(s.prefix[0].path.as_deref(), Some("about.md"));
        assert_eq!(s.parts.len(), 2);
        assert_eq!(s.parts[0].title, "Day 1");
        let day1 = &s.parts[0].items;
        assert_eq!(day1.len(), 2);
        assert_eq!(day1[0].children.len(), 2);
        assert_eq!(day1[0].children[1].children[0].title, "Deep");
        assert_eq!(day1[0].children[0].line, 8);
        assert_eq!(day1[0].children[0].col, 7);
        assert_eq!(s.parts[1].items[0].path, None);
        assert_eq!(s.suffix[0].title, "Credits");
    }

    #[test]
    fn reports_every_bad_line() {
        let text = "# Summary\n\n# Day\n\n- [Ok](ok.md)\n- Not a link\n- [Bad](has space.md)\n";
        let errs = parse_summary(text, "src/SUMMARY.md", &Default::default()).expect_err("invalid");
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].to_string(), "src/SUMMARY.md:6:3: error: bad SUMMARY entry `- Not a link`: expected `[Title](file.md)`");
        assert_eq!(errs[1].line, 7);
    }

    #[test]
    fn rejects_chapter_after_suffix() {
        let text = "# Summary\n# P\n- [A](a.md)\n[S](s.md)\n- [B](b.md)\n";
        let errs = parse_summary(text, "S.md", &Default::default()).expect_err("invalid");
        assert_eq!(errs[0].line, 5);
    }

    #[test]
    fn nesting_is_bounded() {
        let mut text = String::from("# Summary\n");
        for i in 0..=MAX_DEPTH {
            text.push_str(&format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i)));
        }
        let errs = parse_summary(&text, "S.md", &Default::default()).expect_err("too deep");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, MAX_DEPTH as u32 + 2);
        assert!(errs[0].message.contains("deeper than 16 levels"));
    }

    #[test]
    fn reads_summary_as_mdbook_does() {
        let text = "# Summary\n\n[Intro](intro.md)\n\n---\n\n# Part\n\n- [The *first* `one`](a.md)\n    - [Sub](<b c.md> \"title\")\n    - [Draft]()\n- [Second](d%20e.md)\n## Not a part\n- - -\n- [Third](f.md)\n\n<!--\n# Commented\n- [Gone](g.md)\n-->\n# Two\n- [Fourth](h.md)\n\n***\n\n[Back](back.md)\n";
        let s = parse_summary(text, "S.md", &Default::default()).expect("valid");
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].line, 13);
        assert!(s.warnings[0]
            .message
            .contains("only `# ` headings are part titles"));
        // The separator before a part title is not kept: the title separates.
        assert_eq!(s.parts.len(), 2);
        assert!(!s.prefix[0].separator_before);
        let one = &s.parts[0].items;
        assert_eq!(one[0].title, "The *first* `one`");
        assert_eq!(one[0].text, "The first one");
        assert_eq!(one[0].number, vec![1]);
        assert_eq!(one[0].children[0].path.as_deref(), Some("b c.md"));
        assert_eq!(one[0].children[0].number, vec![1, 1]);
        assert_eq!(one[0].children[1].number, vec![1, 2]);
        assert_eq!(one[1].path.as_deref(), Some("d%20e.md"));
        assert!(!one[1].separator_before);
        assert_eq!(one[2].title, "Third");
        assert!(one[2].separator_before);
        assert_eq!(one[2].number, vec![3]);
        // Numbers run on across parts.
        assert_eq!(s.parts[1].title, "Two");
        assert_eq!(s.parts[1].items[0].number, vec![4]);
        assert!(s.suffix[0].separator_before);
        assert!(s.suffix[0].number.is_empty());
    }

    #[test]
    fn link_text_is_read_as_markdown() {
        assert_eq!(
            link_text("The maintainer's *POV*", &Default::default()),
            "The maintainer\u{2019}s POV"
        );
        assert_eq!(link_text("A \\[b\\] `c`", &Default::default()), "A [b] c");
        assert_eq!(
            link_text("Talk: <Angles> & x", &Default::default()),
            "Talk:  & x"
        );
        assert_eq!(link_text("<b></b>", &Default::default()), "<b></b>");
    }

    #[test]
    fn list_without_part_titles_gets_an_untitled_part() {
        let s =
            parse_summary("# Summary\n- [A](a.md)\n", "S.md", &Default::default()).expect("valid");
        assert_eq!(s.parts.len(), 1);
        assert_eq!(s.parts[0].title, "");
    }
}
