//! The front matter: the cover page (when the book has a cover), the title page and the
//! inline contents page, each a content document before the book's text.

use crate::ir::BookMeta;
use crate::xml::escape;

use super::nav::{nav_list, Landmark, NavNode};

/// One page of the front matter.
pub(crate) struct FrontPage {
    /// Its `epub:type` in the landmarks.
    pub(crate) kind: &'static str,
    /// Its entry in the table of contents and the landmarks.
    pub(crate) label: &'static str,
    /// Its file name, reserved in the layout.
    pub(crate) file: &'static str,
    /// The document's `<title>`.
    pub(crate) title: String,
    /// The document's body.
    pub(crate) body: String,
}

impl FrontPage {
    /// Its entry in the table of contents.
    pub(crate) fn nav_node(&self) -> NavNode {
        NavNode::leaf(self.label.to_string(), self.file.to_string())
    }

    /// Its landmark.
    pub(crate) fn landmark(&self) -> Landmark {
        (self.kind, self.label, self.file.to_string())
    }
}

/// The front matter, in reading order: the cover page if `cover` (the image's href) is given,
/// the title page, and the contents page listing `contents`.
pub(crate) fn pages(meta: &BookMeta, cover: Option<&str>, contents: &[NavNode]) -> Vec<FrontPage> {
    let mut pages = Vec::new();
    if let Some(href) = cover {
        pages.push(FrontPage {
            kind: "cover",
            label: "Cover",
            file: "cover.xhtml",
            title: meta.title.clone(),
            body: cover_page(meta, href),
        });
    }
    pages.push(FrontPage {
        kind: "titlepage",
        label: "Title page",
        file: "titlepage.xhtml",
        title: meta.title.clone(),
        body: title_page(meta),
    });
    pages.push(FrontPage {
        kind: "toc",
        label: "Contents",
        file: "contents.xhtml",
        title: "Contents".into(),
        body: contents_page(contents),
    });
    pages
}

fn cover_page(meta: &BookMeta, href: &str) -> String {
    format!(
        "<section epub:type=\"cover\" class=\"cover\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"Cover of {}\"/>\n</section>\n",
        escape(href),
        escape(&meta.title)
    )
}

fn title_page(m: &BookMeta) -> String {
    let mut body = format!(
        "<section epub:type=\"titlepage\" class=\"titlepage\" aria-labelledby=\"book-title\">\n<h1 id=\"book-title\">{}</h1>\n",
        escape(&m.title)
    );
    if let Some(s) = &m.subtitle {
        body.push_str(&format!("<p><em>{}</em></p>\n", escape(s)));
    }
    if !m.authors.is_empty() {
        body.push_str(&format!("<p>{}</p>\n", escape(&m.authors.join(", "))));
    }
    let imprint: Vec<&str> = [m.publisher.as_deref(), m.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !imprint.is_empty() {
        body.push_str(&format!("<p>{}</p>\n", escape(&imprint.join(", "))));
    }
    if let Some(d) = &m.description {
        body.push_str(&format!("<p>{}</p>\n", escape(d)));
    }
    body.push_str("</section>\n");
    body
}

/// The inline contents page: it lists the book's own chapters only.
fn contents_page(toc: &[NavNode]) -> String {
    let mut contents = String::from(
        "<nav epub:type=\"toc\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">Contents</h1>\n",
    );
    nav_list(toc, &mut contents);
    contents.push_str("</nav>\n");
    contents
}
