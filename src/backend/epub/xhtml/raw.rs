//! Raw HTML in a document: kept when it is safe, well-formed XHTML in its place, otherwise
//! written as text (with the ids it declares kept as empty anchors).

use crate::ir::{Inline, Span};
use crate::xml::escape;

use super::{xml_id, Doc};
use crate::backend::epub::rawhtml::{self, closing_tag_name, opening_tag_name, Context, Refusal};

impl Doc<'_> {
    /// For raw HTML that is written as text: an empty `<span>` for each id it declares, so
    /// that links to them still land.
    pub(super) fn keep_html_ids(&mut self, html: &str) {
        for id in crate::html::anchor_ids(html) {
            let id = xml_id(&id);
            if self.ids.insert(&id) {
                self.raw(&format!("<span id=\"{}\"></span>", escape(&id)));
            }
        }
    }

    /// A raw HTML block: kept when it is safe, well-formed XHTML, otherwise written as text.
    pub(super) fn html_block(&mut self, html: &str, span: Span) {
        // XHTML has no `name` on `<a>`: the same anchor is its `id`.
        let html = crate::html::a_name_as_id(html.trim_end());
        match rawhtml::check(&html, Context::Flow, &mut self.ids) {
            Ok(()) => {
                self.raw(&html);
                self.raw("\n");
            }
            Err(why) => {
                self.warn(
                    span,
                    format!("raw HTML block kept as text in the EPUB: {why}"),
                );
                self.raw("<pre>");
                self.keep_html_ids(&html);
                self.text(&html);
                self.raw("</pre>\n");
            }
        }
    }

    /// Accepts a complete inline fragment, or an opening tag whose closing tag follows in the
    /// same run (the text between them is ours, hence well-formed). Returns the index of that
    /// closing tag.
    pub(super) fn inline_html(
        &mut self,
        inlines: &[Inline],
        i: usize,
        h: &str,
    ) -> Result<Option<usize>, Refusal> {
        let Some(name) = opening_tag_name(h) else {
            if h.trim_start().starts_with("</") {
                return Err(Refusal::NoOpening);
            }
            return rawhtml::check(h, self.phrasing(), &mut self.ids).map(|()| None);
        };
        let mut depth = 0;
        let mut end = None;
        for (j, later) in inlines.iter().enumerate().skip(i + 1) {
            if let Inline::Html(t) = later {
                if opening_tag_name(t).as_deref() == Some(name.as_str()) {
                    depth += 1;
                } else if closing_tag_name(t).as_deref() == Some(name.as_str()) {
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                    depth -= 1;
                }
            }
        }
        let Some(end) = end else {
            return Err(Refusal::NoClosing(name));
        };
        rawhtml::check(&format!("{h}</{name}>"), self.phrasing(), &mut self.ids)?;
        Ok(Some(end))
    }

    /// The context of raw inline HTML written now.
    fn phrasing(&self) -> Context {
        if self.in_link {
            Context::InLink
        } else {
            Context::Phrasing
        }
    }
}
