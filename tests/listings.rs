//! Highlighted listings (issue 14): the EPUB's code carries a language and classed spans,
//! epubcheck stays clean, the PDF sets the same code in several colours of a palette that passes
//! WCAG AA on white, inside one Code element, and a wrapped line keeps its indentation.
//! Listing furniture: TRPL's `<Listing>` element reaches every format with its file name and
//! caption, line numbers appear in the PDF only where asked, and no page leaves one line of a
//! listing alone.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::*;
use kr_publish::testing::{
    layout, Artifact, Fonts, Geometry, Item, Layout, LineBox, LineRole, Matter, Page, Role, Tag,
};

/// The listings fixture laid out on the default page.
fn fixture_layout() -> Layout {
    let loaded = kr_publish::parse::load(&fixture()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    layout(
        &loaded.book,
        &fonts,
        Geometry::default(),
        &Matter::default(),
    )
}

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
    let layout = fixture_layout();
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

fn trpl() -> PathBuf {
    root().join("tests/fixtures/trpl")
}

fn tool_output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(cmd).args(args).output();
    if tool_missing(cmd, out.is_ok()) {
        return None;
    }
    Some(String::from_utf8_lossy(&out.ok()?.stdout).into_owned())
}

/// `text` with every run of whitespace made one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn trpl_listings_reach_every_format_with_their_captions() {
    let out = scratch("listings-trpl");
    let (stdout, stderr) = build_ok(&trpl(), &out, "epub,pdf,gemini,text", &[]);
    assert!(!stderr.contains("warning"), "{stdout}{stderr}");
    let xhtml = epub_text(&out);
    for want in [
        "<figure class=\"listing\">\n<p class=\"listing-file\">Filename: src/main.rs</p>\n<pre>",
        "<figcaption><strong>Listing 1-1</strong>: A program that prints <code>Hello, world!</code></figcaption>\n</figure>",
        "<figcaption><strong>Listing 1-2</strong>: Building and <em>running</em> it</figcaption>",
        "<p class=\"listing-file\">Filename: Cargo.toml</p>",
        "<p>Build it:</p>",
    ] {
        assert!(xhtml.contains(want), "no {want:?} in:\n{xhtml}");
    }
    // The EPUB's code carries no line numbers (they would be copied with it).
    assert!(
        xhtml.contains(
            "<span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">add</span>"
        ),
        "{xhtml}"
    );
    check_valid(&out.join("trpl.epub"));
    let captions = [
        "Filename: src/main.rs",
        "Listing 1-1: A program that prints Hello, world!",
        "Listing 1-2: Building and running it",
        "Filename: Cargo.toml",
        "Listing 1-3: Numbered lines",
    ];
    let gmi = std::fs::read_to_string(out.join("gemini/ch01.gmi")).expect("the chapter's page");
    let txt = read(&out, "txt");
    for (what, text) in [("gemtext", &gmi), ("text", &txt)] {
        for c in captions {
            assert!(squeeze(text).contains(c), "no {c:?} in the {what}:\n{text}");
        }
    }
    // In gemtext, the file name comes before the code and the caption after it.
    let file = gmi.find("Filename: src/main.rs").expect("file name");
    let code = gmi.find("fn main()").expect("code");
    let caption = gmi.find("Listing 1-1:").expect("caption");
    assert!(file < code && code < caption, "{gmi}");
    let Some(pdf) = tool_output("pdftotext", &[path_str(&out.join("trpl.pdf")), "-"]) else {
        return;
    };
    for c in captions {
        assert!(squeeze(&pdf).contains(c), "no {c:?} in the PDF:\n{pdf}");
    }
}

/// Each page's code lines that carry a line number in the gutter, by their number.
fn numbered_lines(pages: &[Page]) -> Vec<String> {
    let mut out = Vec::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                if run.tag == Tag::Artifact(Artifact::LineNumber) {
                    out.push(run.text.clone());
                }
            }
        }
    }
    out
}

