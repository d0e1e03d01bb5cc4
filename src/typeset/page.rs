//! The page builder's first stage: the book's blocks become a vertical list ([`VList`]) of set
//! lines and spaces with keep rules (headings with what follows, no widows or orphans, forced
//! page starts), footnotes attached to the lines that call them, table heads to repeat.
//! `paginate` then cuts the list into pages and `compose` places them. Blocks are set in
//! `blocks`, tables in `table`, front and back matter (title page, contents, speaker index) in
//! `matter`.

use std::collections::{HashMap, HashSet};

use super::fonts::{FaceId, BOLD, ITALIC, REGULAR};
use super::frame::LineRole;
use super::geometry::Geometry;
use super::para::{Piece, SetLine, Setter, Style};
use super::structure::{NodeId, Role, Tag};
use super::vlist::{Flag, Group, Mark, VLine, VList, V};
use crate::ir::{Block, Book, Chapter, LinkTarget, Part, Span};

/// Builds the vertical list of a book, block by block.
pub(super) struct ListBuilder<'b, 'f> {
    /// The book being set.
    pub(super) book: &'b Book,
    /// Sets paragraphs.
    pub(super) setter: Setter<'f>,
    /// The page profile.
    pub(super) geo: Geometry,
    /// What has been built so far.
    pub(super) list: VList,
    /// What the lines pushed now belong to and inherit.
    pub(super) scope: Scope,
    /// Blocks pushed so far (paragraphs, figures, table rows…): the current block's number.
    pub(super) blocks: usize,
    /// Footnotes already set, by chapter and number.
    noted: HashSet<(String, u32)>,
    /// The book's chapters by id, for their footnotes.
    chapters: HashMap<&'b str, &'b Chapter>,
    /// A footnote is being set (its own calls are not followed).
    in_note: bool,
    /// Printed page numbers by anchor id, from the previous pass (for contents and index).
    pub(super) numbers: HashMap<String, String>,
    /// The structure nodes open, innermost last: what the lines pushed now belong to.
    pub(super) open_nodes: Vec<NodeId>,
    /// The link nodes of the lines pushed next, when their block made them (a table row's).
    pub(super) link_tags: Vec<Tag>,
    /// Heading level of the chapter being set (its blocks' headings go below it).
    pub(super) chapter_level: u8,
    /// Heading level above the chapters being set: 1 inside a part, else 0.
    heading_base: u8,
    /// Number the lines of code blocks that do not say (`[output.pdf] line-numbers`).
    pub(super) line_numbers: bool,
    /// Sets a chapter's sub-chapters after its own blocks (off where chapters are set one by
    /// one, each on its own).
    pub(super) with_children: bool,
}

/// What the lines pushed now belong to and inherit: the open decorations, what waits for the
/// next line (anchors, a running head, a table), whether it must stay with what precedes it,
/// and where the list item being set starts. A footnote is set in a scope of its own.
#[derive(Default)]
pub(super) struct Scope {
    /// [`ListBuilder::trim_space`] leaves `entries[..floor]` alone: the list item being set
    /// owns only what follows.
    pub(super) floor: usize,
    /// Decorations (indices into the groups) the lines pushed now are part of.
    pub(super) open_groups: Vec<usize>,
    /// Anchors that land on the next line.
    pub(super) anchors: Vec<String>,
    /// No page break before the next line (it follows a heading or a kept block).
    pub(super) keep_next: bool,
    /// The running head that starts with the next line.
    pub(super) mark: Option<usize>,
    /// The table (and whether its head) the lines pushed now belong to.
    pub(super) table: Option<(usize, bool)>,
}

/// Where and how wide the current block is set, and the chapter whose notes it refers to.
#[derive(Clone, Copy)]
pub(super) struct Frame<'c> {
    /// Left edge, in the text area.
    pub x: f32,
    /// Width of the lines.
    pub width: f32,
    /// The chapter the block is in.
    pub chapter: &'c str,
    /// Font size of its text.
    pub size: f32,
}

impl<'b, 'f> ListBuilder<'b, 'f> {
    /// A builder for `book`, with the page numbers the previous pass found (none at first).
    pub(super) fn new(
        book: &'b Book,
        setter: Setter<'f>,
        geo: Geometry,
        numbers: HashMap<String, String>,
    ) -> Self {
        let chapters = book
            .chapters()
            .map(|r| (r.chapter.id.as_str(), r.chapter))
            .collect();
        let mut builder = ListBuilder {
            book,
            setter,
            geo,
            list: VList::default(),
            scope: Scope::default(),
            blocks: 0,
            noted: HashSet::new(),
            chapters,
            in_note: false,
            numbers,
            open_nodes: Vec::new(),
            link_tags: Vec::new(),
            chapter_level: 1,
            heading_base: 0,
            line_numbers: false,
            with_children: true,
        };
        builder.hyphenate_as(None);
        builder
    }

