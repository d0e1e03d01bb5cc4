//! Placing each page: its share of the vertical list (the lines, under them the decorations
//! they are part of, and a table's head again when the table goes on), the footnotes it calls
//! at its foot under a short rule, the running head and the folio. The front matter is
//! numbered in Roman numerals; the body from 1, on a right-hand page.

use super::fonts::{FaceId, ITALIC, REGULAR};
use super::frame::{Anchor, Item, LineBox, LineRole, LinkArea, Numbering, Page, Rect, Rgb};
use super::geometry::Geometry;
use super::paginate::{note_skip, notes_height, Cut};
use super::para::{SetLine, Setter, Style};
use super::vjust;
use super::vlist::{height, Flag, Mark, VLine, VList, GRAY, V};
use crate::ir::Span;

/// The titles the running heads show: the part's (left-hand pages) and the chapter's
/// (right-hand pages); the book's title stands in for a missing one.
#[derive(Clone, Copy, Default)]
struct Heads<'a> {
    part: Option<&'a str>,
    chapter: Option<&'a str>,
}

/// Places pages cut from a vertical list.
pub(super) struct Composer<'a, 'f> {
    list: &'a VList,
    geo: Geometry,
    /// The book's title: the running head of even pages.
    title: &'a str,
    /// Pages laid out before the first (the cover).
    first_page: usize,
    /// Sets running heads and folios.
    setter: Setter<'f>,
}

impl<'a, 'f> Composer<'a, 'f> {
    /// A composer of pages of `list`, the first of them preceded by `first_page` pages.
    pub(super) fn new(
        list: &'a VList,
        setter: Setter<'f>,
        geo: Geometry,
        title: &'a str,
        first_page: usize,
    ) -> Self {
        Composer {
            list,
            geo,
            title,
            first_page,
            setter,
        }
    }

    /// The pages of `cuts`, with a blank page before the body when it would start on a
    /// left-hand page; and the setter back.
    pub(super) fn pages(mut self, cuts: &[Cut]) -> (Vec<Page>, Setter<'f>) {
        let mut pages: Vec<Page> = Vec::with_capacity(cuts.len());
        let (mut numbering, mut number) = (Numbering::Roman, self.first_page);
        let mut prev_end = 0;
        let mut current = Heads::default();
        for cut in cuts {
            let restart = self.list.entries[prev_end..cut.range.start.max(prev_end)]
                .iter()
                .chain(self.list.entries.get(prev_end))
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
            let flags: Vec<Flag> = self.list.entries[cut.range.clone()]
                .iter()
                .filter_map(|x| match x {
                    V::Flag(f) => Some(*f),
                    _ => None,
                })
                .collect();
            let (shown, after) = self.heads(cut, current);
            current = after;
            let mut page = self.place(cut, number, numbering);
            if !flags.contains(&Flag::NoHead) && !page.lines.is_empty() {
                // Left-hand pages name the part (the day), right-hand pages the chapter.
                let text = if number % 2 == 0 {
                    shown.part
                } else {
                    shown.chapter
                };
                let text = text.unwrap_or(self.title).to_string();
                self.running_head(&mut page, &text);
            }
            page.folio = !flags.contains(&Flag::NoFolio);
            if page.folio {
                self.footer(&mut page);
            }
            pages.push(page);
        }
        (pages, self.setter)
    }

