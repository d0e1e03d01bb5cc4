//! Never panic on input: every example of the CommonMark spec, alone and all together, and
//! seeded random books full of nesting and hostile characters, through every backend.
//!
//! A panic in the parser or a backend, the "backend crashed" diagnostic, or any error fails the
//! test: these books are ordinary CommonMark, and what the book format cannot express (links to
//! files that are not chapters, say) degrades with a warning.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use common::*;
use kr_publish::backend::{Format, RenderOptions};
use kr_publish::outputs::PAGE_PROFILES as PROFILES;
use kr_publish::testing::is_external;
use kr_publish::BuildReport;

const EPOCH: i64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// The spec's examples

struct Example {
    /// 1-based, in the spec's order.
    number: usize,
    /// The heading the example appears under.
    section: String,
    markdown: String,
}

/// The spec's examples, or `None` when the spec is missing and the test may skip.
fn examples() -> Option<Vec<Example>> {
    Some(parse_examples(&commonmark_spec()?))
}

fn parse_examples(spec: &str) -> Vec<Example> {
    let fence = "`".repeat(32);
    let open = format!("{fence} example");
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line == open {
            let mut markdown = String::new();
            for l in lines.by_ref() {
                if l == "." {
                    break;
                }
                markdown.push_str(l);
                markdown.push('\n');
            }
            for l in lines.by_ref() {
                if l == fence {
                    break;
                }
            }
            out.push(Example {
                number: out.len() + 1,
                section: section.clone(),
                markdown: markdown.replace('→', "\t"),
            });
        } else if line.starts_with('#') {
            section = line.trim_start_matches('#').trim().to_string();
        }
    }
    assert!(out.len() > 600, "only {} examples found", out.len());
    out
}