    /// The list built, and the setter back.
    pub(super) fn finish(self) -> (VList, Setter<'f>) {
        (self.list, self.setter)
    }

    /// `face` at `size`, black, plain.
    pub(super) fn style(&self, face: FaceId, size: f32) -> Style {
        Style::plain(face, size)
    }

    /// `v` points of the A4 design at this profile's scale.
    pub(super) fn s(&self, v: f32) -> f32 {
        self.geo.s(v)
    }

    /// Vertical space, dropped at the top of a page.
    pub(super) fn space(&mut self, s: f32) {
        self.list.entries.push(V::Space(s));
    }

    /// Starts a new page.
    pub(super) fn new_page(&mut self) {
        self.list.entries.push(V::NewPage);
    }

    /// Marks the current page with `f`.
    pub(super) fn flag(&mut self, f: Flag) {
        self.list.entries.push(V::Flag(f));
    }

    /// Opens a decoration: the lines pushed until [`Self::close_group`] are part of it.
    pub(super) fn open_group(&mut self, g: Group) {
        self.list.groups.push(g);
        self.scope.open_groups.push(self.list.groups.len() - 1);
    }

    /// Closes the decoration opened last.
    pub(super) fn close_group(&mut self) {
        self.scope.open_groups.pop();
    }

    /// The running head for the pages from the next line on.
    pub(super) fn mark(&mut self, text: &str) {
        self.push_mark(text, false);
    }

    /// Starts a part's running head (left-hand pages) with the next line; it ends the
    /// chapter's.
    pub(super) fn part_mark(&mut self, text: &str) {
        self.push_mark(text, true);
    }

    fn push_mark(&mut self, text: &str, part: bool) {
        self.list.marks.push(Mark {
            text: text.to_string(),
            part,
        });
        self.scope.mark = Some(self.list.marks.len() - 1);
    }

    /// Adds set lines as one block. `keep` forbids any page break inside and after it (titles);
    /// otherwise a page may break between lines except after the first or before the last.
    pub(super) fn push_lines(
        &mut self,
        mut lines: Vec<SetLine>,
        links: &[LinkTarget],
        x: f32,
        leading: f32,
        role: LineRole,
        keep: bool,
    ) {
        let n = lines.len();
        if n == 0 {
            return;
        }
        let mut tags = std::mem::take(&mut self.link_tags);
        tags.resize(links.len(), Tag::Inherit);
        if let Some(&owner) = self.open_nodes.last() {
            self.tag_lines(&mut lines, owner, &mut tags);
        }
        self.blocks += 1;
        let first = self.list.entries.len();
        let mut calls: Vec<(usize, String, u32)> = Vec::new();
        for (k, set) in lines.into_iter().enumerate() {
            let line_no = k + 1;
            // No orphan (first line alone at a page foot), no widow (last line alone at a
            // page top), no hyphen across pages.
            let mut break_after = !keep
                && !set.hyphen
                && (n == 1 || line_no == n || (line_no >= 2 && line_no + 2 <= n));
            if self.scope.keep_next && !keep {
                break_after = false;
                self.scope.keep_next = false;
            }
            if !self.in_note {
                for (_, i) in &set.links {
                    if let Some(LinkTarget::Internal {
                        chapter,
                        anchor: Some(a),
                    }) = links.get(usize::from(*i))
                    {
                        if let Some(n) = a.strip_prefix("fn-").and_then(|n| n.parse().ok()) {
                            calls.push((first + k, chapter.clone(), n));
                        }
                    }
                }
            }
            let size = set.size.max(1.0);
            let height = leading.max(size * 1.2);
            let baseline = (height - size) / 2.0 + size * 0.8;
            let mut line = VLine::new(height, baseline, x, set, role);
            line.links = links.iter().cloned().zip(tags.iter().copied()).collect();
            line.break_after = break_after;
            line.index = line_no;
            line.of = n;
            line.table = self.scope.table;
            self.push_line(line);
        }
        if keep {
            self.scope.keep_next = true;
        }
        for (at, chapter, n) in calls {
            self.attach_note(at, &chapter, n);
        }
    }

    /// Attaches footnote `n` of `chapter` to the line at `at`, unless it is set already.
    fn attach_note(&mut self, at: usize, chapter: &str, n: u32) {
        if let Some(note) = self.note(chapter, n) {
            if let Some(V::Line(l)) = self.list.entries.get_mut(at) {
                l.notes.push(note);
            }
        }
    }

