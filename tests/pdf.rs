//! The Kernel Recipes book as a PDF, checked with qpdf and poppler, plus layout checks on the
//! pages the typesetter produced (widows, orphans, headings kept with their text, measure).

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use common::*;
use kr_publish::testing::{layout, Fonts, Geometry, Matter};
use kr_publish::testing::{Artifact, Item, LineRole, Page, Role, Tag};

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a running head can say: the book's title and the titles of its parts and chapters.
fn running_heads() -> HashSet<String> {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let b = &loaded.book;
    let mut heads: HashSet<String> = b.chapters().map(|r| r.chapter.title.clone()).collect();
    heads.extend(b.parts.iter().map(|p| p.title.clone()));
    heads.insert(b.meta.title.clone());
    heads.insert("Contents".into());
    heads.insert("Index of speakers".into());
    heads
}

fn build(book: &Path, out: &Path) -> (String, String) {
    build_with(book, out, &[])
}

fn build_with(book: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "--book",
        path_str(book),
        "--out",
        path_str(out),
        "--format",
        "pdf",
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args, &[("SOURCE_DATE_EPOCH", "1695800000")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    (stdout, stderr)
}

/// pdftotext's text without the page numbers, with words hyphenated at line ends joined again
/// (keeping the hyphen when the seed has only the hyphenated compound, e.g. `opt-in`).
fn extracted_text(pdf: &Path) -> String {
    let raw = tool("pdftotext", &["-raw", path_str(pdf), "-"]);
    let seed = seed_paragraphs().join(" ").to_lowercase();
    let mut lines: Vec<String> = Vec::new();
    let heads = running_heads();
    for page in raw.split('\u{c}') {
        let mut page_lines: Vec<&str> = page.lines().collect();
        // The folio and the running head come last in each page's stream.
        for _ in 0..2 {
            while page_lines.last().is_some_and(|l| l.trim().is_empty()) {
                page_lines.pop();
            }
            if page_lines.last().is_some_and(|l| {
                let l = l.trim();
                l.chars().all(|c| c.is_ascii_digit())
                    || l.chars().all(|c| "ivxlcdm".contains(c))
                    || heads.contains(l)
                    || l.ends_with(" …")
            }) {
                page_lines.pop();
            }
        }
        lines.extend(page_lines.into_iter().map(str::to_string));
    }
    let mut text = String::new();
    for line in lines {
        let line = line.trim_end();
        if text.ends_with('-') && line.starts_with(|c: char| c.is_lowercase()) {
            let head: String = text
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            let next: String = line.split_whitespace().next().unwrap_or("").to_lowercase();
            let outer = |s: String| s.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            let compound = outer(format!("{head}{next}"));
            let joined = outer(format!("{}{next}", &head[..head.len() - 1]));
            if seed.contains(&joined) || !seed.contains(&compound) {
                text.pop();
            }
            text.push_str(line);
        } else {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }
    text
}

#[test]
fn kr_pdf_is_valid_embeds_subsets_and_loses_nothing() {
    if tool_missing("qpdf", have("qpdf")) || tool_missing("pdftotext", have("pdftotext")) {
        return;
    }
    let out = scratch("kr-pdf");
    let (stdout, _) = build(&kr_book(), &out);
    assert!(stdout.contains("kernel-recipes-2023.pdf"), "{stdout}");
    let pdf = out.join("kernel-recipes-2023.pdf");

    let check = tool("qpdf", &["--check", path_str(&pdf)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );

    let fonts = tool("pdffonts", &[path_str(&pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "subset tag: {row}"
        );
    }

    let text = extracted_text(&pdf);
    assert_nothing_lost(&text, "the PDF");
    for name in ["Mickaël Salaün", "Jens Axboe"] {
        assert!(text.contains(name), "{name} missing from the PDF text");
    }

    // The same SOURCE_DATE_EPOCH gives the same bytes.
    let again = scratch("kr-pdf-again");
    build(&kr_book(), &again);
    let a = std::fs::read(&pdf).expect("pdf");
    let b = std::fs::read(again.join("kernel-recipes-2023.pdf")).expect("pdf");
    assert!(a == b, "two builds with the same SOURCE_DATE_EPOCH differ");
    let info = tool("pdfinfo", &[path_str(&pdf)]);
    assert!(
        info.contains("2023"),
        "creation date from SOURCE_DATE_EPOCH: {info}"
    );
}

#[test]
fn no_word_lies_outside_the_text_area() {
    if tool_missing("pdftotext", have("pdftotext")) {
        return;
    }
    let out = scratch("kr-pdf-bbox");
    build(&kr_book(), &out);
    let html = tool(
        "pdftotext",
        &["-bbox", path_str(&out.join("kernel-recipes-2023.pdf")), "-"],
    );
    let g = Geometry::default();
    let (left, right) = (g.left - 0.5, g.left + g.measure + 0.5);
    let (top, bottom) = (g.top, g.top + g.body_height);
    let mut words = 0;
    // The first page is the cover, drawn from its SVG.
    let pages: Vec<&str> = html.split("<page ").skip(2).collect();
    for w in pages.iter().flat_map(|p| p.split("<word ").skip(1)) {
        let attr = |name: &str| -> f32 {
            let at = w.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
            w[at..]
                .split('"')
                .next()
                .expect("value")
                .parse()
                .expect("number")
        };
        let text = w
            .split('>')
            .nth(1)
            .and_then(|t| t.split('<').next())
            .unwrap_or("");
        let (x0, y0, x1, y1) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        let mid = (y0 + y1) / 2.0;
        words += 1;
        if mid > bottom {
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_digit() || "ivxlcdm".contains(c))
                    && mid > g.footer - 12.0,
                "`{text}` below the text area but not a page number (y {mid})"
            );
            continue;
        }
        if mid < top {
            assert!(
                (mid - (g.head - 3.0)).abs() < 6.0 && x0 >= left && x1 <= right,
                "`{text}` above the text area but not in the running head (y {mid})"
            );
            continue;
        }
        assert!(
            x0 >= left && x1 <= right,
            "`{text}` outside the text area: x {x0}..{x1} (area {left}..{right}), y {mid}"
        );
    }
    assert!(words > 10_000, "only {words} words");
}

fn kr_pages() -> Vec<Page> {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    layout(
        &loaded.book,
        &fonts,
        Geometry::default(),
        &Matter::default(),
    )
    .pages
}

#[test]
fn pages_have_no_widows_orphans_or_stranded_headings() {
    let pages = kr_pages();
    assert!(pages.len() > 20, "{} pages", pages.len());
    let last = pages.len() - 1;
    for (k, p) in pages.iter().enumerate() {
        let body: Vec<_> = p
            .lines
            .iter()
            .filter(|l| !matches!(l.role, LineRole::Footer | LineRole::Header | LineRole::Note))
            .collect();
        let (Some(first), Some(last_line)) = (body.first(), body.last()) else {
            // Only the cover and the blank page before the body have no lines.
            assert!(k == 0 || !p.folio, "page {} is empty", k + 1);
            continue;
        };
        let full_page = k < last;
        assert!(
            !(first.of > 1 && first.index == first.of),
            "widow at the top of page {}",
            p.label()
        );
        assert!(
            !(last_line.of > 1 && last_line.index == 1 && full_page),
            "orphan at the foot of page {}",
            p.label()
        );
        assert!(
            last_line.role != LineRole::Heading || !full_page,
            "heading alone at the foot of page {}",
            p.label()
        );
        // A heading is followed by at least two lines on its page.
        for (i, l) in body.iter().enumerate() {
            if l.role == LineRole::Heading
                && body.get(i + 1).is_some_and(|n| n.role != LineRole::Heading)
            {
                assert!(
                    body.len() >= i + 3,
                    "heading on page {} is followed by fewer than two lines",
                    p.label()
                );
            }
        }
        if p.folio {
            assert!(
                p.items.iter().any(|i| matches!(i, Item::Text(r) if r.y > Geometry::default().footer - 1.0 && r.text == p.label())),
                "page {} has no page number in its footer",
                p.label()
            );
        }
    }
}

#[test]
fn body_lines_hold_60_to_75_characters() {
    let pages = kr_pages();
    let mut counts = Vec::new();
    for p in &pages {
        // Full lines: body lines that are not the last of their paragraph.
        for l in p
            .lines
            .iter()
            .filter(|l| l.role == LineRole::Body && l.index < l.of)
        {
            let chars: usize = p
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(r)
                        if r.y > l.rect.y && r.y < l.rect.y + l.rect.h && r.x >= l.rect.x - 0.1 =>
                    {
                        Some(r.text.chars().count())
                    }
                    _ => None,
                })
                .sum();
            counts.push(chars);
        }
    }
    assert!(counts.len() > 500, "{}", counts.len());
    let mean = counts.iter().sum::<usize>() as f32 / counts.len() as f32;
    eprintln!("mean characters per full line: {mean:.1}");
    assert!(
        (60.0..=75.0).contains(&mean),
        "mean characters per line {mean}"
    );
}

