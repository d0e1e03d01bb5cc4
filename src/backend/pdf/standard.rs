//! The standard a PDF is written to (`[output.pdf] standard`, `--pdf-standard`) and what
//! krilla's validator finds against it, as diagnostics that name the chapter.

use krilla::configure::{
    Accessibility, Archival, Configuration, ConfigurationBuilder, ValidationError, Validator,
};

use super::tags::node_of;
use crate::backend::RenderContext;
use crate::diag::Diagnostic;
use crate::ir::{Book, Span};
use crate::typeset::structure::{Role, Structure};

/// A standard the PDF conforms to, checked while it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standard {
    /// PDF/UA-1, accessible (the default).
    Ua1,
    /// PDF/A-2b, for archives.
    A2b,
    /// PDF/A-3b, for archives.
    A3b,
    /// No standard: written tagged, checked against nothing.
    None,
}

impl Standard {
    /// The standard called `name` (as `[output.pdf] standard` spells it).
    pub(super) fn named(name: &str) -> Option<Standard> {
        Some(match name {
            "ua-1" => Standard::Ua1,
            "a-2b" => Standard::A2b,
            "a-3b" => Standard::A3b,
            "none" => Standard::None,
            _ => return None,
        })
    }

    /// Its name in messages.
    pub(super) fn title(self) -> &'static str {
        match self {
            Standard::Ua1 => "PDF/UA-1",
            Standard::A2b => "PDF/A-2b",
            Standard::A3b => "PDF/A-3b",
            Standard::None => "PDF",
        }
    }

    /// krilla's configuration: its validator and the PDF version that goes with it.
    pub(super) fn configuration(self) -> Configuration {
        let validator = match self {
            Standard::Ua1 => Some(Validator::Ua(Accessibility::UA1)),
            Standard::A2b => Some(Validator::A(Archival::A2_B)),
            Standard::A3b => Some(Validator::A(Archival::A3_B)),
            Standard::None => None,
        };
        let builder = match validator {
            Some(v) => ConfigurationBuilder::new().set_validator(v),
            None => ConfigurationBuilder::new(),
        };
        builder.finish().unwrap_or_default()
    }
}

/// A problem of the book's text rather than of its structure: a character no font has
/// (which the typesetter reports already), or a glyph that stands for no character (text
/// drawn by an SVG image).
pub(super) fn is_text_problem(e: &ValidationError) -> bool {
    matches!(
        e,
        ValidationError::ContainsNotDefGlyph(..)
            | ValidationError::NoCodepointMapping(..)
            | ValidationError::InvalidCodepointMapping(..)
    )
}

/// What `e` says, and the structure node it is about.
fn describe(e: &ValidationError) -> (String, Option<u32>) {
    use ValidationError as V;
    let at = |l: &Option<krilla::surface::Location>| l.map(node_of);
    match e {
        V::ContainsNotDefGlyph(_, l, text) => (
            format!("no font has a glyph for `{text}`, drawn as a missing-glyph box"),
            at(l),
        ),
        V::MissingAltText(l) => ("a figure has no alternative text".into(), at(l)),
        V::MissingAnnotationAltText(l) => ("a link has no description".into(), at(l)),
        V::MissingHeadingTitle => ("a heading has no text".into(), None),
        V::NoDocumentTitle => ("the book has no title (`title` in book.toml)".into(), None),
        V::NoDocumentLanguage => ("the book has no `language` in book.toml".into(), None),
        V::MissingDocumentOutline => ("the PDF has no outline".into(), None),
        V::NoCodepointMapping(_, g, l) => (
            format!("glyph {} stands for no character", g.to_u32()),
            at(l),
        ),
        V::InvalidCodepointMapping(_, g, c, l) => (
            format!("glyph {} stands for U+{:04X}", g.to_u32(), u32::from(*c)),
            at(l),
        ),
        other => (format!("{other:?}"), None),
    }
}

/// A chapter as messages name it: its title, and its span.
type Chapter = (String, Span);

/// The chapter that node `n` is in.
fn chapter_of(book: &Book, structure: &Structure, mut n: u32) -> Option<Chapter> {
    loop {
        let node = structure.get(n)?;
        if node.role == Role::Section {
            let title = book
                .chapters()
                .find(|r| r.chapter.span == node.span)
                .map(|r| r.chapter.title.clone())?;
            return Some((title, node.span));
        }
        n = node.parent?;
    }
}

/// One warning per chapter for the characters no font has, and one for each other text
/// problem: the PDF was written without claiming `standard`.
pub(super) fn text_problems(
    errors: &[ValidationError],
    standard: Standard,
    book: &Book,
    structure: &Structure,
    cx: &RenderContext,
) -> Vec<Diagnostic> {
    let mut by_chapter: Vec<(Option<Chapter>, Vec<String>)> = Vec::new();
    for e in errors {
        let ValidationError::ContainsNotDefGlyph(_, l, text) = e else {
            continue;
        };
        let chapter = l.and_then(|l| chapter_of(book, structure, node_of(l)));
        let i = match by_chapter.iter().position(|(c, _)| *c == chapter) {
            Some(i) => i,
            None => {
                by_chapter.push((chapter, Vec::new()));
                by_chapter.len() - 1
            }
        };
        let chars = &mut by_chapter[i].1;
        if !chars.contains(text) {
            chars.push(text.clone());
        }
    }
    let std = standard.title();
    let mut out: Vec<Diagnostic> = Vec::new();
    for e in errors
        .iter()
        .filter(|e| !matches!(e, ValidationError::ContainsNotDefGlyph(..)))
    {
        let (what, _) = describe(e);
        let mut d = Diagnostic::general(format!("pdf: {what}: the PDF is not {std}"));
        d.severity = crate::diag::Severity::Warning;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    let glyphs = by_chapter
        .into_iter()
        .map(|(chapter, chars)| {
            let more = match chars.len() {
                n if n > 12 => format!(" and {} more", n - 12),
                _ => String::new(),
            };
            let shown: Vec<String> = chars.iter().take(12).map(|c| format!("`{c}`")).collect();
            let what = format!(
                "no font has {}{more}: the PDF is not {std} (its text shows missing-glyph boxes)",
                shown.join(" ")
            );
            match chapter {
                Some((title, span)) => {
                    cx.warning(book, span, format!("{what}, in chapter “{title}”"))
                }
                None => {
                    let mut d = Diagnostic::general(format!("pdf: {what}"));
                    d.severity = crate::diag::Severity::Warning;
                    d
                }
            }
        })
        .collect::<Vec<_>>();
    glyphs.into_iter().chain(out).collect()
}

/// `e` as an error at the block it is about, naming its chapter.
pub(super) fn diagnostic(
    e: &ValidationError,
    standard: Standard,
    book: &Book,
    structure: &Structure,
    cx: &RenderContext,
) -> Diagnostic {
    let (what, node) = describe(e);
    let std = standard.title();
    let place = node.and_then(|n| Some((structure.get(n)?.span, chapter_of(book, structure, n))));
    match place {
        Some((span, chapter)) => {
            let inside = chapter.map_or(String::new(), |(t, _)| format!(" in chapter “{t}”"));
            cx.error(book, span, format!("not {std}: {what}{inside}"))
        }
        None => Diagnostic::general(format!("pdf: not {std}: {what}")),
    }
}
