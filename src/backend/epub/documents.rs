//! The content documents stage: the front matter, then every chapter and part page in reading
//! order, each rendered by [`Doc`] into the document the layout gave it.

use crate::backend::RenderContext;
use crate::diag::Diagnostic;
use crate::ir::{Book, Chapter, Part};
use crate::slug::UniqueNames;
use crate::xml::escape;

use super::front::FrontPage;
use super::layout::Layout;
use super::resources::Images;
use super::xhtml::{Doc, Notes};

/// One content document.
pub(crate) struct Document {
    /// File name in the package.
    pub(crate) file: String,
    /// Its `<title>`.
    pub(crate) title: String,
    /// The content of its `<body>`.
    pub(crate) body: String,
    /// Ids used in it so far (more text may be appended to it).
    ids: UniqueNames,
}

/// The content documents of a book, with what rendering them collected.
pub(crate) struct Documents<'a> {
    book: &'a Book,
    cx: &'a RenderContext<'a>,
    layout: &'a Layout,
    /// The images the documents refer to.
    pub(crate) images: Images<'a>,
    /// Warnings and errors about the book's text.
    pub(crate) diags: Vec<Diagnostic>,
    /// Content documents in reading order.
    pub(crate) docs: Vec<Document>,
}

impl<'a> Documents<'a> {
    /// Renders `front`, then the book's text: chapters and part pages in reading order.
    pub(crate) fn render(
        book: &'a Book,
        cx: &'a RenderContext<'a>,
        layout: &'a Layout,
        front: &[FrontPage],
    ) -> Self {
        let mut d = Self {
            book,
            cx,
            layout,
            images: Images::new(book),
            diags: Vec::new(),
            docs: Vec::new(),
        };
        for page in front {
            d.push(page.file, &page.title, page.body.clone());
        }
        let mut index = 0;
        for c in &book.front {
            d.chapter(c, &mut index);
        }
        for (i, p) in book.parts.iter().enumerate() {
            if let Some(file) = layout.part_files.get(i).cloned().flatten() {
                d.push(&file, &p.title, part_page(p));
            }
            for c in &p.chapters {
                d.chapter(c, &mut index);
            }
        }
        for c in &book.back {
            d.chapter(c, &mut index);
        }
        d
    }

    fn push(&mut self, file: &str, title: &str, body: String) {
        self.docs.push(Document {
            file: file.to_string(),
            title: title.to_string(),
            body,
            ids: UniqueNames::default(),
        });
    }

    /// Renders `c` and its children, in reading order; `index` walks the placements alongside.
    fn chapter(&mut self, c: &Chapter, index: &mut usize) {
        let layout = self.layout;
        let Some(place) = layout.placements.get(*index) else {
            return;
        };
        *index += 1;
        let mut notes = Notes::default();
        self.main(c, &place.main, &place.main_notes, &mut notes);
        for child in &c.children {
            self.chapter(child, index);
        }
        if let Some(file) = &place.closing {
            if place.closing_separate {
                self.push(file, &format!("{} (end)", c.title), String::new());
            }
            self.closing(c, file, &place.closing_notes, &mut notes);
        }
    }

    /// The chapter's own document: its title, its text and the notes it keeps.
    fn main(&mut self, c: &Chapter, file: &str, which: &[usize], notes: &mut Notes) {
        let mut doc = Doc::new(
            self.book,
            self.cx,
            &self.layout.links,
            &mut self.images,
            &mut self.diags,
            file,
        );
        doc.reserve_anchors(c);
        let title_id = doc.unique_id("chapter-title");
        doc.raw(&format!(
            "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"{title_id}\"{}>\n",
            lang_attributes(self.book, c)
        ));
        if c.is_talk() {
            doc.raw("<header>\n");
        }
        doc.raw(&format!("<h1 id=\"{title_id}\">"));
        doc.text(&c.heading());
        doc.raw("</h1>\n");
        if c.is_talk() {
            let label = if c.speakers.len() == 1 {
                "Speaker"
            } else {
                "Speakers"
            };
            doc.raw("<p>");
            doc.text(&format!("{label}: {}", c.speakers.join(", ")));
            doc.raw("</p>\n</header>\n");
        }
        doc.body_blocks(c, &c.blocks, notes);
        doc.footnotes(c, which, notes);
        doc.raw("</section>\n");
        let (body, ids) = (std::mem::take(&mut doc.out), std::mem::take(&mut doc.ids));
        self.docs.push(Document {
            file: file.to_string(),
            title: c.title.clone(),
            body,
            ids,
        });
    }

    /// The closing blocks of `c` and their notes, appended to the last document named `file`.
    fn closing(&mut self, c: &Chapter, file: &str, which: &[usize], notes: &mut Notes) {
        let Some(at) = self.docs.iter().rposition(|d| d.file == file) else {
            return;
        };
        let mut doc = Doc::new(
            self.book,
            self.cx,
            &self.layout.links,
            &mut self.images,
            &mut self.diags,
            file,
        );
        doc.ids = std::mem::take(&mut self.docs[at].ids);
        doc.reserve_anchors(c);
        doc.raw(&format!(
            "<section aria-label=\"{}\"{}>\n<hr/>\n",
            escape(&c.title),
            lang_attributes(self.book, c)
        ));
        doc.body_blocks(c, &c.closing, notes);
        doc.footnotes(c, which, notes);
        doc.raw("</section>\n");
        let (body, ids) = (std::mem::take(&mut doc.out), std::mem::take(&mut doc.ids));
        self.docs[at].body.push_str(&body);
        self.docs[at].ids = ids;
    }
}

/// The title page of a part.
fn part_page(p: &Part) -> String {
    format!(
        "<section epub:type=\"part\" role=\"doc-part\" class=\"part\" aria-labelledby=\"part-title\">\n<h1 id=\"part-title\">{}</h1>\n</section>\n",
        escape(&p.title)
    )
}

/// `lang` and `xml:lang` for a chapter whose front matter sets a language other than the
/// book's, so reading systems pick its voice and hyphenation; empty otherwise.
fn lang_attributes(book: &Book, c: &Chapter) -> String {
    match c.language.as_deref() {
        Some(lang) if !lang.eq_ignore_ascii_case(&book.meta.language) => {
            let lang = escape(lang);
            format!(" lang=\"{lang}\" xml:lang=\"{lang}\"")
        }
        _ => String::new(),
    }
}
