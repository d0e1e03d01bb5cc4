//! The manifest stage and the package documents: `content.opf` (metadata, manifest, spine) and
//! `META-INF/container.xml`, written by hand so that every field the issue asks for (subtitle,
//! contributors, ISBN, accessibility) is under our control.

use crate::ir::BookMeta;
use crate::slug::UniqueNames;
use crate::xml::escape;

use super::documents::Document;
use super::resources::Stored;
use super::xhtml;

/// One file of the package, in manifest order.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Manifest id.
    pub(crate) id: String,
    /// Path relative to the OPF's directory.
    pub(crate) href: String,
    /// Its media type.
    pub(crate) media_type: &'static str,
    /// The manifest `properties`, if any.
    pub(crate) properties: Option<&'static str>,
    /// Its content.
    pub(crate) bytes: Vec<u8>,
}

impl Item {
    /// An item without properties.
    fn plain(id: String, href: String, media_type: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            id,
            href,
            media_type,
            properties: None,
            bytes,
        }
    }
}

/// Everything `content.opf` describes.
pub(crate) struct Package<'a> {
    /// The book's metadata.
    pub(crate) meta: &'a BookMeta,
    /// The book's authors edited it (proceedings); otherwise they wrote it.
    pub(crate) editors: bool,
    /// The unique identifier, see [`identifier`].
    pub(crate) identifier: String,
    /// `dcterms:modified`, `YYYY-MM-DDThh:mm:ssZ`.
    pub(crate) modified: String,
    /// Speakers, in order of first appearance.
    pub(crate) contributors: Vec<String>,
    /// The manifest, see [`manifest`].
    pub(crate) items: Vec<Item>,
    /// Manifest ids in reading order.
    pub(crate) spine: Vec<String>,
    /// Some content document shows an image.
    pub(crate) has_images: bool,
    /// The book has a cover image.
    pub(crate) has_cover: bool,
}

/// `META-INF/container.xml`: where the package document is.
pub(crate) const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
  <rootfiles>\n\
    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n\
  </rootfiles>\n\
</container>\n";

/// The files a manifest lists besides the content documents.
pub(crate) struct Parts {
    /// `nav.xhtml`.
    pub(crate) nav: String,
    /// `style.css`.
    pub(crate) css: String,
    /// The cover image.
    pub(crate) cover: Option<Stored>,
    /// The images of the documents.
    pub(crate) images: Vec<Stored>,
    /// The embedded fonts.
    pub(crate) fonts: Vec<Item>,
}

/// The manifest — nav, stylesheet, cover image, content documents, images, fonts — and the
/// spine: the content documents in reading order.
pub(crate) fn manifest(
    meta: &BookMeta,
    docs: Vec<Document>,
    parts: Parts,
) -> (Vec<Item>, Vec<String>) {
    let mut items = vec![
        Item {
            id: "nav".into(),
            href: "nav.xhtml".into(),
            media_type: "application/xhtml+xml",
            properties: Some("nav"),
            bytes: parts.nav.into_bytes(),
        },
        Item::plain(
            "style".into(),
            "style.css".into(),
            "text/css",
            parts.css.into_bytes(),
        ),
    ];
    if let Some((href, media_type, bytes)) = parts.cover {
        items.push(Item {
            id: "cover-image".into(),
            href,
            media_type,
            properties: Some("cover-image"),
            bytes,
        });
    }
    let mut spine = Vec::new();
    let mut ids = UniqueNames::default();
    for doc in docs {
        let id = item_id(&doc.file, &mut ids);
        spine.push(id.clone());
        let bytes = xhtml::document(meta, &doc.title, &doc.body).into_bytes();
        items.push(Item::plain(id, doc.file, "application/xhtml+xml", bytes));
    }
    for (href, media_type, bytes) in parts.images {
        items.push(Item::plain(
            item_id(&href, &mut ids),
            href,
            media_type,
            bytes,
        ));
    }
    items.extend(parts.fonts);
    (items, spine)
}

/// A manifest id for `href`: an XML name, unique.
fn item_id(href: &str, used: &mut UniqueNames) -> String {
    let stem = href.rsplit_once('.').map_or(href, |(s, _)| s);
    let base: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    used.unique(&format!("x-{base}"))
}