#[test]
fn every_part_starts_a_page_and_anchors_every_chapter() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let pages = kr_pages();
    let anchors: HashSet<&str> = pages
        .iter()
        .flat_map(|p| p.anchors.iter().map(|a| a.id.as_str()))
        .collect();
    for c in loaded.book.chapters().map(|r| r.chapter) {
        assert!(
            anchors.contains(c.id.as_str()),
            "no anchor for chapter {}",
            c.id
        );
    }
    for part in &loaded.book.parts {
        let page = pages
            .iter()
            .find(|p| p.anchors.iter().any(|a| a.id == part.id))
            .expect("part anchor");
        let top = page.anchors.iter().map(|a| a.y).fold(f32::MAX, f32::min);
        let a = page
            .anchors
            .iter()
            .find(|a| a.id == part.id)
            .expect("anchor");
        assert_eq!(a.y, top, "{} does not open its page", part.id);
    }
}

#[test]
fn features_book_builds_and_reports_missing_characters_once() {
    if tool_missing("qpdf", have("qpdf")) {
        return;
    }
    let out = scratch("features-pdf");
    let (_, stderr) = build(&root().join("tests/fixtures/features"), &out);
    let pdf = out.join("features.pdf");
    let check = tool("qpdf", &["--check", path_str(&pdf)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    // Emoji and CJK are in no bundled font: each is reported once, with its location.
    let party: Vec<&str> = stderr.lines().filter(|l| l.contains("U+1F389")).collect();
    assert_eq!(party.len(), 1, "{stderr}");
    assert!(party[0].contains("c.md:"), "{}", party[0]);
    // External links are URI annotations, internal ones GoTo.
    let json = qpdf_json(&pdf);
    let links: Vec<&serde_json::Value> = json["qpdf"][1]
        .as_object()
        .expect("objects")
        .values()
        .map(|v| &v["value"])
        .filter(|v| v["/Subtype"] == "/Link")
        .collect();
    assert!(links.iter().any(|v| v["/A"]["/S"] == "/URI"), "no URI link");
    assert!(
        links.iter().any(|v| v.get("/Dest").is_some()),
        "no GoTo link"
    );
    // The over-wide URL was broken at safe points: no warning about it.
    assert!(!stderr.contains("example.org/a/very"), "{stderr}");
}

fn assert_fonts_embedded(pdf: &Path) {
    let fonts = tool("pdffonts", &[path_str(pdf)]);
    for row in fonts.lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
        assert!(
            cols[0].as_bytes().get(6) == Some(&b'+'),
            "subset tag: {row}"
        );
    }
}

#[test]
fn every_page_profile_is_valid_and_loses_nothing() {
    if tool_missing("qpdf", have("qpdf")) || tool_missing("pdftotext", have("pdftotext")) {
        return;
    }
    for (profile, width) in [("letter", "612"), ("a5", "419.5"), ("ereader", "255.1")] {
        let out = scratch(&format!("kr-pdf-{profile}"));
        build_with(&kr_book(), &out, &["--pdf-page", profile]);
        let pdf = out.join("kernel-recipes-2023.pdf");
        let check = tool("qpdf", &["--check", path_str(&pdf)]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{profile}: {check}"
        );
        assert_fonts_embedded(&pdf);
        let info = tool("pdfinfo", &[path_str(&pdf)]);
        assert!(
            info.contains(&format!("Page size:       {width}")),
            "{profile}: {info}"
        );
        assert_nothing_lost(&extracted_text(&pdf), &format!("the {profile} PDF"));
    }
    // A profile nobody knows is refused by the command line.
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&kr_book()),
            "--out",
            path_str(&scratch("kr-pdf-bad")),
            "--format",
            "pdf",
            "--pdf-page",
            "a3",
        ],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn every_profile_keeps_widows_orphans_and_the_measure() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    for name in kr_publish::outputs::PAGE_PROFILES {
        let g = Geometry::profile(name).expect("profile");
        let layout = layout(&loaded.book, &fonts, g, &Matter::default());
        assert!(layout.passes <= 3, "{name}: {} passes", layout.passes);
        let last = layout.pages.len() - 1;
        for (k, p) in layout.pages.iter().enumerate() {
            let body: Vec<_> = p
                .lines
                .iter()
                .filter(|l| matches!(l.role, LineRole::Body | LineRole::Heading | LineRole::Code))
                .collect();
            for l in &body {
                assert!(
                    l.rect.x + l.rect.w <= g.left + g.measure + 0.5,
                    "{name}: overfull line on {}",
                    p.label()
                );
                assert!(
                    l.rect.y + l.rect.h <= g.top + g.body_height + 0.5,
                    "{name}: line below the text on {}",
                    p.label()
                );
            }
            if let (Some(f), Some(l)) = (body.first(), body.last()) {
                assert!(
                    !(f.of > 1 && f.index == f.of),
                    "{name}: widow on {}",
                    p.label()
                );
                assert!(
                    !(l.of > 1 && l.index == 1 && k < last),
                    "{name}: orphan on {}",
                    p.label()
                );
            }
        }
    }
}

