//! Setting the book's blocks into the vertical list: paragraphs (with their figures),
//! headings, quotes and admonitions with a bar down the side, definition and bulleted or
//! numbered lists, code blocks, rules and raw HTML.

use std::ops::Range;

use super::fonts::{BOLD, ITALIC, REGULAR};
use super::frame::{ImageRef, LineRole, Rect, Rgb};
use super::inline::{self, code_style};
use super::page::{Frame, ListBuilder};
use super::para::{Piece, SetLine, Style};
use super::structure::{Artifact, ListStyle, Role, Tag};
use super::vlist::{Group, VLine, GRAY, V};
use crate::highlight::{self, Class};
use crate::ir::{Block, BlockKind, Definition, Inline, LinkTarget, ListItem, Span};

const CODE_BG: Rgb = Rgb(0xf1, 0xf1, 0xee);
const QUOTE_BAR: Rgb = Rgb(0xb8, 0xb8, 0xb8);

impl ListBuilder<'_, '_> {
    /// A justified paragraph of `pieces`.
    fn paragraph(&mut self, pieces: &[Piece], links: &[LinkTarget], frame: Frame, span: Span) {
        let lines = self.setter.set(pieces, frame.width, true, span);
        let leading = self.leading(frame);
        self.open(Role::Paragraph, span);
        self.push_lines(lines, links, frame.x, leading, LineRole::Body, false);
        self.close();
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

    /// The text of a paragraph between its figures (none when it is blank).
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
        let set = SetLine {
            width: w,
            size: frame.size,
            ..SetLine::default()
        };
        let mut line = VLine::new(h, h, frame.x, set, LineRole::Figure);
        line.break_after = !caption;
        let rect = Rect {
            x: (frame.width - w) / 2.0,
            y: -h,
            w,
            h,
        };
        line.image = Some((rect, ImageRef::Asset(asset), self.figure_tag(alt, span)));
        self.push_line(line);
        if caption {
            self.space(frame.size * 0.4);
            let size = frame.size * 0.88;
            let p = vec![Piece::Text(alt.to_string(), self.style(ITALIC, size))];
            let mut lines = self.setter.set(&p, frame.width, false, span);
            for l in &mut lines {
                l.centre(frame.width);
            }
            let leading = self.leading(frame) * 0.88;
            self.open(Role::Caption, span);
            self.push_lines(lines, &[], frame.x, leading, LineRole::Body, false);
            self.close();
        }
        self.space(self.para_gap(frame));
    }

    /// A figure's tag: a figure node described by `alt`, or decoration when it has no alt
    /// text (as in HTML, an empty alt says the picture is decorative).
    pub(super) fn figure_tag(&mut self, alt: &str, span: Span) -> Tag {
        if alt.trim().is_empty() {
            return Tag::Artifact(Artifact::Decoration);
        }
        let id = self.node(Role::Figure, span);
        if let Some(n) = self.list.structure.nodes.get_mut(id as usize) {
            n.alt = Some(alt.trim().into());
        }
        Tag::Node(id)
    }

