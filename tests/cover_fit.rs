//! The cover fits every page profile whole: page 1 of the PDF shows all of the cover's text,
//! every word inside the page box, however the page's shape differs from the cover's.

mod common;

use common::*;

/// The words of the cover SVG's text elements.
fn cover_words() -> Vec<String> {
    let svg =
        std::fs::read_to_string(root().join("covers/kernel-recipes-2023.svg")).expect("cover");
    let doc = roxmltree::Document::parse(&svg).expect("cover SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn page_one_shows_the_whole_cover_in_every_profile() {
    let present = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if tool_missing("pdftotext", present) {
        return;
    }
    let words = cover_words();
    assert!(words.iter().any(|w| w == "proceedings"), "{words:?}");
    for profile in ["a4", "letter", "a5", "ereader"] {
        let out = scratch(&format!("cover-fit-{profile}"));
        let (code, stdout, stderr) = run(
            &[
                "--book",
                path_str(&kr_book()),
                "--out",
                path_str(&out),
                "--format",
                "pdf",
                "--pdf-page",
                profile,
            ],
            &[],
        );
        assert_eq!(code, 0, "{stdout}{stderr}");
        let pdf = out.join("kernel-recipes-2023.pdf");
        let html = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "1", "-bbox", path_str(&pdf), "-"])
            .output()
            .expect("pdftotext runs");
        let html = String::from_utf8_lossy(&html.stdout).into_owned();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc =
            roxmltree::Document::parse_with_options(&html, options).expect("bbox output parses");
        let page = doc
            .descendants()
            .find(|n| n.has_tag_name("page"))
            .expect("page 1");
        let num = |n: roxmltree::Node, a: &str| {
            n.attribute(a).and_then(|v| v.parse::<f32>().ok()).expect(a)
        };
        let (pw, ph) = (num(page, "width"), num(page, "height"));
        let mut found = Vec::new();
        for w in doc.descendants().filter(|n| n.has_tag_name("word")) {
            let inside = num(w, "xMin") >= 0.0
                && num(w, "yMin") >= 0.0
                && num(w, "xMax") <= pw
                && num(w, "yMax") <= ph;
            let text = w.text().unwrap_or_default().to_string();
            assert!(
                inside,
                "{profile}: `{text}` lies outside the {pw}×{ph} page"
            );
            found.push(text);
        }
        for word in &words {
            assert!(
                found.contains(word),
                "{profile}: the cover's `{word}` is not on page 1: {found:?}"
            );
        }
    }
}