    /// What the running heads of the page of `cut` show, given those `before` it: the part
    /// and the chapter current at its top, or opened on it; and those current after it.
    fn heads(&self, cut: &Cut, before: Heads<'a>) -> (Heads<'a>, Heads<'a>) {
        let marks = self.list.entries[cut.range.clone()]
            .iter()
            .filter_map(|x| match x {
                V::Line(l) => l.mark.and_then(|m| self.list.marks.get(m)),
                _ => None,
            });
        let (mut shown, mut after) = (before, before);
        let (mut part_seen, mut chapter_seen) = (false, false);
        for Mark { text, part } in marks {
            let text = Some(text.as_str()).filter(|t| !t.is_empty());
            if *part {
                after = Heads {
                    part: text,
                    chapter: None,
                };
                if !part_seen {
                    shown.part = text;
                }
                part_seen = true;
            } else {
                after.chapter = text;
                if !chapter_seen {
                    shown.chapter = text.or(shown.chapter);
                }
                chapter_seen = true;
            }
        }
        // A matter page (the contents) names itself on both sides.
        if shown.chapter.is_none() {
            shown.chapter = shown.part;
        }
        (shown, after)
    }

    /// An empty page.
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
            full: false,
        }
    }

    /// The page of `cut`: its lines, their decorations and its notes.
    fn place(&mut self, cut: &Cut, number: usize, numbering: Numbering) -> Page {
        let g = self.geo;
        let mut page = self.blank(number, numbering);
        let mut group_spans: Vec<(usize, f32, f32)> = Vec::new();
        let mut y = g.top;
        if let Some(t) = cut.head {
            for l in &self.list.table_heads[t] {
                let mut l = l.clone();
                l.anchors.clear();
                place_line(&mut page, &l, g.left, y);
                y += l.height;
            }
        }
        let mut started = cut.head.is_some();
        let entries = &self.list.entries[cut.range.clone()];
        let extra = if cut.full {
            let foot = g.top + g.body_height - notes_height(self.list, &cut.notes, g.body_size);
            vjust::extra_space(entries, foot - y, started)
        } else {
            vec![0.0; entries.len()]
        };
        page.full = cut.full;
        for (it, extra) in entries.iter().zip(extra) {
            y += extra;
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
                let grp = self.list.groups.get(gid)?;
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
        self.place_notes(&mut page, cut);
        page
    }

    /// The footnote lines of `cut` at the foot of the page, under a short rule.
    fn place_notes(&self, page: &mut Page, cut: &Cut) {
        let g = self.geo;
        if !cut.notes.is_empty() {
            let mut y = g.top + g.body_height - notes_height(self.list, &cut.notes, g.body_size);
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
                for it in &self.list.notes[*n][r.clone()] {
                    match it {
                        V::Line(l) => {
                            place_line(page, l, g.left, y);
                            y += l.height;
                        }
                        other => y += height(other),
                    }
                }
            }
        }
    }

    /// `text` on one line at `size`, italic or upright.
    fn small_line(&mut self, text: &str, size: f32, italic: bool) -> Option<SetLine> {
        let face: FaceId = if italic { ITALIC } else { REGULAR };
        let style = Style::plain(face, size);
        let width = self.geo.measure * 4.0;
        self.setter.line(text, style, width, Span::default())
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
        let mut line = line;
        for run in &mut line.runs {
            run.color = Rgb(0x33, 0x33, 0x33);
        }
        self.place_centred(page, line, g.head, size, size * 1.2, LineRole::Header);
    }

    /// The folio, centred under the text block.
    fn footer(&mut self, page: &mut Page) {
        let g = self.geo;
        let size = g.body_size * 0.83;
        let Some(line) = self.small_line(&page.label(), size, false) else {
            return;
        };
        self.place_centred(page, line, g.footer, size, size * 1.25, LineRole::Footer);
    }

    /// Draws `line` centred over the text block with its baseline at `baseline`, in a box from
    /// `size` above the baseline, `h` high.
    fn place_centred(
        &self,
        page: &mut Page,
        line: SetLine,
        baseline: f32,
        size: f32,
        h: f32,
        role: LineRole,
    ) {
        let g = self.geo;
        let x = g.left + (g.measure - line.width) / 2.0;
        for mut run in line.runs {
            run.x += x;
            run.y += baseline;
            page.items.push(Item::Text(run));
        }
        page.lines.push(LineBox {
            rect: Rect {
                x,
                y: baseline - size,
                w: line.width,
                h,
            },
            role,
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
