//! Gemtext lines from IR blocks: one paragraph per text line, links pulled out of sentences
//! into numbered `=>` lines after their block, footnotes gathered under `## Notes`, and every
//! text line guarded so it cannot turn into another line type.

use super::gemtext::{encode_url, guard, one_line, table_box, GUARD};
use super::images::Assets;
use super::layout::{relative, Layout};
use crate::backend::plain::{flatten, Flatten};
use crate::backend::RenderContext;
use crate::diag::Diagnostic;
use crate::html::strip_tags;
use crate::ir::{
    walk_block, walk_blocks, Align, Block, BlockKind, Book, Chapter, Inline, LinkTarget, Span,
    Visit,
};

/// Everything a page writer reads besides the page itself, and where it reports.
pub(crate) struct Env<'a> {
    pub book: &'a Book,
    pub cx: &'a RenderContext<'a>,
    pub layout: &'a Layout,
    pub assets: &'a mut Assets,
    pub warnings: &'a mut Vec<Diagnostic>,
}

struct PendingLink {
    url: String,
    number: usize,
    label: String,
}

/// Builds one `.gmi` page line by line.
pub(crate) struct Page<'e, 'a> {
    pub env: &'e mut Env<'a>,
    /// Path of this page in the capsule, e.g. `day-1/morning.gmi`; links are relative to it.
    path: String,
    lines: Vec<String>,
    pending: Vec<PendingLink>,
    links_emitted: usize,
    /// Inside a block quote, text lines become `> ` lines.
    quote: bool,
    /// Inside a definition, text lines are indented.
    indent: bool,
}

impl<'e, 'a> Page<'e, 'a> {
    pub(crate) fn new(env: &'e mut Env<'a>, path: &str) -> Self {
        Page {
            env,
            path: path.to_string(),
            lines: Vec::new(),
            pending: Vec::new(),
            links_emitted: 0,
            quote: false,
            indent: false,
        }
    }

