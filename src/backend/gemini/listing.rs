//! A `<Listing>` in gemtext: its file name on a text line above its content
//! ("Filename: src/main.rs") and its number and caption on one below ("Listing 1-1: …"), as The
//! Rust Programming Language's HTML places them.

use super::lines::Page;
use crate::ir::{Block, BlockKind, Chapter};

impl Page<'_, '_> {
    /// Listing `b` (any other block is left alone).
    pub(crate) fn listing(&mut self, c: &Chapter, b: &Block) {
        let BlockKind::Listing {
            number,
            file_name,
            caption,
            blocks,
        } = &b.kind
        else {
            return;
        };
        if let Some(f) = file_name {
            self.text(&crate::backend::plain::listing_file(f));
        }
        self.blocks(c, blocks);
        let caption = self.inline_text(c, caption, b.span);
        let line = crate::backend::plain::listing_caption(number.as_deref(), &caption);
        self.text(&line);
    }
}
