//! Setting the book's chapters side by side before the first layout pass. Paragraphs are set
//! independently of one another (only page numbers need the book's order), so each thread
//! sets chapters (each without its sub-chapters) with a setter of its own, and what they set
//! seeds the cache of the setter the passes use: the passes, which run in order, then only
//! look paragraphs up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::fonts::Fonts;
use super::geometry::Geometry;
use super::page::ListBuilder;
use super::para::{SetParagraphs, Setter};
use super::shape::Shaper;
use super::vlist::VList;
use super::Matter;
use crate::ir::{Book, Chapter};

/// Stack of each thread: chapters are set recursively, as deep as the backends' threads go.
const STACK: usize = 8 << 20;

/// How many threads [`set_chapters`] may use: one per core.
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Sets the chapters of `book`'s body on up to `threads` threads and adds what they set to
/// `setter`'s cache. Does nothing with one thread or for a book of one chapter, where it
/// would only add work.
pub(super) fn set_chapters(
    book: &Book,
    setter: &mut Setter<'_>,
    geo: Geometry,
    matter: &Matter,
    threads: usize,
) {
    // Every chapter on its own, the biggest first, so that the threads finish together.
    let mut chapters: Vec<&Chapter> = book
        .chapters()
        .filter(|r| r.matter != crate::ir::Matter::Front)
        .map(|r| r.chapter)
        .collect();
    chapters.sort_by_key(|c| std::cmp::Reverse(c.blocks.len() + c.closing.len()));
    let threads = threads.min(chapters.len());
    if threads < 2 {
        return;
    }
    let fonts = setter.fonts();
    let next = AtomicUsize::new(0);
    let sets: Vec<SetParagraphs> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|i| {
                std::thread::Builder::new()
                    .name(format!("typeset {i}"))
                    .stack_size(STACK)
                    .spawn_scoped(scope, || {
                        set_some(book, fonts, geo, matter, &chapters, &next)
                    })
                    .ok()
            })
            .collect();
        // A thread that failed to start or crashed leaves its chapters to the passes.
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    for set in sets {
        setter.absorb(set);
    }
}

/// Sets the chapters of `chapters` whose turn `next` gives this thread, one by one.
fn set_some(
    book: &Book,
    fonts: &Fonts,
    geo: Geometry,
    matter: &Matter,
    chapters: &[&Chapter],
    next: &AtomicUsize,
) -> SetParagraphs {
    let mut setter = Setter::new(Shaper::new(fonts));
    setter.set_hyphenation(matter.hyphenate);
    // The lines built here are dropped: only the cache is wanted, not copies of its glyphs.
    setter.set_mode(super::para::Mode::Outline);
    let mut b = ListBuilder::new(book, setter, geo, HashMap::new());
    // The passes' settings, so that what is set here is what they would set.
    b.line_numbers = matter.line_numbers;
    b.with_children = false;
    while let Some(c) = chapters.get(next.fetch_add(1, Ordering::Relaxed)) {
        b.chapter(c, true);
        // Only the set paragraphs are wanted: the list is dropped as it grows.
        b.list = VList::default();
    }
    b.finish().1.into_set()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::typeset::{fonts::Fonts, layout_with, Geometry, Matter};

    /// Setting chapters side by side changes nothing on the pages or in what is reported.
    #[test]
    fn chapters_set_ahead_give_the_same_pages_and_warnings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let book = match crate::parse::load(&dir) {
            Ok(l) => l.book,
            Err(e) => panic!("the Kernel Recipes book loads: {e:?}"),
        };
        let fonts = Fonts::bundled().expect("bundled fonts");
        let matter = Matter::default();
        let one = layout_with(&book, &fonts, Geometry::a5(), &matter, 1);
        for threads in [2, 3, 8] {
            let many = layout_with(&book, &fonts, Geometry::a5(), &matter, threads);
            assert_eq!(one.pages.len(), many.pages.len(), "{threads} threads");
            assert!(
                one.pages == many.pages,
                "{threads} threads: the pages differ"
            );
            assert_eq!(one.warnings, many.warnings, "{threads} threads");
            assert_eq!(one.passes, many.passes, "{threads} threads");
        }
        assert!(
            one.pages.len() > 30,
            "a book of many pages: {}",
            one.pages.len()
        );
    }
}
