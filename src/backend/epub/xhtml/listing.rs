//! A `<Listing>` as The Rust Programming Language's own HTML shows it: a figure, the file name
//! above its content ("Filename: src/main.rs") and the number and caption below, as its
//! `<figcaption>` ("Listing 1-1: …").
//!
//! Line numbers (`numberLines`, `[output.pdf] line-numbers`) are the PDF's only: in XHTML they
//! would be text inside `<pre>`, copied with the code by every reading system that ignores
//! `user-select` (most do), so the EPUB's code stays as typed.

use super::{Doc, Notes};
use crate::ir::{Block, Chapter, Inline};

impl Doc<'_> {
    /// A listing: `<figure class="listing">`, its file name, its blocks and its caption.
    pub(super) fn listing(
        &mut self,
        c: &Chapter,
        number: Option<&str>,
        file_name: Option<&str>,
        caption: &[Inline],
        blocks: &[Block],
        notes: &mut Notes,
    ) {
        self.raw("<figure class=\"listing\">\n");
        if let Some(f) = file_name {
            self.raw("<p class=\"listing-file\">Filename: ");
            self.text(f);
            self.raw("</p>\n");
        }
        self.blocks(c, blocks, notes);
        if number.is_some() || !caption.is_empty() {
            self.raw("<figcaption>");
            if let Some(n) = number {
                self.raw("<strong>");
                self.text(&format!("Listing {n}"));
                self.raw("</strong>");
                if !caption.is_empty() {
                    self.raw(": ");
                }
            }
            self.inlines(c, caption, notes);
            self.raw("</figcaption>\n");
        }
        self.raw("</figure>\n");
    }
}
