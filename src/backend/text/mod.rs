//! Plain text for terminals and printers: a title block, contents, underlined headings,
//! paragraphs wrapped by display width, numbered link references and notes per chapter.

mod wrap;

pub(crate) use wrap::wrap;

use super::plain::{self, superscript};
use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::html::strip_tags;
use crate::ir::{Align, Block, BlockKind, Book, Chapter, Inline, LinkTarget, Part};

pub(crate) struct TextBackend;

impl Backend for TextBackend {
    fn name(&self) -> &'static str {
        "text"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let mut w = Writer {
            book,
            cx,
            width: cx.options.text_width,
            out: Vec::new(),
            warnings: Vec::new(),
        };
        w.title_block();
        w.contents();
        for d in book.divisions() {
            if let Some((_, p)) = d.part {
                w.part_title(p);
            }
            for c in d.chapters {
                w.chapter(c);
            }
        }
        let mut text = w.out.join("\n");
        while text.ends_with('\n') {
            text.pop();
        }
        text.push('\n');
        Ok(Rendered {
            output: Output::File {
                name: format!("{}.txt", book.meta.base_name),
                bytes: text.into_bytes(),
            },
            warnings: w.warnings,
        })
    }
}

/// Links and notes collected while rendering one chapter, listed at its end.
#[derive(Default)]
struct Refs {
    urls: Vec<String>,
}

struct Writer<'a> {
    book: &'a Book,
    cx: &'a RenderContext<'a>,
    width: usize,
    out: Vec<String>,
    warnings: Vec<Diagnostic>,
}