    /// The page as UTF-8 bytes: LF endings, one final newline, no runs of blank lines at the end.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.flush_links();
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut s = self.lines.join("\n");
        s.push('\n');
        s.into_bytes()
    }

    /// A relative URL from this page to `target` (a capsule path).
    pub(crate) fn url_to(&self, target: &str) -> String {
        relative(&self.path, target)
    }

    pub(crate) fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// A text line (or a quote line inside a quote).
    pub(crate) fn text(&mut self, s: &str) {
        let s = one_line(s);
        if self.quote {
            self.lines.push(format!("> {s}").trim_end().to_string());
        } else if self.indent && !s.is_empty() {
            self.lines.push(format!("    {s}"));
        } else if !s.is_empty() {
            self.lines.push(guard(&s));
        }
    }

    pub(crate) fn heading(&mut self, level: usize, s: &str) {
        self.flush_links();
        self.blank();
        let hashes = "#".repeat(level.clamp(1, 3));
        self.lines.push(format!("{hashes} {}", one_line(s)));
        self.blank();
    }

    /// A link line; `url` must already be relative or absolute.
    pub(crate) fn link(&mut self, url: &str, label: &str) {
        let label = one_line(label);
        let line = format!("=> {} {label}", encode_url(url));
        self.lines.push(line.trim_end().to_string());
    }

    pub(crate) fn item(&mut self, s: &str) {
        if self.quote {
            self.text(&format!("- {}", one_line(s)));
        } else {
            self.lines
                .push(format!("* {}", one_line(s)).trim_end().to_string());
        }
    }

    /// A preformatted block; lines that would close it early are guarded.
    pub(crate) fn preformatted(&mut self, alt: &str, body: &str) {
        self.blank();
        self.lines.push(format!("```{}", one_line(alt)));
        let body = body.strip_suffix('\n').unwrap_or(body);
        if !body.is_empty() {
            for l in body.split('\n') {
                let l = l.trim_end();
                if l.starts_with("```") {
                    self.lines.push(format!("{GUARD}{l}"));
                } else {
                    self.lines.push(l.to_string());
                }
            }
        }
        self.lines.push("```".to_string());
        self.blank();
    }

    /// Emits the links collected since the last flush, one `=> URL [n] label` line each.
    pub(crate) fn flush_links(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        for p in std::mem::take(&mut self.pending) {
            let label = format!("[{}] {}", p.number, p.label);
            self.link(&p.url, &label);
        }
        self.blank();
    }

    /// Renders the blocks of `chapter` (its own text, its closing text or a footnote).
    pub(crate) fn blocks(&mut self, chapter: &Chapter, blocks: &[Block]) {
        for b in blocks {
            self.block(chapter, b);
            self.flush_links();
            self.blank();
        }
    }

    fn warn(&mut self, span: Span, msg: impl Into<String>) {
        let d = self.env.cx.warning(self.env.book, span, msg);
        self.env.warnings.push(d);
    }

    /// Blocks inside a quote (or an admonition, written as one).
    fn quoted(&mut self, c: &Chapter, inner: &[Block]) {
        let was = self.quote;
        self.quote = true;
        for ib in inner {
            self.block(c, ib);
        }
        self.quote = was;
    }

    fn definition_list(&mut self, c: &Chapter, defs: &[crate::ir::Definition], span: Span) {
        for d in defs {
            self.paragraph(c, &d.term, span, "");
            let was = self.indent;
            self.indent = !self.quote;
            for detail in &d.details {
                for ib in detail {
                    self.block(c, ib);
                }
            }
            self.indent = was;
            if !d.details.is_empty() {
                self.flush_links();
                self.blank();
            }
        }
    }

    /// A table as a preformatted block with ASCII borders (gemtext has no tables).
    fn table(
        &mut self,
        c: &Chapter,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        span: Span,
    ) {
        self.warn(
            span,
            "table flattened into a preformatted block (gemtext has no tables)",
        );
        let cell = |p: &mut Self, inl: &[Inline]| {
            one_line(&p.inline_text(c, inl, span).replace('\n', " "))
        };
        let head: Vec<String> = head.iter().map(|h| cell(self, h)).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|x| cell(self, x)).collect())
            .collect();
        let alt = match head.iter().any(|h| !h.is_empty()) {
            true => format!("Table: {}", head.join(", ")),
            false => "Table".to_string(),
        };
        self.preformatted(&alt, &table_box(&head, &rows, align).join("\n"));
    }

    fn block(&mut self, c: &Chapter, b: &Block) {
        match &b.kind {
            BlockKind::Paragraph(content) => self.paragraph(c, content, b.span, ""),
            BlockKind::Heading { level, content, .. } => {
                if *level > 3 {
                    self.warn(
                        b.span,
                        format!("heading level {level} shown as ### (gemtext has three levels)"),
                    );
                }
                let text = self.inline_text(c, content, b.span);
                self.heading(usize::from(*level).clamp(2, 3), &text);
            }
            BlockKind::BlockQuote(inner) => self.quoted(c, inner),
            BlockKind::Admonition { kind, blocks } => {
                self.quoted(c, &crate::backend::plain::labelled(*kind, blocks));
            }
            BlockKind::DefinitionList(defs) => self.definition_list(c, defs, b.span),
            BlockKind::Listing { .. } => self.listing(c, b),
            BlockKind::CodeBlock { lang, text, .. } => {
                let alt = match lang.as_deref().map(str::trim) {
                    Some(l) if !l.is_empty() => format!("{l} code"),
                    _ => "code".to_string(),
                };
                self.preformatted(&alt, text);
            }
            BlockKind::List { start, items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    let mut marker = match start {
                        Some(n) => format!("{}. ", n + i as u64),
                        None => String::new(),
                    };
                    if let Some(done) = item.task {
                        marker.push_str(if done { "[x] " } else { "[ ] " });
                    }
                    self.list_item(c, &item.blocks, start.is_some(), &marker);
                }
            }
            BlockKind::Table { align, head, rows } => self.table(c, align, head, rows, b.span),
            BlockKind::ThematicBreak => self.text("─────"),
            BlockKind::Html(html) => {
                let text = strip_tags(html);
                let text = text.trim();
                if !crate::html::is_comment(html) {
                    self.warn(
                        b.span,
                        "raw HTML block: tags removed, only its text is kept in the capsule",
                    );
                }
                for para in text.split("\n\n") {
                    let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !p.is_empty() {
                        self.text(&p);
                    }
                }
            }
        }
    }

    /// One list item, flattened: its first paragraph carries the marker, everything nested
    /// follows as lines of its own, never indented.
    fn list_item(&mut self, c: &Chapter, blocks: &[Block], ordered: bool, marker: &str) {
        let mut rest = blocks;
        if let Some((first, tail)) = blocks.split_first() {
            if let BlockKind::Paragraph(content) = &first.kind {
                let line_start = self.lines.len();
                if ordered {
                    self.paragraph(c, content, first.span, marker);
                } else {
                    self.bullet_paragraph(c, content, first.span, marker);
                }
                if self.lines.len() == line_start {
                    // An item whose text vanished (e.g. only an HTML comment) still counts.
                    self.emit_marker_only(ordered, marker);
                }
                rest = tail;
            } else {
                self.emit_marker_only(ordered, marker);
            }
        } else {
            self.emit_marker_only(ordered, marker);
        }
        for b in rest {
            self.block(c, b);
        }
    }

    fn emit_marker_only(&mut self, ordered: bool, marker: &str) {
        if ordered {
            self.text(marker);
        } else {
            self.item(marker);
        }
    }

    fn bullet_paragraph(&mut self, c: &Chapter, content: &[Inline], span: Span, marker: &str) {
        if self.bare_link(c, content, span) {
            return;
        }
        let text = self.inline_text(c, content, span);
        for (i, line) in text.split('\n').enumerate() {
            if i == 0 {
                self.item(&format!("{marker}{}", line.trim()));
            } else {
                self.text(line.trim());
            }
        }
    }

    /// A paragraph: one text line, or several when it has hard breaks; `prefix` goes before
    /// its first line (an ordered-list number or a footnote marker).
    pub(crate) fn paragraph(&mut self, c: &Chapter, content: &[Inline], span: Span, prefix: &str) {
        if prefix.is_empty() && self.bare_link(c, content, span) {
            return;
        }
        let text = self.inline_text(c, content, span);
        for (i, line) in text.split('\n').enumerate() {
            let line = line.trim();
            if i == 0 {
                self.text(&format!("{prefix}{line}"));
            } else if !line.is_empty() {
                self.text(line);
            }
        }
    }

    /// A paragraph that is only a link (or an image) becomes a bare link line.
    fn bare_link(&mut self, c: &Chapter, content: &[Inline], span: Span) -> bool {
        if self.quote {
            return false;
        }
        let meaningful: Vec<&Inline> = content
            .iter()
            .filter(|i| match i {
                Inline::Text(t) => !t.trim().is_empty(),
                Inline::SoftBreak | Inline::HardBreak => false,
                _ => true,
            })
            .collect();
        let [only] = meaningful.as_slice() else {
            return false;
        };
        let resolved = match only {
            Inline::Link {
                target, content, ..
            } => {
                let label = one_line(&self.inline_text(c, content, span).replace('\n', " "));
                self.resolve_link(c, target, &label)
            }
            Inline::Image {
                src,
                alt,
                title,
                asset,
                span: s,
            } => self
                .image_url(src, *asset, alt, *s)
                .map(|url| (url, image_label(alt, title, src))),
            _ => None,
        };
        match resolved {
            Some((url, label)) => {
                self.flush_links();
                self.link(&url, &label);
                true
            }
            None => false,
        }
    }

    /// Inlines as plain text (markup dropped, hard breaks as `\n`); links become `text [n]`
    /// with their URL queued for the next flush.
    pub(crate) fn inline_text(&mut self, c: &Chapter, inlines: &[Inline], span: Span) -> String {
        let mut s = String::new();
        let mut flat = Flat {
            page: self,
            chapter: c,
            span,
        };
        flatten(&mut flat, inlines, &mut s);
        s
    }

    /// Queues a link for the next flush; the same URL and label queued twice share a number.
    fn queue(&mut self, url: String, label: String) -> usize {
        if let Some(p) = self
            .pending
            .iter()
            .find(|p| p.url == url && p.label == label)
        {
            return p.number;
        }
        self.links_emitted += 1;
        let number = self.links_emitted;
        self.pending.push(PendingLink { url, number, label });
        number
    }

    /// The URL of a link and the label of its `=>` line.
    fn resolve_link(
        &self,
        c: &Chapter,
        target: &LinkTarget,
        label: &str,
    ) -> Option<(String, String)> {
        match target {
            LinkTarget::External { url } => {
                let label = if label.is_empty() {
                    url.clone()
                } else {
                    label.to_string()
                };
                Some((url.clone(), label))
            }
            LinkTarget::Internal { chapter, anchor } => {
                let page = self.env.layout.page(chapter)?;
                let target = self.env.book.chapter(chapter);
                let mut label = if label.is_empty() {
                    target.map(|t| t.title.clone()).unwrap_or_default()
                } else {
                    label.to_string()
                };
                // Gemini has no fragments: name the section or note so the reader can find it.
                if let (Some(t), Some(a)) = (target, anchor) {
                    if let Some(h) = heading_title(t, a) {
                        if !h.eq_ignore_ascii_case(&label) {
                            label.push_str(&format!(" (section “{h}”)"));
                        }
                    } else if let Some(n) = t.footnotes.iter().position(|f| &f.id == a) {
                        label.push_str(&format!(" (note {})", n + 1));
                    }
                }
                if let Some(t) = target {
                    if t.id != c.id && !label.contains(&t.title) && t.title != label {
                        label.push_str(&format!(" — {}", t.title));
                    }
                }
                Some((relative(&self.path, page), label))
            }
        }
    }

    /// Copies the image into the capsule and returns its URL from this page, or warns.
    /// The capsule-relative path of a local image (copied into `images/`), or a remote
    /// image's own URL (not fetched; the parser already warned).
    fn image_url(
        &mut self,
        src: &str,
        asset: Option<u32>,
        alt: &str,
        span: Span,
    ) -> Option<String> {
        match asset {
            Some(i) => match self.env.assets.add(self.env.book, i, alt) {
                Some(path) => Some(relative(&self.path, &path)),
                None => {
                    self.warn(span, format!("image `{src}` is missing from the asset table; only its alt text is kept"));
                    None
                }
            },
            None => Some(src.to_string()),
        }
    }
}

