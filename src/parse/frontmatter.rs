//! A chapter's TOML front matter between `+++` lines at the top of the file.

use serde::Deserialize;

use crate::dates::is_iso_date;
use crate::diag::{Diagnostic, LineIndex};

/// What a chapter's front matter may set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    /// The chapter's title, instead of its `# Title` heading or SUMMARY.md's text.
    pub title: Option<String>,
    /// The people who gave the talk the chapter is about.
    #[serde(default)]
    pub speakers: Vec<String>,
    /// The chapter's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The chapter's language (BCP 47), when it is not the book's.
    pub language: Option<String>,
}

/// Splits off the front matter: returns it and the byte offset where the Markdown body starts.
pub(crate) fn split(text: &str, shown: &str) -> Result<(FrontMatter, usize), Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Ok((FrontMatter::default(), 0));
    }
    let mut pos = first_line_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            let toml_text = &text[first_line_end..pos];
            let fm = parse(toml_text, text, first_line_end, shown)?;
            return Ok((fm, end));
        }
        pos = end;
    }
    Err(Diagnostic::error(
        shown,
        1,
        1,
        "front matter opened with `+++` is never closed",
    ))
}

fn parse(
    toml_text: &str,
    whole: &str,
    offset: usize,
    shown: &str,
) -> Result<FrontMatter, Diagnostic> {
    let index = LineIndex::new(whole);
    let fm: FrontMatter = toml::from_str(toml_text).map_err(|e| {
        let at = offset + e.span().map_or(0, |r| r.start);
        let (line, col) = index.locate(whole, at);
        Diagnostic::error(
            shown,
            line,
            col,
            format!("bad front matter: {}", e.message().trim()),
        )
    })?;
    let locate_key = |key: &str| {
        let at = toml_text
            .find(&format!("{key} "))
            .or_else(|| toml_text.find(key))
            .unwrap_or(0);
        index.locate(whole, offset + at)
    };
    if let Some(date) = &fm.date {
        if !is_iso_date(date) {
            let (line, col) = locate_key("date");
            return Err(Diagnostic::error(
                shown,
                line,
                col,
                format!("bad front matter: date `{date}` is not YYYY-MM-DD"),
            ));
        }
    }
    if let Some(lang) = &fm.language {
        if !is_language_tag(lang) {
            let (line, col) = locate_key("language");
            return Err(Diagnostic::error(
                shown,
                line,
                col,
                format!("bad front matter: language `{lang}` is not a BCP 47 tag such as `fr` or `pt-BR`"),
            ));
        }
    }
    if fm.speakers.iter().any(|s| s.trim().is_empty())
        || fm.title.as_deref().is_some_and(|t| t.trim().is_empty())
    {
        let (line, col) = locate_key(
            if fm.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
                "title"
            } else {
                "speakers"
            },
        );
        return Err(Diagnostic::error(
            shown,
            line,
            col,
            "bad front matter: empty title or speaker",
        ));
    }
    Ok(fm)
}

/// `fr`, `pt-BR`, `zh-Hant-TW`: subtags of 1 to 8 ASCII letters or digits, the first letters.
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|s| (2..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests;
