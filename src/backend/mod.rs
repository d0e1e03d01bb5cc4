//! The backend contract: every output format is one module implementing [`Backend`].
//! Backends see only the IR and the configuration; they return bytes, never touch the disk.

pub(crate) mod epub;
pub(crate) mod gemini;
pub(crate) mod json;
pub(crate) mod pdf;
pub(crate) mod plain;
pub(crate) mod text;

use std::path::Path;

use crate::config::Config;
use crate::diag::{Diagnostic, SourceMap};
use crate::ir::{Book, Span};

/// Build settings that come from the command line and the environment, not the book.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Wrap width of the plain-text output, in display columns.
    pub text_width: usize,
    /// `SOURCE_DATE_EPOCH`, when set: the only clock a backend may read.
    pub source_date_epoch: Option<i64>,
    /// `--pdf-page`: the PDF page profile, overriding `[output.pdf] page`.
    pub pdf_page: Option<String>,
    /// `--pdf-standard`: the standard the PDF is checked against, overriding
    /// `[output.pdf] standard`.
    pub pdf_standard: Option<String>,
    /// `--strict`: every warning is an error (as is `[build] strict = true` in book.toml).
    pub strict: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            text_width: 72,
            source_date_epoch: None,
            pdf_page: None,
            pdf_standard: None,
            strict: false,
        }
    }
}

/// Everything a backend may look at besides the book itself.
pub struct RenderContext<'a> {
    /// book.toml, read and checked.
    pub config: &'a Config,
    /// Fonts and stylesheets book.toml names, read before rendering.
    pub resources: &'a crate::resources::Resources,
    /// The cover's JPEG, rendered once for every backend of the build that needs it.
    pub cover_jpeg: &'a crate::cover::CoverJpeg,
    /// The book directory (for assets such as the cover and images).
    pub book_dir: &'a Path,
    /// What the command line asked for.
    pub options: &'a RenderOptions,
    /// Where a backend records how long its inner phases took (`--timings`).
    pub timings: &'a crate::timings::Timings,
}

impl RenderContext<'_> {
    /// A warning pointing at `span` in the book's sources.
    pub fn warning(&self, book: &Book, span: Span, message: impl Into<String>) -> Diagnostic {
        self.sources(book).warning(span, message)
    }

    /// An error pointing at `span` in the book's sources.
    pub fn error(&self, book: &Book, span: Span, message: impl Into<String>) -> Diagnostic {
        self.sources(book).error(span, message)
    }

    fn sources<'b>(&'b self, book: &'b Book) -> SourceMap<'b> {
        SourceMap::new(self.book_dir, &book.sources)
    }
}

/// What a backend produces: one file, or a directory tree (the Gemini capsule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// One file (EPUB, PDF, text, JSON).
    File {
        /// Its name in the output folder.
        name: String,
        /// Its content.
        bytes: Vec<u8>,
    },
    /// `files` are paths relative to `dir`, with `/` separators.
    Tree {
        /// The folder's name in the output folder.
        dir: String,
        /// Each file's relative path and content.
        files: Vec<(String, Vec<u8>)>,
    },
}

/// A successful rendering and what it had to degrade on the way.
#[derive(Debug)]
pub struct Rendered {
    /// What to write.
    pub output: Output,
    /// What was degraded on the way.
    pub warnings: Vec<Diagnostic>,
}

/// One output format: reads the tree, returns bytes.
pub trait Backend: Send + Sync {
    /// The format name used on the command line (`epub`, `text`, …).
    fn name(&self) -> &'static str;
    /// Renders the whole book; on failure returns the diagnostics that explain why.
    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>>;
}

/// Output formats the CLI knows, in the order `all` builds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// EPUB 3.
    Epub,
    /// PDF.
    Pdf,
    /// A Gemini capsule (gemtext).
    Gemini,
    /// Plain text.
    Text,
    /// The document tree as JSON.
    Json,
}

impl Format {
    /// Every format, in build order.
    pub const ALL: [Format; 5] = [
        Format::Epub,
        Format::Pdf,
        Format::Gemini,
        Format::Text,
        Format::Json,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
            Format::Gemini => "gemini",
            Format::Text => "text",
            Format::Json => "json",
        }
    }

    /// The backend for this format.
    pub fn backend(self) -> Box<dyn Backend> {
        match self {
            Format::Text => Box::new(text::TextBackend),
            Format::Json => Box::new(json::JsonBackend),
            Format::Epub => Box::new(epub::EpubBackend),
            Format::Gemini => Box::new(gemini::GeminiBackend),
            Format::Pdf => Box::new(pdf::PdfBackend),
        }
    }
}