fn qpdf_json(pdf: &Path) -> serde_json::Value {
    serde_json::from_str(&tool("qpdf", &["--json", path_str(pdf)])).expect("qpdf json")
}

fn outline_titles(nodes: &serde_json::Value, pages: usize, out: &mut Vec<String>) {
    for n in nodes.as_array().expect("outline list") {
        let page = n["destpageposfrom1"]
            .as_u64()
            .expect("outline entry has a page") as usize;
        assert!((1..=pages).contains(&page), "{n}");
        out.push(n["title"].as_str().expect("title").to_string());
        outline_titles(&n["kids"], pages, out);
    }
}

#[test]
fn contents_outline_links_labels_and_metadata_agree_with_the_pages() {
    if tool_missing("qpdf", have("qpdf")) || tool_missing("pdftotext", have("pdftotext")) {
        return;
    }
    let out = scratch("kr-pdf-nav");
    build(&kr_book(), &out);
    let pdf = out.join("kernel-recipes-2023.pdf");
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let book = &loaded.book;
    let json = qpdf_json(&pdf);
    let pages = json["pages"].as_array().expect("pages");

    // Page labels: i, ii, … for the front matter, then 1, 2, … from the first day.
    let labels: Vec<String> = pages
        .iter()
        .map(|p| {
            let n = p["label"]["/St"].as_u64().expect("every page has a label") as usize;
            match p["label"]["/S"].as_str() {
                Some("/r") => kr_publish::testing::roman(n),
                Some("/D") => n.to_string(),
                other => panic!("label style {other:?}"),
            }
        })
        .collect();
    assert_eq!(&labels[..3], ["i", "ii", "iii"]);
    let body = labels.iter().position(|l| l == "1").expect("page 1");
    assert!(body % 2 == 0, "page 1 is a right-hand page (index {body})");
    for (k, l) in labels[body..].iter().enumerate() {
        assert_eq!(l, &(k + 1).to_string());
    }
    // The printed folio is the label.
    let folio = tool(
        "pdftotext",
        &[
            "-f",
            &(body + 3).to_string(),
            "-l",
            &(body + 3).to_string(),
            "-raw",
            path_str(&pdf),
            "-",
        ],
    );
    assert!(folio.lines().any(|l| l.trim() == "3"), "{folio}");

    // Metadata.
    let info = tool("pdfinfo", &[path_str(&pdf)]);
    for want in [
        "Title:           Kernel Recipes 2023",
        "Author:          Kernel Recipes live blog",
        "Keywords:        Linux kernel, Conference proceedings",
        "Subject:         The talks of Kernel Recipes 2023",
        "Creator:         kr-publish",
    ] {
        assert!(info.contains(want), "{want}: {info}");
    }
    let meta = tool("pdfinfo", &["-meta", path_str(&pdf)]);
    assert!(
        meta.contains("<dc:language>") || meta.contains("dc:language"),
        "XMP language: {meta}"
    );

    // The outline: every talk, each opening on a real page.
    let mut titles = Vec::new();
    outline_titles(&json["outlines"], pages.len(), &mut titles);
    for c in book.chapters().map(|r| r.chapter) {
        assert!(
            titles.contains(&c.title),
            "no outline entry for {}",
            c.title
        );
    }

    // Links: every GoTo lands on a page of the document; external links are URIs.
    let objects = json["qpdf"][1].as_object().expect("objects");
    let page_refs: HashSet<&str> = pages
        .iter()
        .map(|p| p["object"].as_str().expect("ref"))
        .collect();
    let (mut goto, mut uri) = (0, 0);
    for v in objects.values() {
        let v = &v["value"];
        if v["/Subtype"] != "/Link" {
            continue;
        }
        if let Some(dest) = v.get("/Dest") {
            let arr = match dest.as_str() {
                Some(r) => &objects[&format!("obj:{r}")]["value"],
                None => dest,
            };
            let page = arr[0].as_str().expect("dest page");
            assert!(page_refs.contains(page), "link to {page}, not a page");
            goto += 1;
        } else {
            assert_eq!(v["/A"]["/S"], "/URI", "{v}");
            uri += 1;
        }
    }
    let talks = book.chapters().filter(|r| r.chapter.is_talk()).count();
    assert!(goto >= 2 * talks, "{goto} internal links for {talks} talks");
    let mut externals = 0;
    let mut b = book.clone();
    b.for_each_chapter_mut(&mut |c| {
        c.for_each_inline_mut(&mut |i| {
            if let kr_publish::ir::Inline::Link {
                target: kr_publish::ir::LinkTarget::External { .. },
                ..
            } = i
            {
                externals += 1;
            }
        })
    });
    assert!(
        uri >= externals,
        "{uri} URI links for {externals} external links"
    );

    // The contents: entries in reading order, each number the page its chapter starts on.
    let contents: String = (4..body)
        .map(|p| {
            tool(
                "pdftotext",
                &[
                    "-f",
                    &p.to_string(),
                    "-l",
                    &p.to_string(),
                    "-raw",
                    path_str(&pdf),
                    "-",
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let start = contents.find("Contents\n").expect("a contents page");
    let numbers: Vec<String> = contents[start..]
        .lines()
        .filter(|l| l.contains(". . ."))
        .map(|l| l.rsplit(' ').next().expect("number").to_string())
        .collect();
    let mut entries: Vec<(String, bool)> = Vec::new();
    for c in &book.front {
        entries.push((c.title.clone(), false));
    }
    for p in &book.parts {
        entries.push((p.title.clone(), false));
        for c in &p.chapters {
            entries.push((c.title.clone(), false));
            for t in &c.children {
                entries.push((t.title.clone(), true));
            }
        }
    }
    entries.push(("Index of speakers".into(), false));
    assert_eq!(numbers.len(), entries.len(), "{numbers:?}");
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for ((title, talk), number) in entries.iter().zip(&numbers) {
        let index = labels
            .iter()
            .position(|l| l == number)
            .expect("a page with that label");
        let n = (index + 1).to_string();
        let text = tool(
            "pdftotext",
            &["-f", &n, "-l", &n, "-raw", path_str(&pdf), "-"],
        );
        let first_words: String = title
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            norm(&text).contains(&first_words),
            "{title} is not on page {number}"
        );
        if *talk {
            assert!(
                text.contains("Speaker"),
                "{title}: page {number} has no speaker line"
            );
        }
    }
}

#[test]
fn images_are_embedded_at_the_resolution_the_page_needs() {
    if tool_missing("pdfimages", have("pdfimages")) {
        return;
    }
    let book = scratch("pdf-images-book");
    std::fs::create_dir_all(book.join("src")).expect("dir");
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Images\"\nlanguage = \"en\"\n",
    )
    .expect("toml");
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [Pictures](pics.md)\n",
    )
    .expect("summary");
    std::fs::write(
        book.join("src/pics.md"),
        "# Pictures\n\n![A big photo](big.png \"Big\")\n\n![A small photo](small.jpg)\n\n![A drawing](d.svg \"Drawing\")\n",
    )
    .expect("chapter");
    image::RgbImage::from_fn(4000, 2000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(book.join("src/big.png"))
    .expect("png");
    image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([(x % 256) as u8, 40, 40]))
        .save(book.join("src/small.jpg"))
        .expect("jpg");
    std::fs::write(
        book.join("src/d.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="teal"/></svg>"#,
    )
    .expect("svg");
    let out = scratch("pdf-images");
    build(&book, &out);
    let pdf = out.join("images.pdf");
    let check = tool("qpdf", &["--check", path_str(&pdf)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let list = tool("pdfimages", &["-list", path_str(&pdf)]);
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    // The PNG and the JPEG are raster images; the SVG is drawn as vectors.
    assert_eq!(rows.len(), 2, "{list}");
    for r in &rows {
        let ppi: f32 = r[12].parse().expect("x-ppi");
        assert!((50.0..=310.0).contains(&ppi), "{list}");
    }
    let big = rows
        .iter()
        .find(|r| r[2] == "image" && r[3].parse::<u32>().expect("w") > 400)
        .expect("the big image");
    assert!(
        big[3].parse::<u32>().expect("w") < 4000,
        "not downscaled: {list}"
    );
    let text = tool("pdftotext", &[path_str(&pdf), "-"]);
    assert!(
        text.contains("A big photo") && text.contains("A drawing"),
        "captions: {text}"
    );
}

#[test]
fn book_toml_can_name_its_own_fonts() {
    let dir = scratch("pdf-own-fonts");
    let book = dir.join("book");
    std::fs::create_dir_all(book.join("src")).expect("mkdir");
    std::fs::create_dir_all(book.join("own")).expect("mkdir");
    // A distinct face for the body text: DejaVu Sans Mono stands in for "the book's own font".
    std::fs::copy(
        root().join("fonts/DejaVuSansMono.ttf"),
        book.join("own/Body.ttf"),
    )
    .expect("copy");
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .expect("summary");
    std::fs::write(
        book.join("src/one.md"),
        "# One\n\nPlain body text, *and some emphasis*.\n",
    )
    .expect("chapter");
    let toml = "[book]\ntitle = \"Own fonts\"\n[publish]\nbase-name = \"own\"\n\n[output.pdf]\nfonts = { regular = \"own/Body.ttf\" }\n";
    std::fs::write(book.join("book.toml"), toml).expect("toml");
    let out = dir.join("out");
    build(&book, &out);
    let pdf = out.join("own.pdf");
    if tool_missing("pdffonts", have("pdffonts")) {
        return;
    }
    assert_fonts_embedded(&pdf);
    let fonts = tool("pdffonts", &[path_str(&pdf)]);
    assert!(fonts.contains("+DejaVuSansMono"), "{fonts}");
    assert!(
        fonts.contains("+GentiumBookPlus-Italic"),
        "the other faces stay bundled: {fonts}"
    );
    assert!(
        !fonts.contains("+GentiumBookPlus "),
        "the regular face was replaced: {fonts}"
    );

    // A font that cannot be read is an error at the book.toml key, and nothing is written.
    std::fs::write(
        book.join("book.toml"),
        toml.replace("own/Body.ttf", "own/Missing.ttf"),
    )
    .expect("toml");
    let out2 = dir.join("out2");
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out2),
            "--format",
            "pdf",
        ],
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:7:1: error: cannot read font",
            path_str(&book.join("book.toml"))
        )),
        "{stderr}"
    );
    assert!(!out2.join("own.pdf").exists());
}