    /// Pushes `line` as part of the current block, with what the scope holds for the next line:
    /// the decorations open, the anchors and the running head waiting.
    pub(super) fn push_line(&mut self, mut line: VLine) {
        line.block = self.blocks;
        line.groups = self.scope.open_groups.clone();
        line.anchors = std::mem::take(&mut self.scope.anchors);
        line.mark = self.scope.mark.take();
        self.list.entries.push(V::Line(line));
    }

    /// Sets footnote `n` of `chapter` the first time it is called; later calls share it.
    fn note(&mut self, chapter: &str, n: u32) -> Option<usize> {
        if !self.noted.insert((chapter.to_string(), n)) {
            return None;
        }
        let c = *self.chapters.get(chapter)?;
        let note = c.footnotes.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
        let saved_v = std::mem::take(&mut self.list.entries);
        let saved = std::mem::take(&mut self.scope);
        // The note sits beside the block calling it, not inside its paragraph.
        let parent = self.open_container();
        let saved_nodes = std::mem::take(&mut self.open_nodes);
        let id = self.list.structure.push(Role::Note, parent, note.span);
        self.open_nodes.push(id);
        self.in_note = true;
        let frame = Frame {
            x: 0.0,
            width: self.geo.measure,
            chapter: &c.id,
            size: self.geo.body_size * 0.85,
        };
        self.anchor(format!("{}#{}", c.id, note.id));
        self.item_blocks(&note.blocks, &format!("{n}."), frame, note.span);
        self.trim_space();
        self.in_note = false;
        let mut lines = std::mem::replace(&mut self.list.entries, saved_v);
        for v in &mut lines {
            if let V::Line(l) = v {
                l.role = LineRole::Note;
            }
        }
        self.scope = saved;
        self.open_nodes = saved_nodes;
        self.list.notes.push(lines);
        Some(self.list.notes.len() - 1)
    }

    /// An anchor for the next line.
    pub(super) fn anchor(&mut self, id: String) {
        self.scope.anchors.push(id);
    }

    /// Opens a part (a day): its title on a new page. Its chapters follow, then
    /// [`Self::close_part`].
    pub(super) fn open_part(&mut self, part: &Part) {
        self.hyphenate_as(None);
        self.new_page();
        self.flag(Flag::NoHead);
        self.space(self.s(60.0));
        self.anchor(part.id.clone());
        self.part_mark(&part.title);
        self.open(Role::Part, part.span);
        if !part.title.is_empty() {
            self.title(part.title.clone(), self.s(20.0), self.s(25.0), part.span, 1);
        }
        self.space(self.s(36.0));
        self.heading_base = 1;
    }

    /// Closes the part opened last.
    pub(super) fn close_part(&mut self) {
        self.heading_base = 0;
        self.close();
    }

    /// A chapter and its sub-chapters. Top-level chapters start a new page unless they open
    /// their part's page.
    pub(super) fn chapter(&mut self, c: &Chapter, opens_page: bool) {
        if c.depth == 0 && !opens_page {
            self.new_page();
            // An opener page carries no running head.
            self.flag(Flag::NoHead);
        } else if !opens_page {
            self.space(self.s(22.0));
        }
        let (size, leading) = if c.depth == 0 {
            (self.s(17.0), self.s(21.0))
        } else {
            (self.s(13.5), self.s(17.0))
        };
        self.hyphenate_as(Some(c));
        self.anchor(c.id.clone());
        self.mark(&c.title);
        let section = self.open(Role::Section, c.span);
        let own = c
            .language
            .as_deref()
            .filter(|l| *l != self.book.meta.language);
        if let (Some(l), Some(n)) = (own, self.list.structure.nodes.get_mut(section as usize)) {
            n.lang = Some(l.into());
        }
        let depth = u8::try_from(c.depth).unwrap_or(u8::MAX);
        let level = self
            .heading_base
            .saturating_add(depth)
            .saturating_add(1)
            .min(6);
        self.title(c.heading(), size, leading, c.span, level);
        if c.is_talk() {
            self.space(self.s(2.0));
            let label = if c.speakers.len() > 1 {
                "Speakers: "
            } else {
                "Speaker: "
            };
            let small = self.s(11.0);
            let p = vec![
                Piece::Text(label.to_string(), self.style(REGULAR, small)),
                Piece::Text(c.speakers.join(", "), self.style(ITALIC, small)),
            ];
            let lines = self.setter.set(&p, self.geo.measure, false, c.span);
            self.open(Role::Paragraph, c.span);
            self.push_lines(lines, &[], 0.0, self.s(14.0), LineRole::Heading, true);
            self.close();
        }
        self.space(self.s(10.0));
        let frame = Frame {
            x: 0.0,
            width: self.geo.measure,
            chapter: &c.id,
            size: self.geo.body_size,
        };
        self.chapter_level = level;
        self.blocks_in(&c.blocks, frame);
        if self.with_children {
            for child in &c.children {
                self.chapter(child, false);
            }
        }
        if !c.closing.is_empty() {
            self.hyphenate_as(Some(c));
            self.space(self.s(10.0));
            self.chapter_level = level;
            self.blocks_in(&c.closing, frame);
        }
        self.uncalled_notes(c);
        self.close();
    }

