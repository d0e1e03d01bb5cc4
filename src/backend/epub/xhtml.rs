//! IR → XHTML content documents: well-formed, semantic, with unique ids and escaped text.
//!
//! One [`Doc`] renders one content document; the package module decides which documents exist
//! and where every chapter, anchor and note lives ([`Links`]).

mod listing;
mod notes;
mod raw;

use std::collections::{HashMap, HashSet};

use crate::backend::RenderContext;
use crate::diag::Diagnostic;
use crate::highlight;
use crate::ir::{
    Align, Block, BlockKind, Book, BookMeta, Chapter, Definition, Inline, LinkTarget, ListItem,
    Span,
};
use crate::slug::UniqueNames;

use crate::xml::{escape, is_xml_char};

/// An id valid in XHTML (no whitespace, not empty); links to it are mapped the same way.
pub(crate) fn xml_id(s: &str) -> String {
    let id: String = s
        .chars()
        .filter(|&c| is_xml_char(c))
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// A complete XHTML content document around `body`, in the book's language and direction.
pub(crate) fn document(meta: &BookMeta, title: &str, body: &str) -> String {
    let lang = escape(&meta.language);
    let dir = if meta.rtl { " dir=\"rtl\"" } else { "" };
    // Declared only when used: epubcheck reports an unused namespace (HTM-044).
    let epub_ns = if body.contains("epub:type") {
        " xmlns:epub=\"http://www.idpf.org/2007/ops\""
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\"{epub_ns} lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// Where each chapter, anchor and footnote of the book ended up.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// Chapter id → its main document.
    pub(crate) chapter_file: HashMap<String, String>,
    /// (chapter id, anchor id) → document, for anchors not in the chapter's main document.
    pub(crate) anchor_file: HashMap<(String, String), String>,
}

impl Links {
    /// The document holding `anchor` (or the chapter's start) of chapter `chapter`.
    pub(crate) fn file(&self, chapter: &str, anchor: Option<&str>) -> Option<&str> {
        if let Some(a) = anchor {
            if let Some(f) = self.anchor_file.get(&(chapter.to_string(), a.to_string())) {
                return Some(f);
            }
        }
        self.chapter_file.get(chapter).map(String::as_str)
    }
}

/// Footnote bookkeeping shared by the documents of one chapter.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// How many references to each note have been written (index = number - 1).
    pub(crate) refs: Vec<u32>,
    /// Document and id of the first written reference to each note, for the back link.
    pub(crate) first_ref: Vec<Option<(String, String)>>,
}

/// What a document needs from the package: image files.
pub(crate) trait Resources {
    /// Adds asset `asset` of the book to the package; returns its href or why it cannot be.
    fn image(&mut self, asset: u32) -> Result<String, super::error::ImageError>;
}

/// One content document being written.
pub(crate) struct Doc<'a> {
    book: &'a Book,
    cx: &'a RenderContext<'a>,
    links: &'a Links,
    resources: &'a mut dyn Resources,
    diags: &'a mut Vec<Diagnostic>,
    /// This document's file name, to tell same-document links from others.
    file: String,
    /// The body written so far.
    pub(crate) out: String,
    /// Span of the block being written, for warnings about its text.
    span: Span,
    /// Ids used in the document so far (carried over when more text is appended to it).
    pub(crate) ids: UniqueNames,
    warned_chars: bool,
    /// Inside an `<a>`: nothing interactive may be written (XHTML forbids nested links).
    in_link: bool,
}

impl<'a> Doc<'a> {
    /// An empty document called `file`, linking with `links`, storing images in `resources`.
    pub(crate) fn new(
        book: &'a Book,
        cx: &'a RenderContext<'a>,
        links: &'a Links,
        resources: &'a mut dyn Resources,
        diags: &'a mut Vec<Diagnostic>,
        file: &str,
    ) -> Self {
        Self {
            book,
            cx,
            links,
            resources,
            diags,
            file: file.to_string(),
            out: String::new(),
            span: Span::default(),
            ids: UniqueNames::default(),
            warned_chars: false,
            in_link: false,
        }
    }

    /// Reserves the ids a chapter's links may target, so generated ids never take them. The
    /// ids of its raw HTML are taken when that HTML is written, or kept by `keep_html_ids`.
    pub(crate) fn reserve_anchors(&mut self, chapter: &Chapter) {
        for anchor in chapter.anchors().own {
            self.ids.insert(&xml_id(&anchor));
        }
    }

