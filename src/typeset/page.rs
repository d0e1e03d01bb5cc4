//! The page builder: the book's blocks become a vertical list of set lines and spaces with
//! keep rules (headings with what follows, no widows or orphans, forced page starts), footnotes
//! attached to the lines that call them, table heads to repeat; `paginate` then cuts it into
//! pages. Front and back matter (title page, contents, speaker index) live in `matter`.

use std::collections::{HashMap, HashSet};

use super::fonts::{BOLD, ITALIC, REGULAR};
use super::frame::{ImageRef, LineRole, Rect, Rgb};
use super::inline::{self, code_style};
use super::para::{Piece, SetLine, Setter, Style};
use crate::ir::{Block, BlockKind, Book, Chapter, Inline, LinkTarget, Part, Span};

pub use super::geometry::Geometry;

pub(super) const CODE_BG: Rgb = Rgb(0xf1, 0xf1, 0xee);
const QUOTE_BAR: Rgb = Rgb(0xb8, 0xb8, 0xb8);
pub(super) const GRAY: Rgb = Rgb(0x55, 0x55, 0x55);

#[allow(clippy::large_enum_variant)] // Nearly every entry is a line: boxing them would only add allocations.
pub(super) enum V {
    Line(VLine),
    Space(f32),
    NewPage,
    /// A new page that starts the body's Arabic numbering, on a right-hand page.
    Restart,
    Flag(Flag),
}

/// What a page must not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    NoHead,
    NoFolio,
}

#[derive(Clone)]
pub(super) struct VLine {
    /// Height of the line box; the baseline sits `baseline` below its top.
    pub height: f32,
    pub baseline: f32,
    /// Left edge of the line within the text area.
    pub x: f32,
    pub set: SetLine,
    pub links: Vec<LinkTarget>,
    /// May a page end after this line?
    pub break_after: bool,
    pub role: LineRole,
    pub block: usize,
    pub index: usize,
    pub of: usize,
    pub groups: Vec<usize>,
    pub anchors: Vec<String>,
    /// The running head that starts with this line (an index into the marks).
    pub mark: Option<usize>,
    /// Footnotes called on this line (indices into the notes).
    pub notes: Vec<usize>,
    /// A table row's line: the table (index into the table heads) and whether it is the head.
    pub table: Option<(usize, bool)>,
    pub image: Option<(Rect, ImageRef)>,
}

/// A decoration spanning several lines, drawn per page: a code background or a quote bar.
pub(super) struct Group {
    pub x: f32,
    pub w: f32,
    pub color: Rgb,
    pub pad: f32,
}

pub struct PageBuilder<'b, 'f> {
    pub(super) book: &'b Book,
    pub setter: Setter<'f>,
    pub geo: Geometry,
    pub(super) v: Vec<V>,
    /// [`Self::trim_space`] leaves `v[..floor]` alone: the list item being set owns only what
    /// follows.
    floor: usize,
    pub(super) groups: Vec<Group>,
    open_groups: Vec<usize>,
    blocks: usize,
    pub(super) keep_next: bool,
    anchors: Vec<String>,
    /// Running-head texts; lines point at them.
    pub(super) marks: Vec<String>,
    pending_mark: Option<usize>,
    /// Each footnote's lines (and spaces), set once at its first call.
    pub(super) notes: Vec<Vec<V>>,
    noted: HashSet<(String, u32)>,
    chapters: HashMap<&'b str, &'b Chapter>,
    in_note: bool,
    /// The head lines of each table, repeated when the table crosses a page.
    pub(super) table_heads: Vec<Vec<VLine>>,
    pub(super) table: Option<(usize, bool)>,
    /// Printed page numbers by anchor id, from the previous pass (for contents and index).
    pub(super) numbers: HashMap<String, String>,
    /// Pages laid out before the first (the cover).
    pub(super) first_page: usize,
}

/// Where and how wide the current block is set, and the chapter whose notes it refers to.
#[derive(Clone, Copy)]
pub(super) struct Frame<'c> {
    pub x: f32,
    pub width: f32,
    pub chapter: &'c str,
    pub size: f32,
}

