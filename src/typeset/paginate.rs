//! Cutting the vertical list into pages: each page takes lines while they and the footnotes
//! they call fit, and ends at the last place a page may end; a long note is continued on the
//! next page, and a table that goes on repeats its head. `compose` then places each page.

use std::ops::Range;

use super::geometry::Geometry;
use super::vlist::{height, VList, V};

/// Lines of a footnote: the note (index into the list's notes) and a range of its entries.
pub(super) type NoteLines = (usize, Range<usize>);

/// One page's share of the vertical list: a range of it, the footnote lines it carries and
/// the table whose head it repeats.
pub(super) struct Cut {
    /// The entries of the list on the page.
    pub range: Range<usize>,
    /// The footnote lines at its foot.
    pub notes: Vec<NoteLines>,
    /// The table whose head the page repeats at its top.
    pub head: Option<usize>,
    /// The text goes on to the next page (the page ended because it was full, not at a
    /// forced break or the end): it is set to the full depth of the text block.
    pub full: bool,
}

/// Space between the text and the notes (with the rule in it).
pub(super) fn note_skip(size: f32) -> f32 {
    size * 1.2
}

/// The height `notes` take at the foot of a page, the space above them included.
pub(super) fn notes_height(list: &VList, notes: &[NoteLines], body_size: f32) -> f32 {
    let h: f32 = notes
        .iter()
        .map(|(n, r)| list.notes[*n][r.clone()].iter().map(height).sum::<f32>())
        .sum();
    if notes.is_empty() {
        0.0
    } else {
        h + note_skip(body_size)
    }
}

/// Cuts a vertical list into pages of a text block.
pub(super) struct Paginator<'l> {
    list: &'l VList,
    geo: Geometry,
}

impl<'l> Paginator<'l> {
    /// A paginator of `list` into the text block of `geo`.
    pub(super) fn new(list: &'l VList, geo: Geometry) -> Self {
        Paginator { list, geo }
    }

    /// Page cuts of the list's entries before `limit`, a forced page break (or the list's
    /// end): each page takes lines while they (and their notes) fit and ends at the last place
    /// a break is allowed; a forced break starts a new page. `carry` holds the note lines the
    /// page before left over; what this stretch's last page leaves over stays in it for the
    /// next stretch, unless `last` (the book's end) puts it on pages of its own.
    pub(super) fn cuts(&self, limit: usize, carry: &mut Vec<NoteLines>, last: bool) -> Vec<Cut> {
        let v = &self.list.entries;
        let limit = limit.min(v.len());
        let mut cuts = Vec::new();
        let mut i = 0;
        while i < limit || (last && !carry.is_empty()) {
            while i < limit && matches!(v[i], V::Space(_) | V::NewPage | V::Restart) {
                if matches!(v[i], V::Restart) && !carry.is_empty() {
                    break;
                }
                i += 1;
            }
            if i >= limit && !last {
                break;
            }
            let (cut, rest) = self.page_from(i, std::mem::take(carry));
            if cut.range.is_empty() && cut.notes.is_empty() {
                break;
            }
            i = cut.range.end;
            *carry = rest;
            cuts.push(cut);
        }
        cuts
    }

    /// The page that starts at entry `start` and carries `notes` over from the page before,
    /// and the note lines that go on to the next page.
    fn page_from(&self, start: usize, mut notes: Vec<NoteLines>) -> (Cut, Vec<NoteLines>) {
        let v = &self.list.entries;
        let body = self.geo.body_height;
        let mut carry = Vec::new();
        let mut y = 0.0;
        let mut head = None;
        let mut placed = false;
        let mut full = false;
        // (end, notes kept) at the last allowed break.
        let mut last_ok: Option<(usize, usize)> = None;
        let mut end = v.len();
        let mut j = start;
        while j < v.len() {
            match &v[j] {
                V::NewPage | V::Restart => {
                    end = j;
                    break;
                }
                // Space at the head of a page is not drawn (see `compose`), so it takes no room.
                V::Space(s) if placed => y += s,
                V::Space(_) | V::Flag(_) => {}
                V::Line(l) => {
                    if !placed {
                        if let Some((t, false)) = l.table {
                            head = Some(t);
                            y += self.list.table_heads[t]
                                .iter()
                                .map(|h| h.height)
                                .sum::<f32>();
                        }
                    }
                    let mut with = notes.clone();
                    with.extend(l.notes.iter().map(|&n| (n, 0..self.list.notes[n].len())));
                    let need = y + l.height + notes_height(self.list, &with, self.geo.body_size);
                    if need > body && placed {
                        full = true;
                        // The line fits with part of its notes: the rest goes on.
                        if !l.notes.is_empty() && l.break_after {
                            if let Some(rest) = self.split_notes(&mut with, body - y - l.height) {
                                notes = with;
                                carry = rest;
                                end = j + 1;
                                break;
                            }
                        }
                        match last_ok {
                            Some((e, kept)) => {
                                end = e;
                                notes.truncate(kept);
                            }
                            None => end = j,
                        }
                        break;
                    }
                    placed = true;
                    y += l.height;
                    notes = with;
                    if l.break_after {
                        last_ok = Some((j + 1, notes.len()));
                    }
                }
            }
            j += 1;
        }
        let cut = Cut {
            range: start..end,
            notes,
            head,
            full,
        };
        (cut, carry)
    }

    /// Keeps of `notes` what fits in `room` (at least one line of the last note); returns the
    /// rest, or `None` when not even that fits.
    fn split_notes(&self, notes: &mut Vec<NoteLines>, room: f32) -> Option<Vec<NoteLines>> {
        let mut used = note_skip(self.geo.body_size);
        for k in 0..notes.len() {
            let (n, r) = notes[k].clone();
            let list = &self.list.notes[n];
            let mut cut = r.start;
            for idx in r.clone() {
                let h = height(&list[idx]);
                if used + h > room {
                    break;
                }
                used += h;
                cut = idx + 1;
            }
            if cut < r.end {
                let lines_kept = list[r.start..cut].iter().any(|x| matches!(x, V::Line(_)));
                if !lines_kept {
                    return None;
                }
                let mut rest = vec![(n, cut..r.end)];
                rest.extend(notes.drain(k + 1..));
                notes[k].1 = r.start..cut;
                return Some(rest);
            }
        }
        None
    }
}
