//! Files that book.toml names for the outputs (fonts, a stylesheet), read and checked when the
//! book is loaded: backends never touch the disk, and `check` reports a missing font or a
//! stylesheet that cannot be read as any other error of the book.
//!
//! These paths are the book owner's configuration and may point outside the book's folder
//! (unlike what the book's content names).

use std::path::Path;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::outputs::{EpubOptions, PdfOptions};

/// A font file as the configuration names it: its file name and bytes.
pub type FontFile = (String, Vec<u8>);

/// What the backends need from the disk besides the book's own images.
#[derive(Debug, Default)]
pub struct Resources {
    /// `[output.epub] fonts-dir`'s fonts, sorted by file name, when `embed-fonts` is on and a
    /// directory is named (the bundled fonts otherwise).
    pub epub_fonts: Option<Vec<FontFile>>,
    /// `[output.epub] extra-css`.
    pub extra_css: Option<String>,
    /// `[output.pdf.fonts]`: regular, italic, bold, bold italic, mono; `None` keeps the bundled
    /// face. The bytes live as long as the process: the typesetter and the PDF writer keep
    /// glyph tables that borrow them, and a build reads each file once.
    pub pdf_fonts: [Option<(&'static str, &'static [u8])>; 5],
    /// `[output.pdf] fallback`: faces for characters the main faces lack, in order (name,
    /// bytes, index of the face in its file); the bytes live as long as the process.
    pub pdf_fallbacks: Vec<FallbackFace>,
}

/// A fallback face: its name, the font file's bytes and the face's index in the file.
pub type FallbackFace = (&'static str, &'static [u8], u32);

/// Why a file book.toml names cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ResourceError {
    /// `[output.epub] extra-css` cannot be read.
    #[error("cannot read extra-css `{path}`: {source}")]
    ExtraCss {
        /// The file as shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// `[output.epub] fonts-dir`, or a file in it, cannot be read.
    #[error("embed-fonts: cannot read `{path}`: {source}")]
    FontDir {
        /// The folder or file as shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file of `[output.pdf.fonts]` cannot be read.
    #[error("cannot read font `{path}`: {source}")]
    FontUnreadable {
        /// The file as shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file of `[output.pdf.fonts]` is not a font the shaper can use.
    #[error("font `{path}` cannot be used: {source}")]
    BadFont {
        /// The file as shown.
        path: String,
        /// Why.
        source: crate::fonts::FontError,
    },
    /// A font file of `[output.pdf] fallback` cannot be read.
    #[error("cannot read fallback font `{path}`: {source}")]
    FallbackUnreadable {
        /// The file as shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A family of `[output.pdf] fallback` that no installed font has.
    #[error("no installed font of the family `{0}` (name a font file instead)")]
    NoFamily(String),
    /// A fallback that is not a font at all.
    #[error("fallback font `{0}` is not a TrueType/OpenType font")]
    FallbackNotAFont(String),
    /// A fallback font the shaper cannot use.
    #[error("fallback font `{name}` cannot be used: {source}")]
    FallbackCorrupt {
        /// The entry as written.
        name: String,
        /// Why.
        source: crate::fonts::FontError,
    },
}

impl ResourceError {
    /// The book.toml key whose line the error points at.
    fn key(&self) -> &'static str {
        match self {
            Self::ExtraCss { .. } => "extra-css",
            Self::FontDir { .. } => "fonts-dir",
            Self::FontUnreadable { .. } | Self::BadFont { .. } => "fonts",
            Self::FallbackUnreadable { .. }
            | Self::NoFamily(_)
            | Self::FallbackNotAFont(_)
            | Self::FallbackCorrupt { .. } => "fallback",
        }
    }

    fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Self::BadFont {
                source: crate::fonts::FontError::NotAFont(_),
                ..
            }
            | Self::FallbackNotAFont(_) => "the file must be a TrueType (.ttf) or OpenType (.otf) font; remove it to use the bundled faces",
            Self::BadFont { .. } | Self::FallbackCorrupt { .. } => {
                "the font file is damaged: get a fresh copy, or remove it to use the bundled faces"
            }
            // The message already says what to do instead.
            Self::NoFamily(_) => return None,
            _ => "paths in book.toml are relative to the book's folder (the one holding book.toml)",
        })
    }

    /// The error as a diagnostic on its key in book.toml.
    fn located(&self, config: &Config) -> Diagnostic {
        let (line, col) = config.key_position(self.key());
        let d = Diagnostic::error(config.path.clone(), line, col, self.to_string());
        match self.hint() {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }
}