/// Consecutive examples under the same heading.
fn sections(examples: &[Example]) -> Vec<(String, Vec<&Example>)> {
    let mut out: Vec<(String, Vec<&Example>)> = Vec::new();
    for e in examples {
        match out.last_mut() {
            Some((s, list)) if *s == e.section => list.push(e),
            _ => out.push((e.section.clone(), vec![e])),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Rewriting destinations

/// A destination that names no file of the book.
fn remote(dest: &str) -> String {
    let tail: String = dest
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._/".contains(*c))
        .collect();
    format!("https://example.com/{}", tail.trim_start_matches('/'))
}

/// Rewrites to `https://` URLs the destinations that are not URLs already: of images, of link
/// reference definitions and, with `links`, of inline links. The spec's images name files that
/// do not exist, and a missing local image is an error by design.
fn rewrite(md: &str, links: bool) -> String {
    let b = md.as_bytes();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'[' if links || (i > 0 && b[i - 1] == b'!') => {
                if let Some(edit) = inline_destination(md, i) {
                    edits.push(edit);
                }
            }
            _ => {}
        }
        i += 1;
    }
    edits.extend(definition_destinations(md));
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for (start, end, with) in edits {
        if start < at {
            continue; // overlapping: keep the first
        }
        out.push_str(&md[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&md[at..]);
    out
}

/// For `[…](dest …)` whose `[` is at `open`: the byte range of `dest` and its replacement.
fn inline_destination(md: &str, open: usize) -> Option<(usize, usize, String)> {
    let b = md.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    let close = loop {
        match b.get(i)? {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break i;
                }
                // A nested link's destination may hold brackets: step over it.
                if b.get(i + 1) == Some(&b'(') {
                    let mut parens = 0usize;
                    i += 1;
                    while let Some(&c) = b.get(i) {
                        match c {
                            b'\\' => i += 1,
                            b'(' => parens += 1,
                            b')' => {
                                parens -= 1;
                                if parens == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    };
    if b.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut start = close + 2;
    while b
        .get(start)
        .is_some_and(|c| *c == b' ' || *c == b'\t' || *c == b'\n')
    {
        start += 1;
    }
    let end = if b.get(start) == Some(&b'<') {
        start + md[start..].find('>')? + 1
    } else {
        let mut parens = 0usize;
        let mut j = start;
        while let Some(&c) = b.get(j) {
            match c {
                b'\\' => j += 1,
                b'(' => parens += 1,
                b')' if parens == 0 => break,
                b')' => parens -= 1,
                c if c.is_ascii_whitespace() => break,
                _ => {}
            }
            j += 1;
        }
        j.min(b.len())
    };
    let dest = md.get(start..end)?;
    let bare = dest.trim_start_matches('<').trim_end_matches('>');
    if !bare.is_empty() && is_external(bare) {
        return None;
    }
    Some((start, end, remote(bare)))
}

/// `[label]: dest` definitions (also inside quotes and list items, with the label or the
/// destination running over the next line): the destination ranges and their replacements.
fn definition_destinations(md: &str) -> Vec<(usize, usize, String)> {
    let b = md.as_bytes();
    let mut out = Vec::new();
    let mut line_at = 0;
    while line_at < md.len() {
        let line_end = md[line_at..]
            .find('\n')
            .map_or(md.len(), |k| line_at + k + 1);
        let body_at =
            line_at + (line_end - line_at - strip_containers(&md[line_at..line_end]).len());
        line_at = line_end;
        if b.get(body_at) != Some(&b'[') {
            continue;
        }
        let Some(close) = label_end(&md[body_at..]).map(|k| body_at + k) else {
            continue;
        };
        if b.get(close + 1) != Some(&b':') {
            continue;
        }
        let mut start = close + 2;
        while b.get(start).is_some_and(|c| *c == b' ' || *c == b'\t') {
            start += 1;
        }
        if b.get(start) == Some(&b'\n') {
            let next = &md[start + 1..];
            start = start + 1 + (next.len() - strip_containers(next).len());
        }
        let end = start
            + md[start..]
                .find(|c: char| c.is_whitespace())
                .unwrap_or(md.len() - start);
        let dest = &md[start..end];
        let bare = dest.trim_start_matches('<').trim_end_matches('>');
        if bare.is_empty() || !is_external(bare) {
            out.push((start, end, remote(bare)));
        }
    }
    out
}

/// The byte offset of the first unescaped `]` of `s`, when no unescaped `[` nor blank line
/// comes before it but the `[` that `s` starts with.
fn label_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 1,
            b'[' => return None,
            b']' => return Some(i),
            b'\n' if s[i + 1..].trim_start_matches([' ', '\t']).starts_with('\n') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The line without the block quote markers, list markers and indentation that open it.
fn strip_containers(line: &str) -> &str {
    let mut s = line;
    loop {
        let t = s.trim_start_matches([' ', '\t']);
        if let Some(r) = t.strip_prefix('>') {
            s = r;
        } else if let Some(r) = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| t.strip_prefix("+ "))
        {
            s = r;
        } else if let Some(r) = t
            .find(['.', ')'])
            .filter(|&k| k > 0 && k < 10 && t[..k].bytes().all(|c| c.is_ascii_digit()))
            .and_then(|k| t[k + 1..].strip_prefix(' '))
        {
            s = r;
        } else {
            return t;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Books and builds

/// A chapter to write: its path under `src/`, its SUMMARY title and its text.
struct Chapter {
    path: String,
    title: String,
    text: String,
}

/// Writes a book with `chapters` listed one after the other in SUMMARY.md.
fn write_book(dir: &Path, title: &str, chapters: &[Chapter]) {
    let mut summary = String::from("# Summary\n\n");
    for c in chapters {
        writeln!(summary, "- [{}]({})", c.title, c.path).expect("write to string");
    }
    write_book_with(
        dir,
        &format!("[book]\ntitle = \"{title}\"\n"),
        &summary,
        chapters,
    );
}

fn write_book_with(dir: &Path, toml: &str, summary: &str, chapters: &[Chapter]) {
    let _ = std::fs::remove_dir_all(dir);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("mkdir src");
    std::fs::write(dir.join("book.toml"), toml).expect("write book.toml");
    std::fs::write(src.join("SUMMARY.md"), summary).expect("write SUMMARY.md");
    for c in chapters {
        let path = src.join(&c.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir chapter dir");
        }
        std::fs::write(path, &c.text).expect("write chapter");
    }
}

fn options(pdf_page: Option<&str>, text_width: usize) -> RenderOptions {
    RenderOptions {
        text_width,
        source_date_epoch: Some(EPOCH),
        pdf_page: pdf_page.map(str::to_string),
        ..RenderOptions::default()
    }
}

/// Builds in-process; a panic that escapes the build (in the parser) becomes `Err`.
fn build(
    book: &Path,
    out: &Path,
    formats: &[Format],
    opts: &RenderOptions,
) -> Result<BuildReport, String> {
    std::panic::catch_unwind(|| kr_publish::build(book, out, formats, opts)).map_err(|e| {
        e.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// Checks one build: no panic, no crashed backend, no error, every format written.
fn checked(result: Result<BuildReport, String>, formats: &[Format]) -> Result<(), String> {
    verdict(&result.map_err(|p| format!("panicked: {p}"))?, formats)
}

/// Checks one report: no crashed backend, no error, every format written.
fn verdict(report: &BuildReport, formats: &[Format]) -> Result<(), String> {
    let listing = || {
        report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .take(20)
            .map(|d| format!("  {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if report
        .diagnostics
        .iter()
        .any(|d| d.message.contains("backend crashed"))
    {
        return Err(format!("a backend crashed:\n{}", listing()));
    }
    if report.has_errors() {
        return Err(format!("errors:\n{}", listing()));
    }
    if report.written.len() != formats.len() {
        return Err(format!(
            "only {} of {} formats written",
            report.written.len(),
            formats.len()
        ));
    }
    Ok(())
}

/// An example as a chapter's text. A chapter's first line `+++` opens its front matter (and
/// one never closed is an error by design): an example starting so is moved down one line,
/// which CommonMark reads the same.
fn chapter_text(markdown: &str) -> String {
    let text = rewrite(markdown, false);
    if text.lines().next().is_some_and(|l| l.trim_end() == "+++") {
        format!("\n{text}")
    } else {
        text
    }
}

fn example_chapters(list: &[&Example]) -> Vec<Chapter> {
    list.iter()
        .map(|e| Chapter {
            path: format!("example-{:03}.md", e.number),
            title: format!("Example {}", e.number),
            text: chapter_text(&e.markdown),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The spec's examples, each alone

/// One book per section of the spec, one chapter per example, through every backend.
#[test]
fn each_example_alone_in_every_format() {
    let started = Instant::now();
    let Some(examples) = examples() else {
        return;
    };
    let scratch = scratch("commonmark-each");
    let opts = options(None, 72);
    let mut failures = Vec::new();
    for (i, (section, list)) in sections(&examples).iter().enumerate() {
        let book = scratch.join(format!("book-{i:03}"));
        let out = scratch.join(format!("out-{i:03}"));
        write_book(&book, section, &example_chapters(list));
        if let Err(e) = checked(build(&book, &out, &Format::ALL, &opts), &Format::ALL) {
            failures.push(format!(
                "section `{section}` (examples {}–{}) in {}: {e}",
                list[0].number,
                list[list.len() - 1].number,
                book.display()
            ));
        }
    }
    eprintln!(
        "{} examples in {} sections built in {:.1?}",
        examples.len(),
        sections(&examples).len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// The spec as one book

/// One chapter per section of the spec holding its examples, each under a heading of its own,
/// and the spec's own text as the last chapter. Images and link reference definitions point at
/// `https://` URLs; inline links stay as written.
fn spec_chapters(spec: &str) -> Vec<Chapter> {
    let examples = parse_examples(spec);
    let mut chapters: Vec<Chapter> = sections(&examples)
        .iter()
        .enumerate()
        .map(|(i, (section, list))| {
            let mut text = format!("# {section}\n");
            for e in list {
                write!(
                    text,
                    "\n## Example {}\n\n{}",
                    e.number,
                    rewrite(&e.markdown, false)
                )
                .expect("write to string");
            }
            Chapter {
                path: format!("section-{:02}.md", i + 1),
                title: section.clone(),
                text,
            }
        })
        .collect();
    chapters.push(Chapter {
        path: "spec.md".into(),
        title: "The specification".into(),
        text: rewrite(spec, false),
    });
    chapters
}

/// Writes the spec book into `dir` and builds it in `formats`: it must build with no error.
/// `None` when the spec is missing and the test may skip.
fn build_spec_book(dir: &Path, formats: &[Format], opts: &RenderOptions) -> Option<BuildReport> {
    let spec = commonmark_spec()?;
    let (book, out) = (dir.join("book"), dir.join("out"));
    write_book(&book, "CommonMark examples", &spec_chapters(&spec));
    let report =
        build(&book, &out, formats, opts).unwrap_or_else(|p| panic!("the spec book panicked: {p}"));
    if let Err(e) = verdict(&report, formats) {
        panic!("the spec book in {}: {e}", book.display());
    }
    Some(report)
}

fn written(report: &BuildReport, format: Format) -> &Path {
    report
        .written
        .iter()
        .find(|w| w.format == format)
        .map(|w| w.path.as_path())
        .unwrap_or_else(|| panic!("no {} written", format.name()))
}

fn have(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok()
}

/// Every format, then the PDF in every page profile, each checked by qpdf.
#[test]
fn spec_book_in_every_format_and_page_profile() {
    let dir = scratch("commonmark-spec");
    let started = Instant::now();
    let Some(report) = build_spec_book(&dir, &Format::ALL, &options(None, 72)) else {
        return;
    };
    let mut pdfs = vec![written(&report, Format::Pdf).to_path_buf()];
    eprintln!("the spec book in every format: {:.1?}", started.elapsed());
    for profile in PROFILES.iter().filter(|p| **p != "a4") {
        let started = Instant::now();
        let out = dir.join(format!("out-{profile}"));
        let report = build(
            &dir.join("book"),
            &out,
            &[Format::Pdf],
            &options(Some(profile), 72),
        );
        checked(report, &[Format::Pdf]).unwrap_or_else(|e| panic!("{profile}: {e}"));
        pdfs.push(
            std::fs::read_dir(&out)
                .expect("out dir")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "pdf"))
                .expect("a PDF"),
        );
        eprintln!(
            "the spec book as PDF ({profile}): {:.1?}",
            started.elapsed()
        );
    }
    if tool_missing("qpdf", have("qpdf")) {
        return;
    }
    for pdf in pdfs {
        let out = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&pdf)
            .output()
            .expect("run qpdf");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("No syntax or stream encoding errors"),
            "qpdf --check {}:\n{text}{}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The plain-text backend (cheap) at widths from its least to far beyond the usual.
#[test]
fn spec_book_as_text_at_every_width() {
    let dir = scratch("commonmark-spec-text");
    for width in [20, 21, 33, 47, 72, 119, 200] {
        let Some(report) = build_spec_book(&dir, &[Format::Text], &options(None, width)) else {
            return;
        };
        let text = std::fs::read_to_string(written(&report, Format::Text)).expect("read text");
        assert!(!text.trim().is_empty(), "width {width}: no text");
    }
}

#[test]
fn spec_book_epub_passes_epubcheck() {
    let dir = scratch("commonmark-spec-epub");
    let Some(report) = build_spec_book(&dir, &[Format::Epub], &options(None, 72)) else {
        return;
    };
    check_clean(written(&report, Format::Epub));
}

// ---------------------------------------------------------------------------------------------
// Random books

/// Books CI builds; `KR_FUZZ_BOOKS=N` builds N (a soak), `KR_FUZZ_SEED=S` replays book `S`.
const FUZZ_BOOKS: u64 = 300;
/// The seed of the first book; book `i` has seed `FUZZ_SEED + i`.
const FUZZ_SEED: u64 = 10_000;

/// Characters that have broken text handling somewhere: controls, invisible and bidi marks,
/// line and paragraph separators, combining marks, astral planes, non-characters.
const HOSTILE: &[&str] = &[
    "\0",
    "\u{feff}",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\r",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{85}",
    "\u{1b}[31m",
    "\u{1b}[0m",
    "\u{1b}]8;;https://x.example\u{7}",
    "\u{301}",
    "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}",
    "Z\u{334}\u{321}\u{322}\u{31b}\u{348}\u{34d}",
    "\u{200b}",
    "\u{200d}",
    "\u{ad}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{fffe}",
    "\u{e000}",
    "\u{10ffff}",
    "\u{fe0f}",
    "\u{61c}",
    "\t",
    "\u{3000}",
];

/// Words from many scripts: CJK, RTL, emoji sequences, astral letters, ligatures, case traps.
const WORDS: &[&str] = &[
    "kernel",
    "scheduler",
    "the",
    "of",
    "a",
    "Linux",
    "naïve",
    "Straße",
    "İstanbul",
    "ǅemal",
    "ﬁne",
    "œuvre",
    "Ĳssel",
    "日本語",
    "中文字符",
    "かなカナ",
    "한국어",
    "العربية",
    "עברית",
    "Ελληνικά",
    "Кириллица",
    "हिन्दी",
    "ภาษาไทย",
    "👩‍🔬",
    "🇺🇦",
    "👍🏽",
    "🎉",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𐍈𐌰",
    "𠀋𠂢",
    "𝄞",
    "x²",
    "½",
    "™",
    "→",
    "…",
    "—",
    "1.",
    "42",
    "#",
    "*",
    "_",
    "<",
    ">",
    "&",
    "\\",
    "`",
    "|",
    "~",
    "[",
    "]",
    "(",
    ")",
    "!",
    "'",
    "\"",
    "--",
    "...",
    "http://x.example",
];

/// Raw HTML, well formed or not, harmless or not.
const HTML_BLOCKS: &[&str] = &[
    "<div>\n*not emphasis*\n</div>",
    "<div class=\"note\">\n\n*emphasis*\n\n</div>",
    "<table><tr><td>cell</td></tr></table>",
    "<details><summary>More</summary>\n\nHidden *text*.\n\n</details>",
    "<!-- a comment -->",
    "<!-->",
    "<script>alert(1)</script>",
    "<style>p { color: red }</style>",
    "<pre>\nline\n  indented\n</pre>",
    "<p onclick=\"evil()\">click</p>",
    "<a href=\"javascript:alert(1)\">js</a>",
    "<div>\nunclosed",
    "</div>",
    "<?php echo 1; ?>",
    "<![CDATA[ x < y ]]>",
    "<!DOCTYPE html>",
    "<svg width=\"10\" height=\"10\"><circle r=\"5\"/></svg>",
    "<math><mi>x</mi></math>",
    "<img src=\"images/red.png\" alt=\"red\">",
    "<p>a<br>b<br/>c</p>",
    "<ul><li>one<li>two</ul>",
    "<h1 id=\"x\">Raw heading</h1>",
    "<hr>",
    "<blockquote>quoted</blockquote>",
    "<iframe src=\"https://x.example\"></iframe>",
    "<x-custom a=b>custom</x-custom>",
    "<DIV>upper</DIV>",
    "<p>&nbsp;&#0;&#x110000;&bogus;</p>",
];

const INLINE_HTML: &[&str] = &[
    "<span>raw</span>",
    "<b>bold</b>",
    "<br>",
    "<br/>",
    "<em>unclosed",
    "</strong>",
    "<a href=\"https://x.example\">a</a>",
    "<a name=\"x\">",
    "<img src=\"x.png\">",
    "<!-- c -->",
    "<!-->",
    "<kbd>Ctrl</kbd>",
    "<sup>2</sup>",
    "<script>x</script>",
];

/// Link destinations that are URLs, some of them odd.
const URLS: &[&str] = &[
    "<https://example.com/a b>",
    "https://example.com/?q=<>&\"'",
    "https://ex%41mple.com/%zz",
    "https://[::1]:99999/",
    "HTTPS://EXAMPLE.COM",
    "gemini://example.org/x",
    "ftp://example.org/x",
    "javascript:alert(1)",
    "//cdn.example/x",
    "https://example.com/\u{202e}ü日本",
    "data:text/html,<b>x</b>",
    "mailto:a@b.example?subject=%E2%80%AE",
    "tel:+1-555",
    "https://example.com/(a)(b)",
    "<https://example.com/\\>>",
];

const LIST_MARKERS: &[&str] = &["- ", "* ", "+ ", "1. ", "7) ", "0. ", "123456789. ", "-\t"];

const FENCE_LANGS: &[&str] = &[
    "",
    "rust",
    "c",
    "sh",
    "text",
    "日本",
    "a b c",
    "{.x}",
    "\u{202e}x",
];

const IMAGES: &[&str] = &[
    "red.png",
    "wide.png",
    "tall.png",
    "dot.png",
    "photo.jpg",
    "anim.gif",
    "pic.webp",
    "shape.svg",
];

/// The images a random book may show, under `src/images/`.
fn image_files() -> Vec<(&'static str, Vec<u8>)> {
    use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
    let encode = |img: image::DynamicImage, format: ImageFormat| {
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, format).expect("encode image");
        bytes.into_inner()
    };
    let stripes = |w, h| RgbImage::from_fn(w, h, |x, y| Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
    let red = std::fs::read(root().join("tests/fixtures/features/src/images/red.png"))
        .expect("read red.png");
    vec![
        ("red.png", red),
        ("wide.png", encode(stripes(900, 3).into(), ImageFormat::Png)),
        ("tall.png", encode(stripes(3, 900).into(), ImageFormat::Png)),
        (
            "dot.png",
            encode(
                RgbaImage::from_pixel(1, 1, Rgba([0, 0, 0, 0])).into(),
                ImageFormat::Png,
            ),
        ),
        (
            "photo.jpg",
            encode(stripes(40, 30).into(), ImageFormat::Jpeg),
        ),
        ("anim.gif", encode(stripes(16, 16).into(), ImageFormat::Gif)),
        ("pic.webp", encode(stripes(12, 8).into(), ImageFormat::WebP)),
        (
            "shape.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\">\
              <rect width=\"120\" height=\"80\" fill=\"#c33\"/>\
              <text x=\"10\" y=\"40\">Hi \xe2\x80\xae</text></svg>"
                .to_vec(),
        ),
    ]
}

/// A TOML basic string holding `s`.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c.is_control() && c != '\t') || c == '\u{7f}' => {
                write!(out, "\\u{:04X}", c as u32).expect("write to string")
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with every line after the first prefixed by `rest` and the first by `first`.
fn prefixed(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A chapter of a random book, decided before any text is written so that links can point
/// at every chapter.
struct Planned {
    path: String,
    /// Whether the chapter has a heading with id `kr-start`.
    start: bool,
    /// Whether it has sub-chapters (then it may split at `<!-- talks -->`).
    parent: bool,
    /// The whole text of a chapter with no body: empty, blank, or only front matter.
    bare: Option<&'static str>,
}

struct Gen<'e> {
    rng: Rng,
    examples: &'e [Example],
    chapters: Vec<Planned>,
    /// The chapter being written.
    here: usize,
    /// Its footnote labels: every one is defined at the end of the chapter.
    labels: Vec<String>,
    /// How deep blocks may nest in this book.
    max_depth: usize,
    /// Whether a note's definition is being written.
    in_note: bool,
    /// Whether spec examples keep their inline links as written (local ones degrade to text).
    verbatim_links: bool,
}

impl Gen<'_> {
    /// A few hostile characters, or nothing.
    fn hostile(&mut self) -> String {
        let mut s = String::new();
        for _ in 0..self.rng.range(1, 3) {
            s.push_str(self.rng.pick(HOSTILE));
        }
        s
    }

    /// Plain words with, now and then, hostile characters among them.
    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            if self.rng.percent(8) {
                s.push_str(&self.hostile());
            }
            s.push_str(self.rng.pick(WORDS));
        }
        s
    }

    /// Words for a link's or an image's text or title: no brackets or quotes that would end it.
    fn label(&mut self, n: usize) -> String {
        self.words(n).replace(['[', ']', '"', '\\', '`', '<'], "")
    }

    /// `text` with a few insertions of syntax or hostile characters, or a few deletions.
    fn mutate(&mut self, text: &str) -> String {
        const SYNTAX: &[&str] = &[
            "*", "_", "[", "]", "`", "<", ">", "|", "\n", "    ", "- ", "1. ", "#", "!", "(", ")",
            "\\", "&", "~", "\n\n", "> ", "```", "$", "{#x}", "\t",
        ];
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..self.rng.range(1, 5) {
            let at = self.rng.below(chars.len() + 1);
            if self.rng.percent(30) && at < chars.len() {
                let n = self.rng.range(1, 8).min(chars.len() - at);
                chars.drain(at..at + n);
            } else {
                let what = if self.rng.percent(70) {
                    self.rng.pick(SYNTAX).to_string()
                } else {
                    self.hostile()
                };
                chars.splice(at..at, what.chars());
            }
        }
        chars.into_iter().collect()
    }

    /// A title: never blank, never holding what SUMMARY.md would read as syntax.
    fn title(&mut self) -> String {
        let n = self.rng.range(1, 6);
        let words = self
            .words(n)
            .replace(['[', ']', '(', ')', '\n', '\r', '\\', '`'], " ");
        // Now and then one with no letter a slug keeps (emoji, punctuation only).
        match words.trim() {
            w if !w.is_empty() && self.rng.percent(30) => w.to_string(),
            _ => format!("T{}", words.trim_end()),
        }
    }

    /// A date as the configuration accepts it: plausible, or only nearly so.
    fn date(&mut self) -> &'static str {
        self.rng.pick(&[
            "2023-09-27",
            "2023-09-25",
            "2024-02-29",
            "2023-02-31",
            "1900-02-29",
            "0000-01-01",
            "9999-12-31",
        ])
    }

    /// The path of chapter `to` as a link from the chapter being written.
    fn link_to(&mut self, to: usize) -> String {
        let here = &self.chapters[self.here].path;
        let up = "../".repeat(here.matches('/').count());
        let mut path = format!("{up}{}", self.chapters[to].path);
        if self.rng.percent(20) {
            path = format!("{}.html", path.trim_end_matches(".md"));
        }
        if self.chapters[to].start && self.rng.percent(50) {
            path.push_str("#kr-start");
        }
        if to == self.here && self.chapters[to].start && self.rng.percent(50) {
            path = "#kr-start".into();
        }
        path
    }

    fn image_src(&mut self) -> String {
        let up = "../".repeat(self.chapters[self.here].path.matches('/').count());
        format!("{up}images/{}", self.rng.pick(IMAGES))
    }

    /// Inline content on one line (for table cells and headings).
    fn inline_line(&mut self, depth: usize) -> String {
        self.inline(depth).replace(
            [
                '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
            ],
            " ",
        )
    }

    /// Inline content: words, emphasis, code, links, images, notes, raw HTML, breaks.
    fn inline(&mut self, depth: usize) -> String {
        let mut s = String::new();
        for _ in 0..self.rng.range(1, 8) {
            if !s.is_empty() {
                s.push(' ');
            }
            let deeper = depth < 3;
            match self.rng.below(22) {
                0 if deeper => write!(s, "*{}*", self.inline(depth + 1)),
                1 if deeper => write!(s, "**{}**", self.inline(depth + 1)),
                2 if deeper => write!(s, "~~{}~~", self.inline(depth + 1)),
                3 if deeper => write!(s, "_{}_", self.inline(depth + 1)),
                4 => write!(s, "`{}`", self.words(2).replace('`', "'")),
                5 => write!(s, "``{}``", self.words(3)),
                6 => {
                    let t = if deeper {
                        self.inline(depth + 1)
                    } else {
                        self.label(1)
                    };
                    write!(
                        s,
                        "[{t}](https://example.com/{} \"{}\")",
                        self.rng.below(99),
                        self.label(1)
                    )
                }
                7 => {
                    let to = self.rng.below(self.chapters.len());
                    let t = self.label(2);
                    let dest = self.link_to(to);
                    write!(s, "[{t}]({dest})")
                }
                8 => write!(
                    s,
                    "![{}]({} \"{}\")",
                    self.label(2),
                    self.image_src(),
                    self.label(1)
                ),
                9 => write!(s, "![{}](https://example.com/remote.png)", self.label(1)),
                10 if !self.labels.is_empty() => {
                    let label = self.labels[self.rng.below(self.labels.len())].clone();
                    write!(s, "[^{label}]")
                }
                11 => write!(s, "{}", self.rng.pick(INLINE_HTML)),
                12 => {
                    let t = self.label(1);
                    let dest = self.rng.pick(URLS);
                    write!(s, "[{t}]({dest})")
                }
                13 => write!(s, "<someone{}@example.com>", self.rng.below(9)),
                14 => writeln!(s, "{}  ", self.words(1)),
                15 => writeln!(s, "{}\\", self.words(1)),
                16 => writeln!(s, "{}", self.words(2)),
                17 => write!(s, "&amp; &copy; &#0; &#x110000; &#65; &bogus;"),
                18 => {
                    let n = self.rng.range(30, 400);
                    let w = self.rng.pick(&["x", "漢", "é", "👍", "-", "/"]).repeat(n);
                    write!(s, "{w}")
                }
                19 => write!(s, "\"quoted\" 'single' -- --- ... \\*not\\* \\`"),
                20 => write!(s, "{}", self.hostile()),
                _ => {
                    let n = self.rng.range(1, 12);
                    write!(s, "{}", self.words(n))
                }
            }
            .expect("write to string");
        }
        // A line that starts with a fence would open a code block swallowing the rest of the
        // chapter, the definitions of notes included.
        let mut out = String::with_capacity(s.len());
        for line in s.split_inclusive(['\n', '\r']) {
            let t = line.trim_start_matches([' ', '\t']);
            if t.starts_with("```") || t.starts_with("~~~") {
                out.push('\\');
            }
            out.push_str(line);
        }
        out
    }

    /// One block's Markdown, ending with a newline.
    fn block(&mut self, depth: usize) -> String {
        let deeper = depth < self.max_depth;
        let mut s = String::new();
        match self.rng.below(30) {
            0..=3 => {
                let e = &self.examples[self.rng.below(self.examples.len())];
                // Mutated first, so that the destinations it breaks are rewritten too.
                s = if self.rng.percent(40) {
                    self.mutate(&e.markdown)
                } else {
                    e.markdown.clone()
                };
                s = rewrite(&s, !self.verbatim_links);
            }
            4..=7 => s = format!("{}\n", self.inline(0)),
            8 => {
                let level = self.rng.range(1, 7);
                let id = if self.rng.percent(20) {
                    let id = self
                        .rng
                        .pick(&["h", "ü", "a.b", "-", "_x", "日本", "x:y", "fn-1"]);
                    format!(" {{#{id}{}}}", self.rng.next())
                } else {
                    String::new()
                };
                s = format!("{} {}{id}\n", "#".repeat(level), self.inline_line(1));
            }
            9 => {
                let underline = if self.rng.percent(50) { "===" } else { "---" };
                s = format!("{}\n{underline}\n", self.inline_line(1));
            }
            10 | 11 if deeper => {
                let n = self.rng.range(1, 3);
                let inner = self.blocks(depth + 1, n);
                let mark = if self.rng.percent(80) { "> " } else { ">" };
                s = prefixed(&inner, mark, mark);
            }
            12 | 13 if deeper => s = self.list(depth),
            14 => s = self.table(),
            15 => {
                let fence = if self.rng.percent(70) { "```" } else { "~~~~" };
                let lang = self.rng.pick(FENCE_LANGS);
                let mut body = String::new();
                for _ in 0..self.rng.range(0, 6) {
                    let n = self.rng.range(0, 30);
                    body.push_str(&self.words(n).replace("```", "'''").replace("~~~", "-"));
                    body.push('\n');
                }
                if self.rng.percent(20) {
                    body.push_str(&"x".repeat(self.rng.range(100, 600)));
                    body.push('\n');
                }
                if self.rng.percent(10) {
                    body.push_str("\ttab\t\tstops\n");
                }
                s = format!("{fence}{lang}\n{body}{fence}\n");
            }
            16 => {
                let n = self.rng.range(1, 12);
                s = prefixed(&format!("{}\n", self.words(n)), "    ", "    ");
            }
            17 => s = format!("{}\n", self.rng.pick(HTML_BLOCKS)),
            18 => s = format!("{}\n", self.rng.pick(&["---", "***", "_ _ _", "- - -"])),
            19 => {
                let title = if self.rng.percent(50) {
                    format!(" \"{}\"", self.label(2))
                } else {
                    String::new()
                };
                s = format!("![{}]({}{title})\n", self.label(3), self.image_src());
            }
            20 => {
                let label = format!("img{}", self.rng.below(1000));
                s = format!(
                    "![{}][{label}]\n\n[{label}]: {}\n",
                    self.label(1),
                    self.image_src()
                );
            }
            21 => {
                s = self
                    .rng
                    .pick(&[
                        "-", ">", "#", "1.", "* * *", "|", "- [ ]", "```", "+++", "[x]:", "\\",
                    ])
                    .to_string();
                s.push('\n');
            }
            22 => {
                let n = self.rng.range(100, 600);
                s = format!("{}\n", self.words(n));
            }
            24 if deeper => {
                let kind = self.rng.pick(&[
                    "NOTE",
                    "TIP",
                    "IMPORTANT",
                    "WARNING",
                    "CAUTION",
                    "note",
                    "BOGUS",
                ]);
                let n = self.rng.range(1, 2);
                let inner = self.blocks(depth + 1, n);
                s = format!("> [!{kind}]\n{}", prefixed(&inner, "> ", "> "));
            }
            25 => {
                // A definition list (mdBook's dialect, on by default).
                for _ in 0..self.rng.range(1, 3) {
                    let term = self.inline_line(2);
                    s.push_str(&format!("{term}\n"));
                    for _ in 0..self.rng.range(1, 2) {
                        let def = self.inline_line(2);
                        s.push_str(&format!(": {def}\n"));
                    }
                    s.push('\n');
                }
            }
            26 => {
                // Formulas (kept as TeX when `mathjax-support` is on, text otherwise).
                s = self
                    .rng
                    .pick(&[
                        "$$\n\\int_0^1 x^2 \\, dx\n$$\n",
                        "Inline $a^2 + b^2$ and \\(c\\) and $$e$$.\n",
                        "\\[\n\\frac{1}{0}\n\\]\n",
                        "$ not math $ and $5 and $6\n",
                        "$$\n",
                    ])
                    .to_string();
            }
            // An include repeats the text before it on its line before each included line: after
            // `[^x]: ` that would define the note again.
            27 if !self.in_note => {
                // mdBook's links preprocessor, on files that exist.
                let up = "../".repeat(self.chapters[self.here].path.matches('/').count());
                let directive = match self.rng.below(9) {
                    0 => format!("{{{{#include {up}inc.md}}}}"),
                    1 => format!("```rust\n{{{{#include {up}snippet.rs:2:4}}}}\n```"),
                    2 => format!("```rust\n{{{{#include {up}snippet.rs:part}}}}\n```"),
                    3 => format!("```rust\n{{{{#rustdoc_include {up}snippet.rs:part}}}}\n```"),
                    4 => format!("{{{{#playground {up}snippet.rs editable}}}}"),
                    5 => format!("{{{{#title {}}}}}", self.label(2)),
                    6 => "\\{{#include nothing.md}}".to_string(),
                    7 => format!("> {{{{#include {up}inc.md}}}}"),
                    _ => format!("- {{{{#include {up}snippet.rs::1}}}}"),
                };
                s = format!("{directive}\n");
            }
            28 => {
                let info = self.rng.pick(&[
                    "python,hidelines=~",
                    "rust",
                    "rust,ignore",
                    "sh,hidelines=!!",
                    "rust,hidelines=",
                    "python",
                ]);
                s = format!(
                    "```{info}\n~ hidden\n# hidden too\nshown {}\n!! x\n```\n",
                    self.words(3).replace('`', "'")
                );
            }
            _ => s = format!("{}\n", self.inline(0)),
        }
        if s.is_empty() || !s.ends_with('\n') {
            s.push('\n');
        }
        s
    }

    /// `n` blocks, mostly separated by blank lines.
    fn blocks(&mut self, depth: usize, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 && self.rng.percent(85) {
                s.push('\n');
            }
            s.push_str(&self.block(depth));
        }
        s
    }

    fn list(&mut self, depth: usize) -> String {
        let marker = self.rng.pick(LIST_MARKERS);
        let loose = self.rng.percent(30);
        let mut s = String::new();
        for i in 0..self.rng.range(1, 5) {
            if i > 0 && loose {
                s.push('\n');
            }
            let task = match self.rng.below(10) {
                0 => "[ ] ",
                1 => "[x] ",
                _ => "",
            };
            let pad =
                " ".repeat(marker.chars().count().max(2) + usize::from(marker.contains('\t')) * 3);
            let body = match self.rng.below(8) {
                0 => String::new(),
                1 => "[ref]: https://example.com/ref\n".to_string(),
                _ => {
                    let n = self.rng.range(1, 3);
                    self.blocks(depth + 1, n)
                }
            };
            if body.is_empty() {
                s.push_str(&format!("{}{task}\n", marker.trim_end()));
            } else {
                s.push_str(&prefixed(&body, &format!("{marker}{task}"), &pad));
            }
        }
        s
    }

    fn table(&mut self) -> String {
        let cols = self.rng.range(1, 6);
        // Mostly short cells: long ones in narrow columns set a glyph per line, page after page.
        let cell = |g: &mut Self| {
            let text = if g.rng.percent(20) {
                g.inline_line(2)
            } else {
                let n = g.rng.range(1, 4);
                g.words(n)
            };
            text.replace('|', "\\|").replace(
                [
                    '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
                ],
                " ",
            )
        };
        let mut s = String::from("|");
        for _ in 0..cols {
            let c = cell(self);
            write!(s, " {c} |").expect("write to string");
        }
        s.push_str("\n|");
        for _ in 0..cols {
            s.push_str(self.rng.pick(&[" --- |", ":--|", " --: |", ":-:|"]));
        }
        s.push('\n');
        for _ in 0..self.rng.range(0, 5) {
            s.push('|');
            for _ in 0..self.rng.range(0, cols + 2) {
                let c = if self.rng.percent(15) {
                    String::new()
                } else {
                    cell(self)
                };
                write!(s, " {c} |").expect("write to string");
            }
            s.push('\n');
        }
        s
    }

    /// A chapter's text: front matter, a title, blocks, its notes.
    fn chapter(&mut self, index: usize) -> String {
        self.here = index;
        self.labels = (0..self.rng.range(0, 3))
            .map(|i| match self.rng.below(4) {
                0 => format!("{i}"),
                1 => format!("note-{i}"),
                2 => format!("ü{i}"),
                _ => format!("N{i}"),
            })
            .collect();
        let mut s = String::new();
        if self.rng.percent(20) {
            let speakers = (0..self.rng.range(0, 3))
                .map(|_| {
                    let t = self.title();
                    toml_str(&t)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let title = self.title();
            write!(
                s,
                "+++\ntitle = {}\nspeakers = [{speakers}]\ndate = \"{}\"\n+++\n",
                toml_str(&title),
                self.date()
            )
            .expect("write to string");
        }
        if self.rng.percent(60) {
            writeln!(s, "# {}\n", self.inline_line(2)).expect("write to string");
        }
        if self.chapters[index].start {
            s.push_str("## Start {#kr-start}\n\n");
        }
        // Notes are defined first: a spec example later on (an unclosed fence or HTML block)
        // could swallow their definitions, and a reference without one is an error.
        self.in_note = true;
        for label in self.labels.clone() {
            let body = if self.rng.percent(30) {
                let n = self.rng.range(1, 3);
                let inner = self.blocks(1, n);
                prefixed(&inner, "", "    ")
            } else {
                format!("{}\n", self.inline(1))
            };
            writeln!(s, "[^{label}]: {body}").expect("write to string");
        }
        self.in_note = false;
        let n = self.rng.range(1, 10);
        s.push_str(&self.blocks(0, n));
        if self.chapters[index].parent && self.rng.percent(40) {
            s.push_str("\n<!-- talks -->\n\n");
            let n = self.rng.range(1, 3);
            s.push_str(&self.blocks(0, n));
        }
        // Without front matter, a first line `+++` would open one never closed (an error by
        // design): a spec example or a degenerate block starting so moves down a line.
        if !s.starts_with("+++\ntitle") && s.lines().next().is_some_and(|l| l.trim_end() == "+++") {
            s.insert(0, '\n');
        }
        if self.rng.percent(5) {
            s = format!("\u{feff}{s}");
        }
        if self.rng.percent(10) {
            s = s.replace('\n', "\r\n");
        }
        s
    }
}

/// A random book from `seed`: book.toml, SUMMARY.md with parts, nesting, prefix and suffix
/// chapters and drafts, the chapters and their images. Returns the build options to use.
fn random_book(
    dir: &Path,
    seed: u64,
    examples: &[Example],
    images: &[(&str, Vec<u8>)],
) -> RenderOptions {
    let mut rng = Rng(seed);
    let deep = rng.percent(10);
    let mut gen = Gen {
        max_depth: if deep {
            rng.range(20, 45)
        } else {
            rng.range(1, 5)
        },
        verbatim_links: rng.percent(50),
        rng,
        examples,
        chapters: Vec::new(),
        here: 0,
        labels: Vec::new(),
        in_note: false,
    };
    let g = &mut gen;

    // The chapters, their place in SUMMARY.md, and SUMMARY.md itself.
    let count = g.rng.range(1, 7);
    let stems = ["ch", "café", "日本", "a.b", "UPPER", "x-y_z"];
    let dirs = ["", "", "", "part/", "ünï/", "a/b/"];
    let mut summary = String::from("# Summary\n\n");
    let mut depth = 0usize;
    let prefix = count > 1 && g.rng.percent(30);
    let suffix = count > 2 && g.rng.percent(30);
    for i in 0..count {
        let path = format!("{}{}-{i}.md", g.rng.pick(&dirs), g.rng.pick(&stems));
        let bare = match g.rng.below(40) {
            0 => Some(""),
            1 => Some(" \n\t\n"),
            2 => Some("+++\ntitle = \"Only front matter\"\n+++\n"),
            _ => None,
        };
        let start = bare.is_none() && g.rng.percent(50);
        g.chapters.push(Planned {
            path,
            start,
            parent: false,
            bare,
        });
    }
    for i in 0..count {
        let path = g.chapters[i].path.clone();
        let t = g.title();
        if i == 0 && prefix || i + 1 == count && suffix {
            writeln!(summary, "\n[{t}]({path})\n").expect("write to string");
            depth = 0;
            continue;
        }
        if i == usize::from(prefix) || g.rng.percent(25) {
            if g.rng.percent(20) {
                summary.push_str("\n---\n");
            }
            if i > usize::from(prefix) || g.rng.percent(70) {
                let t = g.title();
                writeln!(summary, "\n# {t}\n").expect("write to string");
            }
            depth = 0;
        } else {
            depth = g.rng.range(0, depth + 1).min(3);
        }
        if depth > 0 {
            // The item above becomes a parent.
            if let Some(p) = g.chapters[..i].last_mut() {
                p.parent = true;
            }
        }
        let indent = if g.rng.percent(15) {
            "\t".repeat(depth)
        } else {
            "    ".repeat(depth)
        };
        let bullet = if g.rng.percent(50) { "-" } else { "*" };
        writeln!(summary, "{indent}{bullet} [{t}]({path})").expect("write to string");
    }
    if !suffix && g.rng.percent(10) {
        // A draft has no file; what is listed under it would be left out with it.
        summary.push_str("- [Draft]()\n");
    }

    // book.toml
    let mut toml = format!("[book]\ntitle = {}\n", toml_str(&g.title()));
    if g.rng.percent(70) {
        let authors: Vec<String> = (0..g.rng.range(1, 3))
            .map(|_| toml_str(&g.title()))
            .collect();
        writeln!(toml, "authors = [{}]", authors.join(", ")).expect("write to string");
    }
    if g.rng.percent(50) {
        let lang = g.rng.pick(&[
            "en",
            "fr",
            "ja",
            "ar",
            "he",
            "zh-Hant",
            "x-klingon",
            "EN-gb",
        ]);
        writeln!(toml, "language = \"{lang}\"").expect("write to string");
    }
    if g.rng.percent(30) {
        let d = g.words(8);
        writeln!(toml, "description = {}", toml_str(&d)).expect("write to string");
    }
    if g.rng.percent(50) {
        toml.push_str("\n[output.html]\n");
        for key in [
            "smart-punctuation",
            "definition-lists",
            "admonitions",
            "mathjax-support",
            "no-section-label",
        ] {
            if g.rng.percent(40) {
                writeln!(toml, "{key} = {}", g.rng.percent(50)).expect("write to string");
            }
        }
        if g.rng.percent(20) {
            toml.push_str("site-url = \"/book/\"\n");
        }
        if g.rng.percent(30) {
            toml.push_str("[output.html.code.hidelines]\npython = \"~\"\n");
        }
    }
    toml.push_str("\n[publish]\n");
    if g.rng.percent(40) {
        writeln!(toml, "subtitle = {}", toml_str(&g.title())).expect("write to string");
    }
    if g.rng.percent(30) {
        writeln!(toml, "publisher = {}", toml_str(&g.title())).expect("write to string");
    }
    if g.rng.percent(30) {
        writeln!(toml, "subjects = [{}]", toml_str(&g.title())).expect("write to string");
    }
    if g.rng.percent(30) {
        let date = g.date();
        writeln!(toml, "date = \"{date}\"").expect("write to string");
    }
    match g.rng.below(20) {
        0 => toml.push_str("cover = \"generate\"\n"),
        1 => toml.push_str("cover = \"src/images/red.png\"\n"),
        _ => {}
    }
    if g.rng.percent(20) {
        let page = g.rng.pick(&PROFILES);
        writeln!(toml, "\n[output.pdf]\npage = \"{page}\"").expect("write to string");
    }
    if g.rng.percent(20) {
        toml.push_str("\n[output.gemini]\nbase-url = \"gemini://example.org/book/\"\n");
    }
    if g.rng.percent(5) {
        toml.push_str("\n[output.epub]\nembed-fonts = true\n");
    }

    let chapters: Vec<Chapter> = (0..count)
        .map(|i| Chapter {
            path: g.chapters[i].path.clone(),
            title: String::new(),
            text: match g.chapters[i].bare {
                Some(text) => text.to_string(),
                None => g.chapter(i),
            },
        })
        .collect();
    if g.rng.percent(5) {
        summary = format!("\u{feff}{summary}");
    }
    if g.rng.percent(5) {
        summary = summary.replace('\n', "\r\n");
    }
    write_book_with(dir, &toml, &summary, &chapters);
    let images_dir = dir.join("src/images");
    std::fs::create_dir_all(&images_dir).expect("mkdir images");
    for (name, bytes) in images {
        std::fs::write(images_dir.join(name), bytes).expect("write image");
    }
    // What `{{#include}}` and its kin name.
    // Included text lands in any chapter: no notes, images or links of its own.
    let inc = format!(
        "## Included {}\n\n*{}* `{}` {}\n",
        g.label(2),
        g.label(3),
        g.label(1).replace('`', ""),
        g.words(20)
    );
    std::fs::write(dir.join("src/inc.md"), inc).expect("write inc.md");
    std::fs::write(
        dir.join("src/snippet.rs"),
        "fn main() {\n    // ANCHOR: part\n    let x = \"\u{202e}日本\";\n# hidden();\n    // ANCHOR_END: part\n}\n",
    )
    .expect("write snippet.rs");
    let pdf_page = g.rng.percent(30).then(|| g.rng.pick(&PROFILES).to_string());
    RenderOptions {
        text_width: g.rng.range(20, 200),
        source_date_epoch: g.rng.percent(90).then_some(EPOCH),
        pdf_page,
        ..RenderOptions::default()
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not `{v}`")))
}

/// Random books through every backend: none may panic or crash a backend. A failure names
/// the book's seed; `KR_FUZZ_SEED=<seed> cargo test --test commonmark random_books` replays it
/// and leaves the book in `target/test-scratch/fuzz/`.
#[test]
fn random_books_never_panic() {
    let started = Instant::now();
    let Some(examples) = examples() else {
        return;
    };
    let images = image_files();
    let seeds: Vec<u64> = match env_u64("KR_FUZZ_SEED") {
        Some(seed) => vec![seed],
        None => {
            let n = env_u64("KR_FUZZ_BOOKS").unwrap_or(FUZZ_BOOKS);
            (FUZZ_SEED..FUZZ_SEED + n).collect()
        }
    };
    let scratch = scratch("fuzz");
    let mut failures = Vec::new();
    let mut slowest: Vec<(std::time::Duration, u64)> = Vec::new();
    for &seed in &seeds {
        let book_started = Instant::now();
        let book = scratch.join(format!("book-{seed}"));
        let out = scratch.join("out");
        let opts = random_book(&book, seed, &examples, &images);
        let result = build(&book, &out, &Format::ALL, &opts);
        if let Err(e) = checked(result, &Format::ALL) {
            eprintln!("FAILED: book seed {seed}: {e}");
            failures.push(format!(
                "seed {seed} ({}): {e}\n  replay: KR_FUZZ_SEED={seed} cargo test --test commonmark random_books",
                book.display()
            ));
            if failures.len() >= 20 {
                break;
            }
            continue;
        }
        if seeds.len() > 1 {
            let _ = std::fs::remove_dir_all(&book);
        }
        slowest.push((book_started.elapsed(), seed));
    }
    slowest.sort();
    let slowest: Vec<String> = slowest
        .iter()
        .rev()
        .take(5)
        .map(|(t, seed)| format!("{seed} ({t:.1?})"))
        .collect();
    eprintln!(
        "{} random books in {:.1?}: {} failed; slowest: {}",
        seeds.len(),
        started.elapsed(),
        failures.len(),
        slowest.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} books failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The rewriting helper itself, on the shapes the random books have tripped it with.
#[test]
fn rewrite_reaches_images_around_images() {
    assert_eq!(
        rewrite("![foo ![bar](]/url)](/url2)\n", false),
        "![foo ![bar](https://example.com/url)](https://example.com/url2)\n"
    );
    assert_eq!(
        rewrite("[a]: /x\n\n[b](/y) ![c](<d e>)\n", false),
        "[a]: https://example.com/x\n\n[b](/y) ![c](https://example.com/de)\n"
    );
}