impl Writer<'_> {
    fn line(&mut self, s: impl Into<String>) {
        let s: String = s.into();
        self.out.push(s.trim_end().to_string());
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
    }

    fn lines(&mut self, lines: Vec<String>) {
        for l in lines {
            self.line(l);
        }
    }

    fn underlined(&mut self, title: &str, ch: char) {
        let lines = wrap(title, self.width, "", "");
        let w = lines
            .iter()
            .map(|l| plain::width(l))
            .max()
            .unwrap_or(0)
            .min(self.width);
        self.lines(lines);
        self.line(ch.to_string().repeat(w));
    }

    fn title_block(&mut self) {
        let m = &self.book.meta;
        self.underlined(&m.title, '=');
        if let Some(s) = &m.subtitle {
            self.lines(wrap(s, self.width, "", ""));
        }
        self.blank();
        if !m.authors.is_empty() {
            self.lines(wrap(&m.authors.join(", "), self.width, "", ""));
        }
        let imprint: Vec<&str> = [m.publisher.as_deref(), m.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !imprint.is_empty() {
            self.line(imprint.join(", "));
        }
        if let Some(d) = &m.description {
            self.blank();
            self.lines(wrap(d, self.width, "", ""));
        }
        self.blank();
    }

    fn contents(&mut self) {
        self.blank();
        self.underlined("Contents", '-');
        self.blank();
        let book = self.book;
        for d in book.divisions() {
            let titled = d.part.filter(|(_, p)| !p.title.is_empty());
            if let Some((_, p)) = titled {
                self.lines(wrap(&p.title, self.width, "", "  "));
            }
            for r in d.walk() {
                self.toc_entry(r.chapter, usize::from(titled.is_some()));
            }
        }
        self.blank();
    }

    fn toc_entry(&mut self, c: &Chapter, level: usize) {
        let indent = "  ".repeat(level + c.depth as usize);
        let entry = match c.speakers.is_empty() {
            true => c.contents_title(),
            false => format!("{} — {}", c.contents_title(), c.speakers.join(", ")),
        };
        if c.separator_before {
            self.blank();
        }
        let rest = format!("{indent}    ");
        self.lines(wrap(&entry, self.width, &indent, &rest));
    }

    /// A part's title between rules of `#`, when it has one.
    fn part_title(&mut self, p: &Part) {
        if !p.title.is_empty() {
            self.blank();
            self.line("#".repeat(self.width));
            self.lines(wrap(&p.title, self.width, "", ""));
            self.line("#".repeat(self.width));
            self.blank();
        }
    }

    fn chapter(&mut self, c: &Chapter) {
        self.blank();
        self.blank_line_pair();
        self.underlined(&c.heading(), if c.depth == 0 { '=' } else { '-' });
        if !c.speakers.is_empty() {
            let label = if c.speakers.len() == 1 {
                "Speaker"
            } else {
                "Speakers"
            };
            self.lines(wrap(
                &format!("{label}: {}", c.speakers.join(", ")),
                self.width,
                "",
                "  ",
            ));
        }
        self.blank();
        let mut refs = Refs::default();
        self.blocks(c, &c.blocks, "", &mut refs);
        for child in &c.children {
            self.chapter(child);
        }
        if !c.closing.is_empty() {
            self.blank();
            self.blocks(c, &c.closing, "", &mut refs);
        }
        self.notes(c, &mut refs);
        if !refs.urls.is_empty() {
            self.blank();
            self.line("Links:");
            let urls = std::mem::take(&mut refs.urls);
            for (i, url) in urls.iter().enumerate() {
                let marker = format!("[{}] ", i + 1);
                let rest = " ".repeat(plain::width(&marker));
                self.lines(wrap(url, self.width, &marker, &rest));
            }
        }
    }

    /// Two blank lines before a chapter title, so chapters stand apart when scrolling.
    fn blank_line_pair(&mut self) {
        if self.out.len() > 1 {
            self.out.push(String::new());
        }
    }

    fn notes(&mut self, c: &Chapter, refs: &mut Refs) {
        if c.footnotes.is_empty() {
            return;
        }
        self.blank();
        self.line("Notes:");
        for (i, note) in c.footnotes.iter().enumerate() {
            let marker = format!("{} ", superscript(i as u32 + 1));
            let rest = " ".repeat(plain::width(&marker));
            let start = self.out.len();
            self.blocks(c, &note.blocks, &rest, refs);
            // Put the marker on the note's first line, in place of its indent.
            if let Some(first) = self.out.get_mut(start) {
                *first = format!("{marker}{}", first.trim_start());
            } else {
                self.line(marker);
            }
        }
    }

    fn blocks(&mut self, c: &Chapter, blocks: &[Block], indent: &str, refs: &mut Refs) {
        for b in blocks {
            self.block(c, b, indent, refs);
        }
    }

    fn block(&mut self, c: &Chapter, b: &Block, indent: &str, refs: &mut Refs) {
        let width = self.width;
        match &b.kind {
            BlockKind::Paragraph(content) => {
                let text = self.inline_text(c, content, refs);
                self.wrapped(&text, indent);
            }
            BlockKind::Heading { level, content, .. } => {
                let text = self.inline_text(c, content, refs);
                self.heading(&text, *level, indent);
            }
            BlockKind::BlockQuote(inner) => self.quote(c, inner, indent, refs),
            BlockKind::Admonition { kind, blocks } => {
                let quote = Block {
                    span: b.span,
                    kind: BlockKind::BlockQuote(super::plain::labelled(*kind, blocks)),
                };
                self.block(c, &quote, indent, refs);
            }
            BlockKind::DefinitionList(defs) => self.definition_list(c, defs, indent, refs),
            BlockKind::Listing { .. } => self.listing(c, b, indent, refs),
            BlockKind::CodeBlock { text, .. } => {
                for l in text.split('\n') {
                    self.line(format!("{indent}    {l}"));
                }
                self.blank();
            }
            BlockKind::List {
                start,
                tight,
                items,
            } => self.list(c, *start, *tight, items, indent, refs),
            BlockKind::Table { align, head, rows } => {
                let cell = |s: &mut Self, refs: &mut Refs, cell: &[Inline]| {
                    s.inline_text(c, cell, refs).replace('\n', " ")
                };
                let head: Vec<String> = head.iter().map(|h| cell(self, refs, h)).collect();
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| r.iter().map(|x| cell(self, refs, x)).collect())
                    .collect();
                for l in table_lines(&head, &rows, align) {
                    self.line(format!("{indent}{l}"));
                }
                self.blank();
            }
            BlockKind::ThematicBreak => {
                let mark = "*   *   *";
                let pad = (width.saturating_sub(plain::width(mark))) / 2;
                self.line(format!("{}{mark}", " ".repeat(pad)));
                self.blank();
            }
            BlockKind::Html(html) => {
                self.warnings.push(self.cx.warning(
                    self.book,
                    b.span,
                    "raw HTML block: only its text is kept in the plain-text output",
                ));
                self.wrapped(strip_tags(html).trim(), indent);
            }
        }
    }

    /// A `<Listing>`: "Filename: …" above its blocks, "Listing 1-1: caption" below them, as
    /// The Rust Programming Language's HTML places them.
    fn listing(&mut self, c: &Chapter, b: &Block, indent: &str, refs: &mut Refs) {
        let BlockKind::Listing {
            number,
            file_name,
            caption,
            blocks,
        } = &b.kind
        else {
            return;
        };
        if let Some(f) = file_name {
            let line = crate::backend::plain::listing_file(f);
            self.lines(wrap(&line, self.width, indent, indent));
        }
        self.blocks(c, blocks, indent, refs);
        let caption = self.inline_text(c, caption, refs);
        let line = crate::backend::plain::listing_caption(number.as_deref(), &caption);
        self.wrapped(&line, indent);
    }

    /// `text` wrapped at `indent`, then a blank line; nothing for blank text.
    fn wrapped(&mut self, text: &str, indent: &str) {
        if !text.trim().is_empty() {
            self.lines(wrap(text, self.width, indent, indent));
            self.blank();
        }
    }

    /// A heading underlined with `~` (levels 1–2) or `.` as wide as its longest line.
    fn heading(&mut self, text: &str, level: u8, indent: &str) {
        self.blank();
        let lines = wrap(text, self.width, indent, indent);
        let w = lines.iter().map(|l| plain::width(l)).max().unwrap_or(0);
        self.lines(lines);
        let ch = if level <= 2 { '~' } else { '.' };
        let rule = ch
            .to_string()
            .repeat(w.saturating_sub(plain::width(indent)));
        self.line(format!("{indent}{rule}"));
        self.blank();
    }

    fn quote(&mut self, c: &Chapter, inner: &[Block], indent: &str, refs: &mut Refs) {
        let inner_indent = format!("{indent}> ");
        let start = self.out.len();
        self.blocks(c, inner, &inner_indent, refs);
        // Blank lines inside the quote keep the marker so the quote reads as one.
        let end = self.out.len();
        for l in &mut self.out[start..end] {
            if l.is_empty() {
                *l = inner_indent.trim_end().to_string();
            }
        }
        if self
            .out
            .last()
            .is_some_and(|l| l == inner_indent.trim_end())
        {
            self.out.pop();
        }
        self.blank();
    }

    fn definition_list(
        &mut self,
        c: &Chapter,
        defs: &[crate::ir::Definition],
        indent: &str,
        refs: &mut Refs,
    ) {
        let inner = format!("{indent}    ");
        for d in defs {
            let term = self.inline_text(c, &d.term, refs);
            self.lines(wrap(&term, self.width, indent, indent));
            // Terms that share a definition follow each other without a blank line.
            for detail in &d.details {
                self.blocks(c, detail, &inner, refs);
            }
            if !d.details.is_empty() {
                self.blank();
            }
        }
        self.blank();
    }

    fn list(
        &mut self,
        c: &Chapter,
        start: Option<u64>,
        tight: bool,
        items: &[crate::ir::ListItem],
        indent: &str,
        refs: &mut Refs,
    ) {
        for (i, item) in items.iter().enumerate() {
            let mut marker = match start {
                Some(n) => format!("{}. ", n + i as u64),
                None => "- ".to_string(),
            };
            if let Some(done) = item.task {
                marker.push_str(if done { "[x] " } else { "[ ] " });
            }
            let hang = format!("{indent}{}", " ".repeat(plain::width(&marker)));
            let first_line = self.out.len();
            self.blocks(c, &item.blocks, &hang, refs);
            if let Some(l) = self.out.get_mut(first_line) {
                if l.is_empty() {
                    *l = format!("{indent}{marker}");
                } else {
                    *l = format!("{indent}{marker}{}", &l[hang.len().min(l.len())..]);
                }
            } else {
                self.line(format!("{indent}{marker}"));
            }
            if tight {
                // A tight list has no blank lines between its items or their parts.
                let mut kept = self.out.split_off(first_line);
                kept.retain(|l| !l.is_empty());
                self.out.extend(kept);
            }
        }
        self.blank();
    }

    /// Inlines as plain text: markup dropped, external links numbered, internal links naming
    /// their chapter, footnote references as superscripts, hard breaks as `\n`.
    fn inline_text(&mut self, c: &Chapter, inlines: &[Inline], refs: &mut Refs) -> String {
        let mut s = String::new();
        let mut flat = Flat {
            book: self.book,
            chapter: c,
            refs,
        };
        plain::flatten(&mut flat, inlines, &mut s);
        s
    }
}

