//! `atom.xml`: an Atom 1.0 feed with one entry per talk, for feed readers (Amfora reads only
//! Atom/RSS). Absolute URLs come from the configured base URL; ids are those URLs, so they stay
//! stable across rebuilds. Dates are noon UTC of the talk's day, as the Gemini subscription
//! convention does for dated index links.

use super::layout::Layout;
use crate::ir::{plain_text, BlockKind, Book, Chapter};

/// The feed, or `None` when no date is known to stamp it with.
pub fn feed(
    book: &Book,
    layout: &Layout,
    base_url: &str,
    source_date_epoch: Option<i64>,
) -> Option<String> {
    let talks: Vec<&Chapter> = book
        .chapters()
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| c.is_talk())
        .collect();
    let updated = talks
        .iter()
        .filter_map(|c| c.date.as_deref())
        .max()
        .or(book.meta.date.as_deref())
        .map(noon)
        .or_else(|| source_date_epoch.map(|t| crate::dates::Utc::from_epoch(t).rfc3339()))?;
    let m = &book.meta;
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&m.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", esc(&m.title)));
    if let Some(s) = &m.subtitle {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(s)));
    }
    x.push_str(&format!("  <id>{}</id>\n", esc(base_url)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>\n",
        esc(base_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/gemini\" href=\"{}\"/>\n",
        esc(base_url)
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    for a in &m.authors {
        x.push_str(&format!("  <author><name>{}</name></author>\n", esc(a)));
    }
    x.push_str("  <generator>kr-publish</generator>\n");
    for t in talks {
        let Some(page) = layout.page(&t.id) else {
            continue;
        };
        let url = format!("{base_url}{page}");
        let date = t
            .date
            .as_deref()
            .map(noon)
            .unwrap_or_else(|| updated.clone());
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
        x.push_str(&format!("    <title>{}</title>\n", esc(&t.title)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/gemini\" href=\"{}\"/>\n",
            esc(&url)
        ));
        x.push_str(&format!("    <published>{date}</published>\n"));
        x.push_str(&format!("    <updated>{date}</updated>\n"));
        for s in &t.speakers {
            x.push_str(&format!("    <author><name>{}</name></author>\n", esc(s)));
        }
        if let Some(summary) = summary(t) {
            x.push_str(&format!("    <summary>{}</summary>\n", esc(&summary)));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    Some(x)
}

/// The talk's first paragraph as plain text.
fn summary(c: &Chapter) -> Option<String> {
    c.blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Paragraph(p) => {
            let s = plain_text(p)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (!s.is_empty()).then_some(s)
        }
        _ => None,
    })
}

fn noon(date: &str) -> String {
    format!("{date}T12:00:00Z")
}

/// XML text and attribute escaping.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(
            esc("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