/// A PDF's objects as `qpdf --json` gives them, and its structure tree.
struct Tree {
    objects: serde_json::Map<String, serde_json::Value>,
    json: serde_json::Value,
}

/// One structure element met walking the tree: its type, attributes and content.
#[derive(Debug)]
struct Elem {
    depth: usize,
    kind: String,
    title: Option<String>,
    alt: Option<String>,
    /// Marked-content ids and annotation references among its children.
    mcids: usize,
    annots: Vec<String>,
    kids: Vec<String>,
    reference: String,
}

impl Tree {
    fn of(pdf: &Path) -> Tree {
        let json = qpdf_json(pdf);
        let objects = json["qpdf"][1].as_object().expect("objects").clone();
        Tree { objects, json }
    }

    fn get<'a>(&'a self, r: &'a serde_json::Value) -> &'a serde_json::Value {
        match r.as_str() {
            Some(s) if s.ends_with(" R") => &self.objects[&format!("obj:{s}")]["value"],
            _ => r,
        }
    }

    fn catalog(&self) -> &serde_json::Value {
        self.get(&self.objects["trailer"]["value"]["/Root"])
    }

    /// Every element below the document, depth first (reading order).
    fn elements(&self) -> Vec<Elem> {
        let root = self.get(&self.catalog()["/StructTreeRoot"]);
        let mut out = Vec::new();
        for k in as_list(&root["/K"]) {
            self.walk(k, 0, &mut out);
        }
        out
    }

