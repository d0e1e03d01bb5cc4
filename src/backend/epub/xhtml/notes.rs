//! Footnotes: the references in the text and the notes at the end of a document, linked both
//! ways across documents.

use crate::ir::{BlockKind, Chapter, Span};
use crate::xml::escape;

use super::{xml_id, Doc, Notes};

impl Doc<'_> {
    /// A reference to note `number` of `c`, linked to the note wherever the layout put it.
    pub(super) fn note_ref(&mut self, c: &Chapter, number: u32, span: Span, notes: &mut Notes) {
        let idx = number as usize;
        let Some(note) = idx.checked_sub(1).and_then(|i| c.footnotes.get(i)) else {
            self.warn(span, format!("reference to missing footnote {number}"));
            self.text(&format!("[{number}]"));
            return;
        };
        if notes.refs.len() < c.footnotes.len() {
            notes.refs.resize(c.footnotes.len(), 0);
            notes.first_ref.resize(c.footnotes.len(), None);
        }
        notes.refs[idx - 1] += 1;
        let base = match notes.refs[idx - 1] {
            1 => format!("fnref-{number}"),
            n => format!("fnref-{number}-{n}"),
        };
        let id = self.unique_id(&base);
        if notes.first_ref[idx - 1].is_none() {
            notes.first_ref[idx - 1] = Some((self.file.clone(), id.clone()));
        }
        if self.in_link {
            // The reference sits inside a link, which may not hold another: a plain mark, still
            // the target of the note's way back.
            self.raw(&format!("<sup id=\"{}\">{number}</sup>", escape(&id)));
            return;
        }
        let note_id = xml_id(&note.id);
        let file = match self.links.file(&c.id, Some(&note.id)) {
            Some(f) if f != self.file => f.to_string(),
            _ => String::new(),
        };
        self.raw(&format!(
            "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"{}\" href=\"{}#{}\">{number}</a></sup>",
            escape(&id),
            escape(&file),
            escape(&note_id)
        ));
    }

    /// The notes of `c` placed in this document, as EPUB 3 footnotes with a link back.
    pub(crate) fn footnotes(&mut self, c: &Chapter, which: &[usize], notes: &mut Notes) {
        if which.is_empty() {
            return;
        }
        self.raw(
            "<section epub:type=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Notes\">\n<hr/>\n",
        );
        for &i in which {
            let Some(note) = c.footnotes.get(i) else {
                continue;
            };
            self.span = note.span;
            let id = xml_id(&note.id);
            self.ids.insert(&id);
            self.raw(&format!(
                "<aside id=\"{}\" epub:type=\"footnote\" role=\"doc-footnote\">\n",
                escape(&id)
            ));
            let number = i + 1;
            let back = match notes.first_ref.get(i).cloned().flatten() {
                Some((file, rid)) => {
                    let file = if file == self.file {
                        String::new()
                    } else {
                        file
                    };
                    format!(
                        "<a href=\"{}#{}\" role=\"doc-backlink\">{number}.</a> ",
                        escape(&file),
                        escape(&rid)
                    )
                }
                None => format!("{number}. "),
            };
            match note.blocks.split_first() {
                Some((first, rest)) if matches!(first.kind, BlockKind::Paragraph(_)) => {
                    if let BlockKind::Paragraph(content) = &first.kind {
                        self.span = first.span;
                        self.raw("<p>");
                        self.raw(&back);
                        self.inlines(c, content, notes);
                        self.raw("</p>\n");
                    }
                    self.blocks(c, rest, notes);
                }
                _ => {
                    self.raw(&format!("<p>{back}</p>\n"));
                    self.blocks(c, &note.blocks, notes);
                }
            }
            self.raw("</aside>\n");
        }
        self.raw("</section>\n");
    }
}
