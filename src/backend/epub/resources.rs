//! Images and the cover: read from the book, checked by their bytes, stored under `images/`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::xhtml::Resources;
use crate::backend::RenderContext;
use crate::diag::Diagnostic;
use crate::ir::{Chapter, Span};

/// The EPUB 3 core media type of an image, from its first bytes (not its name, which may lie).
pub fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "gif",
    }
}

/// The images the content documents refer to, each stored once.
pub struct Images {
    src_dir: PathBuf,
    book_dir: PathBuf,
    by_path: HashMap<PathBuf, String>,
    names: HashSet<String>,
    /// (href, media type, bytes) in the order first referenced.
    pub items: Vec<(String, &'static str, Vec<u8>)>,
    cx_path: String,
}

impl Images {
    pub fn new(cx: &RenderContext) -> Self {
        Self {
            src_dir: cx.book_dir.join(&cx.config.book.src),
            book_dir: cx.book_dir.to_path_buf(),
            by_path: HashMap::new(),
            names: ["cover".to_string()].into(),
            items: Vec::new(),
            cx_path: cx.config.path.clone(),
        }
    }

    /// A unique `images/<name>.<ext>` for a file called `stem`.
    fn href(&mut self, stem: &str, ext: &str) -> String {
        let base: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let base = if base.is_empty() {
            "image".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        format!("images/{name}.{ext}")
    }
}

impl Resources for Images {
    fn image(&mut self, chapter: &Chapter, src: &str, span: Span) -> Result<String, Diagnostic> {
        let rel = src
            .split(['?', '#'])
            .next()
            .unwrap_or(src)
            .replace("%20", " ");
        let dir = Path::new(&chapter.source).parent().unwrap_or(Path::new(""));
        let path = self.src_dir.join(dir).join(&rel);
        let located = |msg: String| {
            let file = self.book_dir.join(&self.src_dir).join(&chapter.source);
            let file = if span.line > 0 {
                file
            } else {
                PathBuf::from(&self.cx_path)
            };
            Diagnostic::error(file.display().to_string(), span.line, span.col, msg)
        };
        let key = path.canonicalize().unwrap_or_else(|_| path.clone());
        if let Some(href) = self.by_path.get(&key) {
            return Ok(href.clone());
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            located(format!(
                "image `{src}` not found at {}: {e}",
                path.display()
            ))
        })?;
        let media_type = image_media_type(&bytes).ok_or_else(|| {
            located(format!(
                "image `{src}` is not a PNG, JPEG or GIF file, the formats every EPUB reader shows"
            ))
        })?;
        let stem = Path::new(&rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let href = self.href(&stem, extension(media_type));
        self.by_path.insert(key, href.clone());
        self.items.push((href.clone(), media_type, bytes));
        Ok(href)
    }
}

/// The configured cover: `(href, media type, bytes)`. A bare file name is also looked up in the
/// book's `covers/` directory.
pub fn cover(
    cx: &RenderContext,
    cover: &str,
) -> Result<(String, &'static str, Vec<u8>), Diagnostic> {
    let direct = cx.book_dir.join(cover);
    let path = if !direct.exists() && !cover.contains('/') {
        cx.book_dir.join("covers").join(cover)
    } else {
        direct
    };
    let err = |msg: String| Diagnostic::error(cx.config.path.clone(), 0, 0, msg);
    let bytes = std::fs::read(&path)
        .map_err(|e| err(format!("cannot read the cover `{}`: {e}", path.display())))?;
    let media_type = image_media_type(&bytes).ok_or_else(|| {
        err(format!(
            "the cover `{}` is not a PNG, JPEG or GIF file",
            path.display()
        ))
    })?;
    Ok((
        format!("images/cover.{}", extension(media_type)),
        media_type,
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_media_types() {
        assert_eq!(
            image_media_type(b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(
            image_media_type(&[0xff, 0xd8, 0xff, 0xe0]),
            Some("image/jpeg")
        );
        assert_eq!(image_media_type(b"GIF89a.."), Some("image/gif"));
        assert_eq!(image_media_type(b"<svg"), None);
    }
}
