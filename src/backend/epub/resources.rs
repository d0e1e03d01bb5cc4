//! Images and the cover, from the IR's asset table, stored under `images/` in a form every
//! reader shows: EPUB 3 core media types (WebP becomes PNG), no larger than a reader needs,
//! SVG re-written without scripts or event handlers.

use std::collections::HashMap;

use crate::backend::RenderContext;
use crate::slug::UniqueNames;

use super::error::ImageError;
use super::xhtml::Resources;
use crate::diag::Diagnostic;
use crate::ir::Book;
use crate::media::{Asset, ImageFormat};

/// Bitmaps wider or taller than this are scaled down: no reader screen needs more.
const MAX_SIDE: u32 = 2000;

/// A file stored in the package: (href, media type, bytes).
pub(crate) type Stored = (String, &'static str, Vec<u8>);

/// The images the content documents refer to, each stored once.
pub(crate) struct Images<'a> {
    book: &'a Book,
    by_asset: HashMap<u32, String>,
    names: UniqueNames,
    /// (href, media type, bytes) in the order first referenced.
    pub(crate) items: Vec<Stored>,
}

impl<'a> Images<'a> {
    /// No image yet; `cover` is a name taken.
    pub(crate) fn new(book: &'a Book) -> Self {
        Self {
            book,
            by_asset: HashMap::new(),
            names: {
                let mut names = UniqueNames::default();
                names.insert("cover");
                names
            },
            items: Vec::new(),
        }
    }

    /// A unique `images/<name>.<ext>` for a file called `stem`.
    fn href(&mut self, stem: &str, ext: &str) -> String {
        let base = match crate::slug::slugify(stem) {
            s if s.is_empty() => "image".to_string(),
            s => s,
        };
        format!("images/{}.{ext}", self.names.unique(&base))
    }
}

impl Resources for Images<'_> {
    fn image(&mut self, asset: u32) -> Result<String, ImageError> {
        if let Some(href) = self.by_asset.get(&asset) {
            return Ok(href.clone());
        }
        let a = self
            .book
            .assets
            .get(asset as usize)
            .ok_or(ImageError::NoAsset)?;
        let (media_type, bytes) = for_readers(a)?;
        let file = a.path.rsplit('/').next().unwrap_or(&a.path);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let ext = match media_type {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/gif" => "gif",
            _ => "svg",
        };
        let href = self.href(stem, ext);
        self.by_asset.insert(asset, href.clone());
        self.items.push((href.clone(), media_type, bytes));
        Ok(href)
    }
}

/// The asset as a core media type an EPUB reader shows, at a size it needs.
fn for_readers(a: &Asset) -> Result<(&'static str, Vec<u8>), ImageError> {
    let too_big = a.width > MAX_SIDE || a.height > MAX_SIDE;
    match a.format {
        ImageFormat::Svg => Ok(("image/svg+xml", sanitised_svg(&a.bytes)?)),
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif if !too_big => {
            Ok((a.format.media_type(), a.bytes.clone()))
        }
        _ => {
            let img = image::load_from_memory(&a.bytes).map_err(|source| ImageError::Decode {
                path: a.path.clone(),
                source,
            })?;
            let img = if too_big {
                img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Lanczos3)
            } else {
                img
            };
            let mut out = Vec::new();
            let encode = |source| ImageError::Encode {
                path: a.path.clone(),
                source,
            };
            if a.format == ImageFormat::Jpeg {
                let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
                img.to_rgb8().write_with_encoder(enc).map_err(encode)?;
                Ok(("image/jpeg", out))
            } else {
                img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                    .map_err(encode)?;
                Ok(("image/png", out))
            }
        }
    }
}

/// The SVG parsed and written back by usvg, which keeps only rendering content: scripts,
/// event handlers, foreign objects and external references do not survive.
fn sanitised_svg(bytes: &[u8]) -> Result<Vec<u8>, crate::svg::SvgError> {
    let tree = crate::svg::parse(bytes, &crate::fonts::data())?;
    let options = resvg::usvg::WriteOptions {
        preserve_text: false,
        ..Default::default()
    };
    Ok(tree.to_string(&options).into_bytes())
}

/// The cover as a JPEG of about 1600 × 2560 pixels: `(href, media type, bytes)`.
pub(crate) fn cover(book: &Book, cx: &RenderContext) -> Result<Option<Stored>, Diagnostic> {
    let Some(cover) = &book.cover else {
        return Ok(None);
    };
    let jpeg = cx
        .cover_jpeg
        .get(cover)
        .map_err(|e| Diagnostic::error_in(cx.config.path.clone(), format!("cover: {e}")))?;
    Ok(Some((
        "images/cover.jpg".into(),
        "image/jpeg",
        jpeg.to_vec(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Asset {
        let mut bytes = Vec::new();
        image::RgbImage::new(w, h)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .expect("png");
        Asset {
            path: "src/a.png".into(),
            format: ImageFormat::Png,
            width: w,
            height: h,
            bytes,
        }
    }

    #[test]
    fn large_bitmaps_are_scaled_down_small_ones_kept() {
        let small = png(10, 10);
        assert_eq!(for_readers(&small).expect("ok").1, small.bytes);
        let (mt, bytes) = for_readers(&png(3000, 1500)).expect("ok");
        let img = image::load_from_memory(&bytes).expect("decodes");
        assert_eq!((mt, img.width(), img.height()), ("image/png", 2000, 1000));
    }

    #[test]
    fn svg_loses_scripts_and_handlers() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="5" height="5" onclick="evil()" fill="red"/></svg>"#;
        let out = String::from_utf8(sanitised_svg(svg).expect("ok")).expect("utf-8");
        assert!(
            !out.contains("script") && !out.contains("onclick") && !out.contains("alert"),
            "{out}"
        );
        assert!(out.contains("<path") || out.contains("<rect"), "{out}");
    }
}
