//! SUMMARY.md in mdBook's format: prefix chapters, `# Part` titles, nested `- [Title](file.md)`
//! items, suffix chapters. Parsed line by line so every error has an exact line and column.

use crate::diag::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    pub title: String,
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
}

/// Parses SUMMARY.md; `path` is only used in messages. All bad lines are reported.
pub fn parse_summary(text: &str, path: &str) -> Result<Summary, Vec<Diagnostic>> {
    // Editors on Windows open the file with a byte order mark, as they do chapters.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut summary = Summary::default();
    let mut errors = Vec::new();
    let mut seen_title = false;
    // (indent, depth) of the open list items, innermost last.
    let mut indents: Vec<usize> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = expand_indent(&line[..line.len() - trimmed.len()]);
        let err = |col: usize, msg: String| Diagnostic::error(path, line_no, col as u32 + 1, msg);
        if trimmed.is_empty() || is_separator(trimmed) || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(title) = trimmed.strip_prefix('#') {
            let title = title.trim_start_matches('#').trim().to_string();
            if !seen_title && summary.parts.is_empty() && summary.prefix.is_empty() {
                seen_title = true; // "# Summary"
                continue;
            }
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
            title,
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
        let part = summary.parts.last_mut().expect("a part was pushed above");
        match insert_at_depth(&mut part.items, depth, item) {
            Ok(()) => indents.push(indent),
            Err(item) => errors.push(err(
                indent,
                format!("`{}` is indented deeper than any item above it", item.title),
            )),
        }
    }
    if errors.is_empty() {
        Ok(summary)
    } else {
        Err(errors)
    }
}

fn insert_at_depth(
    items: &mut Vec<SummaryItem>,
    depth: usize,
    item: SummaryItem,
) -> Result<(), SummaryItem> {
    if depth == 0 {
        items.push(item);
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

fn is_separator(s: &str) -> bool {
    s.len() >= 3
        && (s.chars().all(|c| c == '-')
            || s.chars().all(|c| c == '*')
            || s.chars().all(|c| c == '_'))
}

/// `[Title](target)` → (title, target), with `\[`/`\]` unescaped in the title.
fn split_link(s: &str) -> Option<(String, String)> {
    let rest = s.strip_prefix('[')?.strip_suffix(')')?;
    let mid = rest.rfind("](")?;
    let title = rest[..mid]
        .replace("\\[", "[")
        .replace("\\]", "]")
        .trim()
        .to_string();
    let target = rest[mid + 2..].trim().to_string();
    if title.is_empty() || target.contains(char::is_whitespace) {
        return None;
    }
    Some((title, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# Summary\n\n[About](about.md)\n\n# Day 1\n\n- [Morning](d1/m.md)\n    - [Talk A](d1/a.md)\n    - [Talk B](d1/b.md)\n        - [Deep](d1/c.md)\n- [Afternoon](d1/pm.md)\n\n---\n\n# Day 2\n\n* [Draft]()\n\n[Credits](credits.md)\n";

    #[test]
    fn parses_prefix_parts_nesting_and_suffix() {
        let s = parse_summary(GOOD, "SUMMARY.md").expect("valid");
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
        let errs = parse_summary(text, "src/SUMMARY.md").expect_err("invalid");
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].to_string(), "src/SUMMARY.md:6:3: error: bad SUMMARY entry `- Not a link`: expected `[Title](file.md)`");
        assert_eq!(errs[1].line, 7);
    }

    #[test]
    fn rejects_chapter_after_suffix() {
        let text = "# Summary\n# P\n- [A](a.md)\n[S](s.md)\n- [B](b.md)\n";
        let errs = parse_summary(text, "S.md").expect_err("invalid");
        assert_eq!(errs[0].line, 5);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let s = parse_summary("\u{feff}# Summary\n- [A](a.md)\n", "S.md").expect("valid");
        assert_eq!(s.parts[0].items[0].title, "A");
    }

    #[test]
    fn list_without_part_titles_gets_an_untitled_part() {
        let s = parse_summary("# Summary\n- [A](a.md)\n", "S.md").expect("valid");
        assert_eq!(s.parts.len(), 1);
        assert_eq!(s.parts[0].title, "");
    }
}
