//! The page builder: the book's blocks become a vertical list of set lines and spaces with
//! keep rules (headings with what follows, no widows or orphans, forced page starts), which is
//! then cut into A4 pages with a page number in the footer.

use super::fonts::{BOLD, ITALIC, REGULAR};
use super::frame::{Anchor, Item, LineBox, LineRole, LinkArea, Page, Rect, Rgb};
use super::inline::{self, code_style};
use super::para::{Piece, SetLine, Setter, Style};
use crate::ir::{Block, BlockKind, Book, Chapter, Inline, LinkTarget, Part, Span};

/// Page and type sizes, in points. The defaults give A4 with a measure of about 66 characters.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub top: f32,
    pub measure: f32,
    pub body_height: f32,
    /// Baseline of the page number, from the top of the page.
    pub footer: f32,
    pub body_size: f32,
    pub leading: f32,
}

impl Default for Geometry {
    fn default() -> Self {
        let (width, height) = (595.28, 841.89);
        let measure = 330.0;
        Geometry {
            width,
            height,
            left: (width - measure) / 2.0,
            top: 78.0,
            measure,
            body_height: 15.0 * 45.0,
            footer: height - 48.0,
            body_size: 11.5,
            leading: 15.0,
        }
    }
}

const CODE_BG: Rgb = Rgb(0xf1, 0xf1, 0xee);
const QUOTE_BAR: Rgb = Rgb(0xb8, 0xb8, 0xb8);
const GRAY: Rgb = Rgb(0x55, 0x55, 0x55);

enum V {
    Line(VLine),
    Space(f32),
    NewPage,
}

struct VLine {
    /// Height of the line box; the baseline sits `baseline` below its top.
    height: f32,
    baseline: f32,
    /// Left edge of the line within the text area.
    x: f32,
    set: SetLine,
    links: Vec<LinkTarget>,
    /// May a page end after this line?
    break_after: bool,
    role: LineRole,
    block: usize,
    index: usize,
    of: usize,
    groups: Vec<usize>,
    anchors: Vec<String>,
}

/// A decoration spanning several lines, drawn per page: a code background or a quote bar.
struct Group {
    x: f32,
    w: f32,
    color: Rgb,
    pad: f32,
}

pub struct PageBuilder<'b, 'f> {
    book: &'b Book,
    pub setter: Setter<'f>,
    pub geo: Geometry,
    v: Vec<V>,
    groups: Vec<Group>,
    open_groups: Vec<usize>,
    blocks: usize,
    keep_next: bool,
    anchors: Vec<String>,
}

/// Where and how wide the current block is set, and the chapter whose notes it refers to.
#[derive(Clone, Copy)]
struct Frame<'c> {
    x: f32,
    width: f32,
    chapter: &'c str,
    size: f32,
}

impl<'b, 'f> PageBuilder<'b, 'f> {
    pub fn new(book: &'b Book, setter: Setter<'f>, geo: Geometry) -> Self {
        PageBuilder {
            book,
            setter,
            geo,
            v: Vec::new(),
            groups: Vec::new(),
            open_groups: Vec::new(),
            blocks: 0,
            keep_next: false,
            anchors: Vec::new(),
        }
    }