/// How the text output flattens inlines (see [`plain::flatten`]).
struct Flat<'a, 'r> {
    book: &'a Book,
    chapter: &'a Chapter,
    refs: &'r mut Refs,
}

impl plain::Flatten for Flat<'_, '_> {
    fn text(&mut self, text: &str, out: &mut String) {
        out.push_str(text);
    }

    fn link(&mut self, target: &LinkTarget, label: &str, out: &mut String) {
        match target {
            LinkTarget::External { url } => {
                let bare = url.strip_prefix("mailto:").unwrap_or(url);
                if label != url && label != bare {
                    let urls = &mut self.refs.urls;
                    let n = match urls.iter().position(|u| u == url) {
                        Some(i) => i + 1,
                        None => {
                            urls.push(url.clone());
                            urls.len()
                        }
                    };
                    out.push_str(&format!(" [{n}]"));
                }
            }
            LinkTarget::Internal { chapter, .. } => {
                if let Some(t) = self.book.chapter(chapter) {
                    if t.id != self.chapter.id && t.title != label {
                        out.push_str(&format!(" (see \u{201c}{}\u{201d})", t.title));
                    }
                }
            }
        }
    }

    fn image(&mut self, image: &Inline, out: &mut String) {
        if let Inline::Image { alt, .. } = image {
            out.push_str(&format!("[Image: {alt}]"));
        }
    }

    fn html(&mut self, html: &str, out: &mut String) {
        out.push_str(&strip_tags(html));
    }
}

/// A table as aligned columns: header, a rule of dashes, rows; widths by display columns.
fn table_lines(head: &[String], rows: &[Vec<String>], align: &[Align]) -> Vec<String> {
    let (widths, padded) = super::plain::padded_cells(head, rows, align);
    let mut out: Vec<String> = padded
        .iter()
        .map(|cells| cells.join("  ").trim_end().to_string())
        .collect();
    out.insert(
        1,
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_table_columns_by_display_width() {
        let head = vec!["Name".to_string(), "n".to_string()];
        let rows = vec![
            vec!["漢字".to_string(), "10".to_string()],
            vec!["ab".to_string(), "2".to_string()],
        ];
        let lines = table_lines(&head, &rows, &[Align::Left, Align::Right]);
        assert_eq!(lines, vec!["Name   n", "----  --", "漢字  10", "ab     2"]);
    }
}
