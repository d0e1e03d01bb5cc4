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

/// Reads every file the configuration names; the errors point at book.toml.
pub fn load(config: &Config, book_dir: &Path) -> Result<Resources, Vec<Diagnostic>> {
    let mut resources = Resources::default();
    let mut errors = Vec::new();
    let located = |key: &str, msg: String| {
        let (line, col) = config.key_position(key);
        Diagnostic::error(config.path.clone(), line, col, msg)
    };
    match config.output::<EpubOptions>("epub") {
        Ok(epub) => {
            if epub.embed_fonts {
                if let Some(dir) = &epub.fonts_dir {
                    match font_dir(&book_dir.join(dir)) {
                        Ok(fonts) => resources.epub_fonts = Some(fonts),
                        Err(msg) => errors.push(located("fonts-dir", msg)),
                    }
                }
            }
            if let Some(css) = &epub.extra_css {
                let path = book_dir.join(css);
                match std::fs::read_to_string(&path) {
                    Ok(text) => resources.extra_css = Some(text),
                    Err(e) => errors.push(located(
                        "extra-css",
                        format!("cannot read extra-css `{}`: {e}", path.display()),
                    )),
                }
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
                let path = book_dir.join(file);
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                        let name: &'static str = Box::leak(file.clone().into_boxed_str());
                        *slot = Some((name, data));
                    }
                    Err(e) => errors.push(located(
                        "fonts",
                        format!("cannot read font `{}`: {e}", path.display()),
                    )),
                }
            }
            match fallbacks(&pdf.fallback, book_dir) {
                Ok(faces) => resources.pdf_fallbacks = faces,
                Err(msg) => errors.push(located("fallback", msg)),
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

/// The faces `[output.pdf] fallback` names: a font file (relative to the book) when the
/// entry has a font extension or a path separator, else a family among the installed fonts.
fn fallbacks(names: &[String], book_dir: &Path) -> Result<Vec<FallbackFace>, String> {
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
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("cannot read fallback font `{}`: {e}", path.display()))?;
            (bytes, 0)
        } else {
            let db = system.get_or_insert_with(|| {
                let mut db = fontdb::Database::new();
                db.load_system_fonts();
                db
            });
            family(db, name).ok_or_else(|| {
                format!("no installed font of the family `{name}` (name a font file instead)")
            })?
        };
        if rustybuzz::ttf_parser::Face::parse(&bytes, index).is_err() {
            return Err(format!(
                "fallback font `{name}` is not a TrueType/OpenType font"
            ));
        }
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
fn font_dir(dir: &Path) -> Result<Vec<FontFile>, String> {
    let what = |e: std::io::Error| format!("embed-fonts: cannot read `{}`: {e}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(what)?
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
            let bytes = std::fs::read(&file)
                .map_err(|e| format!("embed-fonts: cannot read `{}`: {e}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, bytes))
        })
        .collect()
}
