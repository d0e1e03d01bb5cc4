//! The OCF container: a zip whose bytes depend only on its contents, so that two builds of the
//! same book are identical (fixed timestamps and permissions, entries in a fixed order).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::package::{Item, CONTAINER};

/// The zip writer failed on an entry (or on the archive as a whole).
#[derive(Debug, thiserror::Error)]
#[error("cannot zip {what}: {why}")]
pub(crate) struct ZipFailed {
    /// The entry, or "the archive".
    what: String,
    /// The writer's complaint (an I/O or a zip error).
    why: String,
}

/// The EPUB: the container file, the package document `opf`, the NCX and the manifest's
/// `items`, in that order, stamped with `modified`.
pub(crate) fn epub(
    opf: &str,
    ncx: &str,
    items: Vec<Item>,
    modified: &str,
) -> Result<Vec<u8>, ZipFailed> {
    let mut files = vec![
        (
            "META-INF/container.xml".to_string(),
            CONTAINER.as_bytes().to_vec(),
        ),
        ("OEBPS/content.opf".to_string(), opf.as_bytes().to_vec()),
        ("OEBPS/toc.ncx".to_string(), ncx.as_bytes().to_vec()),
    ];
    for item in items {
        files.push((format!("OEBPS/{}", item.href), item.bytes));
    }
    zip(&files, modified)
}

/// Zips `files` (path, bytes) after the `mimetype` entry, which EPUB requires first, stored
/// uncompressed and without extra fields. `modified` (`YYYY-MM-DDThh:mm:ssZ`) stamps every entry.
fn zip(files: &[(String, Vec<u8>)], modified: &str) -> Result<Vec<u8>, ZipFailed> {
    let stamp = dos_time(modified);
    let base = SimpleFileOptions::default()
        .last_modified_time(stamp)
        .unix_permissions(0o644)
        .large_file(false);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let fail = |what: &str, e: &dyn std::fmt::Display| ZipFailed {
        what: what.to_string(),
        why: e.to_string(),
    };
    w.start_file(
        "mimetype",
        base.compression_method(CompressionMethod::Stored),
    )
    .map_err(|e| fail("mimetype", &e))?;
    w.write_all(b"application/epub+zip")
        .map_err(|e| fail("mimetype", &e))?;
    // Level 6, not 9: on the KR book 9 cost a sixth of the EPUB's instructions (81 M against
    // 67 M, the cover cached) to save 0.25% of its size.
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6));
    for (path, bytes) in files {
        w.start_file(path.as_str(), deflated)
            .map_err(|e| fail(path, &e))?;
        w.write_all(bytes).map_err(|e| fail(path, &e))?;
    }
    let cursor = w.finish().map_err(|e| fail("the archive", &e))?;
    Ok(cursor.into_inner())
}

/// The DOS timestamp of an ISO date-time, clamped to the zip format's range.
fn dos_time(iso: &str) -> DateTime {
    let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<u16>().ok());
    let parts = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    );
    if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts {
        let y = y.clamp(1980, 2107);
        if let Ok(t) =
            DateTime::from_date_and_time(y, mo as u8, d as u8, h as u8, mi as u8, s as u8)
        {
            return t;
        }
    }
    DateTime::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_comes_first_stored_without_extra_field() {
        let files = vec![("OEBPS/a.xhtml".to_string(), b"<p/>".repeat(100))];
        let bytes = zip(&files, "2023-09-27T10:20:30Z").expect("zip");
        // Local file header: signature, then method at 8, name length at 26, extra length at 28.
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0, "stored");
        assert_eq!(u16::from_le_bytes([bytes[26], bytes[27]]), 8);
        assert_eq!(
            u16::from_le_bytes([bytes[28], bytes[29]]),
            0,
            "no extra field"
        );
        assert_eq!(&bytes[30..58], b"mimetypeapplication/epub+zip");
        assert_eq!(bytes, zip(&files, "2023-09-27T10:20:30Z").expect("zip"));
        assert_ne!(bytes, zip(&files, "2024-01-01T00:00:00Z").expect("zip"));
    }
}
