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
            self.text(&format!("Filename: {f}"));
        }
        self.blocks(c, blocks);
        let caption = self.inline_text(c, caption, b.span);
        let caption = caption.trim();
        let line = match (number, caption.is_empty()) {
            (Some(n), false) => format!("Listing {n}: {caption}"),
            (Some(n), true) => format!("Listing {n}"),
            (None, _) => caption.to_string(),
        };
        self.text(&line);
    }
}
