//! The Kernel Recipes book as a PDF, checked with qpdf and poppler, plus layout checks on the
//! pages the typesetter produced (widows, orphans, headings kept with their text, measure).

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use common::*;
use kr_publish::testing::{layout, Fonts, Geometry, Matter};
use kr_publish::testing::{Item, LineRole, Page};

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
