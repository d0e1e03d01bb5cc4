//! PDF output: the typesetting engine lays the book out; this backend only serialises the
//! pages it decided, with krilla (which subsets the fonts and writes ToUnicode maps), plus the
//! outline, links, page labels and metadata.

mod error;
mod images;
mod navigation;
mod standard;
mod tags;
mod write;

use crate::outputs::PdfOptions;

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;
use crate::outputs::OptionsError;
use crate::typeset::{self, fonts::Fonts, Geometry, Matter};
use error::PdfError;
use standard::{diagnostic, is_text_problem, text_problems, Standard};

/// The PDF backend.
pub struct PdfBackend;

impl PdfBackend {
    /// The page profile: `--pdf-page` wins over book.toml.
    fn geometry(cx: &RenderContext, options: &PdfOptions) -> Result<Geometry, Diagnostic> {
        let name = cx.options.pdf_page.as_ref().or(options.page.as_ref());
        let name = name.map_or("a4", String::as_str);
        Geometry::profile(name).ok_or_else(|| unknown(cx, OptionsError::UnknownPage(name.into())))
    }

    /// The standard to write to: `--pdf-standard` wins over book.toml; PDF/UA-1 by default.
    fn standard(cx: &RenderContext, options: &PdfOptions) -> Result<Standard, Diagnostic> {
        let name = cx
            .options
            .pdf_standard
            .as_ref()
            .or(options.standard.as_ref());
        let name = name.map_or("ua-1", String::as_str);
        Standard::named(name).ok_or_else(|| unknown(cx, OptionsError::UnknownStandard(name.into())))
    }

    /// The PDF and the warnings writing it gave. What breaks the standard is an error naming
    /// its chapter, except problems of the text itself (characters no font has, which the
    /// typesetter warns about already; glyphs of an SVG image's text that stand for no
    /// character): the book is then written without claiming the standard, with a warning.
    fn write(
        book: &Book,
        layout: &typeset::Layout,
        fonts: &Fonts,
        created: crate::dates::Utc,
        standard: Standard,
        cx: &RenderContext,
    ) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let errors = match write::pdf(book, layout, fonts, created, standard) {
            Ok(bytes) => return Ok((bytes, Vec::new())),
            Err(PdfError::Invalid(errors)) => errors,
            Err(e) => return Err(vec![Diagnostic::general(format!("pdf: {e}"))]),
        };
        let report = || -> Vec<Diagnostic> {
            let mut d: Vec<Diagnostic> = Vec::new();
            for e in &errors {
                let x = diagnostic(e, standard, book, &layout.structure, cx);
                if !d.contains(&x) {
                    d.push(x);
                }
            }
            d
        };
        if !errors.iter().all(is_text_problem) {
            return Err(report());
        }
        match write::pdf(book, layout, fonts, created, Standard::None) {
            Ok(bytes) => Ok((
                bytes,
                text_problems(&errors, standard, book, &layout.structure, cx),
            )),
            Err(PdfError::Invalid(_)) => Err(report()),
            Err(e) => Err(vec![Diagnostic::general(format!("pdf: {e}"))]),
        }
    }
}

impl Backend for PdfBackend {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let options: PdfOptions = cx.config.output("pdf").map_err(|d| vec![d])?;
        let geometry = Self::geometry(cx, &options).map_err(|d| vec![d])?;
        let fonts = Fonts::with_overrides(cx.resources.pdf_fonts, &cx.resources.pdf_fallbacks)
            .map_err(|e| {
                let (line, col) = cx.config.key_position("fonts");
                let msg = format!("bad [output.pdf.fonts]: {e}");
                vec![Diagnostic::error(cx.config.path.clone(), line, col, msg)]
            })?;
        let created = crate::dates::Utc::of_build(&book.meta, cx.options.source_date_epoch);
        let matter = Matter {
            build_date: created.rfc3339().chars().take(10).collect(),
            hyphenate: options.hyphenate.unwrap_or(true),
            line_numbers: options.line_numbers.unwrap_or(false),
        };
        let standard = Self::standard(cx, &options).map_err(|d| vec![d])?;
        let layout = cx.timings.time("pdf: layout", || {
            typeset::layout(book, &fonts, geometry, &matter)
        });
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
        let (bytes, written) = cx.timings.time("pdf: writing", || {
            Self::write(book, &layout, &fonts, created, standard, cx)
        })?;
        warnings.extend(written);
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

/// An option book.toml (or the command line) gives a value the PDF cannot use, at its key.
fn unknown(cx: &RenderContext, e: OptionsError) -> Diagnostic {
    let (line, col) = cx.config.key_position(e.key());
    Diagnostic::error(cx.config.path.clone(), line, col, e.to_string())
}
