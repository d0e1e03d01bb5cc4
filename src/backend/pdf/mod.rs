//! PDF output: the typesetting engine lays the book out; this backend only serialises the
//! pages it decided, with krilla (which subsets the fonts and writes ToUnicode maps), plus the
//! outline, links, page labels and metadata.

mod error;
mod images;
mod navigation;
mod write;

use crate::outputs::PdfOptions;

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;
use crate::outputs::OptionsError;
use crate::typeset::{self, fonts::Fonts, Geometry, Matter};

/// The PDF backend.
pub struct PdfBackend;

impl PdfBackend {
    /// The page profile: `--pdf-page` wins over book.toml.
    pub fn geometry(cx: &RenderContext) -> Result<Geometry, Diagnostic> {
        let options: PdfOptions = cx.config.output("pdf")?;
        let name = cx
            .options
            .pdf_page
            .clone()
            .or(options.page)
            .unwrap_or_else(|| "a4".to_string());
        Geometry::profile(&name).ok_or_else(|| {
            let e = OptionsError::UnknownPage(name.clone());
            let (line, col) = cx.config.key_position(e.key());
            Diagnostic::error(cx.config.path.clone(), line, col, e.to_string())
        })
    }
}

impl Backend for PdfBackend {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let geometry = Self::geometry(cx).map_err(|d| vec![d])?;
        let fonts = Fonts::with_overrides(cx.resources.pdf_fonts, &cx.resources.pdf_fallbacks)
            .map_err(|e| {
                let (line, col) = cx.config.key_position("fonts");
                let msg = format!("bad [output.pdf.fonts]: {e}");
                vec![Diagnostic::error(cx.config.path.clone(), line, col, msg)]
            })?;
        let created = crate::dates::Utc::of_build(&book.meta, cx.options.source_date_epoch);
        let options: PdfOptions = cx.config.output("pdf").map_err(|d| vec![d])?;
        let matter = Matter {
            build_date: created.rfc3339().chars().take(10).collect(),
            hyphenate: options.hyphenate.unwrap_or(true),
        };
        let layout = typeset::layout(book, &fonts, geometry, &matter);
        let mut warnings = Vec::new();
        if matter.hyphenate && !typeset::hyphenates(&book.meta.language) {
            let (line, col) = cx.config.key_position("language");
            warnings.push(Diagnostic::warning(
                cx.config.path.clone(),
                line,
                col,
                format!(
                    "no hyphenation patterns for language `{}`: the PDF is set without hyphens",
                    book.meta.language
                ),
            ));
        }
        let bytes = write::pdf(book, &layout.pages, &fonts, created)
            .map_err(|e| vec![Diagnostic::general(format!("pdf: {e}"))])?;
        warnings.extend(
            layout
                .warnings
                .into_iter()
                .map(|(span, msg)| cx.warning(book, span, msg)),
        );
        Ok(Rendered {
            output: Output::File {
                name: format!("{}.pdf", book.meta.base_name),
                bytes,
            },
            warnings,
        })
    }
}
