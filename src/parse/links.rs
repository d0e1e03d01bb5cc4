//! Resolves every link's raw destination into an internal (chapter + anchor) or external target.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::ir::{Book, Chapter, Inline, LinkTarget};

/// Rewrites relative links to [`LinkTarget::Internal`]; reports unknown chapters and anchors.
/// `shown` maps a chapter's source path to the path shown in messages.
pub fn resolve_links(book: &mut Book, shown: &dyn Fn(u32) -> String, diags: &mut Vec<Diagnostic>) {
    let mut index: HashMap<String, (String, Vec<String>)> = HashMap::new();
    for (_, c) in book.chapters() {
        index.insert(
            c.source.clone(),
            (
                c.id.clone(),
                c.anchors().into_iter().map(str::to_string).collect(),
            ),
        );
    }
    let mut visit = |c: &mut Chapter| {
        let (source, id) = (c.source.clone(), c.id.clone());
        c.for_each_inline_mut(&mut |inline| {
            if let Inline::Link { target, span, .. } = inline {
                let LinkTarget::External { url } = target else {
                    return;
                };
                match resolve(url, &source, &id, &index) {
                    Ok(t) => *target = t,
                    Err(msg) => diags.push(Diagnostic::error(
                        shown(span.file),
                        span.line,
                        span.col,
                        msg,
                    )),
                }
            }
        });
    };
    book.for_each_chapter_mut(&mut visit);
}

/// True for `https:`, `mailto:`, `gemini:`… (a URI scheme) and protocol-relative `//host`.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//") || has_scheme(url)
}

/// True when `url` starts with a URI scheme (`https:`, `mailto:`…).
pub fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

fn resolve(
    url: &str,
    from: &str,
    from_id: &str,
    index: &HashMap<String, (String, Vec<String>)>,
) -> Result<LinkTarget, String> {
    if url.is_empty() || url == "#" {
        return Err(format!(
            "link with an empty target `{url}` (a placeholder that was never filled in?)"
        ));
    }
    if is_external(url) {
        return Ok(LinkTarget::External {
            url: url.to_string(),
        });
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (url, None),
    };
    let (chapter, anchors, target_path) = if path.is_empty() {
        let (id, anchors) = &index[from];
        debug_assert_eq!(id, from_id);
        (id.clone(), anchors, from.to_string())
    } else {
        let joined = join(from, path)
            .ok_or_else(|| format!("link to `{url}` leaves the book's source directory"))?;
        let joined = match joined.strip_suffix(".html") {
            Some(stem) => format!("{stem}.md"),
            None => joined,
        };
        match index.get(&joined) {
            Some((id, anchors)) => (id.clone(), anchors, joined),
            None if joined.ends_with(".md") => {
                return Err(format!(
                    "link to `{url}`: `{joined}` is not a chapter in SUMMARY.md"
                ))
            }
            None => {
                return Err(format!(
                    "link to `{url}`: only chapters (`.md`) and external URLs can be linked"
                ))
            }
        }
    };
    if let Some(a) = &anchor {
        if !anchors.iter().any(|x| x == a) {
            return Err(format!(
                "link to `{url}`: `{target_path}` has no heading or note with id `{a}`"
            ));
        }
    }
    Ok(LinkTarget::Internal { chapter, anchor })
}

/// Joins a relative link onto the directory of `from` (both relative to `src/`), normalising `.`/`..`.
fn join(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_detection() {
        assert!(is_external("https://lwn.net"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.example/x"));
        assert!(!is_external("day-1/a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join("day-2/afternoon.md", "../day-3/morning.md").as_deref(),
            Some("day-3/morning.md")
        );
        assert_eq!(
            join("day-1/morning.md", "afternoon.md").as_deref(),
            Some("day-1/afternoon.md")
        );
        assert_eq!(join("about.md", "../x.md"), None);
    }

    #[test]
    fn resolves_and_reports() {
        let mut index = HashMap::new();
        index.insert(
            "a.md".to_string(),
            ("a".to_string(), vec!["intro".to_string()]),
        );
        index.insert("d/b.md".to_string(), ("d-b".to_string(), vec![]));
        let r = |u: &str| resolve(u, "d/b.md", "d-b", &index);
        assert_eq!(
            r("../a.md#intro"),
            Ok(LinkTarget::Internal {
                chapter: "a".into(),
                anchor: Some("intro".into())
            })
        );
        assert_eq!(
            r("../a.html"),
            Ok(LinkTarget::Internal {
                chapter: "a".into(),
                anchor: None
            })
        );
        assert!(r("../a.md#nope")
            .unwrap_err()
            .contains("no heading or note with id `nope`"));
        assert!(r("c.md").unwrap_err().contains("`d/c.md` is not a chapter"));
        assert!(r("#").unwrap_err().contains("placeholder"));
        assert!(r("#x").unwrap_err().contains("`d/b.md` has no heading"));
    }
}