#[test]
fn line_numbers_appear_in_the_pdf_only_where_asked() {
    let loaded = kr_publish::parse::load(&trpl()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let matter = Matter::default();
    let pages = layout(&loaded.book, &fonts, Geometry::default(), &matter).pages;
    // Listing 1-3's eight lines, its long sixth line wrapped without a number on its
    // continuation.
    let want: Vec<String> = (1..=8).map(|n| n.to_string()).collect();
    assert_eq!(numbered_lines(&pages), want);
    // `[output.pdf] line-numbers = true`: every code block is numbered.
    let matter = Matter {
        line_numbers: true,
        ..Matter::default()
    };
    let pages = layout(&loaded.book, &fonts, Geometry::default(), &matter).pages;
    // 3 + 1 + 2 + 2 + 8 + 1 lines.
    assert_eq!(numbered_lines(&pages).len(), 17);
    // The numbers are grey, 4.5:1 at least on the code's background, and never content.
    for page in &pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                if run.tag == Tag::Artifact(Artifact::LineNumber) {
                    let c = (run.color.0, run.color.1, run.color.2);
                    assert!(contrast(c, (0xf1, 0xf1, 0xee)) >= 4.5, "{c:?}");
                }
            }
        }
    }
}

/// A book of listings of 1 to 9 lines after paragraphs of varied length, so that page breaks
/// fall at every place in them; some have a second or last-but-one line long enough to wrap.
fn listings_book(dir: &std::path::Path) {
    write(
        &dir.join("book.toml"),
        "[book]\ntitle = \"Breaks\"\nauthors = [\"A\"]\nlanguage = \"en\"\n",
    );
    write(
        &dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [Breaks](breaks.md)\n",
    );
    let long =
        "let value = function_name(argument_one, argument_two, argument_three, argument_four);";
    let mut md = String::from("# Breaks\n\n");
    let mut seed = 7u64;
    for i in 0..200 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let words = 5 + (seed >> 33) as usize % 60;
        md.push_str(&"Some words of prose here. ".repeat(words / 5));
        md.push_str("\n\n");
        let n = 1 + i % 9;
        let lines: Vec<String> = (1..=n)
            .map(|k| match (k, i % 4) {
                (2, 1) | (2, 3) => long.to_string(),
                (k, 2) | (k, 3) if k + 1 == n => long.to_string(),
                _ => format!("line_{k}();"),
            })
            .collect();
        md.push_str(&format!("```rust\n{}\n```\n\n", lines.join("\n")));
    }
    write(&dir.join("src/breaks.md"), &md);
}

/// The source lines of code block `block` on `page`: its set lines, less those that continue a
/// wrapped line (they start with the continuation mark); and whether the first is one.
fn source_lines(page: &Page, block: usize) -> (usize, bool) {
    let lines: Vec<_> = page
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Code && l.block == block)
        .collect();
    let continues = |l: &&LineBox| {
        page.items.iter().any(|i| {
            matches!(i, Item::Text(r) if r.text.starts_with('↪')
                && r.y >= l.rect.y && r.y <= l.rect.y + l.rect.h)
        })
    };
    let count = lines.iter().filter(|l| !continues(l)).count();
    (count, lines.first().is_some_and(continues))
}

#[test]
fn no_page_leaves_one_line_of_a_listing_alone() {
    let dir = scratch("listings-breaks");
    listings_book(&dir);
    let loaded = kr_publish::parse::load(&dir).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let (mut split, mut wrapped) = (0, 0);
    for name in ["a4", "a5", "ereader"] {
        let g = Geometry::profile(name).expect("profile");
        let pages = layout(&loaded.book, &fonts, g, &Matter::default()).pages;
        for (k, page) in pages.iter().enumerate() {
            let blocks: BTreeSet<usize> = page.lines.iter().map(|l| l.block).collect();
            wrapped += blocks
                .iter()
                .filter(|&&b| {
                    let all = page
                        .lines
                        .iter()
                        .filter(|l| l.role == LineRole::Code && l.block == b);
                    all.count() > source_lines(page, b).0
                })
                .count();
            let last = page.lines.iter().rfind(|l| l.role == LineRole::Code);
            let (Some(last), Some(next)) = (last, pages.get(k + 1)) else {
                continue;
            };
            if last.index == last.of {
                continue;
            }
            split += 1;
            let (here, _) = source_lines(page, last.block);
            let (there, cut) = source_lines(next, last.block);
            assert!(
                here >= 2 && there >= 2 && !cut,
                "{name}: a listing split {here} | {there} source lines after p. {}{}",
                page.label(),
                if cut { ", inside a wrapped line" } else { "" }
            );
        }
    }
    assert!(
        split > 0,
        "no listing crossed a page: the test tests nothing"
    );
    assert!(wrapped > 100, "only {wrapped} listings with a wrapped line");
}

#[test]
fn pdf_comments_are_set_in_italic_so_they_stand_apart_in_grey() {
    let layout = fixture_layout();
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
