//! Pages as the vertical list grows: once the list holds a forced page break, nothing that
//! comes after it can change the pages before it, so those are cut, placed and handed on, and
//! their entries leave the list. A pass so holds about a chapter of set lines at a time, not
//! the book.

use super::compose::{Composer, Pages, Sets};
use super::frame::Page;
use super::geometry::Geometry;
use super::paginate::{NoteLines, Paginator};
use super::para::Setter;
use super::structure::Structure;
use super::vlist::{VList, V};

/// Where placed pages go, each with the book's structure as built so far (every node its
/// items are tagged with is in it).
pub(super) type Sink<'s> = dyn FnMut(Page, &Structure) + 's;

/// What placing pages carries from one stretch of the list to the next.
pub(super) struct Flow<'t> {
    geo: Geometry,
    /// The book's title, for the running heads.
    title: &'t str,
    /// Note lines the last page placed left over for the next.
    carry: Vec<NoteLines>,
    pages: Pages,
}

impl<'t> Flow<'t> {
    /// Pages of `geo` after `first_page` pages (the cover), with `title` as the running head
    /// of pages that have no other.
    pub(super) fn new(geo: Geometry, title: &'t str, first_page: usize) -> Self {
        Flow {
            geo,
            title,
            carry: Vec::new(),
            pages: Pages::new(first_page),
        }
    }

    /// Places the pages of everything before the list's last forced page break and drops it
    /// from the list.
    pub(super) fn flush(&mut self, list: &mut VList, setter: &mut Setter<'_>, sink: &mut Sink) {
        let forced = |v: &V| matches!(v, V::NewPage | V::Restart);
        if let Some(limit) = list.entries.iter().rposition(forced) {
            self.place(list, setter, limit, false, sink);
        }
    }

    /// Places every page left: the book's end.
    pub(super) fn finish(mut self, list: &mut VList, setter: &mut Setter<'_>, sink: &mut Sink) {
        let end = list.entries.len();
        self.place(list, setter, end, true, sink);
    }

    fn place(
        &mut self,
        list: &mut VList,
        setter: &mut Setter<'_>,
        limit: usize,
        last: bool,
        sink: &mut Sink,
    ) {
        let cuts = Paginator::new(list, self.geo).cuts(limit, &mut self.carry, last);
        let sets = Sets::take_from(list, limit, &cuts);
        let placed: &VList = list;
        let mut composer = Composer::new(placed, sets, setter, self.geo, self.title);
        composer.pages(&cuts, &mut self.pages, &mut |page| {
            sink(page, &placed.structure)
        });
        self.pages.dropped(list, limit);
        list.entries.drain(..limit.min(list.entries.len()));
    }
}