    fn style(&self, face: super::fonts::FaceId, size: f32) -> Style {
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

    fn space(&mut self, s: f32) {
        self.v.push(V::Space(s));
    }

    fn new_page(&mut self) {
        self.v.push(V::NewPage);
    }

    /// Adds set lines as one block. `keep` forbids any page break inside and after it (titles);
    /// otherwise a page may break between lines except after the first or before the last.
    #[allow(clippy::too_many_arguments)]
    fn push_lines(
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
            }));
        }
        if keep {
            self.keep_next = true;
        }
    }

    fn anchor(&mut self, id: String) {
        self.anchors.push(id);
    }

    pub fn title_block(&mut self) {
        let m = &self.book.meta;
        let w = self.geo.measure;
        self.space(150.0);
        let title = vec![Piece::Text(m.title.clone(), self.style(BOLD, 26.0))];
        let lines = self.setter.set(&title, w, false, Span::default());
        self.push_lines(lines, &[], 0.0, 32.0, LineRole::Heading, true);
        if let Some(sub) = &m.subtitle {
            self.space(8.0);
            let p = vec![Piece::Text(sub.clone(), self.style(ITALIC, 14.0))];
            let lines = self.setter.set(&p, w, false, Span::default());
            self.push_lines(lines, &[], 0.0, 18.0, LineRole::Heading, true);
        }
        self.space(40.0);
        let mut plain = Vec::new();
        if !m.authors.is_empty() {
            plain.push(m.authors.join(", "));
        }
        let imprint: Vec<&str> = [m.publisher.as_deref(), m.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !imprint.is_empty() {
            plain.push(imprint.join(", "));
        }
        for line in plain {
            let p = vec![Piece::Text(line, self.style(REGULAR, 12.0))];
            let lines = self.setter.set(&p, w, false, Span::default());
            self.push_lines(lines, &[], 0.0, 16.0, LineRole::Heading, false);
        }
        if let Some(d) = &m.description {
            self.space(30.0);
            let p = vec![Piece::Text(
                d.clone(),
                self.style(REGULAR, self.geo.body_size),
            )];
            let lines = self.setter.set(&p, w, true, Span::default());
            let leading = self.geo.leading;
            self.push_lines(lines, &[], 0.0, leading, LineRole::Body, false);
        }
        self.keep_next = false;
        self.new_page();
    }

    pub fn part(&mut self, part: &Part) {
        self.new_page();
        self.space(60.0);
        self.anchor(part.id.clone());
        if !part.title.is_empty() {
            let p = vec![Piece::Text(part.title.clone(), self.style(BOLD, 20.0))];
            let lines = self.setter.set(&p, self.geo.measure, false, part.span);
            self.push_lines(lines, &[], 0.0, 25.0, LineRole::Heading, true);
        }
        self.space(36.0);
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
            self.space(22.0);
        }
        let (size, leading) = if c.depth == 0 {
            (17.0, 21.0)
        } else {
            (13.5, 17.0)
        };
        self.anchor(c.id.clone());
        let title = vec![Piece::Text(c.title.clone(), self.style(BOLD, size))];
        let lines = self.setter.set(&title, self.geo.measure, false, c.span);
        self.push_lines(lines, &[], 0.0, leading, LineRole::Heading, true);
        if c.is_talk() {
            self.space(2.0);
            let label = if c.speakers.len() > 1 {
                "Speakers: "
            } else {
                "Speaker: "
            };
            let p = vec![
                Piece::Text(label.to_string(), self.style(REGULAR, 11.0)),
                Piece::Text(c.speakers.join(", "), self.style(ITALIC, 11.0)),
            ];
            let lines = self.setter.set(&p, self.geo.measure, false, c.span);
            self.push_lines(lines, &[], 0.0, 14.0, LineRole::Heading, true);
        }
        self.space(10.0);
        let frame = Frame {
            x: 0.0,
            width: self.geo.measure,
            chapter: &c.id,
            size: self.geo.body_size,
        };
        self.blocks_in(&c.blocks, frame);
        self.notes(c, frame);
        for child in &c.children {
            self.chapter(child, false);
        }
        if !c.closing.is_empty() {
            self.space(10.0);
            self.blocks_in(&c.closing, frame);
        }
    }

    fn notes(&mut self, c: &Chapter, frame: Frame) {
        if c.footnotes.is_empty() {
            return;
        }
        self.space(6.0);
        self.heading_line("Notes", 3, frame, c.span);
        let small = Frame {
            size: self.geo.body_size * 0.88,
            ..frame
        };
        for (i, note) in c.footnotes.iter().enumerate() {
            self.anchor(format!("{}#{}", c.id, note.id));
            let marker = format!("{}.", i + 1);
            self.item_blocks(&note.blocks, &marker, small, note.span);
        }
    }

    fn blocks_in(&mut self, blocks: &[Block], frame: Frame) {
        for b in blocks {
            self.block(b, frame);
        }
    }

    fn para_gap(&self, frame: Frame) -> f32 {
        frame.size * 0.6
    }

    fn paragraph(&mut self, pieces: &[Piece], links: &[LinkTarget], frame: Frame, span: Span) {
        let lines = self.setter.set(pieces, frame.width, true, span);
        let leading = self.geo.leading * frame.size / self.geo.body_size;
        self.push_lines(lines, links, frame.x, leading, LineRole::Body, false);
    }

    fn block(&mut self, b: &Block, frame: Frame) {
        match &b.kind {
            BlockKind::Paragraph(inl) => {
                let mut links = Vec::new();
                let base = self.style(REGULAR, frame.size);
                let pieces = inline::pieces(inl, base, frame.chapter, &mut links);
                self.paragraph(&pieces, &links, frame, b.span);
                self.space(self.para_gap(frame));
            }
            BlockKind::Heading { level, id, content } => {
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
                let inner_frame = Frame {
                    x: frame.x + indent,
                    width: frame.width - indent,
                    ..frame
                };
                self.blocks_in(inner, inner_frame);
                self.trim_space();
                self.open_groups.pop();
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
            BlockKind::Table { head, rows, .. } => self.table(head, rows, frame, b.span),
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
                self.push_lines(
                    vec![set],
                    &[],
                    frame.x,
                    self.geo.leading,
                    LineRole::Body,
                    false,
                );
                self.space(self.para_gap(frame));
            }
            BlockKind::Html(html) => {
                let text = crate::backend::plain::strip_tags(html);
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

    /// Removes a trailing space so nested blocks do not double their gaps.
    fn trim_space(&mut self) {
        while matches!(self.v.last(), Some(V::Space(_))) {
            self.v.pop();
        }
    }

    fn heading_line(&mut self, text: &str, level: u8, frame: Frame, span: Span) {
        self.heading(&[Inline::Text(text.to_string())], level, frame, span);
    }

    fn heading(&mut self, content: &[Inline], level: u8, frame: Frame, span: Span) {
        let size = match level {
            1 => 13.0,
            2 => 12.0,
            3 => 11.0,
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
    fn item_blocks(&mut self, blocks: &[Block], marker: &str, frame: Frame, span: Span) {
        let indent = 1.5 * frame.size;
        let inner = Frame {
            x: frame.x + indent,
            width: frame.width - indent,
            ..frame
        };
        let mark_style = self.style(REGULAR, frame.size);
        let mark = self.setter.set(
            &[Piece::Text(marker.to_string(), mark_style)],
            indent * 4.0,
            false,
            span,
        );
        let first = self.v.len();
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 && matches!(b.kind, BlockKind::Paragraph(_)) {
                self.space(self.para_gap(frame) * 0.5);
            }
            match &b.kind {
                // Tight items' paragraphs need no gap after them.
                BlockKind::Paragraph(inl) => {
                    let mut links = Vec::new();
                    let base = self.style(REGULAR, frame.size);
                    let pieces = inline::pieces(inl, base, frame.chapter, &mut links);
                    self.paragraph(&pieces, &links, inner, b.span);
                }
                _ => self.block(b, inner),
            }
        }
        self.trim_space();
        // Hang the marker to the left of the first line of the item.
        let target = self.v[first..].iter_mut().find_map(|v| match v {
            V::Line(l) => Some(l),
            _ => None,
        });
        if let (Some(line), Some(m)) = (target, mark.into_iter().next()) {
            let dx = -(m.width + 0.5 * frame.size) - (line.x - (frame.x + indent));
            for mut run in m.runs {
                run.x += dx;
                line.set.runs.push(run);
            }
        }
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

    /// A simple table: equal columns, each cell set ragged in its column, the head in bold.
    fn table(&mut self, head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], frame: Frame, span: Span) {
        let cols = head
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let gap = frame.size;
        let colw = (frame.width - gap * (cols as f32 - 1.0)) / cols as f32;
        let leading = self.geo.leading * frame.size / self.geo.body_size;
        for (r, row) in std::iter::once(head)
            .chain(rows.iter().map(Vec::as_slice))
            .enumerate()
        {
            if row.is_empty() {
                continue;
            }
            let face = if r == 0 { BOLD } else { REGULAR };
            let mut links = Vec::new();
            let mut cells: Vec<Vec<SetLine>> = Vec::new();
            for cell in row {
                let pieces = inline::pieces(
                    cell,
                    self.style(face, frame.size),
                    frame.chapter,
                    &mut links,
                );
                cells.push(self.setter.set(&pieces, colw, false, span));
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0);
            let mut merged = Vec::new();
            for k in 0..height {
                let mut line = SetLine {
                    size: frame.size,
                    ..SetLine::default()
                };
                for (c, cell) in cells.iter().enumerate() {
                    if let Some(l) = cell.get(k) {
                        let dx = c as f32 * (colw + gap);
                        for run in &l.runs {
                            let mut run = run.clone();
                            run.x += dx;
                            line.runs.push(run);
                        }
                        for (rect, i) in &l.links {
                            line.links.push((
                                Rect {
                                    x: rect.x + dx,
                                    ..*rect
                                },
                                *i,
                            ));
                        }
                        line.width = dx + l.width;
                    }
                }
                merged.push(line);
            }
            self.push_lines(merged, &links, frame.x, leading, LineRole::Body, r == 0);
            self.keep_next = false;
        }
        self.space(self.para_gap(frame));
    }

    /// Cuts the vertical list into pages, then places every line.
    pub fn finish(mut self) -> (Vec<Page>, Setter<'f>) {
        let v = std::mem::take(&mut self.v);
        let ranges = paginate(&v, self.geo.body_height);
        let mut pages = Vec::with_capacity(ranges.len());
        for (n, range) in ranges.into_iter().enumerate() {
            pages.push(self.place(&v[range], n + 1));
        }
        (pages, self.setter)
    }

    fn place(&mut self, items: &[V], number: usize) -> Page {
        let g = self.geo;
        let mut page = Page {
            number,
            width: g.width,
            height: g.height,
            items: Vec::new(),
            anchors: Vec::new(),
            links: Vec::new(),
            lines: Vec::new(),
        };
        let mut group_spans: Vec<(usize, f32, f32)> = Vec::new();
        let mut y = g.top;
        let mut started = false;
        for it in items {
            match it {
                V::Space(s) if started => y += s,
                V::Space(_) | V::NewPage => {}
                V::Line(l) => {
                    started = true;
                    let x0 = g.left + l.x;
                    let base = y + l.baseline;
                    for id in &l.anchors {
                        page.anchors.push(Anchor { id: id.clone(), y });
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
                    for &gid in &l.groups {
                        match group_spans.iter_mut().find(|s| s.0 == gid) {
                            Some(s) => s.2 = y + l.height,
                            None => group_spans.push((gid, y, y + l.height)),
                        }
                    }
                    y += l.height;
                }
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
        self.footer(&mut page);
        page
    }

    fn footer(&mut self, page: &mut Page) {
        let g = self.geo;
        let p = vec![Piece::Text(
            page.number.to_string(),
            self.style(REGULAR, 9.5),
        )];
        if let Some(line) = self.setter.set(&p, g.measure, false, Span::default()).pop() {
            let x = g.left + (g.measure - line.width) / 2.0;
            for mut run in line.runs {
                run.x += x;
                run.y += g.footer;
                page.items.push(Item::Text(run));
            }
            page.lines.push(LineBox {
                rect: Rect {
                    x,
                    y: g.footer - 9.5,
                    w: line.width,
                    h: 12.0,
                },
                role: LineRole::Footer,
                block: 0,
                index: 1,
                of: 1,
            });
        }
    }
}

/// Page ranges over the vertical list: each page takes lines while they fit and ends at the
/// last place a break is allowed (it may run short); a forced break starts a new page.
fn paginate(v: &[V], body_height: f32) -> Vec<std::ops::Range<usize>> {
    let mut pages = Vec::new();
    let mut i = 0;
    while i < v.len() {
        // Skip what a page never starts with.
        while i < v.len() && matches!(v[i], V::Space(_) | V::NewPage) {
            i += 1;
        }
        if i >= v.len() {
            break;
        }
        let start = i;
        let mut y = 0.0;
        let mut last_ok: Option<usize> = None;
        let mut end = v.len();
        let mut j = i;
        while j < v.len() {
            match &v[j] {
                V::NewPage => {
                    end = j;
                    break;
                }
                V::Space(s) => y += s,
                V::Line(l) => {
                    if y + l.height > body_height && j > start {
                        end = last_ok.unwrap_or(j);
                        break;
                    }
                    y += l.height;
                    if l.break_after {
                        last_ok = Some(j + 1);
                    }
                }
            }
            j += 1;
        }
        pages.push(start..end);
        i = end;
    }
    pages
}