impl Package<'_> {
    /// `content.opf`: metadata, manifest and spine.
    pub(crate) fn opf(&self) -> String {
        let lang = escape(&self.meta.language);
        let mut s = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{lang}\">\n\
             <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        );
        for l in self.metadata() {
            s.push_str("  ");
            s.push_str(&l);
            s.push('\n');
        }
        s.push_str("</metadata>\n<manifest>\n");
        s.push_str(
            "  <item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n",
        );
        for item in &self.items {
            s.push_str(&format!(
                "  <item id=\"{}\" href=\"{}\" media-type=\"{}\"{}/>\n",
                escape(&item.id),
                escape(&item.href),
                item.media_type,
                item.properties
                    .map(|p| format!(" properties=\"{p}\""))
                    .unwrap_or_default()
            ));
        }
        s.push_str("</manifest>\n<spine toc=\"ncx\"");
        if self.meta.rtl {
            s.push_str(" page-progression-direction=\"rtl\"");
        }
        s.push_str(">\n");
        for id in &self.spine {
            s.push_str(&format!("  <itemref idref=\"{}\"/>\n", escape(id)));
        }
        s.push_str("</spine>\n</package>\n");
        s
    }

    /// The lines of the `metadata` element.
    fn metadata(&self) -> Vec<String> {
        let m = self.meta;
        let mut out = Vec::new();
        let mut line = |l: String| out.push(l);
        line(format!(
            "<dc:identifier id=\"pub-id\">{}</dc:identifier>",
            escape(&self.identifier)
        ));
        if self.identifier.starts_with("urn:isbn:") {
            line("<meta refines=\"#pub-id\" property=\"identifier-type\" scheme=\"onix:codelist5\">15</meta>".into());
        }
        line(format!(
            "<dc:title id=\"title\">{}</dc:title>",
            escape(&m.title)
        ));
        line("<meta refines=\"#title\" property=\"title-type\">main</meta>".into());
        if let Some(sub) = &m.subtitle {
            line(format!(
                "<dc:title id=\"subtitle\">{}</dc:title>",
                escape(sub)
            ));
            line("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".into());
        }
        line(format!(
            "<dc:language>{}</dc:language>",
            escape(&m.language)
        ));
        let role = if self.editors { "edt" } else { "aut" };
        for (i, a) in m.authors.iter().enumerate() {
            let id = format!("creator-{}", i + 1);
            line(format!(
                "<dc:creator id=\"{id}\">{}</dc:creator>",
                escape(a)
            ));
            line(format!(
                "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{role}</meta>"
            ));
        }
        for (i, c) in self.contributors.iter().enumerate() {
            let id = format!("contributor-{}", i + 1);
            line(format!(
                "<dc:contributor id=\"{id}\">{}</dc:contributor>",
                escape(c)
            ));
            line(format!(
                "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">spk</meta>"
            ));
        }
        if let Some(p) = &m.publisher {
            line(format!("<dc:publisher>{}</dc:publisher>", escape(p)));
        }
        if let Some(d) = &m.description {
            line(format!("<dc:description>{}</dc:description>", escape(d)));
        }
        for subject in &m.subjects {
            line(format!("<dc:subject>{}</dc:subject>", escape(subject)));
        }
        if let Some(d) = &m.date {
            line(format!("<dc:date>{}</dc:date>", escape(d)));
        }
        line(format!(
            "<meta property=\"dcterms:modified\">{}</meta>",
            self.modified
        ));
        self.accessibility().into_iter().for_each(&mut line);
        if self.has_cover {
            // EPUB 2 readers (and Kindle's converter) find the cover through this.
            line("<meta name=\"cover\" content=\"cover-image\"/>".into());
        }
        out
    }

    /// schema.org accessibility metadata (EPUB Accessibility 1.0).
    fn accessibility(&self) -> Vec<String> {
        let meta = |p: &str, v: &str| format!("<meta property=\"schema:{p}\">{v}</meta>");
        let mut out = vec![meta("accessMode", "textual")];
        if self.has_images || self.has_cover {
            out.push(meta("accessMode", "visual"));
        }
        out.push(meta("accessModeSufficient", "textual"));
        for f in ["tableOfContents", "structuralNavigation", "readingOrder"] {
            out.push(meta("accessibilityFeature", f));
        }
        if self.has_images {
            out.push(meta("accessibilityFeature", "alternativeText"));
        }
        out.push(meta("accessibilityHazard", "none"));
        let summary = if self.has_images {
            "All content is text, structured with headings and a table of contents in reading order; images have text alternatives."
        } else {
            "All content is text, structured with headings and a table of contents in reading order."
        };
        out.push(meta("accessibilitySummary", summary));
        out
    }
}

