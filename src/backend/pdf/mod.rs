//! PDF output: the typesetting engine lays the book out; this backend only serialises the
//! pages it decided, with krilla (which subsets the fonts and writes ToUnicode maps).

mod write;

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;
use crate::typeset::{self, fonts::Fonts, Geometry};

pub struct PdfBackend;

impl Backend for PdfBackend {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let fonts = Fonts::bundled().map_err(|e| vec![Diagnostic::general(format!("pdf: {e}"))])?;
        let layout = typeset::layout(book, &fonts, Geometry::default());
        let created = crate::dates::Utc::of_build(&book.meta, cx.options.source_date_epoch);
        let bytes = write::pdf(book, &layout.pages, &fonts, created)
            .map_err(|e| vec![Diagnostic::general(format!("pdf: {e}"))])?;
        let warnings = layout
            .warnings
            .into_iter()
            .map(|(span, msg)| cx.warning(book, span, msg))
            .collect();
        Ok(Rendered {
            output: Output::File {
                name: format!("{}.pdf", book.meta.base_name),
                bytes,
            },
            warnings,
        })
    }
}
