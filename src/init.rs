//! `kr-publish init`: a new book that builds at once, in every format, without a warning.
//! book.toml names every setting kr-publish reads (the optional ones commented out), SUMMARY.md
//! has a front page, one part and two chapters (one a talk, with front matter and an image),
//! and the cover is an SVG with the title filled in, for the author to edit.

use std::path::{Path, PathBuf};

use crate::ir::BookMeta;

/// Why a book could not be created.
#[derive(Debug)]
pub enum InitError {
    /// The folder exists and holds something: nothing is overwritten.
    NotEmpty(PathBuf),
    /// A file could not be written.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(dir) => write!(
                f,
                "`{}` is not empty; kr-publish init only creates a book in a new or empty folder",
                dir.display()
            ),
            InitError::Io(path, e) => write!(f, "cannot write `{}`: {e}", path.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// Creates a new book titled `title` in `dir` (created if missing; it must be empty) and
/// returns the files written, relative to `dir`.
pub fn init(dir: &Path, title: &str) -> Result<Vec<&'static str>, InitError> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    let meta = BookMeta {
        title: title.to_string(),
        ..BookMeta::default()
    };
    let files = [
        ("book.toml", book_toml(title)),
        ("cover.svg", crate::cover::generated_svg(&meta)),
        ("src/SUMMARY.md", SUMMARY.to_string()),
        ("src/about.md", about(title)),
        ("src/part-1/first-chapter.md", FIRST_CHAPTER.to_string()),
        ("src/part-1/a-talk.md", A_TALK.to_string()),
        ("src/images/diagram.svg", DIAGRAM.to_string()),
    ];
    for (name, text) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.into(), e))?;
        }
        std::fs::write(&path, text).map_err(|e| InitError::Io(path.clone(), e))?;
    }
    Ok(files.iter().map(|(name, _)| *name).collect())
}

/// A file name for the outputs from the title: lowercase ASCII words joined by `-`.
fn base_name(title: &str) -> String {
    let slug = crate::slug::slugify(title);
    if slug.is_empty() {
        "book".to_string()
    } else {
        slug
    }
}

fn book_toml(title: &str) -> String {
    let base = base_name(title);
    let title = toml_string(title);
    format!(
        r#"# The book's settings. mdBook reads the same file: [book], [build] and [output.html]
# mean what they mean to mdBook; [publish] and [output.epub|pdf|gemini] are kr-publish's.

[book]
title = {title}
authors = ["Your Name"]
language = "en"
description = "What the book is about, in a sentence or two."
src = "src"
# text-direction = "rtl"            # for a right-to-left book (mdBook guesses from the language)

[publish]
subtitle = "A subtitle"
date = "2026-01-01"
base-name = "{base}"
cover = "cover.svg"                 # edit it, or name a PNG/JPEG; "generate" draws one
# identifier = "urn:isbn:..."       # else one is derived from the title
# publisher = "Your Press"
# subjects = ["A subject"]
# site-url = "https://example.org/book/"
# kind = "proceedings"              # or "book"; a book whose chapters name speakers is proceedings

[build]
# strict = true                     # every warning is an error

[output.epub]
# embed-fonts = true                # embed the bundled fonts (or those of fonts-dir)
# fonts-dir = "fonts"
# extra-css = "extra.css"

[output.pdf]
# page = "a4"                       # or "letter", "a5", "ereader"
# hyphenate = true
# line-numbers = true               # number code lines (or per block: ```rust,numberLines)
# fallback = ["Noto Sans CJK JP"]   # fonts for characters the bundled ones lack
# standard = "ua-1"                 # or "a-2b", "a-3b", "none"

[output.pdf.fonts]
# regular = "fonts/MyFont-Regular.ttf"

[output.gemini]
# base-url = "gemini://example.org/book/"   # for the capsule's feed
"#
    )
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

const SUMMARY: &str = "# Summary

[About this book](about.md)

# Part one

- [A first chapter](part-1/first-chapter.md)
    - [A talk](part-1/a-talk.md)
";

fn about(title: &str) -> String {
    format!(
        "# About this book

*{title}* was made with kr-publish: one Markdown book, published as an EPUB, a PDF, a Gemini
capsule and plain text. Edit the chapters under `src/` and list them in `src/SUMMARY.md`.
"
    )
}

const FIRST_CHAPTER: &str = "# A first chapter

A chapter is a Markdown file: paragraphs, *emphasis*, **strong** text, `code`, lists,
tables, footnotes[^1] and links to [other chapters](a-talk.md) or
[anywhere](https://example.org). (A table is fine in the EPUB and the PDF; the capsule and
the text set it as preformatted text, with a warning.)

- A list item.
- Another one.

```rust
fn main() {
    println!(\"Hello, book!\");
}
```

A chapter may hold others, as SUMMARY.md nests them.

<!-- talks -->

These closing lines come after the chapters nested under this one.

[^1]: A footnote, at the foot of the PDF's page and at the end of the chapter elsewhere.
";

const A_TALK: &str = "+++
title = \"A talk\"
speakers = [\"A Speaker\", \"Another Speaker\"]
date = \"2026-01-01\"
+++

Front matter between `+++` lines names a talk's speakers and date; the book then gets an
index of speakers.

![A diagram: three boxes joined by arrows](../images/diagram.svg)
";

const DIAGRAM: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">
  <rect width="480" height="120" fill="#ffffff"/>
  <g fill="#f4efe6" stroke="#1b2230" stroke-width="3">
    <rect x="20" y="30" width="110" height="60" rx="8"/>
    <rect x="185" y="30" width="110" height="60" rx="8"/>
    <rect x="350" y="30" width="110" height="60" rx="8"/>
  </g>
  <g stroke="#e8833a" stroke-width="4">
    <line x1="130" y1="60" x2="185" y2="60"/>
    <line x1="295" y1="60" x2="350" y2="60"/>
  </g>
</svg>
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_are_slugs() {
        assert_eq!(base_name("My First Book"), "my-first-book");
        assert_eq!(base_name("!!!"), "book");
    }

    #[test]
    fn titles_are_quoted_for_toml() {
        let toml = book_toml("A \"quoted\" title");
        let parsed: toml::Value = toml::from_str(&toml).expect("book.toml parses");
        assert_eq!(parsed["book"]["title"].as_str(), Some("A \"quoted\" title"));
    }
}
