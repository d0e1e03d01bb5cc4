//! Paths the book's content names (chapters, images, link targets): joined and normalised
//! lexically, then checked to resolve inside the book's folder after following symlinks.
//!
//! The rule: nothing outside the folder that holds `book.toml` is read because of what a chapter
//! or SUMMARY.md says. Paths that `book.toml` names (cover, fonts, CSS) are the owner's
//! configuration and do not come through here.

use std::path::{Path, PathBuf};

/// `rel` joined onto the directory of `from` (both `/`-separated and relative to the same root),
/// with `.` and `..` resolved. `None` when `rel` is absolute or climbs above the root.
pub(crate) fn join(from: &str, rel: &str) -> Option<String> {
    if rel.starts_with(['/', '\\']) || Path::new(rel).is_absolute() || has_drive(rel) {
        return None;
    }
    let mut parts: Vec<&str> = from
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    parts.pop();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `C:` and the like: absolute on Windows, and never a book-relative path anywhere.
fn has_drive(rel: &str) -> bool {
    let b = rel.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// The real path of `rel` (relative to `book_dir`), after following symlinks, when it lies
/// inside the book's folder. `what` names the file in messages (e.g. "chapter `a.md`").
fn inside_book(book_dir: &Path, rel: &str, what: &str) -> Result<PathBuf, PathError> {
    let path = book_dir.join(rel);
    let real = path
        .canonicalize()
        .map_err(|source| PathError::Unreadable {
            what: what.to_string(),
            source,
        })?;
    let root = book_dir.canonicalize().map_err(PathError::NoBookDir)?;
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(PathError::Outside {
            what: what.to_string(),
            real,
        })
    }
}

/// The bytes of `rel` (relative to `book_dir`), after checking that it lies inside the book's
/// folder, is a file and is at most `limit` bytes (checked before reading, so a huge file is
/// never loaded). `what` names the file in messages.
pub(crate) fn read_inside(
    book_dir: &Path,
    rel: &str,
    what: &str,
    limit: u64,
) -> Result<Vec<u8>, PathError> {
    let real = inside_book(book_dir, rel, what)?;
    let unreadable = |source| PathError::Unreadable {
        what: what.to_string(),
        source,
    };
    let meta = std::fs::metadata(&real).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(PathError::NotAFile {
            what: what.to_string(),
        });
    }
    if meta.len() > limit {
        return Err(PathError::TooBig {
            what: what.to_string(),
            len: meta.len(),
            limit,
        });
    }
    std::fs::read(&real).map_err(unreadable)
}

/// Why a path the book's content names cannot be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PathError {
    /// It does not resolve (missing, or a broken symlink).
    #[error("cannot read {what}: {source}")]
    Unreadable {
        /// The file, as messages name it.
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// The book's own directory does not resolve.
    #[error("cannot resolve the book's directory: {0}")]
    NoBookDir(std::io::Error),
    /// It resolves outside the book's directory.
    #[error("{what} is outside the book's directory (it resolves to {}); nothing of it is read", .real.display())]
    Outside {
        /// The file, as messages name it.
        what: String,
        /// Where it really is.
        real: PathBuf,
    },
    /// A directory or other non-file.
    #[error("{what} is not a file")]
    NotAFile {
        /// The file, as messages name it.
        what: String,
    },
    /// Larger than the reader accepts.
    #[error("{what} is {len} bytes; the limit is {limit}")]
    TooBig {
        /// The file, as messages name it.
        what: String,
        /// Its size.
        len: u64,
        /// The largest size accepted.
        limit: u64,
    },
}

/// `%XX` escapes decoded (a link or image written `img%20one.png` names `img one.png`).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(
            join("day-2/afternoon.md", "../day-3/morning.md").as_deref(),
            Some("day-3/morning.md")
        );
        assert_eq!(
            join("day-1/morning.md", "./afternoon.md").as_deref(),
            Some("day-1/afternoon.md")
        );
        assert_eq!(join("about.md", "../x.md"), None);
        assert_eq!(join("./about.md", "../x.md"), None);
        assert_eq!(join("./about.md", "x.md").as_deref(), Some("x.md"));
        assert_eq!(join("src/a.md", "/etc/passwd"), None);
        assert_eq!(join("src/a.md", "C:/x.md"), None);
        assert_eq!(join("src/SUMMARY.md", "sub/../../../secret.md"), None);
        assert_eq!(
            join("src/SUMMARY.md", "sub/../x.md").as_deref(),
            Some("src/x.md")
        );
    }

    #[test]
    fn decodes_percent_escapes_only_when_valid() {
        assert_eq!(percent_decode("img%20one.png"), "img one.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%41"), "A");
    }
}
