//! Placing each page: its share of the vertical list (the lines, under them the decorations
//! they are part of, and a table's head again when the table goes on), the footnotes it calls
//! at its foot under a short rule, the running head and the folio. The front matter is
//! numbered in Roman numerals; the body from 1, on a right-hand page.

use std::collections::HashMap;

use super::fonts::{FaceId, ITALIC, REGULAR};
use super::frame::{Anchor, Item, LineBox, LineRole, LinkArea, Numbering, Page, Rect, Rgb};
use super::geometry::Geometry;
use super::paginate::{note_skip, notes_height, Cut};
use super::para::{SetLine, Setter, Style};
use super::structure::{Artifact, Tag};
use super::vjust;
use super::vlist::{height, Flag, Mark, VLine, VList, GRAY, V};
use crate::ir::Span;

/// The running heads' marks (indices into the list's marks, of non-empty titles): the part's
/// (left-hand pages) and the chapter's (right-hand pages); the book's title stands in for a
/// missing one.
#[derive(Clone, Copy, Default)]
struct Heads {
    part: Option<usize>,
    chapter: Option<usize>,
}

/// What placing pages carries from one stretch of the list to the next: the page numbering
/// and the running heads current.
pub(super) struct Pages {
    folios: Folios,
    heads: Heads,
}

impl Pages {
    /// Pages placed after `first_page` pages (the cover).
    pub(super) fn new(first_page: usize) -> Self {
        Pages {
            folios: Folios::new(first_page),
            heads: Heads::default(),
        }
    }

    /// The list's entries before `limit` are placed and are about to leave the list.
    pub(super) fn dropped(&mut self, list: &VList, limit: usize) {
        self.folios.dropped(list, limit);
    }
}

/// Places the pages of a stretch of a vertical list.
pub(super) struct Composer<'a, 's, 'f> {
    list: &'a VList,
    /// The set lines of the stretch's entries and notes, taken out of the list: each is moved
    /// onto its page rather than copied, so the book's glyphs are held once.
    sets: Sets,
    geo: Geometry,
    /// The book's title: the running head of even pages.
    title: &'a str,
    /// Sets running heads and folios.
    setter: &'s mut Setter<'f>,
}

impl<'a, 's, 'f> Composer<'a, 's, 'f> {
    /// A composer of pages of `list`, whose set lines `sets` holds.
    pub(super) fn new(
        list: &'a VList,
        sets: Sets,
        setter: &'s mut Setter<'f>,
        geo: Geometry,
        title: &'a str,
    ) -> Self {
        Composer {
            list,
            sets,
            geo,
            title,
            setter,
        }
    }

    /// Places the pages of `cuts` and hands each to `sink`, with a blank page before the body
    /// when it would start on a left-hand page.
    pub(super) fn pages(&mut self, cuts: &[Cut], state: &mut Pages, sink: &mut dyn FnMut(Page)) {
        for cut in cuts {
            let folio = state.folios.next(self.list, cut);
            let (number, numbering) = (folio.number, folio.numbering);
            if let Some(n) = folio.blank_before {
                sink(self.blank(n, Numbering::Roman));
            }
            let flags: Vec<Flag> = self.list.entries[cut.range.clone()]
                .iter()
                .filter_map(|x| match x {
                    V::Flag(f) => Some(*f),
                    _ => None,
                })
                .collect();
            let (shown, after) = self.heads(cut, state.heads);
            state.heads = after;
            let mut page = self.place(cut, number, numbering);
            if !flags.contains(&Flag::NoHead) && !page.lines.is_empty() {
                // Left-hand pages name the part (the day), right-hand pages the chapter.
                let mark = if number % 2 == 0 {
                    shown.part
                } else {
                    shown.chapter
                };
                let text = mark
                    .and_then(|m| self.list.marks.get(m))
                    .map_or(self.title, |m| m.text.as_str())
                    .to_string();
                self.running_head(&mut page, &text);
            }
            page.folio = !flags.contains(&Flag::NoFolio);
            if page.folio {
                self.footer(&mut page);
            }
            sink(page);
        }
    }

