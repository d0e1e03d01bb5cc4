//! Setting the book's chapters side by side. Paragraphs are set independently of one another
//! (only page numbers need the book's order), so each thread sets chapters with a setter of
//! its own. Before the first layout pass they set every chapter (each without its
//! sub-chapters), and what they set seeds the cache of the setter the passes use: the passes,
//! which run in order, then only look paragraphs up. They keep the glyphs of about a megabyte
//! of text ([`GLYPH_BUDGET`]) and only the lines' outlines of the rest, which is all the passes
//! that find the page numbers need. For a bigger book, while the last pass places the pages, a
//! [`Feed`] sets the chapters again a few ahead of it, in its order, and hands each chapter's
//! glyphs over just before the pass needs them: the book's glyphs are never all held at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::Scope;

use super::fonts::Fonts;
use super::geometry::Geometry;
use super::page::ListBuilder;
use super::para::{Mode, SetGlyphs, SetParagraphs, Setter};
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

/// How many glyphs the chapters set ahead may keep for the last pass: about a megabyte of
/// text, some 30 MB. A book that has more is set again by a [`Feed`] while its pages are
/// placed, so that memory does not grow with the book; a smaller one is set once.
pub(super) const GLYPH_BUDGET: usize = 1 << 20;

/// How chapters are set side by side: on how many threads, keeping how many glyphs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ahead {
    /// Threads that may set chapters.
    pub threads: usize,
    /// Glyphs the chapters set before the passes may keep (see [`GLYPH_BUDGET`]).
    pub budget: usize,
}

impl Ahead {
    /// One thread per core, and [`GLYPH_BUDGET`].
    pub(super) fn of_machine() -> Self {
        Ahead {
            threads: cores(),
            budget: GLYPH_BUDGET,
        }
    }
}