impl<'b, 'f> PageBuilder<'b, 'f> {
    pub fn new(
        book: &'b Book,
        setter: Setter<'f>,
        geo: Geometry,
        numbers: HashMap<String, String>,
    ) -> Self {
        let chapters = book
            .chapters()
            .into_iter()
            .map(|(_, c)| (c.id.as_str(), c))
            .collect();
        PageBuilder {
            book,
            setter,
            geo,
            v: Vec::new(),
            floor: 0,
            groups: Vec::new(),
            open_groups: Vec::new(),
            blocks: 0,
            keep_next: false,
            anchors: Vec::new(),
            marks: Vec::new(),
            pending_mark: None,
            notes: Vec::new(),
            noted: HashSet::new(),
            chapters,
            in_note: false,
            table_heads: Vec::new(),
            table: None,
            numbers,
            first_page: 0,
        }
    }

    pub(super) fn style(&self, face: super::fonts::FaceId, size: f32) -> Style {
        Style {
            face,
            size,
            color: Rgb::BLACK,
            code: false,
            strike: false,
            raise: 0.0,
            link: None,
        }
    }

    /// `v` points of the A4 design at this profile's scale.
    pub(super) fn s(&self, v: f32) -> f32 {
        self.geo.s(v)
    }

    pub(super) fn space(&mut self, s: f32) {
        self.v.push(V::Space(s));
    }

    pub(super) fn new_page(&mut self) {
        self.v.push(V::NewPage);
    }

    pub(super) fn flag(&mut self, f: Flag) {
        self.v.push(V::Flag(f));
    }

    /// The running head for the pages from the next line on.
    pub(super) fn mark(&mut self, text: &str) {
        self.marks.push(text.to_string());
        self.pending_mark = Some(self.marks.len() - 1);
    }

    /// Adds set lines as one block. `keep` forbids any page break inside and after it (titles);
    /// otherwise a page may break between lines except after the first or before the last.
    pub(super) fn push_lines(
        &mut self,
        lines: Vec<SetLine>,
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
        self.blocks += 1;
        let first = self.v.len();
        let mut calls: Vec<(usize, String, u32)> = Vec::new();
        for (k, set) in lines.into_iter().enumerate() {
            let line_no = k + 1;
            // No orphan (first line alone at a page foot), no widow (last line alone at a
            // page top), no hyphen across pages.
            let mut break_after = !keep
                && !set.hyphen
                && (n == 1 || line_no == n || (line_no >= 2 && line_no + 2 <= n));
            if self.keep_next && !keep {
                break_after = false;
                self.keep_next = false;
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
            self.v.push(V::Line(VLine {
                height,
                baseline,
                x,
                links: links.to_vec(),
                set,
                break_after,
                role,
                block: self.blocks,
                index: line_no,
                of: n,
                groups: self.open_groups.clone(),
                anchors: std::mem::take(&mut self.anchors),
                mark: self.pending_mark.take(),
                notes: Vec::new(),
                table: self.table,
                image: None,
            }));
        }
        if keep {
            self.keep_next = true;
        }
        for (at, chapter, n) in calls {
            if let Some(note) = self.note(&chapter, n) {
                if let Some(V::Line(l)) = self.v.get_mut(at) {
                    l.notes.push(note);
                }
            }
        }
    }

    /// Sets footnote `n` of `chapter` the first time it is called; later calls share it.
    fn note(&mut self, chapter: &str, n: u32) -> Option<usize> {
        if !self.noted.insert((chapter.to_string(), n)) {
            return None;
        }
        let c = *self.chapters.get(chapter)?;
        let note = c.footnotes.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
        let saved_v = std::mem::take(&mut self.v);
        let saved_floor = std::mem::replace(&mut self.floor, 0);
        let saved_groups = std::mem::take(&mut self.open_groups);
        let saved_anchors = std::mem::take(&mut self.anchors);
        let (saved_keep, saved_mark, saved_table) =
            (self.keep_next, self.pending_mark.take(), self.table.take());
        self.keep_next = false;
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
        let mut lines = std::mem::replace(&mut self.v, saved_v);
        self.floor = saved_floor;
        for v in &mut lines {
            if let V::Line(l) = v {
                l.role = LineRole::Note;
            }
        }
        self.open_groups = saved_groups;
        self.anchors = saved_anchors;
        self.keep_next = saved_keep;
        self.pending_mark = saved_mark;
        self.table = saved_table;
        self.notes.push(lines);
        Some(self.notes.len() - 1)
    }

    pub(super) fn anchor(&mut self, id: String) {
        self.anchors.push(id);
    }

    pub fn part(&mut self, part: &Part) {
        self.new_page();
        self.flag(Flag::NoHead);
        self.space(self.s(60.0));
        self.anchor(part.id.clone());
        self.mark(&part.title);
        if !part.title.is_empty() {
            let p = vec![Piece::Text(
                part.title.clone(),
                self.style(BOLD, self.s(20.0)),
            )];
            let lines = self.setter.set(&p, self.geo.measure, false, part.span);
            self.push_lines(lines, &[], 0.0, self.s(25.0), LineRole::Heading, true);
        }
        self.space(self.s(36.0));
        for (i, c) in part.chapters.iter().enumerate() {
            self.chapter(c, i == 0);
        }
    }

    /// A chapter and its sub-chapters. Top-level chapters start a new page unless they open
    /// their part's page.
    pub fn chapter(&mut self, c: &Chapter, opens_page: bool) {
        if c.depth == 0 && !opens_page {
            self.new_page();
        } else if !opens_page {
            self.space(self.s(22.0));
        }
        let (size, leading) = if c.depth == 0 {
            (self.s(17.0), self.s(21.0))
        } else {
            (self.s(13.5), self.s(17.0))
        };
        self.anchor(c.id.clone());
        self.mark(&c.title);
        let title = vec![Piece::Text(c.heading(), self.style(BOLD, size))];
        let lines = self.setter.set(&title, self.geo.measure, false, c.span);
        self.push_lines(lines, &[], 0.0, leading, LineRole::Heading, true);
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
            self.push_lines(lines, &[], 0.0, self.s(14.0), LineRole::Heading, true);
        }
        self.space(self.s(10.0));
        let frame = Frame {
            x: 0.0,
            width: self.geo.measure,
            chapter: &c.id,
            size: self.geo.body_size,
        };
        self.blocks_in(&c.blocks, frame);
        for child in &c.children {
            self.chapter(child, false);
        }
        if !c.closing.is_empty() {
            self.space(self.s(10.0));
            self.blocks_in(&c.closing, frame);
        }
        self.uncalled_notes(c);
    }

