//! Images referenced by the book, loaded, checked and measured once while the IR is built, so
//! every backend embeds the same bytes and none re-reads the disk.
//!
//! What is refused (each an error at the image's `file:line:col`): a missing or unreadable
//! file, a path that leaves the book's directory (`..`, absolute, or a symlink pointing out),
//! a format we do not support, a corrupt image, and an image too large in bytes or pixels
//! (a decompression bomb). Remote images are not fetched: a warning, and the alt text stands in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::media::{Asset, ImageFormat};

/// Largest image file accepted, in bytes.
pub(crate) const MAX_BYTES: u64 = 32 << 20;
/// Largest image accepted, in pixels (width × height), checked before decoding.
pub(crate) const MAX_PIXELS: u64 = 50_000_000;

/// Loads images once each; `Book::assets` is its list.
#[derive(Debug, Default)]
pub(crate) struct AssetLoader {
    pub assets: Vec<Asset>,
    by_path: HashMap<String, u32>,
    /// What the last [`AssetLoader::load`] had to leave out of an image it accepted.
    pub degraded: Option<String>,
}

/// Why an image reference could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssetError {
    /// A remote URL: not fetched; the alt text stands in (a warning, not an error).
    Remote,
    /// Anything else: an error with this message.
    Bad(String),
}

impl AssetLoader {
    /// Resolves `src` (as written in the chapter at `chapter_rel`, relative to the book
    /// directory) and loads it, or returns the index of the already-loaded asset.
    pub(crate) fn load(
        &mut self,
        book_dir: &Path,
        chapter_rel: &str,
        src: &str,
    ) -> Result<u32, AssetError> {
        if crate::uri::is_external(src) {
            return match src.split(':').next() {
                Some("file") => Err(AssetError::Bad(format!(
                    "image `{src}`: file URLs are not allowed; use a path inside the book"
                ))),
                _ => Err(AssetError::Remote),
            };
        }
        let rel = book_relative(chapter_rel, src).ok_or_else(|| {
            AssetError::Bad(format!("image `{src}` is outside the book's directory"))
        })?;
        if let Some(&i) = self.by_path.get(&rel) {
            return Ok(i);
        }
        let asset = read_asset(book_dir, &rel, src).map_err(AssetError::Bad)?;
        self.degraded = (asset.format == ImageFormat::Svg)
            .then(|| external_refs(&asset.bytes))
            .flatten()
            .map(|href| {
                format!("SVG `{src}` refers to the file `{href}`, which is not read; that part of the image is left out (embed it as a data: URL)")
            });
        self.assets.push(asset);
        let index = self.assets.len() as u32 - 1;
        self.by_path.insert(rel, index);
        Ok(index)
    }
}

