//! Images on a page: raster ones embedded at the resolution their printed size needs (at
//! most `MAX_DPI`, downscaled with the `image` crate when the file has far more pixels), SVG
//! drawn as vector graphics with the bundled fonts.

use std::collections::HashMap;
use std::io::Cursor;

use krilla::geom::{Size, Transform};
use krilla::image::Image;
use krilla::surface::Surface;
use krilla_svg::{SurfaceExt, SvgSettings};

use super::error::{ImageProblem, PdfError};
use crate::media::{Asset, ImageFormat};
use crate::typeset::frame::Rect;

/// Print resolution above which an image is downscaled before it is embedded.
pub(super) const MAX_DPI: f32 = 300.0;

/// Prepared images, so one picture drawn twice at one size is converted once.
#[derive(Default)]
pub(super) struct Images {
    raster: HashMap<(usize, u32, u32), Image>,
}

/// What an image becomes on a page.
enum Prepared {
    Raster(Image),
    Svg(Box<resvg::usvg::Tree>),
}

impl Images {
    /// Draws `asset` (identified by `key`) into `rect`.
    pub(super) fn draw(
        &mut self,
        s: &mut Surface,
        key: usize,
        asset: &Asset,
        rect: Rect,
    ) -> Result<(), PdfError> {
        let Some(size) = Size::from_wh(rect.w, rect.h) else {
            return Ok(());
        };
        let prepared = self
            .prepare(key, asset, rect)
            .map_err(|problem| PdfError::Image {
                path: asset.path.clone(),
                problem,
            })?;
        s.push_transform(&Transform::from_translate(rect.x, rect.y));
        match prepared {
            Prepared::Raster(image) => s.draw_image(image, size),
            Prepared::Svg(tree) => {
                s.draw_svg(&tree, size, SvgSettings::default());
            }
        }
        s.pop();
        Ok(())
    }

    fn prepare(&mut self, key: usize, asset: &Asset, rect: Rect) -> Result<Prepared, ImageProblem> {
        if asset.format == ImageFormat::Svg {
            let tree = crate::svg::parse(&asset.bytes, &crate::fonts::data())?;
            return Ok(Prepared::Svg(Box::new(tree)));
        }
        // Pixels the printed size needs at MAX_DPI.
        let need_w = (rect.w / 72.0 * MAX_DPI).ceil().max(1.0) as u32;
        let need_h = (rect.h / 72.0 * MAX_DPI).ceil().max(1.0) as u32;
        let shrink = asset.width > need_w.saturating_mul(3) / 2;
        let k = if shrink {
            (need_w, need_h)
        } else {
            (asset.width, asset.height)
        };
        if let Some(img) = self.raster.get(&(key, k.0, k.1)) {
            return Ok(Prepared::Raster(img.clone()));
        }
        let img = if shrink {
            downscaled(asset, need_w, need_h)?
        } else {
            original(asset)?
        };
        self.raster.insert((key, k.0, k.1), img.clone());
        Ok(Prepared::Raster(img))
    }
}

fn original(asset: &Asset) -> Result<Image, ImageProblem> {
    let data = asset.bytes.clone().into();
    let img = match asset.format {
        ImageFormat::Png => Image::from_png(data, true),
        ImageFormat::Jpeg => Image::from_jpeg(data, true),
        ImageFormat::Gif => Image::from_gif(data, true),
        ImageFormat::Webp => Image::from_webp(data, true),
        ImageFormat::Svg => Err("an SVG is not a raster image".to_string()),
    };
    img.map_err(ImageProblem::Raster)
}

/// The image resized to `w` × `h` pixels: photographs stay JPEG, the rest become PNG.
fn downscaled(asset: &Asset, w: u32, h: u32) -> Result<Image, ImageProblem> {
    let decoded = image::load_from_memory(&asset.bytes)?;
    let small = decoded.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    let mut out = Cursor::new(Vec::new());
    if asset.format == ImageFormat::Jpeg {
        image::DynamicImage::ImageRgb8(small.to_rgb8())
            .write_to(&mut out, image::ImageFormat::Jpeg)?;
        Image::from_jpeg(out.into_inner().into(), true)
    } else {
        small.write_to(&mut out, image::ImageFormat::Png)?;
        Image::from_png(out.into_inner().into(), true)
    }
    .map_err(ImageProblem::Raster)
}