/// How a page flattens inlines (see [`flatten`]): links and images are numbered and queued
/// for the next flush, inline HTML is dropped with a warning (`<br>` breaks the line).
struct Flat<'p, 'e, 'a, 'c> {
    page: &'p mut Page<'e, 'a>,
    chapter: &'c Chapter,
    /// Where the inlines' block starts, for warnings.
    span: Span,
}

impl Flatten for Flat<'_, '_, '_, '_> {
    fn text(&mut self, text: &str, out: &mut String) {
        out.push_str(&text.replace('\n', " "));
    }

    fn link(&mut self, target: &LinkTarget, text: &str, out: &mut String) {
        let label = one_line(&text.replace('\n', " "));
        if let Some((url, full)) = self.page.resolve_link(self.chapter, target, &label) {
            let n = self.page.queue(url, full);
            out.push_str(&format!(" [{n}]"));
        }
    }

    fn image(&mut self, image: &Inline, out: &mut String) {
        let Inline::Image {
            src,
            alt,
            title,
            asset,
            span,
        } = image
        else {
            return;
        };
        out.push_str(alt);
        if let Some(url) = self.page.image_url(src, *asset, alt, *span) {
            let n = self.page.queue(url, image_label(alt, title, src));
            out.push_str(&format!(" [{n}]"));
        }
    }

