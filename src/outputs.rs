//! The `[output.X]` tables of book.toml that kr-publish reads, as types: `config` checks them
//! when the book is loaded (so `check` reports their mistakes) and each backend reads its own.

use serde::Deserialize;

/// `[output.epub]` in `book.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct EpubOptions {
    /// Embed the fonts of `fonts-dir` and use them for the text (off by default: readers let
    /// people choose their own fonts).
    #[serde(default)]
    pub embed_fonts: bool,
    /// Directory of the fonts to embed, relative to the book; the bundled fonts by default.
    pub fonts_dir: Option<String>,
    /// A stylesheet appended to the built-in one, relative to the book.
    pub extra_css: Option<String>,
}

/// `[output.gemini]` in `book.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct GeminiOptions {
    /// Where the capsule will be served, e.g. `gemini://example.org/kr2023/`; only the Atom
    /// feed needs absolute URLs.
    pub base_url: Option<String>,
}

/// The PDF page profiles (`[output.pdf] page`, `--pdf-page`).
pub const PAGE_PROFILES: [&str; 4] = ["a4", "letter", "a5", "ereader"];

/// The standards a PDF can be checked against (`[output.pdf] standard`, `--pdf-standard`):
/// PDF/UA-1 (the default), PDF/A-2b, PDF/A-3b, or none.
pub const PDF_STANDARDS: [&str; 4] = ["ua-1", "a-2b", "a-3b", "none"];

impl GeminiOptions {
    /// `base-url` with a final `/`; an error when it is not absolute.
    pub fn base_url(&self) -> Result<Option<String>, OptionsError> {
        match self.base_url.as_deref().map(str::trim) {
            Some(u) if u.contains("://") => Ok(Some(match u.ends_with('/') {
                true => u.to_string(),
                false => format!("{u}/"),
            })),
            Some(u) => Err(OptionsError::RelativeBaseUrl(u.to_string())),
            None => Ok(None),
        }
    }
}

impl PdfOptions {
    /// An error when `page` names no profile or `standard` no standard.
    pub fn check(&self) -> Result<(), OptionsError> {
        if let Some(p) = self
            .page
            .as_ref()
            .filter(|p| !PAGE_PROFILES.contains(&p.as_str()))
        {
            return Err(OptionsError::UnknownPage(p.clone()));
        }
        match &self.standard {
            Some(s) if !PDF_STANDARDS.contains(&s.as_str()) => {
                Err(OptionsError::UnknownStandard(s.clone()))
            }
            _ => Ok(()),
        }
    }
}

/// A value of an `[output.*]` table that the output cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    /// `[output.pdf] page` (or `--pdf-page`) names no profile.
    #[error("unknown PDF page profile `{0}` (use one of {profiles})", profiles = PAGE_PROFILES.join(", "))]
    UnknownPage(String),
    /// `[output.pdf] standard` (or `--pdf-standard`) names no standard.
    #[error("unknown PDF standard `{0}` (use one of {standards})", standards = PDF_STANDARDS.join(", "))]
    UnknownStandard(String),
    /// `[output.gemini] base-url` is not absolute.
    #[error(
        "[output.gemini] base-url `{0}` is not an absolute URL (like gemini://example.org/book/)"
    )]
    RelativeBaseUrl(String),
}

impl OptionsError {
    /// The book.toml key the value was read from.
    pub fn key(&self) -> &'static str {
        match self {
            Self::UnknownPage(_) => "page",
            Self::UnknownStandard(_) => "standard",
            Self::RelativeBaseUrl(_) => "base-url",
        }
    }
}

/// `[output.pdf]` in book.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PdfOptions {
    /// Page profile: `a4` (default), `letter`, `a5` or `ereader`.
    pub page: Option<String>,
    /// The standard the PDF is written to and checked against: `ua-1` (default), `a-2b`,
    /// `a-3b` or `none`.
    pub standard: Option<String>,
    /// The book's own fonts (TrueType/OpenType files relative to the book) in place of the
    /// bundled ones; any face not named stays bundled.
    #[serde(default)]
    pub fonts: FontFiles,
    /// Hyphenate words by the language of the book and of each chapter (default `true`).
    pub hyphenate: Option<bool>,
    /// Number the lines of every code block (default `false`); a block's info string may
    /// still say otherwise (`numberLines`, `linenos=false`).
    pub line_numbers: Option<bool>,
    /// Fonts for characters the main faces lack, tried in order: font files (relative to the
    /// book) or family names of installed fonts.
    #[serde(default)]
    pub fallback: Vec<String>,
}

/// `[output.pdf.fonts]`: one file per face.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FontFiles {
    /// Body text.
    pub regular: Option<String>,
    /// Emphasis.
    pub italic: Option<String>,
    /// Strong emphasis and headings.
    pub bold: Option<String>,
    /// Both.
    pub bold_italic: Option<String>,
    /// Code.
    pub mono: Option<String>,
}
