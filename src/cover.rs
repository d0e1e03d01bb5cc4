//! The book's cover. While the IR is built it is loaded (an SVG, PNG or JPEG named by
//! `cover` in `[publish]`) or generated from the title (`cover = "generate"`) as SVG; backends
//! that need a bitmap rasterise it here, with the bundled fonts only, so every machine draws the
//! same cover.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::ir::BookMeta;
use crate::media::{Asset, ImageFormat};
use crate::xml::escape;

/// The `cover` value that asks for a generated typographic cover.
pub(crate) const GENERATE: &str = "generate";

/// Size of the bitmap cover e-readers expect (portrait, 1:1.6).
pub(crate) const BITMAP_WIDTH: u32 = 1600;
pub(crate) const BITMAP_HEIGHT: u32 = 2560;

/// Loads the configured cover (`cover` relative to the book directory) or generates one.
pub(crate) fn load(
    cover: &str,
    meta: &BookMeta,
    book_dir: &Path,
) -> Result<Asset, crate::assets::ImageError> {
    if cover == GENERATE {
        let svg = generated_svg(meta);
        return Ok(Asset {
            path: "generated-cover.svg".into(),
            format: ImageFormat::Svg,
            width: BITMAP_WIDTH,
            height: BITMAP_HEIGHT,
            bytes: svg.into_bytes(),
        });
    }
    // The cover is named by the book's own configuration, not by its text, so unlike chapter
    // images it may live beside the book (the repository's top-level `covers/`).
    crate::assets::read_file(book_dir, cover)
}

/// A typographic cover from the title, subtitle and authors.
pub(crate) fn generated_svg(meta: &BookMeta) -> String {
    let mut lines = String::new();
    let mut y = 900;
    for line in wrap_words(&meta.title, 14) {
        lines.push_str(&format!(
            "  <text x=\"160\" y=\"{y}\" font-family=\"Gentium Book Plus\" font-weight=\"bold\" font-size=\"150\" fill=\"#f4efe6\">{}</text>\n",
            escape(&line)
        ));
        y += 170;
    }
    y += 60;
    lines.push_str(&format!(
        "  <rect x=\"160\" y=\"{y}\" width=\"1280\" height=\"6\" fill=\"#e8833a\"/>\n"
    ));
    y += 140;
    if let Some(sub) = &meta.subtitle {
        for line in wrap_words(sub, 30) {
            lines.push_str(&format!(
                "  <text x=\"160\" y=\"{y}\" font-family=\"Gentium Book Plus\" font-style=\"italic\" font-size=\"80\" fill=\"#f4efe6\">{}</text>\n",
                escape(&line)
            ));
            y += 100;
        }
    }
    let mut y = 2360 - 90 * meta.authors.len().saturating_sub(1).min(4) as i32;
    for author in meta.authors.iter().take(5) {
        lines.push_str(&format!(
            "  <text x=\"160\" y=\"{y}\" font-family=\"Gentium Book Plus\" font-size=\"72\" fill=\"#c9c2b6\">{}</text>\n",
            escape(author)
        ));
        y += 90;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{BITMAP_WIDTH}\" height=\"{BITMAP_HEIGHT}\" viewBox=\"0 0 {BITMAP_WIDTH} {BITMAP_HEIGHT}\">\n  <rect width=\"{BITMAP_WIDTH}\" height=\"{BITMAP_HEIGHT}\" fill=\"#1b2230\"/>\n{lines}</svg>\n"
    )
}

