//! SVG parsed with usvg under the book's rules: only the bundled fonts (reproducible output)
//! and no file read on the SVG's behalf.

use std::sync::Arc;

/// Parses an SVG with only the given fonts available (no system fonts: reproducible output)
/// and no external files.
pub(crate) fn parse(svg: &[u8], fonts: &[&'static [u8]]) -> Result<resvg::usvg::Tree, SvgError> {
    let mut db = resvg::usvg::fontdb::Database::new();
    for data in fonts {
        db.load_font_source(resvg::usvg::fontdb::Source::Binary(Arc::new(*data)));
    }
    db.set_serif_family(crate::fonts::SERIF);
    db.set_monospace_family(crate::fonts::MONO);
    let options = resvg::usvg::Options {
        fontdb: Arc::new(db),
        font_family: crate::fonts::SERIF.into(),
        // usvg would read any file an `<image href="…">` names, from anywhere on the disk: an
        // SVG in a book may embed only data: URLs, so nothing outside the book is ever read.
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_string: Box::new(|_, _| None),
            ..Default::default()
        },
        ..Default::default()
    };
    resvg::usvg::Tree::from_data(svg, &options).map_err(SvgError)
}

/// An SVG that usvg cannot read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the SVG: {0}")]
pub(crate) struct SvgError(resvg::usvg::Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_never_reads_files_it_names() {
        let dir = std::env::temp_dir().join(format!("kr-svg-href-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let png = dir.join("secret.png");
        image::RgbImage::new(4, 4)
            .save(&png)
            .expect("write a PNG outside any book");
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="8" height="8"><image width="4" height="4" xlink:href="{}"/><image width="4" height="4" href="file://{}"/></svg>"#,
            png.display(),
            png.display()
        );
        let tree = parse(svg.as_bytes(), &[]).expect("parses");
        assert!(
            !tree.root().has_children(),
            "an external image was loaded into the SVG"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
