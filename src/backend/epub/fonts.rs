//! Optional font embedding: the TrueType/OpenType files of a directory, declared with
//! `@font-face` and used for the body text (and for code when one of them is monospaced).

use rustybuzz::ttf_parser::{name_id, Face};

use super::package::Item;
use crate::backend::RenderContext;
use crate::diag::Diagnostic;

/// The font files of `dir` (relative to the book), or the bundled fonts when `dir` is `None`,
/// as package items, and the CSS that uses them.
pub fn embed(cx: &RenderContext, dir: Option<&str>) -> Result<(Vec<Item>, String), Diagnostic> {
    let err = |msg: String| Diagnostic::error(cx.config.path.clone(), 0, 0, msg);
    let Some(dir) = dir else {
        let bundled = [
            "GentiumBookPlus-Regular.ttf",
            "GentiumBookPlus-Italic.ttf",
            "GentiumBookPlus-Bold.ttf",
            "GentiumBookPlus-BoldItalic.ttf",
            "DejaVuSansMono.ttf",
        ]
        .into_iter()
        .zip(crate::fonts::data())
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
        return declare(bundled).map_err(err);
    };
    let path = cx.book_dir.join(dir);
    let entries = std::fs::read_dir(&path).map_err(|e| {
        err(format!(
            "embed-fonts: cannot read `{}`: {e}",
            path.display()
        ))
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
        })
        .collect();
    // Directory order differs between file systems; sorting keeps builds identical.
    files.sort();
    let mut fonts = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| {
            err(format!(
                "embed-fonts: cannot read `{}`: {e}",
                file.display()
            ))
        })?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        fonts.push((name, bytes));
    }
    declare(fonts).map_err(err)
}

/// Package items and `@font-face` CSS for `(file name, bytes)` fonts.
fn declare(fonts: Vec<(String, Vec<u8>)>) -> Result<(Vec<Item>, String), String> {
    let mut items = Vec::new();
    let mut css = String::from("\n/* embedded fonts */\n");
    let (mut text_family, mut mono_family) = (None, None);
    for (name, bytes) in fonts {
        let face = Face::parse(&bytes, 0)
            .map_err(|e| format!("embed-fonts: `{name}` is not a font: {e}"))?;
        let family = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == name_id::TYPOGRAPHIC_FAMILY || n.name_id == name_id::FAMILY)
            .filter_map(|n| n.to_string())
            .next()
            .ok_or_else(|| format!("embed-fonts: `{name}` has no family name"))?;
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