fn wrap_words(text: &str, max_chars: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max_chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// The cover as the JPEG that e-readers and the capsule get (`BITMAP_WIDTH` ×
/// `BITMAP_HEIGHT` at most). Rendering it is the slowest step of a small book's build, so a
/// build owns one of these and the first backend that asks renders it for all the others; with
/// a cache folder (`CoverJpeg::cached_in`) a rebuild reuses the JPEG an earlier build made
/// from the same cover.
#[derive(Debug, Default)]
pub struct CoverJpeg {
    jpeg: OnceLock<Result<Vec<u8>, CoverError>>,
    took: OnceLock<Duration>,
    /// Where encoded covers are kept between builds, if anywhere.
    cache: Option<PathBuf>,
    /// The cache file name of a JPEG rendered (not read from the cache) by this build.
    fresh: OnceLock<String>,
}

/// What, besides the cover's own bytes, decides the JPEG: a new version may draw or encode
/// differently, so it never reads an older version's cache.
const CACHE_SALT: &str = concat!("kr-publish ", env!("CARGO_PKG_VERSION"), " cover jpeg q85");

impl CoverJpeg {
    /// A cover JPEG that reuses (and, once the build is written, [`stores`](Self::store)) the
    /// encoded cover in `dir`, content-addressed by the cover's bytes, size and encoder.
    pub(crate) fn cached_in(dir: PathBuf) -> Self {
        Self {
            cache: Some(dir),
            ..Self::default()
        }
    }

    /// The JPEG of `cover`, rendered on the first call (a second caller waits for it).
    pub(crate) fn get(&self, cover: &Asset) -> Result<&[u8], &CoverError> {
        self.jpeg
            .get_or_init(|| {
                let start = Instant::now();
                let name = cache_name(cover);
                let cached = self
                    .cache
                    .as_ref()
                    .and_then(|d| read_cached(&d.join(&name)));
                let jpeg = match cached {
                    Some(jpeg) => Ok(jpeg),
                    None => {
                        let r =
                            render_jpeg(cover, &crate::fonts::data(), BITMAP_WIDTH, BITMAP_HEIGHT);
                        if r.is_ok() {
                            let _ = self.fresh.set(name);
                        }
                        r
                    }
                };
                let _ = self.took.set(start.elapsed());
                jpeg
            })
            .as_deref()
    }

    /// How long getting the JPEG took (rendering it, or reading it from the cache), once done.
    pub(crate) fn took(&self) -> Option<Duration> {
        self.took.get().copied()
    }

    /// Keeps a JPEG this build rendered in the cache folder for the next build, in place of
    /// any older cover there, and removes the temporary files of builds killed while storing
    /// (`gone` tells whether a PID's process is gone). Best effort: a cache that cannot be
    /// written is only slower.
    pub(crate) fn store(&self, gone: impl Fn(u64) -> bool) {
        let (Some(dir), Some(name), Some(Ok(jpeg))) =
            (&self.cache, self.fresh.get(), self.jpeg.get())
        else {
            return;
        };
        if fs::create_dir_all(dir).is_err() {
            return;
        }
        if let Ok(entries) = fs::read_dir(dir) {
            for e in entries.flatten() {
                let n = e.file_name();
                let n = n.to_string_lossy();
                let older = n.starts_with("cover-") && n.ends_with(".jpg") && n != name.as_str();
                if older || stale_temp(&n, &gone) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        // Written under a temporary name and renamed, so a reader never sees half a file.
        let tmp = dir.join(format!(".{name}.{}", std::process::id()));
        if fs::write(&tmp, jpeg).is_err() || fs::rename(&tmp, dir.join(name)).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// A temporary cache file (`.cover-….jpg.PID`) that a build killed while storing left, its
/// process gone.
fn stale_temp(file: &str, gone: impl Fn(u64) -> bool) -> bool {
    let Some((stem, pid)) = file.rsplit_once('.') else {
        return false;
    };
    stem.starts_with(".cover-")
        && stem.ends_with(".jpg")
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && pid.parse::<u64>().is_ok_and(gone)
}

/// The cache file of `cover`'s JPEG: named by a SHA-1 (as a name-based UUID) of everything that
/// decides it.
fn cache_name(cover: &Asset) -> String {
    let mut key = Vec::with_capacity(cover.bytes.len() + 64);
    key.extend_from_slice(CACHE_SALT.as_bytes());
    key.extend_from_slice(
        format!("\0{BITMAP_WIDTH}x{BITMAP_HEIGHT}\0{:?}\0", cover.format).as_bytes(),
    );
    key.extend_from_slice(&cover.bytes);
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &key);
    format!("cover-{}.jpg", id.simple())
}

/// A cached JPEG, if there is one that looks whole (starts and ends with its markers).
fn read_cached(path: &Path) -> Option<Vec<u8>> {
    let bytes = fs::read(path).ok()?;
    (bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9])).then_some(bytes)
}

/// Why the cover cannot be made into a JPEG.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CoverError {
    /// An SVG cover usvg cannot read.
    #[error(transparent)]
    Svg(#[from] crate::svg::SvgError),
    /// The bitmap is too large to allocate.
    #[error("cannot allocate the cover bitmap")]
    Alloc,
    /// A raster cover that does not decode.
    #[error("cannot decode the cover: {0}")]
    Decode(image::ImageError),
    /// Wider or taller than a JPEG can be.
    #[error("cover too {0}")]
    TooLarge(&'static str),
    /// The JPEG encoder refused.
    #[error("cannot encode the cover: {0}")]
    Encode(jpeg_encoder::EncodingError),
}

fn render_jpeg(
    cover: &Asset,
    fonts: &[&'static [u8]],
    max_w: u32,
    max_h: u32,
) -> Result<Vec<u8>, CoverError> {
    // (pixels, width, height, colour type): an opaque RGBA bitmap for SVG, RGB otherwise.
    let (pixels, w, h, colour) = match cover.format {
        ImageFormat::Svg => {
            let tree = crate::svg::parse(&cover.bytes, fonts)?;
            let size = tree.size();
            let scale = (max_w as f32 / size.width()).min(max_h as f32 / size.height());
            let (w, h) = (
                (size.width() * scale).round() as u32,
                (size.height() * scale).round() as u32,
            );
            let pixmap = svg_pixmap(&tree, w, h, scale).ok_or(CoverError::Alloc)?;
            let (w, h) = (pixmap.width(), pixmap.height());
            (pixmap.take(), w, h, jpeg_encoder::ColorType::Rgba)
        }
        _ => {
            let img = image::load_from_memory(&cover.bytes).map_err(CoverError::Decode)?;
            let img = if img.width() > max_w || img.height() > max_h {
                img.resize(max_w, max_h, image::imageops::FilterType::Lanczos3)
            } else {
                img
            };
            let rgb = img.to_rgb8();
            let (w, h) = rgb.dimensions();
            (rgb.into_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        }
    };
    let (w, h) = (
        u16::try_from(w).map_err(|_| CoverError::TooLarge("wide"))?,
        u16::try_from(h).map_err(|_| CoverError::TooLarge("tall"))?,
    );
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&pixels, w, h, colour)
        .map_err(CoverError::Encode)?;
    Ok(out)
}

/// `tree` drawn at `scale` into a `w` × `h` bitmap on an opaque white ground (where
/// premultiplied RGBA equals plain RGBA).
fn svg_pixmap(
    tree: &resvg::usvg::Tree,
    w: u32,
    h: u32,
    scale: f32,
) -> Option<resvg::tiny_skia::Pixmap> {
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Some(pixmap)
}

/// The colour around the cover's edges (the commonest of its border pixels, drawn small):
/// what a page of another shape shows around the whole cover, so nothing of it is cropped.
pub(crate) fn edge_colour(cover: &Asset) -> Option<(u8, u8, u8)> {
    const SMALL: u32 = 64;
    let (pixels, w, h) = match cover.format {
        ImageFormat::Svg => {
            let tree = crate::svg::parse(&cover.bytes, &crate::fonts::data()).ok()?;
            let size = tree.size();
            let scale = SMALL as f32 / size.width().max(size.height());
            let (w, h) = (
                (size.width() * scale).round().max(1.0) as u32,
                (size.height() * scale).round().max(1.0) as u32,
            );
            let pixmap = svg_pixmap(&tree, w, h, scale)?;
            let rgb: Vec<u8> = pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            (rgb, w, h)
        }
        _ => {
            let img = image::load_from_memory(&cover.bytes).ok()?;
            let img = img.thumbnail(SMALL, SMALL).to_rgb8();
            let (w, h) = img.dimensions();
            (img.into_raw(), w, h)
        }
    };
    let at = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        pixels.get(i..i + 3).map(|p| (p[0], p[1], p[2]))
    };
    let border = (0..w)
        .flat_map(|x| [at(x, 0), at(x, h - 1)])
        .chain((0..h).flat_map(|y| [at(0, y), at(w - 1, y)]))
        .flatten();
    let mut counts: std::collections::HashMap<(u8, u8, u8), usize> = Default::default();
    for p in border {
        *counts.entry(p).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(p, n)| (n, p))
        .map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dead_builds_temporary_cache_files_are_stale() {
        let me = std::process::id();
        let dead = 1u64 << 40;
        let gone = |p: u64| p == dead;
        assert!(stale_temp(&format!(".cover-ab.jpg.{dead}"), gone));
        for kept in [
            format!(".cover-ab.jpg.{me}"),
            format!("cover-ab.jpg.{dead}"),
            format!(".cover-ab.png.{dead}"),
            ".cover-ab.jpg.".to_string(),
            ".cover-ab.jpg.12x".to_string(),
            "cover-ab.jpg".to_string(),
        ] {
            assert!(!stale_temp(&kept, gone), "{kept}");
        }
    }

    #[test]
    fn edge_colour_is_the_covers_ground() {
        let meta = BookMeta {
            title: "A Title".into(),
            ..Default::default()
        };
        let svg = generated_svg(&meta);
        let cover = Asset {
            path: "c.svg".into(),
            format: ImageFormat::Svg,
            width: BITMAP_WIDTH,
            height: BITMAP_HEIGHT,
            bytes: svg.into_bytes(),
        };
        assert_eq!(edge_colour(&cover), Some((0x1b, 0x22, 0x30)));
    }

    #[test]
    fn generated_cover_escapes_and_wraps() {
        let meta = BookMeta {
            title: "Rust & <Friends>: a very long title indeed".into(),
            subtitle: Some("Sub".into()),
            authors: vec!["A. Author".into()],
            ..Default::default()
        };
        let svg = generated_svg(&meta);
        assert!(
            svg.contains(">Rust &#38;<") && svg.contains("&#60;Friends&#62;:"),
            "{svg}"
        );
        assert!(
            svg.matches("font-size=\"150\"").count() >= 3,
            "the title wraps"
        );
        assert!(svg.contains(">A. Author<"));
    }
}