/// Sets the chapters of `book`'s body on up to `ahead.threads` threads and adds what they set
/// to `setter`'s cache, glyphs and all while they fit `ahead.budget`, else only the lines'
/// outlines. Does nothing with one thread or for a book of one chapter, where it would only
/// add work. Returns whether glyphs were left out (the last pass then needs a [`Feed`]).
pub(super) fn set_chapters(
    book: &Book,
    setter: &mut Setter<'_>,
    geo: Geometry,
    matter: &Matter,
    ahead: Ahead,
) -> bool {
    // Every chapter on its own, the biggest first, so that the threads finish together.
    let mut chapters: Vec<&Chapter> = book
        .chapters()
        .filter(|r| r.matter != crate::ir::Matter::Front)
        .map(|r| r.chapter)
        .collect();
    chapters.sort_by_key(|c| std::cmp::Reverse(c.blocks.len() + c.closing.len()));
    let threads = ahead.threads.min(chapters.len());
    if threads < 2 {
        return false;
    }
    let fonts = setter.fonts();
    let next = AtomicUsize::new(0);
    let budget = Budget {
        left: AtomicUsize::new(ahead.budget),
        exceeded: AtomicBool::new(false),
    };
    let sets: Vec<SetParagraphs> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|i| {
                std::thread::Builder::new()
                    .name(format!("typeset {i}"))
                    .stack_size(STACK)
                    .spawn_scoped(scope, || {
                        set_some(book, fonts, geo, matter, &chapters, &next, &budget)
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
    budget.exceeded.into_inner()
}

/// The glyphs the chapters set ahead may still keep, and whether some were left out.
struct Budget {
    left: AtomicUsize,
    exceeded: AtomicBool,
}

impl Budget {
    /// Whether `n` more glyphs may be kept (they are then counted).
    fn take(&self, n: usize) -> bool {
        let kept = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            })
            .is_ok();
        if !kept {
            self.exceeded.store(true, Ordering::Relaxed);
        }
        kept
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
    budget: &Budget,
) -> SetParagraphs {
    let mut b = builder(book, fonts, geo, matter);
    b.with_children = false;
    while let Some(c) = chapters.get(next.fetch_add(1, Ordering::Relaxed)) {
        b.chapter(c, true);
        // Only the set paragraphs are wanted: the list is dropped as it grows, and the glyphs
        // once the budget is spent.
        b.list = VList::default();
        let glyphs = b.setter.take_glyphs();
        if budget.take(glyphs.count()) {
            b.setter.absorb_glyphs(glyphs);
        }
    }
    b.finish().1.into_set()
}

/// A list builder for a thread that sets chapters for the passes: with their settings, so that
/// what it sets is what they would set, and handing out outlines (its lists are dropped).
fn builder<'b, 'f>(
    book: &'b Book,
    fonts: &'f Fonts,
    geo: Geometry,
    matter: &Matter,
) -> ListBuilder<'b, 'f> {
    let mut setter = Setter::new(Shaper::new(fonts));
    setter.set_hyphenation(matter.hyphenate);
    setter.set_mode(Mode::Outline);
    let mut b = ListBuilder::new(book, setter, geo, HashMap::new());
    b.line_numbers = matter.line_numbers;
    b.with_children = true;
    b
}

/// The chapters the last pass sets one after another, in its order: the top-level chapters of
/// the parts and of the back matter, each with its sub-chapters.
pub(super) fn units(book: &Book) -> Vec<&Chapter> {
    book.divisions()
        .filter(|d| d.part.is_some() || d.matter == crate::ir::Matter::Back)
        .flat_map(|d| match d.part {
            Some((_, p)) => p.chapters.iter(),
            None => d.chapters.iter(),
        })
        .collect()
}

/// How many chapters a feed's threads may have set and not yet handed over.
const AHEAD: usize = 2;

/// Chapters set with their glyphs on other threads, a few ahead of the last pass.
pub(super) struct Feed {
    set: Receiver<(usize, SetGlyphs)>,
    /// Chapters set before the pass asked for them, by their place in [`units`].
    early: HashMap<usize, SetGlyphs>,
}

impl Feed {
    /// Starts `threads` threads in `scope` that set [`units`] of `book` in order; `None` when
    /// there is nothing to share out.
    pub(super) fn start<'s, 'e: 's>(
        scope: &'s Scope<'s, 'e>,
        book: &'e Book,
        fonts: &'e Fonts,
        geo: Geometry,
        matter: &'e Matter,
        threads: usize,
    ) -> Option<Feed> {
        let units = units(book);
        if threads == 0 || units.len() < 2 {
            return None;
        }
        let (tx, rx) = sync_channel(AHEAD);
        let next = std::sync::Arc::new(AtomicUsize::new(0));
        let units = std::sync::Arc::new(units);
        for i in 0..threads {
            let (tx, next, units) = (tx.clone(), next.clone(), units.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("feed {i}"))
                .stack_size(STACK)
                .spawn_scoped(scope, move || {
                    feed(book, fonts, geo, matter, &units, &next, &tx)
                });
            // A thread that did not start leaves its chapters to the pass.
            drop(spawned);
        }
        Some(Feed {
            set: rx,
            early: HashMap::new(),
        })
    }

    /// Hands the glyphs of unit `i` to `setter`, waiting for them; a unit no thread set is
    /// left to the pass.
    pub(super) fn before(&mut self, i: usize, setter: &mut Setter<'_>) {
        while !self.early.contains_key(&i) {
            match self.set.recv() {
                Ok((k, glyphs)) => {
                    self.early.insert(k, glyphs);
                }
                Err(_) => return,
            }
        }
        if let Some(glyphs) = self.early.remove(&i) {
            setter.absorb_glyphs(glyphs);
        }
    }
}

/// Sets the units whose turn `next` gives this thread and sends each one's glyphs, until the
/// pass stops listening.
fn feed(
    book: &Book,
    fonts: &Fonts,
    geo: Geometry,
    matter: &Matter,
    units: &[&Chapter],
    next: &AtomicUsize,
    to: &SyncSender<(usize, SetGlyphs)>,
) {
    let mut b = builder(book, fonts, geo, matter);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(c) = units.get(i) else { return };
        b.chapter(c, true);
        b.list = VList::default();
        if to.send((i, b.setter.take_glyphs())).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Ahead, GLYPH_BUDGET};
    use crate::typeset::{fonts::Fonts, layout_with, Geometry, Matter};

    /// Setting chapters side by side changes nothing on the pages or in what is reported,
    /// whether their glyphs are kept for the last pass or set again by a feed.
    #[test]
    fn chapters_set_ahead_give_the_same_pages_and_warnings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let book = match crate::parse::load(&dir) {
            Ok(l) => l.book,
            Err(e) => panic!("the Kernel Recipes book loads: {e:?}"),
        };
        let fonts = Fonts::bundled().expect("bundled fonts");
        let matter = Matter::default();
        let alone = Ahead {
            threads: 1,
            budget: GLYPH_BUDGET,
        };
        let one = layout_with(&book, &fonts, Geometry::a5(), &matter, alone);
        for threads in [2, 3, 8] {
            for budget in [GLYPH_BUDGET, 0, 20_000] {
                let ahead = Ahead { threads, budget };
                let many = layout_with(&book, &fonts, Geometry::a5(), &matter, ahead);
                assert_eq!(one.pages.len(), many.pages.len(), "{ahead:?}");
                assert!(one.pages == many.pages, "{ahead:?}: the pages differ");
                assert_eq!(one.warnings, many.warnings, "{ahead:?}");
                assert_eq!(one.passes, many.passes, "{ahead:?}");
                // The feed hands every chapter's glyphs over before the pass sets it.
                assert_eq!(many.set_again, 0, "{ahead:?}");
            }
        }
        assert!(
            one.pages.len() > 30,
            "a book of many pages: {}",
            one.pages.len()
        );
    }
}