    /// A fresh id based on `base`, unique in this document.
    pub(crate) fn unique_id(&mut self, base: &str) -> String {
        self.ids.unique(base)
    }

    /// Markup, written as is.
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Escaped text; characters XML forbids are dropped with one warning per document.
    pub(crate) fn text(&mut self, s: &str) {
        if !self.warned_chars {
            if let Some(c) = s.chars().find(|&c| !is_xml_char(c)) {
                self.warned_chars = true;
                let msg = format!(
                    "dropped the character U+{:04X}, which XHTML cannot contain",
                    c as u32
                );
                let w = self.cx.warning(self.book, self.span, msg);
                self.diags.push(w);
            }
        }
        self.out.push_str(&escape(s));
    }

    fn warn(&mut self, span: Span, msg: String) {
        let w = self.cx.warning(self.book, span, msg);
        self.diags.push(w);
    }

    /// Top-level blocks of a chapter: each heading opens a `section` that lasts until the next
    /// heading of the same or a higher level.
    pub(crate) fn body_blocks(&mut self, c: &Chapter, blocks: &[Block], notes: &mut Notes) {
        let mut open: Vec<u8> = Vec::new();
        for b in blocks {
            if let BlockKind::Heading { level, .. } = &b.kind {
                let h = heading_level(*level);
                while open.last().is_some_and(|&l| l >= h) {
                    open.pop();
                    self.raw("</section>\n");
                }
                open.push(h);
                self.raw("<section>\n");
            }
            self.block(c, b, notes);
        }
        for _ in open {
            self.raw("</section>\n");
        }
    }

    pub(crate) fn blocks(&mut self, c: &Chapter, blocks: &[Block], notes: &mut Notes) {
        for b in blocks {
            self.block(c, b, notes);
        }
    }

    /// One block, and the blocks it holds.
    pub(crate) fn block(&mut self, c: &Chapter, b: &Block, notes: &mut Notes) {
        self.span = b.span;
        match &b.kind {
            BlockKind::Paragraph(content) => {
                self.raw("<p>");
                self.inlines(c, content, notes);
                self.raw("</p>\n");
            }
            BlockKind::Heading {
                level,
                id,
                content,
                classes,
            } => self.heading(c, *level, id, content, classes, notes),
            BlockKind::BlockQuote(inner) => {
                self.raw("<blockquote>\n");
                self.blocks(c, inner, notes);
                self.raw("</blockquote>\n");
            }
            BlockKind::Admonition { kind, blocks } => {
                // A labelled box: the label is text, so it reaches every reader and screen
                // reader; the stylesheet only draws a border.
                let label = kind.label();
                self.raw(&format!(
                    "<div class=\"admonition admonition-{}\" role=\"note\">\n<p class=\"admonition-title\">{label}</p>\n",
                    label.to_ascii_lowercase()
                ));
                self.blocks(c, blocks, notes);
                self.raw("</div>\n");
            }
            BlockKind::DefinitionList(defs) => self.definition_list(c, defs, notes),
            BlockKind::Listing {
                number,
                file_name,
                caption,
                blocks,
            } => self.listing(
                c,
                number.as_deref(),
                file_name.as_deref(),
                caption,
                blocks,
                notes,
            ),
            BlockKind::CodeBlock { lang, text, .. } => {
                self.code_block(lang.as_deref(), text.strip_suffix('\n').unwrap_or(text));
            }
            BlockKind::List {
                start,
                tight,
                items,
            } => self.list(c, *start, *tight, items, notes),
            BlockKind::Table { align, head, rows } => self.table(c, align, head, rows, notes),
            BlockKind::ThematicBreak => self.raw("<hr/>\n"),
            BlockKind::Html(html) => self.html_block(html, b.span),
        }
    }

    fn heading(
        &mut self,
        c: &Chapter,
        level: u8,
        id: &str,
        content: &[Inline],
        classes: &[String],
        notes: &mut Notes,
    ) {
        let h = heading_level(level);
        let id = xml_id(id);
        self.ids.insert(&id);
        self.raw(&format!("<h{h} id=\"{}\"", escape(&id)));
        let classes: Vec<String> = classes.iter().map(|c| xml_id(c)).collect();
        if !classes.is_empty() {
            self.raw(&format!(" class=\"{}\"", escape(&classes.join(" "))));
        }
        self.raw(">");
        self.inlines(c, content, notes);
        self.raw(&format!("</h{h}>\n"));
    }

