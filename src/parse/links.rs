//! Resolves every link's raw destination into an internal (chapter + anchor) or external target.
//! A link that cannot be resolved is not refused: it becomes its own text, with a warning.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::ir::{Book, Inline, LinkTarget};
use crate::paths;
use crate::uri::scheme;

/// Chapter source path (relative to `src`) → (chapter id, anchors inside it).
type ChapterIndex = HashMap<String, (String, Vec<String>)>;

/// Rewrites relative links to [`LinkTarget::Internal`]; a link that names nothing in the book
/// is replaced by its content, with a warning at its location. `shown` maps a span's file to
/// the path shown in messages.
pub fn resolve_links(book: &mut Book, shown: &dyn Fn(u32) -> String, diags: &mut Vec<Diagnostic>) {
    let mut index = ChapterIndex::new();
    for (_, c) in book.chapters() {
        let anchors = c.anchors().into_iter().map(str::to_string).collect();
        index.insert(c.source.clone(), (c.id.clone(), anchors));
    }
    book.for_each_chapter_mut(&mut |c| {
        let source = c.source.clone();
        c.for_each_inline_list_mut(&mut |list| {
            let mut i = 0;
            while i < list.len() {
                let Inline::Link { target, span, .. } = &mut list[i] else {
                    i += 1;
                    continue;
                };
                let LinkTarget::External { url } = target else {
                    i += 1;
                    continue;
                };
                match resolve(url, &source, &index) {
                    Ok(t) => {
                        *target = t;
                        i += 1;
                    }
                    Err(Unresolved { message, group }) => {
                        let d = Diagnostic::warning(shown(span.file), span.line, span.col, message);
                        diags.push(d.grouped(group));
                        let Inline::Link { content, .. } = list.remove(i) else {
                            unreachable!("matched as a link above")
                        };
                        let n = content.len();
                        list.splice(i..i, content);
                        i += n;
                    }
                }
            }
        });
    });
}

/// Why a link is kept as text, and the kind of warning it is.
#[derive(Debug, PartialEq, Eq)]
struct Unresolved {
    message: String,
    group: &'static str,
}

fn unresolved(url: &str, why: &str, group: &'static str) -> Unresolved {
    Unresolved {
        message: format!("link to `{url}` {why}; its text is kept without the link"),
        group,
    }
}

/// Schemes a published book may link to: the web, mail, Gemini and the other common IANA
/// registered ones. Others (`std::fmt::Display` read as scheme `std`, `javascript:`, `file:`)
/// are not links a reader can follow, and epubcheck flags unregistered schemes.
const SCHEMES: &[&str] = &[
    "http", "https", "mailto", "gemini", "gopher", "ftp", "ftps", "sftp", "ssh", "git", "tel",
    "sms", "irc", "ircs", "xmpp", "news", "nntp", "urn", "magnet", "geo", "ws", "wss",
];

