//! PDF output: the typesetting engine lays the book out; this backend only serialises the
//! pages it decided, with krilla (which subsets the fonts and writes ToUnicode maps), plus the
//! outline, links, page labels and metadata.

mod images;
mod navigation;
mod write;

use crate::outputs::{FontFiles, PdfOptions};

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;
use crate::typeset::{self, fonts::Fonts, geometry::PROFILES, Geometry, Matter};

impl FontFiles {
    /// Reads the named files. Faces borrow their bytes for the whole build (the shaper and the
    /// PDF writer keep glyph tables), so the bytes are kept for the life of the process: a
    /// build reads each file once.
    fn load(&self, cx: &RenderContext) -> Result<Fonts, Diagnostic> {
        let slots = [
            &self.regular,
            &self.italic,
            &self.bold,
            &self.bold_italic,
            &self.mono,
        ];
        let mut overrides = [None; 5];
        let (line, col) = cx.config.key_position("fonts");
        let located = |msg: String| Diagnostic::error(cx.config.path.clone(), line, col, msg);
        for (slot, file) in overrides.iter_mut().zip(slots) {
            if let Some(file) = file {
                let path = cx.book_dir.join(file);
                let bytes = std::fs::read(&path)
                    .map_err(|e| located(format!("cannot read font `{}`: {e}", path.display())))?;
                let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                let name: &'static str = Box::leak(file.clone().into_boxed_str());
                *slot = Some((name, data));
            }
        }
        Fonts::with_overrides(overrides)
            .map_err(|e| located(format!("bad [output.pdf.fonts]: {e}")))
    }
}

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
            let (line, col) = cx.config.key_position("page");
            Diagnostic::error(
                cx.book_dir.join("book.toml").display().to_string(),
                line,
                col,
                format!(
                    "unknown PDF page profile `{name}` (use one of {})",
                    PROFILES.join(", ")
                ),
            )
        })
    }
}

impl Backend for PdfBackend {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let geometry = Self::geometry(cx).map_err(|d| vec![d])?;
        let options: PdfOptions = cx.config.output("pdf").map_err(|d| vec![d])?;
        let fonts = options.fonts.load(cx).map_err(|d| vec![d])?;
        let created = crate::dates::Utc::of_build(&book.meta, cx.options.source_date_epoch);
        let matter = Matter {
            build_date: created.rfc3339().chars().take(10).collect(),
        };
        let layout = typeset::layout(book, &fonts, geometry, &matter);
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