    /// Sets block `b` in `frame`.
    pub(super) fn block(&mut self, b: &Block, frame: Frame) {
        match &b.kind {
            BlockKind::Paragraph(inl) => self.paragraph_with_figures(inl, frame, b.span, true),
            BlockKind::Heading {
                level, id, content, ..
            } => {
                self.anchor(format!("{}#{id}", frame.chapter));
                self.heading(content, *level, frame, b.span);
            }
            BlockKind::BlockQuote(inner) => {
                self.open(Role::BlockQuote, b.span);
                let inner_frame = self.open_bar(frame, 1.6, QUOTE_BAR);
                self.blocks_in(inner, inner_frame);
                self.close_bar(frame);
                self.close();
            }
            BlockKind::Admonition { kind, blocks } => {
                self.admonition(kind.label(), blocks, frame, b.span);
            }
            BlockKind::DefinitionList(defs) => self.definitions(defs, frame, b.span),
            BlockKind::CodeBlock {
                lang,
                text,
                line_numbers,
            } => {
                let numbers = line_numbers.unwrap_or(self.line_numbers);
                self.code_block(lang.as_deref(), text, numbers, frame, b.span);
            }
            BlockKind::Listing { .. } => self.listing(b, frame),
            BlockKind::List {
                start,
                tight,
                items,
            } => self.list(*start, *tight, items, frame, b.span),
            BlockKind::Table { align, head, rows } => self.table(align, head, rows, frame, b.span),
            BlockKind::ThematicBreak => self.rule(frame),
            BlockKind::Html(html) => self.html(html, frame, b.span),
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

    /// Opens a bar `w` wide down the side of what follows, which is set indented: the frame
    /// to set it in. [`Self::close_bar`] ends it.
    fn open_bar<'c>(&mut self, frame: Frame<'c>, w: f32, color: Rgb) -> Frame<'c> {
        let indent = 1.6 * frame.size;
        self.open_group(Group {
            x: frame.x + 0.35 * frame.size,
            w,
            color,
            pad: 0.0,
        });
        self.indented(frame, indent)
    }

    /// Ends the bar [`Self::open_bar`] opened, and the space after the block.
    fn close_bar(&mut self, frame: Frame) {
        self.trim_space();
        self.close_group();
        self.space(self.para_gap(frame));
    }

    /// A rule down the side, heavier than a quote's, and the label above the text.
    fn admonition(&mut self, label: &str, blocks: &[Block], frame: Frame, span: Span) {
        self.open(Role::Division, span);
        let inner = self.open_bar(frame, 3.2, GRAY);
        let label = vec![Piece::Text(label.to_string(), self.style(BOLD, frame.size))];
        let lines = self.setter.set(&label, inner.width, false, span);
        let leading = self.leading(frame);
        self.open(Role::Paragraph, span);
        self.push_lines(lines, &[], inner.x, leading, LineRole::Body, true);
        self.close();
        self.space(self.para_gap(frame) * 0.3);
        self.blocks_in(blocks, inner);
        self.close_bar(frame);
        self.close();
    }

    /// Each term in bold, kept with its definition, which is set indented.
    fn definitions(&mut self, defs: &[Definition], frame: Frame, span: Span) {
        let indent = 1.5 * frame.size;
        let inner = self.indented(frame, indent);
        self.open(Role::List(ListStyle::Plain), span);
        for d in defs {
            let mut links = Vec::new();
            let base = self.style(BOLD, frame.size);
            let pieces = inline::pieces(&d.term, base, frame.chapter, &mut links);
            let lines = self.setter.set(&pieces, frame.width, false, span);
            let leading = self.leading(frame);
            self.open(Role::ListItem, span);
            self.open(Role::Label, span);
            self.push_lines(lines, &links, frame.x, leading, LineRole::Body, true);
            self.close();
            self.open(Role::ListBody, span);
            for detail in &d.details {
                self.blocks_in(detail, inner);
            }
            self.close();
            self.close();
        }
        self.close();
        self.trim_space();
        self.space(self.para_gap(frame));
    }

    /// A bulleted, numbered or task list: each item's marker hangs in the indent.
    fn list(
        &mut self,
        start: Option<u64>,
        tight: bool,
        items: &[ListItem],
        frame: Frame,
        span: Span,
    ) {
        let style = match (start, items.iter().any(|i| i.task.is_some())) {
            (_, true) => ListStyle::Plain,
            (Some(_), false) => ListStyle::Numbered,
            (None, false) => ListStyle::Bullet,
        };
        self.open(Role::List(style), span);
        for (i, item) in items.iter().enumerate() {
            let marker = match (start, item.task) {
                (_, Some(true)) => "☑".to_string(),
                (_, Some(false)) => "☐".to_string(),
                (Some(n), None) => format!("{}.", n + i as u64),
                (None, None) => "•".to_string(),
            };
            self.open(Role::ListItem, span);
            self.item_blocks(&item.blocks, &marker, frame, span);
            self.close();
            if !tight {
                self.space(self.para_gap(frame));
            }
        }
        self.close();
        if tight {
            self.space(self.para_gap(frame));
        }
    }

