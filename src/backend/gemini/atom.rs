//! `atom.xml`: an Atom 1.0 feed with one entry per talk, for feed readers (Amfora reads only
//! Atom/RSS). Absolute URLs come from the configured base URL; ids are those URLs, so they stay
//! stable across rebuilds. Dates are noon UTC of the talk's day, as the Gemini subscription
//! convention does for dated index links.

use super::layout::Layout;
use crate::ir::{plain_text, BlockKind, Book, Chapter};
use crate::xml::escape;

/// The feed, or `None` when no date is known to stamp it with.
pub(super) fn feed(
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
        escape(&m.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", escape(&m.title)));
    if let Some(s) = &m.subtitle {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(s)));
    }
    x.push_str(&format!("  <id>{}</id>\n", escape(base_url)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>\n",
        escape(base_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/gemini\" href=\"{}\"/>\n",
        escape(base_url)
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    for a in &m.authors {
        x.push_str(&format!("  <author><name>{}</name></author>\n", escape(a)));
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
        x.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        x.push_str(&format!("    <title>{}</title>\n", escape(&t.title)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/gemini\" href=\"{}\"/>\n",
            escape(&url)
        ));
        x.push_str(&format!("    <published>{date}</published>\n"));
        x.push_str(&format!("    <updated>{date}</updated>\n"));
        for s in &t.speakers {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(s)
            ));
        }
        if let Some(summary) = summary(t) {
            x.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
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