    /// Notes no text calls still reach the page: on the chapter's last line.
    fn uncalled_notes(&mut self, c: &Chapter) {
        for n in 1..=c.footnotes.len() {
            let Ok(n) = u32::try_from(n) else { break };
            if self.noted.contains(&(c.id.clone(), n)) {
                continue;
            }
            let Some(at) = self.v.iter().rposition(|v| matches!(v, V::Line(_))) else {
                return;
            };
            if let Some(note) = self.note(&c.id, n) {
                if let Some(V::Line(l)) = self.v.get_mut(at) {
                    l.notes.push(note);
                }
            }
        }
    }

    pub(super) fn blocks_in(&mut self, blocks: &[Block], frame: Frame) {
        for b in blocks {
            self.block(b, frame);
        }
    }

    pub(super) fn para_gap(&self, frame: Frame) -> f32 {
        frame.size * 0.6
    }

    pub(super) fn leading(&self, frame: Frame) -> f32 {
        self.geo.leading * frame.size / self.geo.body_size
    }

    fn paragraph(&mut self, pieces: &[Piece], links: &[LinkTarget], frame: Frame, span: Span) {
        let lines = self.setter.set(pieces, frame.width, true, span);
        let leading = self.leading(frame);
        self.push_lines(lines, links, frame.x, leading, LineRole::Body, false);
    }

    /// A paragraph's text, with its images (loaded ones, at the top level) as figures after the
    /// text before them.
    fn paragraph_with_figures(&mut self, inl: &[Inline], frame: Frame, span: Span, gap: bool) {
        let mut from = 0;
        let mut any = false;
        for (i, x) in inl.iter().enumerate() {
            if let Inline::Image {
                asset: Some(a),
                alt,
                title,
                ..
            } = x
            {
                self.text_run(&inl[from..i], frame, span, gap);
                self.figure(*a, alt, title, frame, span);
                from = i + 1;
                any = true;
            }
        }
        if !any || inl[from..].iter().any(|x| !is_blank(x)) {
            self.text_run(&inl[from..], frame, span, gap);
        }
    }

