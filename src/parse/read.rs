//! Reading the text files a book's content names (SUMMARY.md, chapters, included files), with
//! the checks every one of them gets.

use std::path::Path;

use crate::paths::PathError;

/// Why a text file of the book cannot be read; `what` names it in messages.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    /// Nothing at its path.
    #[error("{what} does not exist")]
    Missing {
        /// The file, as messages name it.
        what: String,
    },
    /// It resolves outside the book, or not at all, or is not a file of a sensible size.
    #[error(transparent)]
    Path(#[from] PathError),
    /// Not UTF-8.
    #[error("{what} is not UTF-8 text (invalid bytes on its line {line})")]
    NotUtf8 {
        /// The file, as messages name it.
        what: String,
        /// The line of the first invalid byte.
        line: usize,
    },
}

/// Reads a text file the book names, after checking it lies inside the book's directory, is a
/// file, is not huge and is UTF-8. `what` names it in messages.
pub(crate) fn read_text(book_dir: &Path, rel: &str, what: &str) -> Result<String, ReadError> {
    let what = || what.to_string();
    if std::fs::symlink_metadata(book_dir.join(rel)).is_err() {
        return Err(ReadError::Missing { what: what() });
    }
    let bytes = crate::paths::read_inside(book_dir, rel, &what(), MAX_TEXT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        ReadError::NotUtf8 { what: what(), line }
    })
}

/// The largest Markdown file read: far beyond any real chapter, small enough to never exhaust memory.
const MAX_TEXT_BYTES: u64 = 64 << 20;
