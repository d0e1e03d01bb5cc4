//! Optional font embedding: the TrueType/OpenType files of a directory, declared with
//! `@font-face` and used for the body text (and for code when one of them is monospaced).

use rustybuzz::ttf_parser::{name_id, Face};

use super::package::Item;
use crate::backend::RenderContext;
use crate::diag::Diagnostic;

/// The fonts of `[output.epub] fonts-dir` (read when the book was loaded), or the bundled
/// fonts, as package items, and the CSS that uses them.
pub(crate) fn embed(cx: &RenderContext) -> Result<(Vec<Item>, String), Diagnostic> {
    let fonts = match &cx.resources.epub_fonts {
        Some(fonts) => fonts.clone(),
        None => [
            "GentiumBookPlus-Regular.ttf",
            "GentiumBookPlus-Italic.ttf",
            "GentiumBookPlus-Bold.ttf",
            "GentiumBookPlus-BoldItalic.ttf",
            "DejaVuSansMono.ttf",
        ]
        .into_iter()
        .zip(crate::fonts::data())
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect(),
    };
    declare(fonts).map_err(|e| {
        let (line, col) = cx.config.key_position("fonts-dir");
        Diagnostic::error(cx.config.path.clone(), line, col, e.to_string()).with_hint(
            "every .ttf and .otf file in fonts-dir must be a TrueType or OpenType font with a family name",
        )
    })
}

/// A file of `fonts-dir` that cannot be declared.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EmbedError {
    /// ttf-parser cannot read it.
    #[error("embed-fonts: `{name}` is not a font: {why}")]
    NotAFont {
        /// The file name.
        name: String,
        /// ttf-parser's complaint.
        why: rustybuzz::ttf_parser::FaceParsingError,
    },
    /// Its name table gives no family to declare it under.
    #[error("embed-fonts: `{0}` has no family name")]
    NoFamily(String),
}

/// Package items and `@font-face` CSS for `(file name, bytes)` fonts.
fn declare(fonts: Vec<(String, Vec<u8>)>) -> Result<(Vec<Item>, String), EmbedError> {
    let mut items = Vec::new();
    let mut css = String::from("\n/* embedded fonts */\n");
    let (mut text_family, mut mono_family) = (None, None);
    for (name, bytes) in fonts {
        let face = Face::parse(&bytes, 0).map_err(|why| EmbedError::NotAFont {
            name: name.clone(),
            why,
        })?;
        let family = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == name_id::TYPOGRAPHIC_FAMILY || n.name_id == name_id::FAMILY)
            .filter_map(|n| n.to_string())
            .next()
            .ok_or_else(|| EmbedError::NoFamily(name.clone()))?;
        let family: String = family
            .chars()
            .filter(|c| !matches!(c, '"' | '\\' | '<' | '>'))
            .collect();
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let otf = safe.to_ascii_lowercase().ends_with(".otf");
        css.push_str(&format!(
            "@font-face {{ font-family: \"{family}\"; font-style: {}; font-weight: {}; src: url(\"fonts/{safe}\"); }}\n",
            if face.is_italic() { "italic" } else { "normal" },
            if face.is_bold() { "bold" } else { "normal" },
        ));
        if face.is_monospaced() {
            mono_family.get_or_insert(family);
        } else {
            text_family.get_or_insert(family);
        }
        items.push(Item {
            id: format!("font-{}", items.len() + 1),
            href: format!("fonts/{safe}"),
            media_type: if otf { "font/otf" } else { "font/ttf" },
            properties: None,
            bytes,
        });
    }
    if let Some(f) = text_family {
        css.push_str(&format!("body {{ font-family: \"{f}\", serif; }}\n"));
    }
    if let Some(f) = mono_family {
        css.push_str(&format!(
            "code, pre {{ font-family: \"{f}\", monospace; }}\n"
        ));
    }
    Ok((items, css))
}
