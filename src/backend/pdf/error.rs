//! Why the PDF cannot be written, shared by the page writer and the image embedder.

/// Why the PDF cannot be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PdfError {
    /// krilla refuses a face the typesetter accepted.
    #[error("krilla cannot load {0}")]
    Font(&'static str),
    /// A page size krilla refuses.
    #[error("bad page size {w}×{h}")]
    PageSize {
        /// Width in points.
        w: f32,
        /// Height in points.
        h: f32,
    },
    /// An image that cannot be embedded.
    #[error("{path}: {problem}")]
    Image {
        /// The image's path in the book.
        path: String,
        /// Why.
        problem: ImageProblem,
    },
    /// The document breaks the standard it is written to.
    #[error("the PDF breaks its standard in {} places", .0.len())]
    Invalid(Vec<krilla::configure::ValidationError>),
    /// krilla fails to write the document.
    #[error("krilla: {0:?}")]
    Krilla(krilla::error::KrillaError),
}

impl From<krilla::error::KrillaError> for PdfError {
    fn from(e: krilla::error::KrillaError) -> Self {
        match e {
            krilla::error::KrillaError::Validation(v) => {
                PdfError::Invalid(v.into_iter().map(|x| x.0).collect())
            }
            other => PdfError::Krilla(other),
        }
    }
}

/// Why an image cannot be embedded in the PDF.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImageProblem {
    /// An SVG usvg cannot read.
    #[error(transparent)]
    Svg(#[from] crate::svg::SvgError),
    /// krilla refuses the bitmap (its errors are text).
    #[error("{0}")]
    Raster(String),
    /// Scaling it down fails.
    #[error(transparent)]
    Codec(#[from] image::ImageError),
}