    /// What the running heads of the page of `cut` show, given those `before` it: the part
    /// and the chapter current at its top, or opened on it; and those current after it.
    fn heads(&self, cut: &Cut, before: Heads) -> (Heads, Heads) {
        let marks = self.list.entries[cut.range.clone()]
            .iter()
            .filter_map(|x| match x {
                V::Line(l) => l.mark.and_then(|m| Some((m, self.list.marks.get(m)?))),
                _ => None,
            });
        let (mut shown, mut after) = (before, before);
        let (mut part_seen, mut chapter_seen) = (false, false);
        for (m, Mark { text, part }) in marks {
            let mark = Some(m).filter(|_| !text.is_empty());
            if *part {
                after = Heads {
                    part: mark,
                    chapter: None,
                };
                if !part_seen {
                    shown.part = mark;
                }
                part_seen = true;
            } else {
                after.chapter = mark;
                if !chapter_seen {
                    shown.chapter = mark.or(shown.chapter);
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
                // The head again is a convenience: its text is in the structure once.
                for run in &mut l.set.runs {
                    run.tag = Tag::Artifact(Artifact::Repeated);
                }
                let set = std::mem::take(&mut l.set);
                place_line(&mut page, &l, set, g.left, y);
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
        for ((i, it), extra) in cut.range.clone().zip(entries).zip(extra) {
            y += extra;
            match it {
                V::Space(s) if started => y += s,
                V::Line(l) => {
                    started = true;
                    let set = self.sets.take(None, i);
                    place_line(&mut page, l, set, g.left, y);
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
    fn place_notes(&mut self, page: &mut Page, cut: &Cut) {
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
                for (i, it) in r.clone().zip(&self.list.notes[*n][r.clone()]) {
                    match it {
                        V::Line(l) => {
                            let set = self.sets.take(Some(*n), i);
                            place_line(page, l, set, g.left, y);
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
        let tag = match role {
            LineRole::Footer => Tag::Artifact(Artifact::PageNumber),
            _ => Tag::Artifact(Artifact::Header),
        };
        for mut run in line.runs {
            run.x += x;
            run.y += baseline;
            run.tag = tag;
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

/// The set lines of a stretch of the list, by index: moved out of the list so that placing a
/// line moves its glyphs (each entry is placed once).
pub(super) struct Sets {
    entries: Vec<SetLine>,
    /// The lines of the notes the stretch's pages carry, by note and index.
    notes: HashMap<(usize, usize), SetLine>,
}

impl Sets {
    /// Takes the set lines of the entries before `limit` and of the notes `cuts` carry out of
    /// `list`, which keeps the lines' boxes.
    pub(super) fn take_from(list: &mut VList, limit: usize, cuts: &[Cut]) -> Sets {
        let limit = limit.min(list.entries.len());
        let entries = list.entries[..limit]
            .iter_mut()
            .map(|v| match v {
                V::Line(l) => std::mem::take(&mut l.set),
                _ => SetLine::default(),
            })
            .collect();
        let mut notes = HashMap::new();
        for (n, r) in cuts.iter().flat_map(|c| &c.notes) {
            let Some(lines) = list.notes.get_mut(*n) else {
                continue;
            };
            for i in r.clone() {
                if let Some(V::Line(l)) = lines.get_mut(i) {
                    notes.insert((*n, i), std::mem::take(&mut l.set));
                }
            }
        }
        Sets { entries, notes }
    }

    /// The set line of entry `i` of the list, or of note `note`'s entries; an empty line if
    /// it was taken before.
    fn take(&mut self, note: Option<usize>, i: usize) -> SetLine {
        match note {
            Some(n) => self.notes.remove(&(n, i)),
            None => self.entries.get_mut(i).map(std::mem::take),
        }
        .unwrap_or_default()
    }
}

/// Where a cut's page falls: its number, how it is numbered, and the number of a blank page
/// that goes before it (so that the body opens on a right-hand page).
struct Folio {
    number: usize,
    numbering: Numbering,
    blank_before: Option<usize>,
}

/// Numbers pages cut by cut: Roman numerals until the list restarts the numbering, then
/// Arabic from 1.
struct Folios {
    numbering: Numbering,
    /// The number of the page before.
    number: usize,
    /// Pages laid out so far.
    laid: usize,
    /// Where the page before ended in the list.
    prev_end: usize,
    /// The list restarted the numbering in entries that left it before the next page.
    restart_dropped: bool,
}

impl Folios {
    /// Numbering that starts after `first_page` pages (the cover).
    fn new(first_page: usize) -> Self {
        Folios {
            numbering: Numbering::Roman,
            number: first_page,
            laid: first_page,
            prev_end: 0,
            restart_dropped: false,
        }
    }

    /// The folio of `cut`, the page after the one before.
    fn next(&mut self, list: &VList, cut: &Cut) -> Folio {
        let prev_end = self.prev_end;
        let restart = std::mem::take(&mut self.restart_dropped)
            || list.entries[prev_end..cut.range.start.max(prev_end)]
                .iter()
                .chain(list.entries.get(prev_end))
                .any(|x| matches!(x, V::Restart));
        self.prev_end = cut.range.end;
        let mut blank_before = None;
        if restart && self.numbering == Numbering::Roman {
            // The body opens on a right-hand page.
            if self.laid % 2 == 1 {
                self.number += 1;
                blank_before = Some(self.number);
                self.laid += 1;
            }
            self.numbering = Numbering::Arabic;
            self.number = 0;
        }
        self.number += 1;
        self.laid += 1;
        Folio {
            number: self.number,
            numbering: self.numbering,
            blank_before,
        }
    }

    /// The entries before `limit` leave the list: the next page's start is counted from
    /// there, and a restart among them that no page took still counts.
    fn dropped(&mut self, list: &VList, limit: usize) {
        let from = self.prev_end.min(limit);
        self.restart_dropped |= list.entries[from..limit.min(list.entries.len())]
            .iter()
            .any(|x| matches!(x, V::Restart));
        self.prev_end = self.prev_end.saturating_sub(limit);
    }
}

/// Draws `l` with its top at `y` on `page`.
pub(super) fn place_line(page: &mut Page, l: &VLine, set: SetLine, left: f32, y: f32) {
    let x0 = left + l.x;
    let base = y + l.baseline;
    for id in &l.anchors {
        page.anchors.push(Anchor { id: id.clone(), y });
    }
    if let Some((rect, image, tag)) = l.image {
        page.items.push(Item::Image {
            rect: Rect {
                x: x0 + rect.x,
                y: base + rect.y,
                ..rect
            },
            image,
            tag,
        });
    }
    for (rect, color) in &set.fills {
        page.items.push(Item::Fill {
            rect: Rect {
                x: x0 + rect.x,
                y: base + rect.y,
                ..*rect
            },
            color: *color,
        });
    }
    for mut run in set.runs {
        run.x += x0;
        run.y += base;
        page.items.push(Item::Text(run));
    }
    for (rect, i) in &set.links {
        if let Some((target, tag)) = l.links.get(usize::from(*i)) {
            page.links.push(LinkArea {
                rect: Rect {
                    x: x0 + rect.x,
                    y: base + rect.y,
                    ..*rect
                },
                target: target.clone(),
                tag: *tag,
            });
        }
    }
    page.lines.push(LineBox {
        rect: Rect {
            x: x0,
            y,
            w: set.width,
            h: l.height,
        },
        role: l.role,
        block: l.block,
        index: l.index,
        of: l.of,
    });
}