    fn walk(&self, r: &serde_json::Value, depth: usize, out: &mut Vec<Elem>) {
        let e = self.get(r);
        let text = |k: &str| {
            e[k].as_str()
                .map(|s| s.trim_start_matches("u:").to_string())
        };
        let mut elem = Elem {
            depth,
            kind: e["/S"].as_str().unwrap_or("?").to_string(),
            title: text("/T"),
            alt: text("/Alt"),
            mcids: 0,
            annots: Vec::new(),
            kids: Vec::new(),
            reference: r.as_str().unwrap_or("").to_string(),
        };
        let kids: Vec<&serde_json::Value> = as_list(&e["/K"]);
        for k in &kids {
            if k.is_i64() || k["/Type"] == "/MCR" {
                elem.mcids += 1;
            } else if k["/Type"] == "/OBJR" {
                elem.annots
                    .push(k["/Obj"].as_str().unwrap_or("").to_string());
            } else if let Some(s) = k.as_str() {
                elem.kids.push(s.to_string());
            }
        }
        out.push(elem);
        for k in kids {
            if k.as_str().is_some() {
                self.walk(k, depth + 1, out);
            }
        }
    }

    /// The structure parent of `key` in the parent tree.
    fn struct_parent(&self, key: i64) -> Option<String> {
        let root = self.get(&self.catalog()["/StructTreeRoot"]);
        let mut stack = vec![self.get(&root["/ParentTree"])];
        while let Some(node) = stack.pop() {
            let nums = as_list(&node["/Nums"]);
            for pair in nums.chunks(2) {
                if pair[0].as_i64() == Some(key) {
                    return pair.get(1).and_then(|v| v.as_str()).map(str::to_string);
                }
            }
            stack.extend(as_list(&node["/Kids"]).into_iter().map(|k| self.get(k)));
        }
        None
    }

