//! Front and back matter: the title page, the colophon, the table of contents and the speaker
//! index. Page numbers in the contents and the index come from the previous layout pass.

use std::collections::BTreeMap;

use super::fonts::{BOLD, ITALIC, REGULAR};
use super::frame::{LineRole, Rect};
use super::page::ListBuilder;
use super::para::{Piece, SetLine};
use super::vlist::{Flag, V};
use crate::ir::{Book, Chapter, LinkTarget, Span};

/// Anchor id of the table of contents.
pub(crate) const CONTENTS: &str = "kr-contents";
/// Anchor id of the index of speakers.
pub(crate) const SPEAKERS: &str = "kr-speaker-index";
/// Anchor id of the colophon.
pub(crate) const COLOPHON: &str = "kr-colophon";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn ymd(date: &str) -> Option<(u32, usize, u32)> {
    let mut it = date.split('-');
    let y = it.next()?.parse().ok()?;
    let m: usize = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m, d))
}

/// The event's dates from its days' dates: "25–27 September 2023".
pub(crate) fn event_dates(book: &Book) -> Option<String> {
    let dates: Vec<_> = book
        .parts
        .iter()
        .filter_map(|p| p.date.as_deref().and_then(ymd))
        .collect();
    let (&(y0, m0, d0), &(y1, m1, d1)) = (dates.iter().min()?, dates.iter().max()?);
    let month = |m: usize| MONTHS[m - 1];
    Some(if (y0, m0, d0) == (y1, m1, d1) {
        format!("{d0} {} {y0}", month(m0))
    } else if (y0, m0) == (y1, m1) {
        format!("{d0}–{d1} {} {y0}", month(m0))
    } else if y0 == y1 {
        format!("{d0} {} – {d1} {} {y0}", month(m0), month(m1))
    } else {
        format!("{d0} {} {y0} – {d1} {} {y1}", month(m0), month(m1))
    })
}

/// The speakers of the book's talks, each with its talks in reading order, sorted by surname;
/// none unless the book is proceedings.
pub(crate) fn speakers(book: &Book) -> Vec<(String, Vec<&Chapter>)> {
    if !book.is_proceedings() {
        return Vec::new();
    }
    let mut by: BTreeMap<(String, String), Vec<&Chapter>> = BTreeMap::new();
    for (_, c) in book.chapters() {
        for s in &c.speakers {
            let surname = s.split_whitespace().last().unwrap_or(s).to_lowercase();
            by.entry((surname, s.clone())).or_default().push(c);
        }
    }
    by.into_iter().map(|((_, s), cs)| (s, cs)).collect()
}

impl ListBuilder<'_, '_> {
    fn centred(&mut self, text: &str, face: super::fonts::FaceId, size: f32, leading: f32) {
        let p = vec![Piece::Text(text.to_string(), self.style(face, size))];
        let w = self.geo.measure;
        let mut lines = self.setter.set(&p, w, false, Span::default());
        for l in &mut lines {
            l.centre(w);
        }
        self.push_lines(lines, &[], 0.0, leading, LineRole::Body, true);
    }

    /// The title page: title, subtitle, the event's dates, the editors, the publisher.
    pub(super) fn title_page(&mut self) {
        let m = &self.book.meta;
        self.flag(Flag::NoHead);
        self.flag(Flag::NoFolio);
        self.space(self.geo.body_height * 0.18);
        let (title, subtitle) = (m.title.clone(), m.subtitle.clone());
        self.centred(&title, BOLD, self.s(26.0), self.s(32.0));
        if let Some(sub) = &subtitle {
            self.space(self.s(10.0));
            self.centred(sub, ITALIC, self.s(14.0), self.s(18.0));
        }
        // The dates, unless the subtitle already gives them.
        let dates = event_dates(self.book)
            .filter(|d| !subtitle.as_deref().is_some_and(|s| s.contains(d.as_str())));
        if let Some(d) = dates {
            self.space(self.s(24.0));
            self.centred(&d, REGULAR, self.s(12.0), self.s(16.0));
        }
        let m = &self.book.meta;
        let (authors, publisher) = (m.authors.join(", "), m.publisher.clone());
        if !authors.is_empty() {
            self.space(self.s(60.0));
            if self.book.is_proceedings() {
                self.centred("Edited by", ITALIC, self.s(11.0), self.s(15.0));
            }
            self.centred(&authors, REGULAR, self.s(13.0), self.s(17.0));
        }
        if let Some(p) = publisher {
            self.space(self.s(80.0));
            self.centred(&p, REGULAR, self.s(11.0), self.s(15.0));
        }
        self.scope.keep_next = false;
        self.new_page();
    }

    /// The front chapters ("About this edition") and the colophon after them.
    pub(super) fn front(&mut self, build_date: &str) {
        for c in &self.book.front {
            self.chapter(c, false);
        }
        let m = &self.book.meta;
        let mut text = vec![format!(
            "{} was typeset by kr-publish {} on {build_date} in Gentium Book Plus \
             and DejaVu Sans Mono, from the book’s Markdown sources.",
            m.title,
            env!("CARGO_PKG_VERSION"),
        )];
        if let Some(d) = &m.description {
            text.insert(0, d.clone());
        }
        if let Some(id) = &m.identifier {
            text.push(format!("Identifier: {id}."));
        }
        self.space(self.s(30.0));
        self.anchor(COLOPHON.to_string());
        let size = self.geo.body_size * 0.85;
        let leading = self.geo.leading * 0.85;
        for t in text {
            let p = vec![Piece::Text(t, self.style(REGULAR, size))];
            let lines = self
                .setter
                .set(&p, self.geo.measure, false, Span::default());
            self.push_lines(lines, &[], 0.0, leading, LineRole::Body, false);
            self.space(size * 0.5);
        }
    }

