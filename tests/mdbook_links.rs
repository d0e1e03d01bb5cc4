//! mdBook's link model and SUMMARY.md as mdBook reads it (issue 12, items 3 and 6), one tiny
//! book per case: each link form, heading ids (`_`, non-ASCII, repeats), raw HTML anchors,
//! links out of the book through `site-url`, separators, section numbers, SUMMARY's text.

mod common;

use std::path::PathBuf;

use common::*;

/// One tiny book and what its build must give.
struct Case {
    name: &'static str,
    /// book.toml; `[book] title = "Tiny"` when empty.
    toml: &'static str,
    /// Files under the book's folder, SUMMARY.md included.
    files: &'static [(&'static str, &'static str)],
    /// Every link of the book in reading order: `chapter#anchor` for a link inside the book,
    /// the address for a link out of it (links kept as text are not listed).
    links: &'static [&'static str],
    /// Generated heading ids of the first chapter, when checked.
    ids: &'static [&'static str],
    /// (output, text): `log`, `txt`, `epub` (its XHTML), `json` must contain the text…
    shown: &'static [(&'static str, &'static str)],
    /// …and must not.
    hidden: &'static [(&'static str, &'static str)],
}

const TOML: &str = "[book]\ntitle = \"Tiny\"\n";

const CASES: &[Case] = &[
    Case {
        name: "link-forms",
        toml: "",
        files: &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [A](a.md)\n- [Dir](dir/README.md)\n    - [B](./dir/b.md)\n- [Index](other/index.md)\n",
            ),
            (
                "src/a.md",
                "# A title\n\n[1](dir/) [2](dir/index.html) [3](dir/README.md) [4](./dir/b.html) \
                 [5](dir/../a.md) [6](dir/b.md#b-part) [7](#a-title) [8](other/) [9](other/index.html) \
                 [10](dir/b.md?x=1#) [11](a%2Emd)\n\n## A part\n",
            ),
            ("src/dir/README.md", "# Dir\n\nBack [up](../a.md#a-part).\n"),
            ("src/dir/b.md", "# B\n\n## B part\n\n[Index](../other/)\n"),
            ("src/other/index.md", "# Other\n"),
        ],
        links: &[
            "dir-readme",
            "dir-readme",
            "dir-readme",
            "dir-b",
            "a",
            "dir-b#b-part",
            "a",
            "other-index",
            "other-index",
            "dir-b",
            "a",
            "a#a-part",
            "other-index",
        ],
        ids: &["a-part"],
        shown: &[],
        hidden: &[("log", "link to")],
    },
    Case {
        name: "heading-ids",
        toml: "",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [B](b.md)\n"),
            (
                "src/a.md",
                "# A\n\n## The export_name attribute\n\n## `net.git-fetch-with-cli`\n\n## Über uns\n\n\
                 ## 中文 title\n\n## Notes\n\n## Notes\n\n## Notes\n\n## ::\n\n## A -- B\n\n\
                 ## With ![alt](https://example.org/x.png) *image*\n\n## Explicit {#mine}\n\n## Mine\n",
            ),
            (
                "src/b.md",
                "# B\n\n[1](a.md#the-export_name-attribute) [2](a.md#netgit-fetch-with-cli) \
                 [3](a.md#über-uns) [4](a.md#%C3%BCber-uns) [5](a.md#中文-title) [6](a.md#notes-2) \
                 [7](a.md#section) [8](a.md#a--b) [9](a.md#mine-1) [10](a.md#a)\n",
            ),
        ],
        links: &[
            "a#the-export_name-attribute",
            "a#netgit-fetch-with-cli",
            "a#über-uns",
            "a#über-uns",
            "a#中文-title",
            "a#notes-2",
            "a#section",
            "a#a--b",
            "a#mine-1",
            "a",
        ],
        // `# A` took `a`; smart punctuation made `--` a dash, which is dropped.
        ids: &[
            "the-export_name-attribute",
            "netgit-fetch-with-cli",
            "über-uns",
            "中文-title",
            "notes",
            "notes-1",
            "notes-2",
            "section",
            "a--b",
            "with--image",
            "mine",
            "mine-1",
        ],
        shown: &[("epub", "<h2 id=\"über-uns\">"), ("epub", "href=\"a.xhtml#中文-title\"")],
        hidden: &[("log", "link to")],
    },
    Case {
        name: "raw-html-anchors",
        toml: "",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [B](b.md)\n"),
            (
                "src/a.md",
                "# A\n\n<a id=\"block\"></a>\n\nText with <a name=\"old-style\"></a> an anchor.\n\n\
                 <dl>\n<dt id=\"term\">Term</dt>\n<dd>Meaning</dd>\n</dl>\n\n\
                 Refused: <span id=\"styled\" style=\"color: red\">red</span>.\n",
            ),
            (
                "src/b.md",
                "# B\n\n[1](a.md#block) [2](a.md#old-style) [3](a.md#term) [4](a.md#styled) [5](a.md#nope)\n",
            ),
        ],
        links: &["a#block", "a#old-style", "a#term", "a#styled"],
        ids: &[],
        shown: &[
            ("epub", "<a id=\"old-style\"></a>"),
            ("epub", "<dt id=\"term\">"),
            ("epub", "<span id=\"styled\"></span>"),
            ("log", "names an anchor `nope` that `a.md` does not have"),
        ],
        hidden: &[("epub", "name="), ("epub", "&#60;a name")],
    },
    Case {
        name: "site-url",
        toml: "[book]\ntitle = \"Tiny\"\n\n[output.html]\nsite-url = \"https://example.org/tiny/\"\n",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [A](sub/a.md)\n"),
            (
                "src/sub/a.md",
                "# A\n\n[std](../../std/index.html#fn) [root](/x/) [file](listing.rs) \
                 [img](img/a%20b.png) [missing](c.md) [a dir](d/)\n",
            ),
        ],
        links: &[
            "https://example.org/std/index.html#fn",
            "https://example.org/x/",
            "https://example.org/tiny/sub/listing.rs",
            "https://example.org/tiny/sub/img/a%20b.png",
        ],
        ids: &[],
        shown: &[
            ("log", "link to `c.md` names `sub/c.md`, which is not a chapter"),
            ("log", "link to `d/` names `sub/d`"),
        ],
        hidden: &[("log", "`site-url` would")],
    },
    Case {
        name: "site-url-only-a-path",
        toml: "[book]\ntitle = \"Tiny\"\n\n[output.html]\nsite-url = \"/tiny/\"\n",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n\n[std](../std/index.html)\n"),
        ],
        links: &[],
        ids: &[],
        shown: &[(
            "log",
            "link to `../std/index.html` leaves the book's source directory (`site-url` would make it a link to the book's web site)",
        )],
        hidden: &[],
    },
    Case {
        name: "separators-and-numbers",
        toml: "",
        files: &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n[Preface](preface.md)\n\n---\n\n# Part one\n\n- [One](one.md)\n    - [One one](one-one.md)\n    - [Draft]()\n    - [One three](one-three.md)\n\n---\n\n- [Two](two.md)\n\n# Part two\n\n- [Three](three.md)\n\n---\n\n[Appendix](appendix.md)\n",
            ),
            ("src/preface.md", "# Preface\n"),
            ("src/one.md", "# One\n"),
            ("src/one-one.md", "# One one\n"),
            ("src/one-three.md", "# One three\n"),
            ("src/two.md", "# Two\n"),
            ("src/three.md", "# Three\n"),
            ("src/appendix.md", "# Appendix\n"),
        ],
        links: &[],
        ids: &[],
        shown: &[
            // Contents: numbers run on across the separator and the parts; the draft keeps
            // its number; prefix and suffix chapters have none; separators leave a gap.
            (
                "txt",
                "Preface\nPart one\n  1. One\n    1.1. One one\n    1.3. One three\n\n  2. Two\nPart two\n  3. Three\n\nAppendix\n",
            ),
            ("txt", "\n1.3. One three\n---"),
            ("epub", "<li class=\"sep\"><a href=\"two.xhtml\">2. Two</a>"),
            ("epub", "<li class=\"sep\"><a href=\"appendix.xhtml\">Appendix</a>"),
            ("epub", "<h1 id=\"chapter-title\">1.1. One one</h1>"),
            ("epub", "<h1 id=\"chapter-title\">Appendix</h1>"),
            ("json", "\"number\": [\n"),
        ],
        hidden: &[("txt", "0."), ("epub", "<li class=\"sep\"><a href=\"part-one")],
    },
    Case {
        name: "no-section-label",
        toml: "[book]\ntitle = \"Tiny\"\n\n[output.html]\nno-section-label = true\n",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n    - [Sub](sub.md)\n"),
            ("src/one.md", "# One\n"),
            ("src/sub.md", "# Sub\n"),
        ],
        links: &[],
        ids: &[],
        shown: &[("txt", "One\n  Sub\n")],
        hidden: &[("txt", "1."), ("json", "\"number\"")],
    },
    Case {
        name: "proceedings-are-not-numbered",
        toml: "",
        files: &[
            ("src/SUMMARY.md", "# Summary\n\n- [Day](day.md)\n    - [Talk](talk.md)\n"),
            ("src/day.md", "# Day\n"),
            ("src/talk.md", "+++\ntitle = \"Talk\"\nspeakers = [\"Ada\"]\n+++\n\nText.\n"),
        ],
        links: &[],
        ids: &[],
        shown: &[("txt", "Day\n  Talk — Ada\n")],
        hidden: &[("txt", "1."), ("json", "\"number\"")],
    },
    Case {
        name: "summary-text-in-the-contents",
        toml: "",
        files: &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Short *name*](long.md)\n- [The maintainer's POV](pov.md)\n- [Spaced](<sub/two words.md>)\n- [Encoded](sub/three%20x.md \"a link title\")\n## Not a part\n<!--\n# Not a part either\n- [Gone](gone.md)\n-->\n- [Untitled](untitled.md)\n",
            ),
            ("src/long.md", "# A much longer heading\n"),
            ("src/pov.md", "# The maintainer's POV\n"),
            ("src/sub/two words.md", "# Two words\n"),
            ("src/sub/three x.md", "# Three\n"),
            ("src/untitled.md", "No heading here.\n"),
        ],
        links: &[],
        ids: &[],
        shown: &[
            ("txt", "\n1. Short name\n2. The maintainer’s POV\n3. Spaced\n4. Encoded\n5. Untitled\n"),
            ("txt", "1. A much longer heading\n"),
            ("txt", "5. Untitled\n"),
            ("json", "\"toc_title\": \"Short name\""),
            ("log", "SUMMARY.md:7:1: warning: `## Not a part` is ignored: only `# ` headings are part titles"),
        ],
        hidden: &[("json", "\"toc_title\": \"The maintainer"), ("txt", "either")],
    },
];