    fn text_run(&mut self, inl: &[Inline], frame: Frame, span: Span, gap: bool) {
        if inl.iter().all(is_blank) {
            return;
        }
        let mut links = Vec::new();
        let base = self.style(REGULAR, frame.size);
        let pieces = inline::pieces(inl, base, frame.chapter, &mut links);
        self.paragraph(&pieces, &links, frame, span);
        if gap {
            self.space(self.para_gap(frame));
        }
    }

    /// An image scaled to the measure (never beyond it nor taller than most of the page), and
    /// its alt text as caption when the book gives a title; kept with its caption.
    fn figure(&mut self, asset: u32, alt: &str, title: &str, frame: Frame, span: Span) {
        let Some(a) = self.book.assets.get(asset as usize) else {
            return;
        };
        let (pw, ph) = (a.width.max(1) as f32 * 0.75, a.height.max(1) as f32 * 0.75);
        let k = (frame.width / pw)
            .min(self.geo.body_height * 0.7 / ph)
            .min(1.0);
        let (w, h) = (pw * k, ph * k);
        let caption = !title.trim().is_empty() && !alt.trim().is_empty();
        self.blocks += 1;
        self.space(frame.size * 0.3);
        self.v.push(V::Line(VLine {
            height: h,
            baseline: h,
            x: frame.x,
            set: SetLine {
                width: w,
                size: frame.size,
                ..SetLine::default()
            },
            links: Vec::new(),
            break_after: !caption,
            role: LineRole::Figure,
            block: self.blocks,
            index: 1,
            of: 1,
            groups: self.open_groups.clone(),
            anchors: std::mem::take(&mut self.anchors),
            mark: self.pending_mark.take(),
            notes: Vec::new(),
            table: None,
            image: Some((
                Rect {
                    x: (frame.width - w) / 2.0,
                    y: -h,
                    w,
                    h,
                },
                ImageRef::Asset(asset),
            )),
        }));
        if caption {
            self.space(frame.size * 0.4);
            let size = frame.size * 0.88;
            let p = vec![Piece::Text(alt.to_string(), self.style(ITALIC, size))];
            let mut lines = self.setter.set(&p, frame.width, false, span);
            for l in &mut lines {
                let dx = (frame.width - l.width) / 2.0;
                for r in &mut l.runs {
                    r.x += dx;
                }
            }
            let leading = self.leading(frame) * 0.88;
            self.push_lines(lines, &[], frame.x, leading, LineRole::Body, false);
        }
        self.space(self.para_gap(frame));
    }

