//! Images referenced by the book, loaded, checked and measured once while the IR is built, so
//! every backend embeds the same bytes and none re-reads the disk.
//!
//! What is refused (each an error at the image's `file:line:col`): a missing or unreadable
//! file, a path that leaves the book's directory (`..`, absolute, or a symlink pointing out),
//! a format we do not support, a corrupt image, and an image too large in bytes or pixels
//! (a decompression bomb). Remote images are not fetched: a warning, and the alt text stands in.

use std::collections::HashMap;
use std::path::Path;

use crate::media::{Asset, ImageFormat};
use crate::paths::PathError;

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
#[derive(Debug)]
pub(crate) enum AssetError {
    /// A remote URL: not fetched; the alt text stands in (a warning, not an error).
    Remote,
    /// Anything else: an error.
    Bad(ImageError),
}

/// Why an image file cannot be used; `what` names it in messages (``image `a.png` ``).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImageError {
    /// A `file:` URL, which could name anything on the disk.
    #[error("image `{0}`: file URLs are not allowed; use a path inside the book")]
    FileUrl(String),
    /// A path that climbs out of the book's directory.
    #[error("image `{0}` is outside the book's directory")]
    Outside(String),
    /// It resolves outside the book, or not at all, or is not a file of a sensible size.
    #[error(transparent)]
    Path(#[from] PathError),
    /// Not a format we read.
    #[error("{what} is not a PNG, JPEG, GIF, WebP or SVG file")]
    UnknownFormat {
        /// The file, as messages name it.
        what: String,
    },
    /// The format is known but the content does not decode.
    #[error("{what} is corrupt or unsupported: {source}")]
    Corrupt {
        /// The file, as messages name it.
        what: String,
        /// Why.
        source: DecodeError,
    },
}

impl ImageError {
    /// How to fix a path that names nothing usable.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Outside(_) | Self::Path(PathError::Outside { .. }) => {
                Some("copy the image into the book's folder and name it by a relative path")
            }
            _ if self.is_missing() => {
                Some("an image's path is relative to the Markdown file that shows it")
            }
            _ => None,
        }
    }

    /// Whether nothing is at the path.
    pub(crate) fn is_missing(&self) -> bool {
        matches!(self, Self::Path(PathError::Unreadable { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Why an image's content cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DecodeError {
    /// The raster decoder refused it.
    #[error(transparent)]
    Raster(#[from] image::ImageError),
    /// Too many (or no) pixels.
    #[error("{w} × {h} pixels is outside the accepted range (at most {MAX_PIXELS} pixels)")]
    Pixels {
        /// Width.
        w: u32,
        /// Height.
        h: u32,
    },
    /// usvg refused it.
    #[error(transparent)]
    Svg(#[from] crate::svg::SvgError),
    /// The root element gives no usable size.
    #[error("{0}")]
    SvgRoot(&'static str),
    /// The SVG's size is absurd.
    #[error("SVG size {w} × {h} is outside the accepted range")]
    SvgSize {
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
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
                Some("file") => Err(AssetError::Bad(ImageError::FileUrl(src.to_string()))),
                _ => Err(AssetError::Remote),
            };
        }
        let rel = book_relative(chapter_rel, src)
            .ok_or_else(|| AssetError::Bad(ImageError::Outside(src.to_string())))?;
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
pub(crate) fn read_file(book_dir: &Path, rel: &str) -> Result<Asset, ImageError> {
    let path = book_dir.join(rel);
    let what = format!("`{}`", path.display());
    match std::fs::read(&path) {
        Ok(bytes) => checked(rel, bytes, what),
        Err(source) => Err(PathError::Unreadable { what, source }.into()),
    }
}

fn read_asset(book_dir: &Path, rel: &str, src: &str) -> Result<Asset, ImageError> {
    let what = format!("image `{src}`");
    // A symlink may point anywhere: what counts is where the file really is.
    let bytes = crate::paths::read_inside(book_dir, rel, &what, MAX_BYTES)?;
    checked(rel, bytes, what)
}

/// An asset from a file's bytes, after the size, format and decoding checks; `what` names the
/// file in messages.
fn checked(rel: &str, bytes: Vec<u8>, what: String) -> Result<Asset, ImageError> {
    if bytes.len() as u64 > MAX_BYTES {
        let len = bytes.len() as u64;
        let limit = MAX_BYTES;
        return Err(PathError::TooBig { what, len, limit }.into());
    }
    let Some(format) = ImageFormat::sniff(&bytes) else {
        return Err(ImageError::UnknownFormat { what });
    };
    let (width, height) =
        measure(format, &bytes).map_err(|source| ImageError::Corrupt { what, source })?;
    Ok(Asset {
        path: rel.to_string(),
        format,
        width,
        height,
        bytes,
    })
}

/// Size in pixels, after checking the image decodes completely and within the pixel limit.
fn measure(format: ImageFormat, bytes: &[u8]) -> Result<(u32, u32), DecodeError> {
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
    let (w, h) = reader.into_dimensions()?;
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(DecodeError::Pixels { w, h });
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    reader.limits(limits);
    reader.decode()?;
    Ok((w, h))
}

/// Width and height of an SVG from its root element (`width`/`height`, else the `viewBox`).
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), DecodeError> {
    let root = DecodeError::SvgRoot;
    let text = std::str::from_utf8(bytes).map_err(|_| root("the SVG is not UTF-8"))?;
    let start = text.find("<svg").ok_or(root("no <svg> element"))?;
    let end = text[start..]
        .find('>')
        .ok_or(root("unterminated <svg> element"))?
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
        _ => return Err(root("the SVG has neither width/height nor a viewBox")),
    };
    if !(w > 0.0 && h > 0.0 && w * h <= MAX_PIXELS as f64) {
        return Err(DecodeError::SvgSize { w, h });
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
            svg_size(br#"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="256px">"#)
                .ok(),
            Some((160, 256))
        );
        assert_eq!(
            svg_size(br#"<svg viewBox="0 0 1600 2560" xmlns="x">"#).ok(),
            Some((1600, 2560))
        );
        assert!(svg_size(br#"<svg width="999999" height="999999">"#).is_err());
    }
}
