//! The stylesheet stage: the built-in rules, then those that only the documents written need
//! (epubcheck reports unused class selectors), then the book's own `extra-css`.

use super::documents::Document;
use crate::highlight::{Class, Colour, LANGUAGES};

/// The stylesheet every content document links to.
const STYLE: &str = include_str!("style.css");

/// The rule of the contents entries that follow a SUMMARY.md separator.
const SEPARATOR_CSS: &str =
    "li.sep { border-top: thin solid; margin-top: 0.5em; padding-top: 0.5em; }\n";

/// What the stylesheet depends on besides the documents.
pub(crate) struct Needs<'a> {
    /// `@font-face` rules of the embedded fonts.
    pub(crate) fonts: &'a str,
    /// The book has a cover page.
    pub(crate) cover: bool,
    /// A contents entry follows a SUMMARY.md separator.
    pub(crate) separators: bool,
    /// A part has a title page.
    pub(crate) parts: bool,
    /// The book's `extra-css`, last so that its rules win over ours.
    pub(crate) extra: Option<&'a str>,
}

/// `style.css` for `docs`.
pub(crate) fn stylesheet(needs: &Needs, docs: &[Document]) -> String {
    let mut css = STYLE.to_string();
    css.push_str(needs.fonts);
    if needs.cover {
        css.push_str(".cover { text-align: center; }\n.cover img { max-height: 95vh; }\n");
    }
    if needs.separators {
        css.push_str(SEPARATOR_CSS);
    }
    if needs.parts {
        css.push_str(
            ".part { text-align: center; hyphens: manual; }\n.part h1 { margin-top: 30%; }\n",
        );
    }
    for (class, rule) in ALIGN_RULES.into_iter().chain(BLOCK_RULES) {
        if docs.iter().any(|d| d.body.contains(class)) {
            css.push_str(rule);
            css.push('\n');
        }
    }
    highlighting(&mut css, docs);
    if let Some(text) = needs.extra {
        css.push_str("\n/* extra-css */\n");
        css.push_str(text);
    }
    css
}

/// (what a document holds when it needs them, CSS rules) for the elements the built-in
/// stylesheet styles only when a book uses them (epubcheck reports unused class selectors).
const BLOCK_RULES: [(&str, &str); 9] = [
    (
        "<dl>",
        "dt { font-weight: bold; margin-top: 0.4em; }\ndd { margin: 0 0 0.4em 1.6em; }",
    ),
    (
        "class=\"admonition ",
        ".admonition { margin: 0.8em 0; padding: 0.1em 0.8em; border: 0.05em solid; border-left-width: 0.3em; }\n.admonition-title { font-weight: bold; margin: 0.3em 0; }",
    ),
    // Each kind told apart by its rule alone, never by colour.
    ("admonition-note\"", ".admonition-note { border-left-style: solid; }"),
    ("admonition-tip\"", ".admonition-tip { border-left-style: dotted; }"),
    (
        "admonition-important\"",
        ".admonition-important { border-left-width: 0.5em; }",
    ),
    (
        "admonition-warning\"",
        ".admonition-warning { border-left-style: double; border-left-width: 0.5em; }",
    ),
    (
        "admonition-caution\"",
        ".admonition-caution { border-left-style: double; border-left-width: 0.5em; border-top-width: 0.15em; }",
    ),
    (
        "class=\"listing\"",
        "figure.listing { margin: 1em 0; }\nfigure.listing figcaption { font-size: 0.9em; margin: 0.3em 0 0; }",
    ),
    (
        "class=\"listing-file\"",
        ".listing-file { font-size: 0.9em; margin: 0 0 0.3em; }",
    ),
];

/// (class attribute, CSS rule) for table alignment.
const ALIGN_RULES: [(&str, &str); 3] = [
    ("class=\"align-left\"", ".align-left { text-align: left; }"),
    (
        "class=\"align-center\"",
        ".align-center { text-align: center; }",
    ),
    (
        "class=\"align-right\"",
        ".align-right { text-align: right; }",
    ),
];

/// The rules of the highlighted listings the documents hold: colours from the shared palette
/// (AA on white), lighter ones when the reader prefers a dark scheme, and no background, so
/// that a reading system's own night mode still applies.
fn highlighting(css: &mut String, docs: &[Document]) {
    let used = |needle: &str| docs.iter().any(|d| d.body.contains(needle));
    for lang in LANGUAGES {
        if used(&format!("class=\"language-{lang}\"")) {
            css.push_str(&format!(
                "code.language-{lang} {{ font-variant-ligatures: none; }}\n"
            ));
        }
    }
    let classes: Vec<Class> = Class::ALL
        .into_iter()
        .filter(|c| used(&format!("class=\"hl-{}\"", c.name())))
        .collect();
    let hex = |(r, g, b): Colour| format!("#{r:02x}{g:02x}{b:02x}");
    for c in &classes {
        // Comments also differ in style, for grey-scale screens and print.
        let italic = if *c == Class::Comment {
            " font-style: italic;"
        } else {
            ""
        };
        css.push_str(&format!(
            ".hl-{} {{ color: {};{italic} }}\n",
            c.name(),
            hex(c.light())
        ));
    }
    if !classes.is_empty() {
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        for c in &classes {
            css.push_str(&format!(
                "  .hl-{} {{ color: {}; }}\n",
                c.name(),
                hex(c.dark())
            ));
        }
        css.push_str("}\n");
    }
}