    /// A thematic break: a short rule, centred.
    fn rule(&mut self, frame: Frame) {
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

    /// Raw HTML: its anchors, and its text as a paragraph (with a warning).
    fn html(&mut self, html: &str, frame: Frame, span: Span) {
        // Its anchors (`<a id>`, `<a name>`) mark where the next line lands.
        for id in crate::html::anchor_ids(html) {
            self.anchor(format!("{}#{id}", frame.chapter));
        }
        let text = crate::html::strip_tags(html);
        self.setter.warn(
            span,
            "raw HTML block: only its text is kept in the PDF".to_string(),
        );
        if !text.trim().is_empty() {
            let pieces = vec![Piece::Text(
                text.trim().to_string(),
                self.style(REGULAR, frame.size),
            )];
            self.paragraph(&pieces, &[], frame, span);
            self.space(self.para_gap(frame));
        }
    }

    /// A heading of `level`, kept with what follows.
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
        // The chapter's title is its `#`: a `##` goes one level below it.
        let level = self
            .chapter_level
            .saturating_add(level.saturating_sub(1))
            .clamp(1, 6);
        self.open(Role::Heading(level), span);
        self.push_lines(lines, &links, frame.x, size * 1.3, LineRole::Heading, true);
        self.close();
        self.space(size * 0.35);
    }

