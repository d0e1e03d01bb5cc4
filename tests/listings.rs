//! Highlighted listings (issue 14): the EPUB's code carries a language and classed spans,
//! epubcheck stays clean, the PDF sets the same code in several colours of a palette that passes
//! WCAG AA on white, inside one Code element, and a wrapped line keeps its indentation.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::*;
use kr_publish::testing::{layout, Fonts, Geometry, Item, Matter, Role, Tag};

fn fixture() -> PathBuf {
    root().join("tests/fixtures/listings")
}

#[test]
fn epub_code_carries_its_language_and_classes() {
    let out = scratch("listings-epub");
    build_ok(&fixture(), &out, "epub", &[]);
    let xhtml = epub_text(&out);
    for want in [
        "<pre><code class=\"language-rust\"><span class=\"hl-comment\">// The entry point.",
        "<span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">main</span>",
        "<span class=\"hl-macro\">println!</span>",
        "<span class=\"hl-number\">42</span>",
        "<code class=\"language-c\">",
        "<span class=\"hl-comment\">/* A comment. */</span>",
        "<code class=\"language-sh\">",
        "<code class=\"language-console\">$ <span class=\"hl-function\">cargo</span>",
        "<code class=\"language-python\">",
        "<code class=\"language-json\">",
        "<code class=\"language-toml\">",
        "<code class=\"language-yaml\">",
        "<span class=\"hl-inserted\">+new line</span>",
        "<span class=\"hl-deleted\">-old line\n</span>",
        "<code class=\"language-make\">",
        "<code class=\"language-go\">",
        "<code class=\"language-js\">",
        // Untagged and unknown languages stay plain.
        "<pre><code>plain text block</code></pre>",
        "<pre><code>Qapla' 42</code></pre>",
    ] {
        assert!(xhtml.contains(want), "no {want:?} in:\n{xhtml}");
    }
    // The console session's output line is not highlighted.
    assert!(
        xhtml.contains("\n   Compiling listings v0.1.0</code>"),
        "{xhtml}"
    );
    check_valid(&out.join("listings.epub"));
}

/// WCAG 2's contrast ratio.
fn contrast(c: (u8, u8, u8), bg: (u8, u8, u8)) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = |(r, g, b): (u8, u8, u8)| 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    let (a, b) = (l(c), l(bg));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// A glyph run of a listing: x, y, text, colour.
type Run = (f32, f32, String, (u8, u8, u8));

#[test]
fn pdf_code_is_coloured_in_one_code_element_and_wraps_at_its_indentation() {
    let loaded = kr_publish::parse::load(&fixture()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let layout = layout(
        &loaded.book,
        &fonts,
        Geometry::default(),
        &Matter::default(),
    );
    let nodes = &layout.structure.nodes;
    // Each Code element's runs: (x, y, text, colour).
    let mut code: BTreeMap<usize, Vec<Run>> = BTreeMap::new();
    for page in &layout.pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let Tag::Node(n) = run.tag else { continue };
            let n = n as usize;
            if nodes[n].role == Role::Code {
                let c = run.color;
                code.entry(n)
                    .or_default()
                    .push((run.x, run.y, run.text.clone(), (c.0, c.1, c.2)));
            }
        }
    }
    assert_eq!(code.len(), 14, "one Code element per listing");
    let blocks: Vec<_> = code.values().collect();
    let rust = blocks[0];
    assert!(rust[0].2.starts_with("// The entry point."), "{rust:?}");
    let colours: BTreeSet<_> = rust.iter().map(|r| r.3).collect();
    assert!(
        colours.len() >= 4,
        "black and at least three colours: {colours:?}"
    );
    let all: BTreeSet<_> = blocks.iter().flat_map(|b| b.iter().map(|r| r.3)).collect();
    for c in &all {
        let ratio = contrast(*c, (255, 255, 255));
        assert!(ratio >= 4.5, "{c:?} on white: {ratio:.2}");
    }
    // Untagged and unknown listings stay black.
    for plain in &blocks[12..] {
        assert!(plain.iter().all(|r| r.3 == (0, 0, 0)), "{plain:?}");
    }
    // The long `if let` line wraps: the mark sits at the line's indentation and the
    // continuation starts right of it.
    let first = rust
        .iter()
        .find(|r| r.2 == "if")
        .expect("the `if` of the long line");
    let mark = rust
        .iter()
        .find(|r| r.2.starts_with('↪'))
        .expect("a wrapped line");
    let after = rust
        .iter()
        .filter(|r| r.1 == mark.1 && r.0 > mark.0)
        .map(|r| r.0)
        .fold(f32::MAX, f32::min);
    assert!(
        mark.0 >= first.0 - 0.5,
        "mark at {} left of {}",
        mark.0,
        first.0
    );
    assert!(
        after > first.0 + 1.0,
        "continuation at {after}, line at {}",
        first.0
    );
}

#[test]
fn pdf_comments_are_set_in_italic_so_they_stand_apart_in_grey() {
    let loaded = kr_publish::parse::load(&fixture()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let layout = layout(
        &loaded.book,
        &fonts,
        Geometry::default(),
        &Matter::default(),
    );
    let nodes = &layout.structure.nodes;
    // Every run of code: its text and face.
    let runs: Vec<(String, u8)> = layout
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .filter(|run| matches!(run.tag, Tag::Node(n) if nodes[n as usize].role == Role::Code))
        .map(|run| (run.text.clone(), run.face.0))
        .collect();
    let face = |want: &str| {
        runs.iter()
            .find(|(t, _)| t.starts_with(want))
            .map(|r| r.1)
            .unwrap_or_else(|| panic!("no run {want:?} in {runs:?}"))
    };
    let upright = face("fn");
    assert_eq!(face("struct"), upright);
    assert_eq!(face("plain text block"), upright);
    for comment in [
        "// The entry point.",
        "/* A comment. */",
        "# Build it.",
        "# say hello",
    ] {
        assert_ne!(face(comment), upright, "{comment:?} is italic");
    }
    assert_eq!(face("// The entry point."), face("# say hello"));
}