    /// A listing: a language with a grammar gets `language-x` on `<code>` and `hl-*` spans
    /// (the stylesheet has rules for both); any other stays plain, so that no class lacks a
    /// rule (epubcheck CSS-025).
    fn code_block(&mut self, lang: Option<&str>, text: &str) {
        let name = lang.and_then(highlight::language);
        let spans = lang.and_then(|l| highlight::spans(l, text));
        let (Some(name), Some(spans)) = (name, spans) else {
            self.raw("<pre><code>");
            self.text(text);
            self.raw("</code></pre>\n");
            return;
        };
        self.raw(&format!("<pre><code class=\"language-{name}\">"));
        let mut at = 0;
        for (range, class) in spans.iter() {
            self.text(&text[at..range.start]);
            self.raw(&format!("<span class=\"hl-{}\">", class.name()));
            self.text(&text[range.clone()]);
            self.raw("</span>");
            at = range.end;
        }
        self.text(&text[at..]);
        self.raw("</code></pre>\n");
    }

    fn definition_list(&mut self, c: &Chapter, defs: &[Definition], notes: &mut Notes) {
        self.raw("<dl>\n");
        for d in defs {
            self.raw("<dt>");
            self.inlines(c, &d.term, notes);
            self.raw("</dt>\n");
            for detail in &d.details {
                self.raw("<dd>");
                match detail.as_slice() {
                    // A tight definition: its text, without a paragraph around it.
                    [Block {
                        kind: BlockKind::Paragraph(content),
                        span,
                    }] => {
                        self.span = *span;
                        self.inlines(c, content, notes);
                    }
                    blocks => {
                        self.raw("\n");
                        self.blocks(c, blocks, notes);
                    }
                }
                self.raw("</dd>\n");
            }
        }
        self.raw("</dl>\n");
    }

    fn list(
        &mut self,
        c: &Chapter,
        start: Option<u64>,
        tight: bool,
        items: &[ListItem],
        notes: &mut Notes,
    ) {
        let tag = match start {
            Some(1) => {
                self.raw("<ol>\n");
                "ol"
            }
            Some(n) => {
                self.raw(&format!("<ol start=\"{n}\">\n"));
                "ol"
            }
            None => {
                self.raw("<ul>\n");
                "ul"
            }
        };
        for item in items {
            self.raw("<li>");
            if let Some(done) = item.task {
                self.raw(if done { "☑ " } else { "☐ " });
            }
            for (i, ib) in item.blocks.iter().enumerate() {
                match (&ib.kind, tight) {
                    (BlockKind::Paragraph(content), true) => {
                        self.span = ib.span;
                        if i > 0 {
                            self.raw("<br/>");
                        }
                        self.inlines(c, content, notes);
                    }
                    _ => {
                        if i == 0 && item.task.is_some() && !tight {
                            self.raw("\n");
                        }
                        self.block(c, ib, notes)
                    }
                }
            }
            self.raw("</li>\n");
        }
        self.raw(&format!("</{tag}>\n"));
    }

    fn table(
        &mut self,
        c: &Chapter,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        notes: &mut Notes,
    ) {
        self.raw("<table>\n<thead>\n<tr>");
        for (i, cell) in head.iter().enumerate() {
            self.raw(&format!("<th{}>", align_attr(align.get(i))));
            self.inlines(c, cell, notes);
            self.raw("</th>");
        }
        self.raw("</tr>\n</thead>\n<tbody>\n");
        for row in rows {
            self.raw("<tr>");
            for (i, cell) in row.iter().enumerate() {
                self.raw(&format!("<td{}>", align_attr(align.get(i))));
                self.inlines(c, cell, notes);
                self.raw("</td>");
            }
            self.raw("</tr>\n");
        }
        self.raw("</tbody>\n</table>\n");
    }