    /// Every link annotation: its reference and dictionary.
    fn link_annotations(&self) -> Vec<(String, &serde_json::Value)> {
        let mut out = Vec::new();
        for p in self.json["pages"].as_array().expect("pages") {
            let page = self.get(&p["object"]);
            for a in as_list(&page["/Annots"]) {
                let dict = self.get(a);
                if dict["/Subtype"] == "/Link" {
                    out.push((a.as_str().unwrap_or("").to_string(), dict));
                }
            }
        }
        out
    }
}

fn as_list(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    match v {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// A chapter's headings at `level` (its title) and below, in reading order.
fn chapter_headings(c: &kr_publish::ir::Chapter, level: u8, out: &mut Vec<String>) {
    use kr_publish::ir::BlockKind;
    out.push(format!("/H{level} {}", c.title));
    let of = |blocks: &[kr_publish::ir::Block], out: &mut Vec<String>| {
        for b in blocks {
            if let BlockKind::Heading {
                level: l, content, ..
            } = &b.kind
            {
                let text = kr_publish::ir::plain_text(content);
                out.push(format!("/H{} {}", (level + l - 1).min(6), text.trim()));
            }
        }
    };
    of(&c.blocks, out);
    for t in &c.children {
        chapter_headings(t, level + 1, out);
    }
    of(&c.closing, out);
}

/// The book's headings in reading order, with the level the PDF gives them: parts and
/// chapters outside them at 1, a chapter's headings below its title.
fn kr_headings(book: &kr_publish::ir::Book) -> Vec<String> {
    let mut out = Vec::new();
    for c in &book.front {
        chapter_headings(c, 1, &mut out);
    }
    out.push("/H1 Contents".to_string());
    for p in &book.parts {
        out.push(format!("/H1 {}", p.title));
        for c in &p.chapters {
            chapter_headings(c, 2, &mut out);
        }
    }
    for c in &book.back {
        chapter_headings(c, 1, &mut out);
    }
    out.push("/H1 Index of speakers".to_string());
    out
}

#[test]
fn kr_pdf_is_tagged_pdf_ua_1_with_its_structure_in_reading_order() {
    if tool_missing("qpdf", have("qpdf")) || tool_missing("pdfinfo", have("pdfinfo")) {
        return;
    }
    let out = scratch("kr-pdf-tags");
    build(&kr_book(), &out);
    let pdf = out.join("kernel-recipes-2023.pdf");
    let info = tool("pdfinfo", &[path_str(&pdf)]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let bytes = std::fs::read(&pdf).expect("pdf");
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(
        xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "no PDF/UA-1 in the XMP"
    );
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let book = &loaded.book;
    let tree = Tree::of(&pdf);
    assert_eq!(
        tree.catalog()["/ViewerPreferences"]["/DisplayDocTitle"],
        true
    );
    assert_eq!(tree.catalog()["/MarkInfo"]["/Marked"], true);
    let elems = tree.elements();
    assert_eq!(elems[0].kind, "/Document");

    // The headings, in order: front matter, days, posts, the 21 talks, the index.
    let headings: Vec<String> = elems
        .iter()
        .filter(|e| e.kind.starts_with("/H"))
        .map(|e| format!("{} {}", e.kind, e.title.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(headings, kr_headings(book));
    let talks = book.chapters().filter(|r| r.chapter.is_talk()).count();
    assert_eq!(talks, 21);
    assert_eq!(
        headings.iter().filter(|h| h.starts_with("/H3")).count(),
        talks
    );

    // The cover is the first thing read: a figure described by the title.
    assert_eq!(elems[1].kind, "/Figure");
    assert_eq!(elems[1].alt.as_deref(), Some(book.meta.title.as_str()));
    assert!(elems[1].mcids > 0);

    // Lists are L of LI, each a label and a body.
    let lists: Vec<&Elem> = elems.iter().filter(|e| e.kind == "/L").collect();
    assert!(!lists.is_empty(), "no list");
    for (i, e) in elems.iter().enumerate() {
        let kids: Vec<&str> = elems[i + 1..]
            .iter()
            .take_while(|k| k.depth > e.depth)
            .filter(|k| k.depth == e.depth + 1)
            .map(|k| k.kind.as_str())
            .collect();
        match e.kind.as_str() {
            "/L" => assert!(kids.iter().all(|k| *k == "/LI"), "{kids:?}"),
            "/LI" => assert_eq!(kids, ["/Lbl", "/LBody"]),
            "/Lbl" | "/Link" => assert!(e.mcids > 0, "empty {}", e.kind),
            "/P" => assert!(e.mcids > 0 || !e.kids.is_empty(), "empty P"),
            _ => {}
        }
    }

    // At least one paragraph for each paragraph of the seed.
    let paragraphs = elems.iter().filter(|e| e.kind == "/P").count();
    assert!(paragraphs >= seed_paragraphs().len(), "{paragraphs} P");

    // Every link annotation is described and inside a Link element, which holds it.
    let links = tree.link_annotations();
    assert!(links.len() > 30, "{} links", links.len());
    for (r, a) in &links {
        assert!(a["/Contents"].as_str().is_some_and(|c| c.len() > 2), "{a}");
        let key = a["/StructParent"].as_i64().expect("/StructParent");
        let parent = tree.struct_parent(key).expect("in the parent tree");
        let elem = elems
            .iter()
            .find(|e| e.reference == parent)
            .expect("a structure element");
        assert_eq!(elem.kind, "/Link");
        assert!(elem.annots.contains(r), "{elem:?}");
    }
}

#[test]
fn layout_tags_every_item_and_leaves_heads_and_folios_out_of_the_structure() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let g = Geometry::default();
    let layout = layout(&loaded.book, &fonts, g, &Matter::default());
    let structure = &layout.structure;
    // Each node's text, to find the seed's paragraphs in paragraph nodes.
    let mut texts: Vec<String> = vec![String::new(); structure.nodes.len()];
    let (mut heads, mut folios) = (0, 0);
    for page in &layout.pages {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let outside = run.y < g.top || run.y > g.top + g.body_height + 1.0;
            match run.tag {
                Tag::Artifact(Artifact::Header) => heads += 1,
                Tag::Artifact(Artifact::PageNumber) => folios += 1,
                Tag::Node(n) => {
                    assert!(!outside, "content outside the text block: {}", run.text);
                    let mut n = n;
                    // A link's words are its paragraph's.
                    while structure.nodes[n as usize].role == Role::Link {
                        match structure.nodes[n as usize].parent {
                            Some(p) => n = p,
                            None => break,
                        }
                    }
                    texts[n as usize].push(' ');
                    texts[n as usize].push_str(&run.text);
                }
                other => panic!("untagged text `{}`: {other:?}", run.text),
            }
        }
    }
    let folioed = layout.pages.iter().filter(|p| p.folio).count();
    assert!(folios >= folioed, "{folios} folio runs for {folioed} pages");
    assert!(heads > 20, "{heads} running-head runs");
    let paragraphs: Vec<String> = structure
        .nodes
        .iter()
        .zip(&texts)
        .filter(|(n, _)| n.role == Role::Paragraph)
        .map(|(_, t)| words(t).concat())
        .collect();
    // Letters and digits only: words hyphenated at a line's end join again.
    let lost: Vec<String> = seed_paragraphs()
        .into_iter()
        .filter(|p| {
            let w = words(p).concat();
            w.is_empty() || !paragraphs.iter().any(|t| t.contains(&w))
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{} seed paragraphs in no P: {lost:?}",
        lost.len()
    );
}

#[test]
fn every_pdf_standard_builds_and_passes_qpdf_check() {
    if tool_missing("qpdf", have("qpdf")) {
        return;
    }
    let dir = scratch("pdf-standards");
    let book = dir.join("book");
    copy_dir(&kr_book(), &book);
    copy_dir(&root().join("covers"), &dir.join("covers"));
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    for (standard, mark) in [
        ("ua-1", Some("<pdfuaid:part>1</pdfuaid:part>")),
        ("a-2b", Some("<pdfaid:part>2</pdfaid:part>")),
        ("a-3b", Some("<pdfaid:part>3</pdfaid:part>")),
        ("none", None),
    ] {
        // From the command line, and from book.toml.
        for from_toml in [false, true] {
            let out = dir.join(format!("out-{standard}-{from_toml}"));
            let extra: Vec<&str> = match from_toml {
                true => {
                    let with = format!("{toml}\n[output.pdf]\nstandard = \"{standard}\"\n");
                    std::fs::write(book.join("book.toml"), with).expect("toml");
                    Vec::new()
                }
                false => {
                    std::fs::write(book.join("book.toml"), &toml).expect("toml");
                    vec!["--pdf-standard", standard]
                }
            };
            build_with(&book, &out, &extra);
            let pdf = out.join("kernel-recipes-2023.pdf");
            let check = tool("qpdf", &["--check", path_str(&pdf)]);
            assert!(
                check.contains("No syntax or stream encoding errors"),
                "{standard}: {check}"
            );
            let bytes = std::fs::read(&pdf).expect("pdf");
            let text = String::from_utf8_lossy(&bytes);
            match mark {
                Some(m) => assert!(text.contains(m), "{standard}: no {m}"),
                None => assert!(!text.contains("pdfuaid") && !text.contains("pdfaid")),
            }
            assert!(text.contains("/StructTreeRoot"), "{standard}: untagged");
        }
    }
    // An unknown standard is an error at its key in book.toml, and on the command line.
    let bad = format!("{toml}\n[output.pdf]\nstandard = \"ua-2\"\n");
    std::fs::write(book.join("book.toml"), bad).expect("toml");
    let (code, _, stderr) = build_into(&book, &dir.join("bad"), "pdf", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("unknown PDF standard `ua-2`"), "{stderr}");
    std::fs::write(book.join("book.toml"), &toml).expect("toml");
    let args = ["--book", path_str(&book), "--pdf-standard", "ua-2"];
    let (code, _, stderr) = run(&args, &[]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn characters_no_font_has_are_reported_by_chapter_and_drop_the_claim() {
    let out = scratch("features-pdf-ua");
    let (_, stderr) = build(&root().join("tests/fixtures/features"), &out);
    let warning = stderr
        .lines()
        .find(|l| l.contains("the PDF is not PDF/UA-1") && l.contains("Chapter C"))
        .unwrap_or_else(|| panic!("no PDF/UA warning naming the chapter:\n{stderr}"));
    assert!(warning.contains("c.md:"), "{warning}");
    let bytes = std::fs::read(out.join("features.pdf")).expect("pdf");
    assert!(!String::from_utf8_lossy(&bytes).contains("pdfuaid:part"));
    // Without a standard there is nothing to claim, and nothing to warn about.
    let out = scratch("features-pdf-none");
    let (_, stderr) = build_with(
        &root().join("tests/fixtures/features"),
        &out,
        &["--pdf-standard", "none"],
    );
    assert!(!stderr.contains("not PDF/UA-1"), "{stderr}");
}