    fn matter_title(&mut self, title: &str, anchor: &str) {
        self.new_page();
        self.flag(Flag::NoHead);
        self.anchor(anchor.to_string());
        self.part_mark(title);
        self.title(
            title.to_string(),
            self.s(17.0),
            self.s(21.0),
            Span::default(),
        );
        self.space(self.s(14.0));
    }

    /// One entry: `pieces` set ragged, dot leaders, the page number of `target` right-aligned;
    /// the whole entry a link.
    fn entry(&mut self, pieces: Vec<Piece>, indent: f32, target: &str, keep: bool) {
        let size = self.geo.body_size;
        let num_col = self.s(28.0);
        let gap = self.s(8.0);
        let width = self.geo.measure - indent - num_col - gap;
        let mut lines = self.setter.set(&pieces, width, false, Span::default());
        let number = self
            .numbers
            .get(target)
            .cloned()
            .unwrap_or_else(|| "0".to_string());
        let num = self.line_of(&number, size);
        let dot = self.line_of(".", size);
        let right = self.geo.measure - indent;
        if let (Some(last), Some(num)) = (lines.last_mut(), num) {
            let nx = right - num.width;
            // Leaders on a grid shared by every entry, so the dots line up down the page.
            if let Some(dot) = dot.and_then(|d| d.runs.into_iter().next()) {
                let step = size * 0.55;
                let mut x = ((last.width + gap * 0.6 + indent) / step).ceil() * step - indent;
                while x + step < nx - gap * 0.3 {
                    let mut r = dot.clone();
                    r.x = x;
                    last.runs.push(r);
                    x += step;
                }
            }
            for mut r in num.runs {
                r.x += nx;
                last.runs.push(r);
            }
            last.width = right;
        }
        for l in &mut lines {
            l.links.push((
                Rect {
                    x: 0.0,
                    y: -size * 0.9,
                    w: right,
                    h: size * 1.2,
                },
                0,
            ));
        }
        let target = LinkTarget::Internal {
            chapter: target.to_string(),
            anchor: None,
        };
        let leading = self.geo.leading;
        self.push_lines(lines, &[target], indent, leading, LineRole::Body, keep);
        if keep {
            self.scope.keep_next = true;
        }
    }

    fn line_of(&mut self, text: &str, size: f32) -> Option<SetLine> {
        let style = self.style(REGULAR, size);
        self.setter
            .line(text, style, f32::MAX / 4.0, Span::default())
    }

    fn talk_pieces(&self, c: &Chapter) -> Vec<Piece> {
        let size = self.geo.body_size;
        let mut p = vec![Piece::Text(c.contents_title(), self.style(REGULAR, size))];
        if c.is_talk() {
            p.push(Piece::Text(
                format!(" — {}", c.speakers.join(", ")),
                self.style(ITALIC, size),
            ));
        }
        p
    }

    fn toc_chapter(&mut self, c: &Chapter, level: usize) {
        let pieces = self.talk_pieces(c);
        let indent = self.s(14.0) * level as f32;
        if c.separator_before {
            // SUMMARY.md's separator: a gap, as between parts but smaller.
            self.space(self.s(6.0));
        }
        self.entry(pieces, indent, &c.id.clone(), false);
        for child in &c.children {
            self.toc_chapter(child, level + 1);
        }
    }

    /// The table of contents: front chapters, days, posts and talks with their speakers.
    pub(super) fn contents(&mut self) {
        self.matter_title("Contents", CONTENTS);
        let book = self.book;
        for c in &book.front {
            self.toc_chapter(c, 0);
        }
        for part in &book.parts {
            self.space(self.s(8.0));
            let p = vec![Piece::Text(
                part.title.clone(),
                self.style(BOLD, self.geo.body_size),
            )];
            self.entry(p, 0.0, &part.id, true);
            for c in &part.chapters {
                self.toc_chapter(c, 1);
            }
        }
        self.space(self.s(8.0));
        for c in &book.back {
            self.toc_chapter(c, 0);
        }
        if !speakers(book).is_empty() {
            let p = vec![Piece::Text(
                "Index of speakers".to_string(),
                self.style(REGULAR, self.geo.body_size),
            )];
            self.entry(p, 0.0, SPEAKERS, false);
        }
    }

    /// The index of speakers: each speaker, then their talks with page numbers.
    pub(super) fn speaker_index(&mut self) {
        let list = speakers(self.book);
        if list.is_empty() {
            return;
        }
        self.matter_title("Index of speakers", SPEAKERS);
        for (name, talks) in list {
            let p = vec![Piece::Text(name, self.style(BOLD, self.geo.body_size))];
            let lines = self
                .setter
                .set(&p, self.geo.measure, false, Span::default());
            self.push_lines(lines, &[], 0.0, self.geo.leading, LineRole::Body, true);
            // The name stays with its first talk, but no more: keeping the talk's line with
            // what follows too chained every speaker to the next, and a page could break only
            // inside a two-line title.
            self.scope.keep_next = false;
            for c in talks {
                let p = vec![Piece::Text(
                    c.title.clone(),
                    self.style(REGULAR, self.geo.body_size),
                )];
                self.entry(p, self.s(14.0), &c.id.clone(), false);
            }
            self.space(self.s(4.0));
        }
    }

    /// Ends the front matter: the body starts its own numbering on a right-hand page.
    pub(super) fn start_body(&mut self) {
        self.list.entries.push(V::Restart);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_of_a_three_day_event() {
        assert_eq!(super::ymd("2023-09-25"), Some((2023, 9, 25)));
        assert_eq!(super::ymd("2023-13-01"), None);
    }
}