    fn block(&mut self, b: &Block, frame: Frame) {
        match &b.kind {
            BlockKind::Paragraph(inl) => self.paragraph_with_figures(inl, frame, b.span, true),
            BlockKind::Heading {
                level, id, content, ..
            } => {
                self.anchor(format!("{}#{id}", frame.chapter));
                self.heading(content, *level, frame, b.span);
            }
            BlockKind::BlockQuote(inner) => {
                let indent = 1.6 * frame.size;
                self.groups.push(Group {
                    x: frame.x + 0.35 * frame.size,
                    w: 1.6,
                    color: QUOTE_BAR,
                    pad: 0.0,
                });
                self.open_groups.push(self.groups.len() - 1);
                let inner_frame = self.indented(frame, indent);
                self.blocks_in(inner, inner_frame);
                self.trim_space();
                self.open_groups.pop();
                self.space(self.para_gap(frame));
            }
            BlockKind::Admonition { kind, blocks } => {
                // A rule down the side, heavier than a quote's, and the label above the text.
                let indent = 1.6 * frame.size;
                self.groups.push(Group {
                    x: frame.x + 0.35 * frame.size,
                    w: 3.2,
                    color: GRAY,
                    pad: 0.0,
                });
                self.open_groups.push(self.groups.len() - 1);
                let inner = Frame {
                    x: frame.x + indent,
                    width: frame.width - indent,
                    ..frame
                };
                let label = vec![Piece::Text(
                    kind.label().to_string(),
                    self.style(BOLD, frame.size),
                )];
                let lines = self.setter.set(&label, inner.width, false, b.span);
                let leading = self.leading(frame);
                self.push_lines(lines, &[], inner.x, leading, LineRole::Body, true);
                self.space(self.para_gap(frame) * 0.3);
                self.blocks_in(blocks, inner);
                self.trim_space();
                self.open_groups.pop();
                self.space(self.para_gap(frame));
            }
            BlockKind::DefinitionList(defs) => {
                let indent = 1.5 * frame.size;
                let inner = Frame {
                    x: frame.x + indent,
                    width: frame.width - indent,
                    ..frame
                };
                for d in defs {
                    // The term in bold, kept with its definition, which is set indented.
                    let mut links = Vec::new();
                    let base = self.style(BOLD, frame.size);
                    let pieces = inline::pieces(&d.term, base, frame.chapter, &mut links);
                    let lines = self.setter.set(&pieces, frame.width, false, b.span);
                    let leading = self.leading(frame);
                    self.push_lines(lines, &links, frame.x, leading, LineRole::Body, true);
                    for detail in &d.details {
                        self.blocks_in(detail, inner);
                    }
                }
                self.trim_space();
                self.space(self.para_gap(frame));
            }
            BlockKind::CodeBlock { text, .. } => self.code_block(text, frame, b.span),
            BlockKind::List {
                start,
                tight,
                items,
            } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = match (start, item.task) {
                        (_, Some(true)) => "☑".to_string(),
                        (_, Some(false)) => "☐".to_string(),
                        (Some(n), None) => format!("{}.", n + i as u64),
                        (None, None) => "•".to_string(),
                    };
                    self.item_blocks(&item.blocks, &marker, frame, b.span);
                    if !tight {
                        self.space(self.para_gap(frame));
                    }
                }
                if *tight {
                    self.space(self.para_gap(frame));
                }
            }
            BlockKind::Table { align, head, rows } => self.table(align, head, rows, frame, b.span),
            BlockKind::ThematicBreak => {
                let w = frame.width / 4.0;
                let set = SetLine {
                    fills: vec![(
                        Rect {
                            x: (frame.width - w) / 2.0,
                            y: -frame.size * 0.3,
                            w,
                            h: 0.6,
                        },
                        GRAY,
                    )],
                    size: frame.size,
                    ..SetLine::default()
                };
                let leading = self.leading(frame);
                self.push_lines(vec![set], &[], frame.x, leading, LineRole::Body, false);
                self.space(self.para_gap(frame));
            }
            BlockKind::Html(html) => {
                // Its anchors (`<a id>`, `<a name>`) mark where the next line lands.
                for id in crate::html::anchor_ids(html) {
                    self.anchor(format!("{}#{id}", frame.chapter));
                }
                let text = crate::html::strip_tags(html);
                self.setter.warnings.push((
                    b.span,
                    "raw HTML block: only its text is kept in the PDF".to_string(),
                ));
                if !text.trim().is_empty() {
                    let pieces = vec![Piece::Text(
                        text.trim().to_string(),
                        self.style(REGULAR, frame.size),
                    )];
                    self.paragraph(&pieces, &[], frame, b.span);
                    self.space(self.para_gap(frame));
                }
            }
        }
    }

    /// `frame` indented by `indent`, but never narrower than a third of the measure: deeper
    /// nesting stops indenting rather than set one glyph per line (or overflow the page).
    fn indented<'c>(&self, frame: Frame<'c>, indent: f32) -> Frame<'c> {
        let indent = indent.min(frame.width - self.geo.measure / 3.0).max(0.0);
        Frame {
            x: frame.x + indent,
            width: frame.width - indent,
            ..frame
        }
    }

    /// Removes a trailing space so nested blocks do not double their gaps, but none from before
    /// the list item being set.
    pub(super) fn trim_space(&mut self) {
        while self.v.len() > self.floor && matches!(self.v.last(), Some(V::Space(_))) {
            self.v.pop();
        }
    }

    fn heading(&mut self, content: &[Inline], level: u8, frame: Frame, span: Span) {
        let size = match level {
            1 => self.s(13.0),
            2 => self.s(12.0),
            3 => self.s(11.0),
            _ => frame.size,
        };
        let face = if level >= 5 {
            super::fonts::BOLD_ITALIC
        } else {
            BOLD
        };
        self.trim_space();
        self.space(size * 1.1);
        let mut links = Vec::new();
        let pieces = inline::pieces(content, self.style(face, size), frame.chapter, &mut links);
        let lines = self.setter.set(&pieces, frame.width, false, span);
        self.push_lines(lines, &links, frame.x, size * 1.3, LineRole::Heading, true);
        self.space(size * 0.35);
    }

    /// A list item (or a note): the marker hangs in the indent, the blocks are set beside it.
    /// An item with no line of text (empty, or only figures) gets its marker on a line of its
    /// own, so that the numbering shows no gap.
    pub(super) fn item_blocks(&mut self, blocks: &[Block], marker: &str, frame: Frame, span: Span) {
        let indent = 1.5 * frame.size;
        let inner = self.indented(frame, indent);
        let mark_style = self.style(REGULAR, frame.size);
        let mark = self.setter.set(
            &[Piece::Text(marker.to_string(), mark_style)],
            indent * 4.0,
            false,
            span,
        );
        let first = self.v.len();
        let saved_floor = std::mem::replace(&mut self.floor, first);
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 && matches!(b.kind, BlockKind::Paragraph(_)) {
                self.space(self.para_gap(frame) * 0.5);
            }
            match &b.kind {
                // Tight items' paragraphs need no gap after them.
                BlockKind::Paragraph(inl) => self.paragraph_with_figures(inl, inner, b.span, false),
                _ => self.block(b, inner),
            }
        }
        self.trim_space();
        self.floor = saved_floor;
        let Some(mut m) = mark.into_iter().next() else {
            return;
        };
        let first = first.min(self.v.len());
        let hang = -(m.width + 0.5 * frame.size);
        // Hang the marker to the left of the first line of the item.
        let target = self.v[first..].iter_mut().find_map(|v| match v {
            V::Line(l) if l.image.is_none() => Some(l),
            _ => None,
        });
        if let Some(line) = target {
            let dx = hang - (line.x - inner.x);
            for mut run in m.runs {
                run.x += dx;
                line.set.runs.push(run);
            }
            return;
        }
        for run in &mut m.runs {
            run.x += hang;
        }
        let figures = self.v.split_off(first);
        let leading = self.leading(frame);
        self.push_lines(vec![m], &[], inner.x, leading, LineRole::Body, false);
        if let (false, Some(V::Line(l))) = (figures.is_empty(), self.v.last_mut()) {
            l.break_after = false;
        }
        self.v.extend(figures);
    }

    fn code_block(&mut self, text: &str, frame: Frame, span: Span) {
        let size = frame.size * 0.85;
        let pad = 0.5 * frame.size;
        self.groups.push(Group {
            x: frame.x - pad,
            w: frame.width + 2.0 * pad,
            color: CODE_BG,
            pad: 3.0,
        });
        self.open_groups.push(self.groups.len() - 1);
        self.space(2.0);
        let style = code_style(self.style(REGULAR, frame.size));
        let style = Style { size, ..style };
        let mut lines = Vec::new();
        for src in text.trim_end_matches('\n').split('\n') {
            let src = src.replace('\t', "    ");
            lines.extend(self.setter.set_verbatim(&src, style, frame.width, span));
        }
        self.push_lines(lines, &[], frame.x, size * 1.35, LineRole::Code, false);
        self.open_groups.pop();
        self.space(2.0 + self.para_gap(frame));
    }
}

fn is_blank(i: &Inline) -> bool {
    match i {
        Inline::Text(t) => t.trim().is_empty(),
        Inline::SoftBreak | Inline::HardBreak => true,
        _ => false,
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
        let mut b = PageBuilder::new(
            &book,
            Setter::new(Shaper::new(&fonts)),
            Geometry::a4(),
            HashMap::new(),
        );
        b.chapter(&book.front[0], true);
        b.v.iter()
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
