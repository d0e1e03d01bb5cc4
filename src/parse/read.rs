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
    /// It resolves outside the book, or not at all.
    #[error(transparent)]
    Path(#[from] PathError),
    /// The file system refused.
    #[error("cannot read {what}: {source}")]
    Unreadable {
        /// The file, as messages name it.
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// A directory or other non-file.
    #[error("{what} is not a file")]
    NotAFile {
        /// The file, as messages name it.
        what: String,
    },
    /// Larger than [`MAX_TEXT_BYTES`].
    #[error("{what} is {len} bytes; the limit is {MAX_TEXT_BYTES}")]
    TooBig {
        /// The file, as messages name it.
        what: String,
        /// Its size.
        len: u64,
    },
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
    let real = crate::paths::inside_book(book_dir, rel, &what())?;
    let unreadable = |source| ReadError::Unreadable {
        what: what(),
        source,
    };
    let meta = std::fs::metadata(&real).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile { what: what() });
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TooBig {
            what: what(),
            len: meta.len(),
        });
    }
    let bytes = std::fs::read(&real).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        ReadError::NotUtf8 { what: what(), line }
    })
}

/// The largest Markdown file read: far beyond any real chapter, small enough to never exhaust memory.
const MAX_TEXT_BYTES: u64 = 64 << 20;