    fn html(&mut self, html: &str, out: &mut String) {
        let lower = html.to_ascii_lowercase();
        if lower.starts_with("<br") {
            out.push('\n');
        } else {
            // One warning per element, not one for its closing tag too.
            if !lower.starts_with("</") {
                let msg = format!("inline HTML `{}` removed", html.trim());
                self.page.warn(self.span, msg);
            }
            out.push_str(&strip_tags(html));
        }
    }
}

/// The label of an image's link line: its alt text (else its file name) and its title.
fn image_label(alt: &str, title: &str, src: &str) -> String {
    let mut label = match alt.trim() {
        "" => src.rsplit('/').next().unwrap_or(src).to_string(),
        a => a.to_string(),
    };
    if !title.trim().is_empty() && title.trim() != label {
        label.push_str(&format!(" ({})", title.trim()));
    }
    label
}

/// The plain text of the heading with id `anchor` in `c`.
fn heading_title(c: &Chapter, anchor: &str) -> Option<String> {
    struct Find<'x> {
        anchor: &'x str,
        found: Option<String>,
    }
    impl Visit<'_> for Find<'_> {
        fn visit_block(&mut self, b: &Block) {
            match &b.kind {
                _ if self.found.is_some() => {}
                BlockKind::Heading { id, content, .. } if id == self.anchor => {
                    self.found = Some(crate::ir::plain_text(content));
                }
                _ => walk_block(self, b),
            }
        }
    }
    let mut find = Find {
        anchor,
        found: None,
    };
    walk_blocks(&mut find, &c.blocks);
    walk_blocks(&mut find, &c.closing);
    find.found
}

#[cfg(test)]
mod tests;
