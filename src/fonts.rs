//! The bundled fonts (`fonts/`, with their licences), compiled into the binary so the tool
//! works from any directory and every machine renders the same: Gentium Book Plus for text,
//! DejaVu Sans Mono (and its oblique, for comments) for code. One copy serves the PDF typesetter, the cover renderer and the
//! EPUB's optional embedded fonts.

use rustybuzz::ttf_parser;

/// (face name, bytes), in the order the typesetter's face ids use: regular, italic, bold,
/// bold italic, mono, mono oblique.
pub(crate) const BUNDLED: [(&str, &[u8]); 6] = [
    (
        "Gentium Book Plus",
        include_bytes!("../fonts/GentiumBookPlus-Regular.ttf"),
    ),
    (
        "Gentium Book Plus Italic",
        include_bytes!("../fonts/GentiumBookPlus-Italic.ttf"),
    ),
    (
        "Gentium Book Plus Bold",
        include_bytes!("../fonts/GentiumBookPlus-Bold.ttf"),
    ),
    (
        "Gentium Book Plus Bold Italic",
        include_bytes!("../fonts/GentiumBookPlus-BoldItalic.ttf"),
    ),
    (
        "DejaVu Sans Mono",
        include_bytes!("../fonts/DejaVuSansMono.ttf"),
    ),
    (
        "DejaVu Sans Mono Oblique",
        include_bytes!("../fonts/DejaVuSansMono-Oblique.ttf"),
    ),
];

/// The text family's name, for SVG and CSS.
pub(crate) const SERIF: &str = "Gentium Book Plus";
/// The code family's name.
pub(crate) const MONO: &str = "DejaVu Sans Mono";

/// The bytes of every bundled face.
pub(crate) fn data() -> Vec<&'static [u8]> {
    BUNDLED.iter().map(|(_, d)| *d).collect()
}

/// Why a font file the book names cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FontError {
    /// The file is not a font at all (or its required tables are broken).
    #[error("not a TrueType/OpenType font ({0})")]
    NotAFont(ttf_parser::FaceParsingError),
    /// A table parses but holds values the shaper cannot use.
    #[error("its {0} table is corrupt")]
    Corrupt(&'static str),
}

/// Checks that `data` is a font the shaper can use, so that a broken file is an error on its
/// line in book.toml rather than a failure (or, in a debug build, a panic inside rustybuzz,
/// which subtracts a coverage range's start from its end) half-way through rendering.
pub(crate) fn validate(data: &[u8], index: u32) -> Result<(), FontError> {
    let face = ttf_parser::Face::parse(data, index).map_err(FontError::NotAFont)?;
    let tables = face.tables();
    if let Some(gsub) = tables.gsub {
        let coverages = gsub.lookups.into_iter().flat_map(|l| {
            l.subtables
                .into_iter::<ttf_parser::gsub::SubstitutionSubtable>()
                .map(|s| s.coverage())
        });
        if !coverages.into_iter().all(ordered) {
            return Err(FontError::Corrupt("GSUB"));
        }
    }
    if let Some(gpos) = tables.gpos {
        let coverages = gpos.lookups.into_iter().flat_map(|l| {
            l.subtables
                .into_iter::<ttf_parser::gpos::PositioningSubtable>()
                .map(|s| s.coverage())
        });
        if !coverages.into_iter().all(ordered) {
            return Err(FontError::Corrupt("GPOS"));
        }
    }
    Ok(())
}

/// Whether every glyph range of `coverage` starts before it ends.
fn ordered(coverage: ttf_parser::opentype_layout::Coverage) -> bool {
    match coverage {
        ttf_parser::opentype_layout::Coverage::Format1 { .. } => true,
        ttf_parser::opentype_layout::Coverage::Format2 { records } => {
            records.into_iter().all(|r| r.start <= r.end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_are_valid_and_garbage_is_not() {
        for data in data() {
            validate(data, 0).expect("a bundled font");
        }
        assert!(matches!(
            validate(b"not a font at all", 0),
            Err(FontError::NotAFont(_))
        ));
    }
}
