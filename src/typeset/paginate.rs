//! Cutting the vertical list into pages and placing each page: body lines, the footnotes the
//! page calls (at its foot, under a short rule, a long one continued on the next page), a
//! table's head again when the table goes on, the running head and the folio.

use std::ops::Range;

use super::fonts::ITALIC;
use super::frame::{Anchor, Item, LineBox, LineRole, LinkArea, Numbering, Page, Rect, Rgb};
use super::page::{Flag, PageBuilder, VLine, GRAY, V};
use super::para::{Piece, Setter};
use crate::ir::Span;

/// One page's share of the vertical list: a range of it, the footnote lines it carries (note,
/// range of that note's list) and the table whose head it repeats.
pub(super) struct Cut {
    pub range: Range<usize>,
    pub notes: Vec<(usize, Range<usize>)>,
    pub head: Option<usize>,
}

fn height(v: &V) -> f32 {
    match v {
        V::Line(l) => l.height,
        V::Space(s) => *s,
        _ => 0.0,
    }
}

/// Space between the text and the notes (with the rule in it).
pub(super) fn note_skip(size: f32) -> f32 {
    size * 1.2
}

impl PageBuilder<'_, '_> {
    fn notes_height(&self, notes: &[(usize, Range<usize>)]) -> f32 {
        let h: f32 = notes
            .iter()
            .map(|(n, r)| self.notes[*n][r.clone()].iter().map(height).sum::<f32>())
            .sum();
        if notes.is_empty() {
            0.0
        } else {
            h + note_skip(self.geo.body_size)
        }
    }

