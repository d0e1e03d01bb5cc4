//! Resolves every link's raw destination into an internal (chapter + anchor) or external target.
//! A link that cannot be resolved is not refused: it becomes its own text, with a warning.

use std::collections::HashMap;

use crate::diag::{Diagnostic, SourceMap};
use crate::ir::{Book, Inline, LinkTarget};
use crate::paths;
use crate::uri::scheme;

/// What a link into a chapter may name: the chapter's id, its anchors, and the id mdBook gives
/// its `# Title` (the page's top, since that heading is the chapter title here).
struct Entry {
    id: String,
    anchors: Vec<String>,
    title_anchor: Option<String>,
}

/// Chapter source path (relative to `src`) → what links may name in it.
type ChapterIndex = HashMap<String, Entry>;

/// What resolution needs besides the chapters.
pub(crate) struct LinkContext<'a> {
    /// The book's web address (`[publish]` or `[output.html]` `site-url`, when absolute):
    /// links that leave the book are resolved against it.
    pub site_url: Option<&'a str>,
    /// Chapter source path → the id of the `# Title` heading that became its title.
    pub title_anchors: &'a HashMap<String, String>,
}

/// Rewrites relative links to [`LinkTarget::Internal`]; a link that names nothing in the book
/// is replaced by its content, with a warning at its location in `sources`.
pub(crate) fn resolve_links(
    book: &mut Book,
    cx: &LinkContext,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    let mut index = ChapterIndex::new();
    for c in book.chapters().map(|r| r.chapter) {
        let entry = Entry {
            id: c.id.clone(),
            anchors: c.anchors().all(),
            title_anchor: cx.title_anchors.get(&c.source).cloned(),
        };
        index.insert(c.source.clone(), entry);
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
                match resolve(url, &source, &index, cx.site_url) {
                    Ok(t) => {
                        *target = t;
                        i += 1;
                    }
                    Err(Unresolved { message, group }) => {
                        diags.push(sources.warning(*span, message).grouped(group));
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

fn resolve(
    url: &str,
    from: &str,
    index: &ChapterIndex,
    site_url: Option<&str>,
) -> Result<LinkTarget, Unresolved> {
    if let Some(target) = not_relative(url) {
        return target;
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(paths::percent_decode(a))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let outside = "links to pages outside the book";
    // A page of the book's web site that is not a chapter here (a file mdBook copies, another
    // book of the same site): a link to the site when its address is known.
    let on_site = |why: &str| match site_url {
        Some(site) => external(&crate::uri::resolve(&page_url(site, from), url)),
        None => Err(unresolved(
            url,
            &format!("{why} (`site-url` would make it a link to the book's web site)"),
            outside,
        )),
    };
    let (entry, target_path) = if path.is_empty() {
        let entry = index
            .get(from)
            .ok_or_else(|| unresolved(url, "is in a chapter the book does not list", outside))?;
        (entry, from.to_string())
    } else {
        let Some(joined) = paths::join(from, &paths::percent_decode(path)) else {
            return on_site("leaves the book's source directory");
        };
        let found = chapter_candidates(&joined)
            .into_iter()
            .find_map(|p| index.get(&p).map(|entry| (entry, p)));
        match found {
            Some(found) => found,
            None => {
                let why = format!("names `{joined}`, which is not a chapter in SUMMARY.md");
                // Only files mdBook would copy to the site as they are: not a chapter's
                // Markdown, nor a folder or page that would be one.
                let chapter_like = joined.ends_with(".md")
                    || joined.ends_with(".html")
                    || path.ends_with('/')
                    || joined.is_empty();
                return if chapter_like {
                    Err(unresolved(url, &why, outside))
                } else {
                    on_site(&why)
                };
            }
        }
    };
    internal(url, entry, &target_path, anchor)
}

/// What `url` is when it is not a path: empty, protocol-relative or with a scheme.
fn not_relative(url: &str) -> Option<Result<LinkTarget, Unresolved>> {
    let empty = "(a placeholder that was never filled in?)";
    if url.trim().is_empty() || url == "#" {
        return Some(Err(unresolved(
            url,
            &format!("has an empty target {empty}"),
            "empty links",
        )));
    }
    if let Some(rest) = url.strip_prefix("//") {
        return Some(external(&format!("https://{rest}")));
    }
    let scheme = scheme(url)?;
    if SCHEMES.contains(&scheme.as_str()) {
        return Some(external(url));
    }
    let why = format!("uses the scheme `{scheme}:`, which a reader cannot follow");
    Some(Err(unresolved(url, &why, "links with unusable schemes")))
}

/// A link that leaves the book, normalised.
fn external(url: &str) -> Result<LinkTarget, Unresolved> {
    match crate::uri::normalize(url) {
        Ok(url) => Ok(LinkTarget::External { url }),
        Err(why) => Err(unresolved(
            url,
            &why.to_string(),
            "links that are not valid addresses",
        )),
    }
}

/// A link to chapter `entry` (at `target_path`), to its top or to one of its anchors.
fn internal(
    url: &str,
    entry: &Entry,
    target_path: &str,
    anchor: Option<String>,
) -> Result<LinkTarget, Unresolved> {
    if let Some(a) = &anchor {
        if entry.title_anchor.as_deref() == Some(a.as_str()) {
            // The `# Title` that became the chapter title: the top of the chapter.
            return Ok(LinkTarget::Internal {
                chapter: entry.id.clone(),
                anchor: None,
            });
        }
        if !a.is_empty() && !entry.anchors.iter().any(|x| x == a) {
            let why = format!("names an anchor `{a}` that `{target_path}` does not have");
            return Err(unresolved(url, &why, "links to missing headings"));
        }
    }
    Ok(LinkTarget::Internal {
        chapter: entry.id.clone(),
        anchor: anchor.filter(|a| !a.is_empty()),
    })
}

/// The address mdBook gives chapter `source` on the site at `site`: `a/b.md` is
/// `{site}a/b.html`, a `README.md` is its folder's `index.html`.
fn page_url(site: &str, source: &str) -> String {
    let page = source.strip_suffix(".md").unwrap_or(source);
    let page = match page.strip_suffix("README") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index"),
        _ => page.to_string(),
    };
    let sep = if site.ends_with('/') { "" } else { "/" };
    format!("{site}{sep}{page}.html")
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
mod tests;
