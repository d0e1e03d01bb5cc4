//! The navigation stage: the table of contents as a tree, the landmarks, and the two documents
//! that carry them — `nav.xhtml` for EPUB 3 readers and `toc.ncx` for EPUB 2 ones.

use crate::ir::{Book, BookMeta, Chapter};
use crate::xml::escape;

use super::layout::Layout;
use super::xhtml::Links;

/// A table-of-contents entry.
#[derive(Debug, Clone)]
pub(crate) struct NavNode {
    /// The text of the entry.
    pub(crate) label: String,
    /// The document (and fragment) it links to.
    pub(crate) href: String,
    /// Nested entries.
    pub(crate) children: Vec<NavNode>,
    /// SUMMARY.md has a separator before this entry: the lists show a thin rule above it
    /// (class `sep`, see `css::SEPARATOR_CSS`).
    pub(crate) separator_before: bool,
}

impl NavNode {
    /// An entry without children.
    pub(crate) fn leaf(label: String, href: String) -> Self {
        Self {
            label,
            href,
            children: Vec::new(),
            separator_before: false,
        }
    }
}

/// A landmark: (epub:type, label, href).
pub(crate) type Landmark = (&'static str, &'static str, String);

/// The nested table of contents of the book's text: days → posts → talks. `speakers` adds the
/// speakers to talk entries (the inline contents page); the nav document keeps titles only.
pub(crate) fn chapters(book: &Book, layout: &Layout, speakers: bool) -> Vec<NavNode> {
    fn node(c: &Chapter, links: &Links, speakers: bool) -> NavNode {
        let mut label = c.contents_title();
        if speakers && c.is_talk() {
            label = format!("{label} — {}", c.speakers.join(", "));
        }
        NavNode {
            label,
            href: links.chapter_file.get(&c.id).cloned().unwrap_or_default(),
            children: c
                .children
                .iter()
                .map(|ch| node(ch, links, speakers))
                .collect(),
            separator_before: c.separator_before,
        }
    }
    let links = &layout.links;
    let mut out: Vec<NavNode> = Vec::new();
    for d in book.divisions() {
        let chapters = d.chapters.iter().map(|c| node(c, links, speakers));
        let page = d
            .part
            .and_then(|(i, p)| Some((p, layout.part_files.get(i)?.as_ref()?)));
        match page {
            Some((p, f)) => out.push(NavNode {
                label: p.title.clone(),
                href: f.clone(),
                children: chapters.collect(),
                separator_before: false,
            }),
            None => out.extend(chapters),
        }
    }
    out
}

/// The table of contents of the package: `front` (label, href) first — every spine item is
/// reachable from the nav and the NCX (epubcheck OPF-058/059) — then the chapters, with a
/// closing part that needed its own document listed after its chapter's talks.
pub(crate) fn toc(book: &Book, layout: &Layout, front: Vec<NavNode>) -> Vec<NavNode> {
    let mut toc = front;
    toc.extend(chapters(book, layout, false));
    for (place, c) in layout.placements.iter().zip(book.chapters()) {
        let c = c.chapter;
        if let (true, Some(file)) = (place.closing_separate, &place.closing) {
            if let Some(node) = find_node(&mut toc, &place.main) {
                node.children
                    .push(NavNode::leaf(format!("{} (end)", c.title), file.clone()));
            }
        }
    }
    toc
}

/// The entry of `toc` (at any depth) that links to `href`.
fn find_node<'n>(nodes: &'n mut [NavNode], href: &str) -> Option<&'n mut NavNode> {
    for n in nodes {
        if n.href == href {
            return Some(n);
        }
        if let Some(found) = find_node(&mut n.children, href) {
            return Some(found);
        }
    }
    None
}

/// A nested `ol` of links, shared by the nav document and the inline contents page.
pub(crate) fn nav_list(nodes: &[NavNode], out: &mut String) {
    out.push_str("<ol>\n");
    for n in nodes {
        let class = if n.separator_before {
            " class=\"sep\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<li{class}><a href=\"{}\">{}</a>",
            escape(&n.href),
            escape(&n.label)
        ));
        if !n.children.is_empty() {
            out.push('\n');
            nav_list(&n.children, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// `nav.xhtml`: the table of contents and the (hidden) landmarks.
pub(crate) fn document(meta: &BookMeta, toc: &[NavNode], landmarks: &[Landmark]) -> String {
    let mut body =
        String::from("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h1>Contents</h1>\n");
    nav_list(toc, &mut body);
    body.push_str("</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>Landmarks</h2>\n<ol>\n");
    for (ty, label, href) in landmarks {
        body.push_str(&format!(
            "<li><a epub:type=\"{ty}\" href=\"{}\">{label}</a></li>\n",
            escape(href)
        ));
    }
    body.push_str("</ol>\n</nav>\n");
    super::xhtml::document(meta, &meta.title, &body)
}

/// `toc.ncx`: the table of contents for EPUB 2 readers, tied to the package by `identifier`.
pub(crate) fn ncx(meta: &BookMeta, identifier: &str, toc: &[NavNode]) -> String {
    fn depth(nodes: &[NavNode]) -> usize {
        nodes
            .iter()
            .map(|n| 1 + depth(&n.children))
            .max()
            .unwrap_or(0)
    }
    fn points(nodes: &[NavNode], order: &mut usize, indent: usize, out: &mut String) {
        for n in nodes {
            *order += 1;
            let pad = "  ".repeat(indent);
            out.push_str(&format!(
                "{pad}<navPoint id=\"np-{o}\" playOrder=\"{o}\">\n{pad}  <navLabel><text>{}</text></navLabel>\n{pad}  <content src=\"{}\"/>\n",
                escape(&n.label),
                escape(&n.href),
                o = *order
            ));
            points(&n.children, order, indent + 1, out);
            out.push_str(&format!("{pad}</navPoint>\n"));
        }
    }
    let mut map = String::new();
    points(toc, &mut 0, 2, &mut map);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n\
         <head>\n  <meta name=\"dtb:uid\" content=\"{}\"/>\n  <meta name=\"dtb:depth\" content=\"{}\"/>\n\
         \x20 <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n  <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n\
         <docTitle><text>{}</text></docTitle>\n<navMap>\n{map}</navMap>\n</ncx>\n",
        escape(&meta.language),
        escape(identifier),
        depth(toc).max(1),
        escape(&meta.title)
    )
}
