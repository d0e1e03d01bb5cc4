//! The bundled fonts (`fonts/`, with their licences), compiled into the binary so the tool
//! works from any directory and every machine renders the same: Gentium Book Plus for text,
//! DejaVu Sans Mono for code. One copy serves the PDF typesetter, the cover renderer and the
//! EPUB's optional embedded fonts.

/// (face name, bytes), in the order the typesetter's face ids use: regular, italic, bold,
/// bold italic, mono.
pub(crate) const BUNDLED: [(&str, &[u8]); 5] = [
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
];

/// The text family's name, for SVG and CSS.
pub(crate) const SERIF: &str = "Gentium Book Plus";
/// The code family's name.
pub(crate) const MONO: &str = "DejaVu Sans Mono";

/// The bytes of every bundled face.
pub(crate) fn data() -> Vec<&'static [u8]> {
    BUNDLED.iter().map(|(_, d)| *d).collect()
}