    /// A run of inlines.
    pub(crate) fn inlines(&mut self, c: &Chapter, inlines: &[Inline], notes: &mut Notes) {
        // Closing tags of raw inline HTML whose opening tag was accepted.
        let mut accepted_ends: HashSet<usize> = HashSet::new();
        for (i, inline) in inlines.iter().enumerate() {
            match inline {
                Inline::Text(t) => self.text(t),
                Inline::Code(t) => {
                    self.raw("<code>");
                    self.text(t);
                    self.raw("</code>");
                }
                Inline::Emph(x) => self.wrapped("em", c, x, notes),
                Inline::Strong(x) => self.wrapped("strong", c, x, notes),
                Inline::Strike(x) => self.wrapped("s", c, x, notes),
                Inline::Link {
                    target,
                    title,
                    content,
                    span,
                } => self.link(c, target, title, content, *span, notes),
                Inline::Image {
                    src,
                    alt,
                    title,
                    asset,
                    span,
                } => self.image(src, *asset, alt, title, *span),
                Inline::FootnoteRef { number, span } => self.note_ref(c, *number, *span, notes),
                Inline::SoftBreak => self.raw("\n"),
                Inline::HardBreak => self.raw("<br/>\n"),
                Inline::Html(h) => {
                    if accepted_ends.remove(&i) {
                        self.raw(h);
                        continue;
                    }
                    let h = crate::html::a_name_as_id(h);
                    match self.inline_html(inlines, i, &h) {
                        Ok(end) => {
                            accepted_ends.extend(end);
                            self.raw(&h);
                        }
                        Err(why) => {
                            let span = self.span;
                            self.warn(span, format!("inline raw HTML `{h}` kept as text: {why}"));
                            self.keep_html_ids(&h);
                            self.text(&h);
                        }
                    }
                }
            }
        }
    }

    fn wrapped(&mut self, tag: &str, c: &Chapter, content: &[Inline], notes: &mut Notes) {
        self.raw(&format!("<{tag}>"));
        self.inlines(c, content, notes);
        self.raw(&format!("</{tag}>"));
    }

    fn link(
        &mut self,
        c: &Chapter,
        target: &LinkTarget,
        title: &str,
        content: &[Inline],
        span: Span,
        notes: &mut Notes,
    ) {
        let href = match target {
            LinkTarget::External { url } if crate::uri::has_scheme(url) => {
                Some(escape(&crate::uri::ascii(url)))
            }
            LinkTarget::External { url } => {
                self.warn(
                    span,
                    format!("link to `{url}` is neither a chapter nor a web address: kept as text"),
                );
                None
            }
            LinkTarget::Internal { chapter, anchor } => {
                match self.links.file(chapter, anchor.as_deref()) {
                    Some(file) => {
                        let frag = anchor.as_deref().map(|a| format!("#{}", xml_id(a)));
                        let file = if file == self.file && frag.is_some() {
                            ""
                        } else {
                            file
                        };
                        Some(escape(&format!("{file}{}", frag.unwrap_or_default())))
                    }
                    None => {
                        self.warn(
                            span,
                            format!("link to unknown chapter `{chapter}` kept as text"),
                        );
                        None
                    }
                }
            }
        };
        match href {
            Some(href) if !self.in_link => {
                self.raw(&format!("<a href=\"{href}\""));
                if !title.is_empty() {
                    self.raw(&format!(" title=\"{}\"", escape(title)));
                }
                self.raw(">");
                self.in_link = true;
                self.inlines(c, content, notes);
                self.in_link = false;
                self.raw("</a>");
            }
            Some(_) => self.inlines(c, content, notes),
            None => self.inlines(c, content, notes),
        }
    }

    fn image(&mut self, src: &str, asset: Option<u32>, alt: &str, title: &str, span: Span) {
        let Some(asset) = asset else {
            // A remote image: the parser warned that it is not fetched; link to it instead.
            let label = if alt.is_empty() { src } else { alt };
            match crate::uri::normalize(src) {
                Ok(url) if !self.in_link => {
                    let href = escape(&crate::uri::ascii(&url));
                    self.raw(&format!("<a href=\"{href}\">"));
                    self.text(label);
                    self.raw("</a>");
                }
                _ => self.text(label),
            }
            return;
        };
        match self.resources.image(asset) {
            Ok(href) => {
                self.raw(&format!(
                    "<img src=\"{}\" alt=\"{}\"",
                    escape(&href),
                    escape(alt)
                ));
                if !title.is_empty() {
                    self.raw(&format!(" title=\"{}\"", escape(title)));
                }
                self.raw("/>");
            }
            Err(msg) => {
                let d = self
                    .cx
                    .error(self.book, span, format!("image `{src}`: {msg}"));
                self.diags.push(d);
            }
        }
    }
}

/// Chapter titles are `h1`; headings written `#` or `##` in a chapter become `h2`.
fn heading_level(level: u8) -> u8 {
    level.clamp(2, 6)
}

/// Column alignment as a class: inline styles are an accessibility concern (ACC-013) and
/// the stylesheet has the rules only for classes that occur (`css::ALIGN_RULES`).
fn align_attr(a: Option<&Align>) -> &'static str {
    match a {
        Some(Align::Left) => " class=\"align-left\"",
        Some(Align::Center) => " class=\"align-center\"",
        Some(Align::Right) => " class=\"align-right\"",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