fn resolve(url: &str, from: &str, index: &ChapterIndex) -> Result<LinkTarget, Unresolved> {
    let empty = "(a placeholder that was never filled in?)";
    if url.trim().is_empty() || url == "#" {
        return Err(unresolved(
            url,
            &format!("has an empty target {empty}"),
            "empty links",
        ));
    }
    let external = |url: &str| match crate::uri::normalize(url) {
        Ok(url) => Ok(LinkTarget::External { url }),
        Err(why) => Err(unresolved(url, &why, "links that are not valid addresses")),
    };
    if let Some(rest) = url.strip_prefix("//") {
        return external(&format!("https://{rest}"));
    }
    if let Some(scheme) = scheme(url) {
        if SCHEMES.contains(&scheme.as_str()) {
            return external(url);
        }
        let why = format!("uses the scheme `{scheme}:`, which a reader cannot follow");
        return Err(unresolved(url, &why, "links with unusable schemes"));
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(paths::percent_decode(a))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let outside = "links to pages outside the book";
    let (chapter, anchors, target_path) = if path.is_empty() {
        let (id, anchors) = index
            .get(from)
            .ok_or_else(|| unresolved(url, "is in a chapter the book does not list", outside))?;
        (id, anchors, from.to_string())
    } else {
        let joined = paths::join(from, &paths::percent_decode(path))
            .ok_or_else(|| unresolved(url, "leaves the book's source directory", outside))?;
        let found = chapter_candidates(&joined)
            .into_iter()
            .find_map(|p| index.get(&p).map(|entry| (entry, p)));
        match found {
            Some(((id, anchors), p)) => (id, anchors, p),
            None => {
                let why = format!("names `{joined}`, which is not a chapter in SUMMARY.md");
                return Err(unresolved(url, &why, outside));
            }
        }
    };
    if let Some(a) = &anchor {
        if !a.is_empty() && !anchors.iter().any(|x| x == a) {
            let why = format!("names an anchor `{a}` that `{target_path}` does not have");
            return Err(unresolved(url, &why, "links to missing headings"));
        }
    }
    Ok(LinkTarget::Internal {
        chapter: chapter.clone(),
        anchor: anchor.filter(|a| !a.is_empty()),
    })
}

/// The chapter files a local link may mean, as mdBook serves them: `a.md` or `a.html` for
/// `a.md`; a folder or its `index.html` for its `README.md` or `index.md`.
fn chapter_candidates(joined: &str) -> Vec<String> {
    if let Some(stem) = joined.strip_suffix(".html") {
        let mut v = vec![format!("{stem}.md")];
        if let Some(dir) = stem.strip_suffix("index") {
            v.push(format!("{dir}README.md"));
        }
        return v;
    }
    if joined.ends_with(".md") {
        return vec![joined.to_string()];
    }
    let dir = if joined.is_empty() {
        String::new()
    } else {
        format!("{joined}/")
    };
    vec![
        joined.to_string(),
        format!("{dir}README.md"),
        format!("{dir}index.md"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_chapters_and_degrades_the_rest() {
        let mut index = HashMap::new();
        index.insert(
            "a.md".to_string(),
            ("a".to_string(), vec!["intro".to_string()]),
        );
        index.insert("d/b.md".to_string(), ("d-b".to_string(), vec![]));
        index.insert("d/README.md".to_string(), ("d".to_string(), vec![]));
        let r = |u: &str| resolve(u, "d/b.md", &index);
        let internal = |c: &str, a: Option<&str>| {
            Ok(LinkTarget::Internal {
                chapter: c.into(),
                anchor: a.map(str::to_string),
            })
        };
        assert_eq!(r("../a.md#intro"), internal("a", Some("intro")));
        assert_eq!(r("../a.html"), internal("a", None));
        assert_eq!(r("./../a.md?x=1#"), internal("a", None));
        assert_eq!(r("index.html"), internal("d", None));
        assert_eq!(r("../d/"), internal("d", None));
        assert_eq!(
            r("//lwn.net/x"),
            Ok(LinkTarget::External {
                url: "https://lwn.net/x".into()
            })
        );
        assert_eq!(
            r("https://x.org/a b##c"),
            Ok(LinkTarget::External {
                url: "https://x.org/a%20b#%23c".into()
            })
        );
        let group = |u: &str| r(u).map_err(|e| e.group);
        assert_eq!(
            group("https://a b/"),
            Err("links that are not valid addresses")
        );
        assert_eq!(group("../a.md#nope"), Err("links to missing headings"));
        assert_eq!(group("#x"), Err("links to missing headings"));
        assert_eq!(group("c.md"), Err("links to pages outside the book"));
        assert_eq!(group("/url"), Err("links to pages outside the book"));
        assert_eq!(group("../../x.md"), Err("links to pages outside the book"));
        assert_eq!(group("foo.html"), Err("links to pages outside the book"));
        assert_eq!(group("#"), Err("empty links"));
        assert_eq!(group(""), Err("empty links"));
        assert_eq!(
            group("javascript:alert(1)"),
            Err("links with unusable schemes")
        );
        assert_eq!(
            group("std::process::Termination"),
            Err("links with unusable schemes")
        );
        let msg = r("c.md").map_err(|e| e.message);
        assert_eq!(
            msg,
            Err("link to `c.md` names `d/c.md`, which is not a chapter in SUMMARY.md; its text is kept without the link".into())
        );
    }
}