    /// A list item (or a note): the marker hangs in the indent, the blocks are set beside it.
    /// An item with no line of text (empty, or only figures) gets its marker on a line of its
    /// own, so that the numbering shows no gap.
    pub(super) fn item_blocks(&mut self, blocks: &[Block], marker: &str, frame: Frame, span: Span) {
        let indent = 1.5 * frame.size;
        let inner = self.indented(frame, indent);
        let mark_style = self.style(REGULAR, frame.size);
        let mut mark = self.setter.set(
            &[Piece::Text(marker.to_string(), mark_style)],
            indent * 4.0,
            false,
            span,
        );
        let label = self.node(Role::Label, span);
        self.tag_lines(&mut mark, label, &mut []);
        let in_list = self
            .open_nodes
            .last()
            .is_some_and(|&n| self.list.structure.get(n).map(|x| x.role) == Some(Role::ListItem));
        if in_list {
            self.open(Role::ListBody, span);
        }
        let first = self.list.entries.len();
        let saved_floor = std::mem::replace(&mut self.scope.floor, first);
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
        self.scope.floor = saved_floor;
        if in_list {
            self.close();
        }
        let Some(mut m) = mark.into_iter().next() else {
            return;
        };
        let first = first.min(self.list.entries.len());
        let hang = -(m.width + 0.5 * frame.size);
        // Hang the marker to the left of the first line of the item.
        let target = self.list.entries[first..].iter_mut().find_map(|v| match v {
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
        let figures = self.list.entries.split_off(first);
        let leading = self.leading(frame);
        self.push_lines(vec![m], &[], inner.x, leading, LineRole::Body, false);
        if let (false, Some(V::Line(l))) = (figures.is_empty(), self.list.entries.last_mut()) {
            l.break_after = false;
        }
        self.list.entries.extend(figures);
    }

    /// A code block on a tinted background, its lines set as typed, numbered in a gutter
    /// when `numbers` says.
    fn code_block(
        &mut self,
        lang: Option<&str>,
        text: &str,
        numbers: bool,
        frame: Frame,
        span: Span,
    ) {
        let size = frame.size * 0.85;
        let pad = 0.5 * frame.size;
        self.open_group(Group {
            x: frame.x - pad,
            w: frame.width + 2.0 * pad,
            color: CODE_BG,
            pad: 3.0,
        });
        self.space(2.0);
        let style = code_style(self.style(REGULAR, frame.size));
        let style = Style { size, ..style };
        let text = text.trim_end_matches('\n');
        let spans = lang.and_then(|l| highlight::spans(l, text));
        let spans = spans.as_deref().map_or(&[][..], Vec::as_slice);
        let gutter = match numbers {
            true => self.gutter(text.split('\n').count(), style, span),
            false => 0.0,
        };
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let (mut at, mut next) = (0, 0);
        for src in text.split('\n') {
            let colours = line_colours(spans, &mut next, at..at + src.len());
            let (line, colours) = expand_tabs(src, colours);
            starts.push(lines.len());
            lines.extend(self.setter.set_verbatim(
                &line,
                style,
                frame.width - gutter,
                span,
                &colours,
            ));
            at += src.len() + 1;
        }
        if numbers {
            self.number_lines(&mut lines, &starts, style, span);
        }
        // One Code element: the coloured runs are its content, not elements of their own.
        let first = self.list.entries.len();
        self.open(Role::Code, span);
        let x = frame.x + gutter;
        self.push_lines(lines, &[], x, size * 1.35, LineRole::Code, false);
        self.close();
        self.keep_code_lines(first, &starts);
        self.close_group();
        self.space(2.0 + self.para_gap(frame));
    }
}

/// `line` with its tabs as four spaces, and `colours` moved to match.
fn expand_tabs(
    line: &str,
    colours: Vec<(Range<usize>, Rgb, bool)>,
) -> (String, Vec<(Range<usize>, Rgb, bool)>) {
    if !line.contains('\t') {
        return (line.to_string(), colours);
    }
    let moved = |o: usize| o + 3 * line[..o].matches('\t').count();
    let colours = colours
        .into_iter()
        .map(|(r, c, i)| (moved(r.start)..moved(r.end), c, i))
        .collect();
    (line.replace('\t', "    "), colours)
}

/// The highlighted parts of the code line at `line` (byte offsets in the listing), as ranges
/// of the line in the palette's colours, comments marked to be set in italic (so that they
/// stand apart in grey-scale print too). `next` is the first span that may reach this line:
/// the lines come in order, so each call starts where the last one stopped, and the spans of
/// a listing are walked once in all (a span over several lines is met by each).
fn line_colours(
    spans: &[(Range<usize>, Class)],
    next: &mut usize,
    line: Range<usize>,
) -> Vec<(Range<usize>, Rgb, bool)> {
    let rest = spans.get(*next..).unwrap_or(&[]);
    *next += rest.iter().take_while(|(r, _)| r.end <= line.start).count();
    spans
        .get(*next..)
        .unwrap_or(&[])
        .iter()
        .take_while(|(r, _)| r.start < line.end)
        .filter(|(r, _)| r.end > line.start)
        .map(|(r, c)| {
            let (red, green, blue) = c.light();
            let from = r.start.max(line.start) - line.start;
            let to = r.end.min(line.end) - line.start;
            (from..to, Rgb(red, green, blue), *c == Class::Comment)
        })
        .collect()
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

    #[test]
    fn line_colours_walk_the_spans_once_and_split_those_over_lines() {
        let code = "let a = 1;\n/* two\nlines */ x\n\nend";
        let spans = vec![
            (0..3, Class::Keyword),
            (8..9, Class::Number),
            (11..26, Class::Comment),
            (30..33, Class::Keyword),
        ];
        let (mut at, mut next) = (0, 0);
        let (mut got, mut italic) = (Vec::new(), Vec::new());
        for src in code.split('\n') {
            let line = line_colours(&spans, &mut next, at..at + src.len());
            got.push(line.iter().map(|(r, _, _)| r.clone()).collect::<Vec<_>>());
            italic.extend(line.into_iter().filter(|c| c.2).map(|c| c.0));
            at += src.len() + 1;
        }
        assert_eq!(
            got,
            vec![vec![0..3, 8..9], vec![0..6], vec![0..8], vec![], vec![0..3]]
        );
        assert_eq!(next, 3, "the last line starts at the last span");
        assert_eq!(italic, vec![0..6, 0..8], "comments only");
    }
}