    /// Page cuts: each page takes lines while they (and their notes) fit and ends at the last
    /// place a break is allowed; a forced break starts a new page.
    pub(super) fn paginate(&self) -> Vec<Cut> {
        let v = &self.v;
        let body = self.geo.body_height;
        let mut cuts = Vec::new();
        let mut carry: Vec<(usize, Range<usize>)> = Vec::new();
        let mut i = 0;
        while i < v.len() || !carry.is_empty() {
            while i < v.len() && matches!(v[i], V::Space(_) | V::NewPage | V::Restart) {
                if matches!(v[i], V::Restart) && !carry.is_empty() {
                    break;
                }
                i += 1;
            }
            let start = i;
            let mut notes = std::mem::take(&mut carry);
            let mut y = 0.0;
            let mut head = None;
            let mut placed = false;
            // (end, notes kept) at the last allowed break.
            let mut last_ok: Option<(usize, usize)> = None;
            let mut end = v.len();
            let mut j = i;
            while j < v.len() {
                match &v[j] {
                    V::NewPage | V::Restart => {
                        end = j;
                        break;
                    }
                    // Space at the head of a page is not drawn (see `finish`), so it takes no room.
                    V::Space(s) if placed => y += s,
                    V::Space(_) | V::Flag(_) => {}
                    V::Line(l) => {
                        if !placed {
                            if let Some((t, false)) = l.table {
                                head = Some(t);
                                y += self.table_heads[t].iter().map(|h| h.height).sum::<f32>();
                            }
                        }
                        let mut with = notes.clone();
                        with.extend(l.notes.iter().map(|&n| (n, 0..self.notes[n].len())));
                        let need = y + l.height + self.notes_height(&with);
                        if need > body && placed {
                            // The line fits with part of its notes: the rest goes on.
                            if !l.notes.is_empty() && l.break_after {
                                if let Some(rest) = self.split_notes(&mut with, body - y - l.height)
                                {
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
            if start == end && notes.is_empty() {
                break;
            }
            cuts.push(Cut {
                range: start..end,
                notes,
                head,
            });
            i = end;
        }
        cuts
    }

    /// Keeps of `notes` what fits in `room` (at least one line of the last note); returns the
    /// rest, or `None` when not even that fits.
    fn split_notes(
        &self,
        notes: &mut Vec<(usize, Range<usize>)>,
        room: f32,
    ) -> Option<Vec<(usize, Range<usize>)>> {
        let mut used = note_skip(self.geo.body_size);
        for k in 0..notes.len() {
            let (n, r) = notes[k].clone();
            let list = &self.notes[n];
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

impl<'f> PageBuilder<'_, 'f> {
    /// Cuts the vertical list into pages, then places every line.
    pub fn finish(mut self) -> (Vec<Page>, Setter<'f>) {
        let cuts = self.paginate();
        let mut pages: Vec<Page> = Vec::with_capacity(cuts.len());
        let (mut numbering, mut number) = (Numbering::Roman, self.first_page);
        let mut prev_end = 0;
        let mut mark: Option<usize> = None;
        for cut in &cuts {
            let restart = self.v[prev_end..cut.range.start.max(prev_end)]
                .iter()
                .chain(self.v.get(prev_end))
                .any(|x| matches!(x, V::Restart));
            prev_end = cut.range.end;
            if restart && numbering == Numbering::Roman {
                // The body opens on a right-hand page.
                if (self.first_page + pages.len()) % 2 == 1 {
                    number += 1;
                    pages.push(self.blank(number, numbering));
                }
                numbering = Numbering::Arabic;
                number = 0;
            }
            number += 1;
            let flags: Vec<Flag> = self.v[cut.range.clone()]
                .iter()
                .filter_map(|x| match x {
                    V::Flag(f) => Some(*f),
                    _ => None,
                })
                .collect();
            let first_mark = self.v[cut.range.clone()].iter().find_map(|x| match x {
                V::Line(l) => l.mark,
                _ => None,
            });
            let last_mark = self.v[cut.range.clone()]
                .iter()
                .rev()
                .find_map(|x| match x {
                    V::Line(l) => l.mark,
                    _ => None,
                });
            let shown = first_mark.or(mark);
            mark = last_mark.or(mark);
            let mut page = self.place(cut, number, numbering);
            if !flags.contains(&Flag::NoHead) && !page.lines.is_empty() {
                let text = if number % 2 == 0 {
                    Some(self.book.meta.title.clone())
                } else {
                    shown.and_then(|m| self.marks.get(m).cloned())
                };
                if let Some(t) = text {
                    self.running_head(&mut page, &t);
                }
            }
            page.folio = !flags.contains(&Flag::NoFolio);
            if page.folio {
                self.footer(&mut page);
            }
            pages.push(page);
        }
        (pages, self.setter)
    }

    fn blank(&self, number: usize, numbering: Numbering) -> Page {
        Page {
            number,
            numbering,
            folio: false,
            width: self.geo.width,
            height: self.geo.height,
            items: Vec::new(),
            anchors: Vec::new(),
            links: Vec::new(),
            lines: Vec::new(),
        }
    }

    fn place(&mut self, cut: &Cut, number: usize, numbering: Numbering) -> Page {
        let g = self.geo;
        let mut page = self.blank(number, numbering);
        let mut group_spans: Vec<(usize, f32, f32)> = Vec::new();
        let mut y = g.top;
        if let Some(t) = cut.head {
            for l in &self.table_heads[t] {
                let mut l = l.clone();
                l.anchors.clear();
                place_line(&mut page, &l, g.left, y);
                y += l.height;
            }
        }
        let mut started = cut.head.is_some();
        for it in &self.v[cut.range.clone()] {
            match it {
                V::Space(s) if started => y += s,
                V::Line(l) => {
                    started = true;
                    place_line(&mut page, l, g.left, y);
                    for &gid in &l.groups {
                        match group_spans.iter_mut().find(|s| s.0 == gid) {
                            Some(s) => s.2 = y + l.height,
                            None => group_spans.push((gid, y, y + l.height)),
                        }
                    }
                    y += l.height;
                }
                _ => {}
            }
        }
        // Decorations go under the text: insert them first.
        let fills: Vec<Item> = group_spans
            .iter()
            .filter_map(|&(gid, top, bottom)| {
                let grp = self.groups.get(gid)?;
                Some(Item::Fill {
                    rect: Rect {
                        x: g.left + grp.x,
                        y: top - grp.pad,
                        w: grp.w,
                        h: bottom - top + 2.0 * grp.pad,
                    },
                    color: grp.color,
                })
            })
            .collect();
        page.items.splice(0..0, fills);
        if !cut.notes.is_empty() {
            let mut y = g.top + g.body_height - self.notes_height(&cut.notes);
            let skip = note_skip(g.body_size);
            page.items.push(Item::Fill {
                rect: Rect {
                    x: g.left,
                    y: y + skip * 0.45,
                    w: g.measure / 4.0,
                    h: 0.4,
                },
                color: GRAY,
            });
            y += skip;
            for (n, r) in &cut.notes {
                for it in &self.notes[*n][r.clone()] {
                    match it {
                        V::Line(l) => {
                            place_line(&mut page, l, g.left, y);
                            y += l.height;
                        }
                        other => y += height(other),
                    }
                }
            }
        }
        page
    }

    fn small_line(&mut self, text: &str, size: f32, italic: bool) -> Option<super::para::SetLine> {
        let face = if italic {
            ITALIC
        } else {
            super::fonts::REGULAR
        };
        let p = vec![Piece::Text(text.to_string(), self.style(face, size))];
        self.setter
            .set(&p, self.geo.measure * 4.0, false, Span::default())
            .into_iter()
            .next()
    }

    /// The running head, centred over the text block; after the text in the page's stream so
    /// that extracted text keeps paragraphs that cross pages whole.
    fn running_head(&mut self, page: &mut Page, text: &str) {
        let g = self.geo;
        let size = g.body_size * 0.8;
        let Some(line) = self.small_line(text, size, true) else {
            return;
        };
        // Too long a title is shortened to the measure at a word.
        let line = if line.width > g.measure {
            let words: Vec<&str> = text.split_whitespace().collect();
            let mut fit = None;
            for k in (1..words.len()).rev() {
                let t = format!("{} …", words[..k].join(" "));
                if let Some(l) = self.small_line(&t, size, true) {
                    if l.width <= g.measure {
                        fit = Some(l);
                        break;
                    }
                }
            }
            match fit {
                Some(l) => l,
                None => return,
            }
        } else {
            line
        };
        let x = g.left + (g.measure - line.width) / 2.0;
        for mut run in line.runs {
            run.x += x;
            run.y += g.head;
            run.color = Rgb(0x33, 0x33, 0x33);
            page.items.push(Item::Text(run));
        }
        page.lines.push(LineBox {
            rect: Rect {
                x,
                y: g.head - size,
                w: line.width,
                h: size * 1.2,
            },
            role: LineRole::Header,
            block: 0,
            index: 1,
            of: 1,
        });
    }

    fn footer(&mut self, page: &mut Page) {
        let g = self.geo;
        let size = g.body_size * 0.83;
        let Some(line) = self.small_line(&page.label(), size, false) else {
            return;
        };
        let x = g.left + (g.measure - line.width) / 2.0;
        for mut run in line.runs {
            run.x += x;
            run.y += g.footer;
            page.items.push(Item::Text(run));
        }
        page.lines.push(LineBox {
            rect: Rect {
                x,
                y: g.footer - size,
                w: line.width,
                h: size * 1.25,
            },
            role: LineRole::Footer,
            block: 0,
            index: 1,
            of: 1,
        });
    }
}

/// Draws `l` with its top at `y` on `page`.
pub(super) fn place_line(page: &mut Page, l: &VLine, left: f32, y: f32) {
    let x0 = left + l.x;
    let base = y + l.baseline;
    for id in &l.anchors {
        page.anchors.push(Anchor { id: id.clone(), y });
    }
    if let Some((rect, image)) = l.image {
        page.items.push(Item::Image {
            rect: Rect {
                x: x0 + rect.x,
                y: base + rect.y,
                ..rect
            },
            image,
        });
    }
    for (rect, color) in &l.set.fills {
        page.items.push(Item::Fill {
            rect: Rect {
                x: x0 + rect.x,
                y: base + rect.y,
                ..*rect
            },
            color: *color,
        });
    }
    for run in &l.set.runs {
        let mut run = run.clone();
        run.x += x0;
        run.y += base;
        page.items.push(Item::Text(run));
    }
    for (rect, i) in &l.set.links {
        if let Some(target) = l.links.get(usize::from(*i)) {
            page.links.push(LinkArea {
                rect: Rect {
                    x: x0 + rect.x,
                    y: base + rect.y,
                    ..*rect
                },
                target: target.clone(),
            });
        }
    }
    page.lines.push(LineBox {
        rect: Rect {
            x: x0,
            y,
            w: l.set.width,
            h: l.height,
        },
        role: l.role,
        block: l.block,
        index: l.index,
        of: l.of,
    });
}