/// The first file an SVG refers to (`<image href="…">`, `<use href="other.svg#x">`), when it
/// refers to one: such references are never followed, only `data:` URLs and `#ids` are kept.
fn external_refs(svg: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(svg);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                for attr in e.attributes().flatten() {
                    let key: &str = attr.key.as_ref();
                    if key == "href" || key == "xlink:href" {
                        let value: &str = attr.value.as_ref();
                        let value = value.trim().to_string();
                        if !value.starts_with('#') && !value.starts_with("data:") {
                            return Some(value);
                        }
                    }
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// `src` joined onto the chapter's directory, normalised; `None` if it leaves the book directory.
fn book_relative(chapter_rel: &str, src: &str) -> Option<String> {
    let src = src.split(['?', '#']).next().unwrap_or(src);
    crate::paths::join(chapter_rel, &crate::paths::percent_decode(src)).filter(|p| !p.is_empty())
}

/// Reads and checks an image named by the configuration (not the text), relative to the book
/// directory; it may live outside it.
pub(crate) fn read_file(book_dir: &Path, rel: &str) -> Result<Asset, String> {
    let path = book_dir.join(rel);
    let shown = format!("`{}`", path.display());
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    checked(rel, bytes, &shown)
}

fn read_asset(book_dir: &Path, rel: &str, src: &str) -> Result<Asset, String> {
    let path: PathBuf = book_dir.join(rel);
    // A symlink may point anywhere: what counts is where the file really is.
    crate::paths::inside_book(book_dir, rel, &format!("image `{src}`"))?;
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read image `{src}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("image `{src}` is not a file"));
    }
    // Checked before reading, so a huge file is never loaded.
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "image `{src}` is {} bytes; the limit is {MAX_BYTES}",
            meta.len()
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read image `{src}`: {e}"))?;
    checked(rel, bytes, &format!("image `{src}`"))
}

/// An asset from a file's bytes, after the size, format and decoding checks; `shown` names the
/// file in messages.
fn checked(rel: &str, bytes: Vec<u8>, shown: &str) -> Result<Asset, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{shown} is {} bytes; the limit is {MAX_BYTES}",
            bytes.len()
        ));
    }
    let format = ImageFormat::sniff(&bytes)
        .ok_or_else(|| format!("{shown} is not a PNG, JPEG, GIF, WebP or SVG file"))?;
    let (width, height) =
        measure(format, &bytes).map_err(|e| format!("{shown} is corrupt or unsupported: {e}"))?;
    Ok(Asset {
        path: rel.to_string(),
        format,
        width,
        height,
        bytes,
    })
}

/// Size in pixels, after checking the image decodes completely and within the pixel limit.
fn measure(format: ImageFormat, bytes: &[u8]) -> Result<(u32, u32), String> {
    if format == ImageFormat::Svg {
        // Parsed once here so that a broken SVG is an error at the line that shows it, not a
        // failure of each backend later (usvg also bounds entity expansion).
        crate::svg::parse(bytes, &[])?;
        return svg_size(bytes);
    }
    let fmt = match format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Gif => image::ImageFormat::Gif,
        _ => image::ImageFormat::WebP,
    };
    let reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    let (w, h) = reader.into_dimensions().map_err(|e| e.to_string())?;
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "{w} × {h} pixels is outside the accepted range (at most {MAX_PIXELS} pixels)"
        ));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())?;
    Ok((w, h))
}

/// Width and height of an SVG from its root element (`width`/`height`, else the `viewBox`).
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8".to_string())?;
    let start = text.find("<svg").ok_or("no <svg> element")?;
    let end = text[start..]
        .find('>')
        .ok_or("unterminated <svg> element")?
        + start;
    let tag = &text[start..end];
    let attr = |name: &str| -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let v = &tag[at..at + tag[at..].find('"')?];
        let num: String = v
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        num.parse().ok()
    };
    let view_box = || -> Option<(f64, f64)> {
        let at = tag.find(" viewBox=\"")? + 10;
        let v = &tag[at..at + tag[at..].find('"')?];
        let n: Vec<f64> = v
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        (n.len() == 4).then(|| (n[2], n[3]))
    };
    let (w, h) = match (attr("width"), attr("height"), view_box()) {
        (Some(w), Some(h), _) => (w, h),
        (_, _, Some(vb)) => vb,
        _ => return Err("the SVG has neither width/height nor a viewBox".into()),
    };
    if !(w > 0.0 && h > 0.0 && w * h <= MAX_PIXELS as f64) {
        return Err(format!("SVG size {w} × {h} is outside the accepted range"));
    }
    Ok((w.round().max(1.0) as u32, h.round().max(1.0) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_inside_the_book_only() {
        assert_eq!(
            book_relative("src/part-2/c.md", "../images/red.png").as_deref(),
            Some("src/images/red.png")
        );
        assert_eq!(
            book_relative("src/a.md", "img%20one.png?x=1").as_deref(),
            Some("src/img one.png")
        );
        assert_eq!(book_relative("src/a.md", "../../etc/passwd"), None);
        assert_eq!(book_relative("src/a.md", "/etc/passwd"), None);
    }

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size(br#"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="256px">"#),
            Ok((160, 256))
        );
        assert_eq!(
            svg_size(br#"<svg viewBox="0 0 1600 2560" xmlns="x">"#),
            Ok((1600, 2560))
        );
        assert!(svg_size(br#"<svg width="999999" height="999999">"#).is_err());
    }
}