/// Writes `files` as a book (with a default book.toml) in a scratch folder.
fn tiny_book(name: &str, toml: &str, files: &[(&str, &str)]) -> PathBuf {
    let b = scratch(&format!("mdbook-links-{name}")).join("book");
    write(
        &b.join("book.toml"),
        if toml.is_empty() { TOML } else { toml },
    );
    for (path, text) in files {
        write(&b.join(path), text);
    }
    b
}

/// Every link target of a JSON book, in order (see [`Case::links`]).
fn links(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(o) => {
            if o.get("t").is_some_and(|t| t == "Link") {
                let t = &o["c"]["target"];
                out.push(match t["t"].as_str() {
                    Some("Internal") => match t["anchor"].as_str() {
                        Some(a) => format!("{}#{a}", t["chapter"].as_str().unwrap_or("?")),
                        None => t["chapter"].as_str().unwrap_or("?").to_string(),
                    },
                    _ => t["url"].as_str().unwrap_or("?").to_string(),
                });
            }
            o.values().for_each(|x| links(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| links(x, out)),
        _ => {}
    }
}

/// The heading ids of the blocks of a JSON chapter.
fn heading_ids(blocks: &serde_json::Value) -> Vec<String> {
    let mut ids = Vec::new();
    for b in blocks.as_array().into_iter().flatten() {
        if b["t"] == "Heading" {
            ids.push(b["c"]["id"].as_str().unwrap_or("?").to_string());
        }
    }
    ids
}

#[test]
fn mdbook_links_and_summary() {
    for case in CASES {
        let name = case.name;
        let b = tiny_book(name, case.toml, case.files);
        let (code, log, out) = build(&b, "text,json,epub", &[]);
        assert_eq!(code, 0, "{name}: {log}");
        let json_text = read(&out, "json");
        let json: serde_json::Value = serde_json::from_str(&json_text).expect("json");
        let mut got = Vec::new();
        links(&json, &mut got);
        assert_eq!(got, case.links, "{name}: links");
        if !case.ids.is_empty() {
            let first = &json["parts"][0]["chapters"][0]["blocks"];
            assert_eq!(heading_ids(first), case.ids, "{name}: heading ids");
        }
        let outputs = [
            ("log", log.clone()),
            ("txt", read(&out, "txt")),
            ("epub", epub_text(&out)),
            ("json", json_text),
        ];
        let output = |which: &str| {
            outputs
                .iter()
                .find(|(w, _)| *w == which)
                .map(|(_, text)| text.as_str())
                .unwrap_or_else(|| panic!("{name}: no output {which}"))
        };
        for (which, want) in case.shown {
            let text = output(which);
            assert!(
                text.contains(want),
                "{name}: no {want:?} in {which}:\n{text}"
            );
        }
        for (which, unwanted) in case.hidden {
            let text = output(which);
            assert!(
                !text.contains(unwanted),
                "{name}: {unwanted:?} in {which}:\n{text}"
            );
        }
    }
}

/// The EPUB of the cases that change what it holds (ids of any script, raw anchors, the
/// separators' rule) passes epubcheck; the PDF shows the numbers and builds its links.
#[test]
fn epub_and_pdf_of_the_cases_are_valid() {
    for name in ["heading-ids", "raw-html-anchors", "separators-and-numbers"] {
        let case = CASES.iter().find(|c| c.name == name).expect("case");
        let b = tiny_book(&format!("{name}-all"), case.toml, case.files);
        let (code, log, out) = build(&b, "epub,pdf", &[]);
        assert_eq!(code, 0, "{name}: {log}");
        check_clean(&out.join("tiny.epub"));
        if name == "separators-and-numbers" && have_pdftotext() {
            let pdf = out.join("tiny.pdf");
            let text = std::process::Command::new("pdftotext")
                .args([path_str(&pdf), "-"])
                .output()
                .expect("pdftotext");
            let text = String::from_utf8_lossy(&text.stdout);
            for want in ["1.1. One one", "1.3. One three", "3. Three"] {
                assert!(text.contains(want), "no {want:?} in the PDF:\n{text}");
            }
        }
    }
}

fn have_pdftotext() -> bool {
    let present = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    !tool_missing("pdftotext", present)
}

#[test]
fn publish_site_url_must_be_absolute() {
    let toml = "[book]\ntitle = \"Tiny\"\n\n[publish]\nsite-url = \"/tiny/\"\n";
    let b = tiny_book(
        "publish-site-url",
        toml,
        &[
            ("src/SUMMARY.md", "- [A](a.md)\n"),
            ("src/a.md", "# A\n\n[x](../x.html)\n"),
        ],
    );
    let (code, log, _) = build(&b, "text", &[]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("book.toml:5:12: error: bad book.toml: site-url `/tiny/` is not an absolute http(s) address"),
        "{log}"
    );
    // `[publish]` wins over `[output.html]`, and the environment sets it as mdBook would.
    let (code, log, out) = build(
        &b,
        "json",
        &[("MDBOOK_PUBLISH__SITE_URL", "https://example.org/t/")],
    );
    assert_eq!(code, 0, "{log}");
    assert!(read(&out, "json").contains("\"url\": \"https://example.org/x.html\""));
}