/// Reads every file the configuration names; the errors point at book.toml.
pub fn load(config: &Config, book_dir: &Path) -> Result<Resources, Vec<Diagnostic>> {
    let mut resources = Resources::default();
    let mut errors = Vec::new();
    match config.output::<EpubOptions>("epub") {
        Ok(epub) => {
            if let Err(e) = epub_files(&epub, book_dir, &mut resources) {
                errors.push(e.located(config));
            }
        }
        Err(d) => errors.push(d),
    }
    match config.output::<PdfOptions>("pdf") {
        Ok(pdf) => {
            let f = &pdf.fonts;
            let slots = [&f.regular, &f.italic, &f.bold, &f.bold_italic, &f.mono];
            for (slot, file) in resources.pdf_fonts.iter_mut().zip(slots) {
                let Some(file) = file else { continue };
                match pdf_font(book_dir, file) {
                    Ok(font) => *slot = Some(font),
                    Err(e) => errors.push(e.located(config)),
                }
            }
            match fallbacks(&pdf.fallback, book_dir) {
                Ok(faces) => resources.pdf_fallbacks = faces,
                Err(e) => errors.push(e.located(config)),
            }
        }
        Err(d) => errors.push(d),
    }
    if errors.is_empty() {
        Ok(resources)
    } else {
        Err(errors)
    }
}

/// `[output.epub]`'s fonts and extra stylesheet.
fn epub_files(
    epub: &EpubOptions,
    book_dir: &Path,
    resources: &mut Resources,
) -> Result<(), ResourceError> {
    if epub.embed_fonts {
        if let Some(dir) = &epub.fonts_dir {
            resources.epub_fonts = Some(font_dir(&book_dir.join(dir))?);
        }
    }
    if let Some(css) = &epub.extra_css {
        let path = book_dir.join(css);
        let text = std::fs::read_to_string(&path).map_err(|source| ResourceError::ExtraCss {
            path: path.display().to_string(),
            source,
        })?;
        resources.extra_css = Some(text);
    }
    Ok(())
}

/// One face of `[output.pdf.fonts]`, read and checked. The bytes live as long as the process
/// (see [`Resources::pdf_fonts`]).
fn pdf_font(book_dir: &Path, file: &str) -> Result<(&'static str, &'static [u8]), ResourceError> {
    let path = book_dir.join(file);
    let shown = || path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|source| ResourceError::FontUnreadable {
        path: shown(),
        source,
    })?;
    crate::fonts::validate(&bytes, 0).map_err(|source| ResourceError::BadFont {
        path: shown(),
        source,
    })?;
    let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let name: &'static str = Box::leak(file.to_string().into_boxed_str());
    Ok((name, data))
}

/// The faces `[output.pdf] fallback` names: a font file (relative to the book) when the
/// entry has a font extension or a path separator, else a family among the installed fonts.
fn fallbacks(names: &[String], book_dir: &Path) -> Result<Vec<FallbackFace>, ResourceError> {
    let mut system: Option<fontdb::Database> = None;
    let mut out = Vec::new();
    for name in names {
        let lower = name.to_ascii_lowercase();
        let is_file = [".ttf", ".otf", ".ttc", ".otc"]
            .iter()
            .any(|e| lower.ends_with(e))
            || name.contains(['/', '\\']);
        let (bytes, index) = if is_file {
            let path = book_dir.join(name);
            let bytes =
                std::fs::read(&path).map_err(|source| ResourceError::FallbackUnreadable {
                    path: path.display().to_string(),
                    source,
                })?;
            (bytes, 0)
        } else {
            let db = system.get_or_insert_with(|| {
                let mut db = fontdb::Database::new();
                db.load_system_fonts();
                db
            });
            family(db, name).ok_or_else(|| ResourceError::NoFamily(name.clone()))?
        };
        crate::fonts::validate(&bytes, index).map_err(|e| match e {
            crate::fonts::FontError::NotAFont(_) => ResourceError::FallbackNotAFont(name.clone()),
            source => ResourceError::FallbackCorrupt {
                name: name.clone(),
                source,
            },
        })?;
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let name: &'static str = Box::leak(name.clone().into_boxed_str());
        out.push((name, data, index));
    }
    Ok(out)
}

/// The bytes and face index of the regular face of `family` among the installed fonts.
fn family(db: &fontdb::Database, family: &str) -> Option<(Vec<u8>, u32)> {
    let query = fontdb::Query {
        families: &[fontdb::Family::Name(family)],
        ..fontdb::Query::default()
    };
    let id = db.query(&query)?;
    db.with_face_data(id, |data, index| (data.to_vec(), index))
}

/// The TrueType and OpenType files of `dir`, sorted by name (directory order differs between
/// file systems; sorting keeps builds identical).
fn font_dir(dir: &Path) -> Result<Vec<FontFile>, ResourceError> {
    let unreadable = |path: &Path| {
        let path = path.display().to_string();
        move |source| ResourceError::FontDir { path, source }
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(&file).map_err(unreadable(&file))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, bytes))
        })
        .collect()
}
