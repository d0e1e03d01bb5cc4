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
use crate::typeset::{self, fonts::Fonts, frame::Rgb, Geometry, Matter};
use error::PdfError;
use navigation::Anchors;
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

    /// The PDF, what placing its pages left (warnings, structure) and the warnings writing it
    /// gave. What breaks the standard is an error naming its chapter, except problems of the
    /// text itself (characters no font has, which the typesetter warns about already; glyphs
    /// of an SVG image's text that stand for no character): the book is then laid out and
    /// written again without claiming the standard, with a warning.
    fn write(job: &Job, cx: &RenderContext) -> Result<Written, Vec<Diagnostic>> {
        let (result, placed) = job.typeset(job.standard, cx);
        let errors = match result {
            Ok(bytes) => return Ok((bytes, placed, Vec::new())),
            Err(PdfError::Invalid(errors)) => errors,
            Err(e) => return Err(vec![Diagnostic::general(format!("pdf: {e}"))]),
        };
        let report = || -> Vec<Diagnostic> {
            let mut d: Vec<Diagnostic> = Vec::new();
            for e in &errors {
                let x = diagnostic(e, job.standard, job.book, &placed.structure, cx);
                if !d.contains(&x) {
                    d.push(x);
                }
            }
            d
        };
        if !errors.iter().all(is_text_problem) {
            return Err(report());
        }
        let (again, placed_again) = job.typeset(Standard::None, cx);
        match again {
            Ok(bytes) => {
                let problems =
                    text_problems(&errors, job.standard, job.book, &placed.structure, cx);
                Ok((bytes, placed_again, problems))
            }
            Err(PdfError::Invalid(_)) => Err(report()),
            Err(e) => Err(vec![Diagnostic::general(format!("pdf: {e}"))]),
        }
    }
}

/// The PDF's bytes, what placing its pages left and the warnings writing it gave.
type Written = (Vec<u8>, typeset::Placed, Vec<Diagnostic>);

/// What laying out and writing the PDF takes.
struct Job<'a> {
    book: &'a Book,
    fonts: &'a Fonts,
    geometry: Geometry,
    matter: Matter,
    created: crate::dates::Utc,
    standard: Standard,
}

impl Job<'_> {
    /// Lays the book out and writes each page as it is placed (so the pages are never all
    /// held), checked against `standard`.
    fn typeset(
        &self,
        standard: Standard,
        cx: &RenderContext,
    ) -> (Result<Vec<u8>, PdfError>, typeset::Placed) {
        let mut plan = cx.timings.time("pdf: layout", || {
            typeset::plan(self.book, self.fonts, self.geometry, &self.matter)
        });
        let anchors = Anchors::new(std::mem::take(&mut plan.anchors));
        let mut writer = match write::Writer::new(self.book, self.fonts, standard, anchors) {
            Ok(w) => w,
            Err(e) => return (Err(e), plan.place(&mut |_, _| {})),
        };
        cx.timings.time("pdf: placing and writing", || {
            let placed = plan.place(&mut |page, structure| writer.page(&page, structure));
            (writer.finish(&placed.structure, self.created), placed)
        })
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
            // The cover's own edge colour around it, so that nothing of it is cropped on a
            // page of another shape (worked out only when the page shows it).
            cover_ground: book
                .cover
                .as_ref()
                .filter(|c| typeset::cover_leaves_ground(geometry, c))
                .and_then(crate::cover::edge_colour)
                .map(|(r, g, b)| Rgb(r, g, b)),
        };
        let standard = Self::standard(cx, &options).map_err(|d| vec![d])?;
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
        let job = Job {
            book,
            fonts: &fonts,
            geometry,
            matter,
            created,
            standard,
        };
        let (bytes, placed, written) = Self::write(&job, cx)?;
        warnings.extend(written);
        warnings.extend(
            placed
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
