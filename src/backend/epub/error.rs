//! Why an image cannot be stored in the EPUB: the error of the trait content documents use to
//! store images, kept apart from both sides of it.

/// Why an image cannot be stored in the package.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImageError {
    /// The IR points at an asset it does not hold.
    #[error("image missing from the asset table")]
    NoAsset,
    /// An SVG usvg cannot read.
    #[error(transparent)]
    Svg(#[from] crate::svg::SvgError),
    /// A bitmap that must be converted does not decode.
    #[error("cannot decode `{path}`: {source}")]
    Decode {
        /// The image's path in the book.
        path: String,
        /// Why.
        source: image::ImageError,
    },
    /// The converted bitmap cannot be written.
    #[error("cannot encode `{path}`: {source}")]
    Encode {
        /// The image's path in the book.
        path: String,
        /// Why.
        source: image::ImageError,
    },
}