/// The configured URN or ISBN; otherwise a name-based UUID from the title and authors, so the
/// same book keeps the same identifier from build to build. The flag tells whether a configured
/// identifier had to be replaced.
pub(crate) fn identifier(meta: &BookMeta) -> (String, bool) {
    if let Some(id) = meta.identifier.as_deref().map(str::trim) {
        if id.len() > 4 && id[..4].eq_ignore_ascii_case("urn:") && !id.contains(char::is_whitespace)
        {
            return (id.to_string(), false);
        }
        if let Some(isbn) = isbn(id) {
            return (format!("urn:isbn:{isbn}"), false);
        }
    }
    let name = format!("kr-publish\n{}\n{}", meta.title, meta.authors.join("\n"));
    let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
    (format!("urn:uuid:{uuid}"), meta.identifier.is_some())
}

/// The digits of a valid ISBN-10 or ISBN-13 (hyphens, spaces and an `isbn:` prefix allowed).
fn isbn(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let body = lower.strip_prefix("isbn:").unwrap_or(&lower).trim();
    let digits: String = body
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let vals: Vec<u32> = digits
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            'X' if i == 9 && digits.len() == 10 => Some(10),
            c => c.to_digit(10),
        })
        .collect::<Option<_>>()?;
    let ok = match vals.len() {
        10 => {
            vals.iter()
                .enumerate()
                .map(|(i, v)| (10 - i as u32) * v)
                .sum::<u32>()
                % 11
                == 0
        }
        13 => {
            vals.iter()
                .enumerate()
                .map(|(i, v)| if i % 2 == 0 { *v } else { 3 * v })
                .sum::<u32>()
                % 10
                == 0
        }
        _ => false,
    };
    ok.then_some(digits)
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH` when set, else the book's date at midnight UTC,
/// else the Unix epoch — never the wall clock.
pub(crate) fn modified(meta: &BookMeta, source_date_epoch: Option<i64>) -> String {
    crate::dates::Utc::of_build(meta, source_date_epoch).rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> BookMeta {
        BookMeta {
            title: "T".into(),
            authors: vec!["A".into()],
            language: "en".into(),
            date: Some("2023-09-27".into()),
            ..BookMeta::default()
        }
    }

    #[test]
    fn modified_date_comes_from_the_epoch_or_the_book() {
        let m = meta();
        assert_eq!(modified(&m, Some(0)), "1970-01-01T00:00:00Z");
        assert_eq!(modified(&m, Some(1_695_800_000)), "2023-09-27T07:33:20Z");
        assert_eq!(modified(&m, Some(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(modified(&m, None), "2023-09-27T00:00:00Z");
    }

    #[test]
    fn identifier_is_configured_or_derived_and_stable() {
        let mut m = meta();
        m.identifier = Some("urn:uuid:7b2e4c91-5d3a-4f86-9c1e-2a8d6f0b3e57".into());
        assert_eq!(
            identifier(&m).0,
            "urn:uuid:7b2e4c91-5d3a-4f86-9c1e-2a8d6f0b3e57"
        );
        m.identifier = Some("978-3-16-148410-0".into());
        assert_eq!(identifier(&m), ("urn:isbn:9783161484100".into(), false));
        m.identifier = Some("0-306-40615-2".into());
        assert_eq!(identifier(&m).0, "urn:isbn:0306406152");
        m.identifier = Some("978-3-16-148410-1".into()); // bad check digit
        let (derived, replaced) = identifier(&m);
        assert!(replaced && derived.starts_with("urn:uuid:"), "{derived}");
        m.identifier = None;
        assert_eq!(identifier(&m), (derived.clone(), false));
        m.title = "Other".into();
        assert_ne!(identifier(&m).0, derived);
    }
}