    /// Hyphenates what follows in `c`'s language (its front matter's, else the book's), or in
    /// the book's outside chapters.
    pub(super) fn hyphenate_as(&mut self, c: Option<&Chapter>) {
        match c.and_then(|c| c.language.as_deref().map(|l| (l, c.span))) {
            Some((lang, span)) => self.setter.set_language(lang, Some(span)),
            None => self.setter.set_language(&self.book.meta.language, None),
        }
    }

    /// A title in bold across the measure, kept with what follows: a heading of `level`.
    pub(super) fn title(&mut self, text: String, size: f32, leading: f32, span: Span, level: u8) {
        let p = vec![Piece::Text(text, self.style(BOLD, size))];
        let lines = self.setter.set(&p, self.geo.measure, false, span);
        self.open(Role::Heading(level), span);
        self.push_lines(lines, &[], 0.0, leading, LineRole::Heading, true);
        self.close();
    }

    /// Notes no text calls still reach the page: on the chapter's last line.
    fn uncalled_notes(&mut self, c: &Chapter) {
        for n in 1..=c.footnotes.len() {
            let Ok(n) = u32::try_from(n) else { break };
            if self.noted.contains(&(c.id.clone(), n)) {
                continue;
            }
            let Some(at) = self
                .list
                .entries
                .iter()
                .rposition(|v| matches!(v, V::Line(_)))
            else {
                return;
            };
            self.attach_note(at, &c.id, n);
        }
    }

    /// Sets `blocks` in `frame`, one after the other.
    pub(super) fn blocks_in(&mut self, blocks: &[Block], frame: Frame) {
        for b in blocks {
            self.block(b, frame);
        }
    }

    /// The space after a paragraph of `frame`.
    pub(super) fn para_gap(&self, frame: Frame) -> f32 {
        frame.size * 0.6
    }

    /// Distance between the baselines of `frame`'s lines.
    pub(super) fn leading(&self, frame: Frame) -> f32 {
        self.geo.leading * frame.size / self.geo.body_size
    }

    /// Removes a trailing space so nested blocks do not double their gaps, but none from before
    /// the list item being set.
    pub(super) fn trim_space(&mut self) {
        while self.list.entries.len() > self.scope.floor
            && matches!(self.list.entries.last(), Some(V::Space(_)))
        {
            self.list.entries.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::{fonts::Fonts, shape::Shaper, testing};

    /// The text of each line set for the chapter of a one-chapter book written in `md`.
    fn lines(md: &str) -> Vec<String> {
        let book = testing::book(md);
        let fonts = Fonts::bundled().expect("bundled fonts");
        let mut b = ListBuilder::new(
            &book,
            Setter::new(Shaper::new(&fonts)),
            Geometry::a4(),
            HashMap::new(),
        );
        b.chapter(&book.front[0], true);
        b.list
            .entries
            .iter()
            .filter_map(|v| match v {
                V::Line(l) => Some(l.set.runs.iter().map(|r| r.text.as_str()).collect()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_item_that_sets_nothing_keeps_its_marker() {
        assert_eq!(
            lines("1. one\n2.\n3. three\n")[1..],
            ["one1.", "2.", "three3."]
        );
        assert_eq!(lines("- a\n-\n\n  [x]: /y\n")[1..], ["a•", "•"]);
    }

    #[test]
    fn deep_nesting_stops_indenting_before_the_measure_runs_out() {
        let quotes = format!("{} four words of text\n", "> ".repeat(50));
        assert_eq!(lines(&quotes)[1..], ["four words of text"]);
        let items = format!("{}four words of text\n", "1. ".repeat(50));
        assert_eq!(lines(&items).len(), 2, "{:?}", lines(&items));
    }

    #[test]
    fn a_heading_opening_an_item_takes_the_marker() {
        assert_eq!(lines("para\n\n- # Head\n")[1..], ["para", "Head•"]);
    }
}
