//! Books written for mdBook: its `links` preprocessor (includes, anchors, escapes, titles),
//! hidden lines of code blocks, and book.toml as mdBook reads it (other tools' tables,
//! `MDBOOK_*` overrides). Each case is a tiny book built in a scratch directory.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const BOOK_TOML: &str = "[book]\ntitle = \"Tiny\"\n";

/// Listings beside `src/`, as The Rust Programming Language keeps them.
const LISTINGS: &[(&str, &str)] = &[
    (
        "listings/a.rs",
        "fn outside() {}\n// ANCHOR: here\nfn here() {}\n// ANCHOR_END: here\nfn after() {}\n",
    ),
    ("listings/lines.txt", "one\ntwo\nthree\nfour\nfive\n"),
    (
        "listings/play.rs",
        "fn main() {\n    println!(\"played\");\n# let hidden_in_playground = 1;\n}\n",
    ),
    (
        "listings/nested/outer.md",
        "Outer text.\n\n{{#include inner.md}}\n",
    ),
    (
        "listings/nested/inner.md",
        "Inner text from a nested include.\n",
    ),
    (
        "listings/self.md",
        "Around the world.\n{{#include self.md}}\n",
    ),
];

/// Writes a book whose one chapter (`src/ch.md`) is `chapter`, plus `files`.
fn book(name: &str, toml: &str, chapter: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(&format!("mdbook-{name}"));
    let b = dir.join("book");
    write(&b.join("book.toml"), toml);
    write(
        &b.join("src/SUMMARY.md"),
        "# Summary\n\n- [Chapter](ch.md)\n",
    );
    write(&b.join("src/ch.md"), chapter);
    for (path, text) in files {
        write(&b.join(path), text);
    }
    b
}

/// Every file of the Gemini capsule in `out`, concatenated.
fn gemini_text(out: &Path) -> String {
    fn walk(dir: &Path, all: &mut String) {
        for e in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, all);
            } else if p.extension().is_some_and(|x| x == "gmi") {
                all.push_str(&std::fs::read_to_string(&p).expect("gmi"));
            }
        }
    }
    let mut all = String::new();
    walk(&out.join("gemini"), &mut all);
    all
}

/// (case, chapter, text the plain-text output must show, text it must not show)
type TextCase = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const INCLUDE_CASES: &[TextCase] = &[
    (
        "whole-file",
        "```rust\n{{#include ../listings/a.rs}}\n```\n",
        &["fn outside() {}", "fn here() {}", "fn after() {}"],
        &["ANCHOR", "{{#"],
    ),
    (
        "one-line",
        "```text\n{{#include ../listings/lines.txt:2}}\n```\n",
        &["    two\n"],
        &["one", "three"],
    ),
    (
        "up-to",
        "```text\n{{#include ../listings/lines.txt::3}}\n```\n",
        &["one\n    two\n    three\n"],
        &["four"],
    ),
    (
        "from",
        "```text\n{{#include ../listings/lines.txt:2:}}\n```\n",
        &["two\n    three\n    four\n    five"],
        &["one"],
    ),
    (
        "between",
        "```text\n{{#include ../listings/lines.txt:2:4}}\n```\n",
        &["two\n    three\n    four\n"],
        &["one", "five"],
    ),
    (
        "anchor",
        "```rust\n{{#include ../listings/a.rs:here}}\n```\n",
        &["fn here() {}"],
        &["outside", "after", "ANCHOR"],
    ),
    (
        "rustdoc-anchor",
        "```rust\n{{#rustdoc_include ../listings/a.rs:here}}\n```\n",
        &["fn here() {}"],
        &["outside", "after", "ANCHOR"],
    ),
    (
        "rustdoc-range-outside-rust",
        "```text\n{{#rustdoc_include ../listings/lines.txt:2}}\n```\n",
        &["# one\n    two\n    # three"],
        &[],
    ),
    (
        "playground",
        "Before.\n\n{{#playground ../listings/play.rs editable}}\n\nAfter.\n",
        &["println!(\"played\");", "Before.", "After."],
        &["hidden_in_playground", "{{#"],
    ),
    (
        "escaped",
        "Write `\\{{#include file.rs}}` to include.\n\n```hbs\n\\{{#include a.rs:2}} and {{#include b.rs}}\n```\n",
        &[
            "Write {{#include file.rs}} to include.",
            "{{#include a.rs:2}} and {{#include b.rs}}",
        ],
        &["\\{{"],
    ),
    (
        "nested",
        "{{#include ../listings/nested/outer.md}}\n",
        &["Outer text.", "Inner text from a nested include."],
        &["{{#"],
    ),
    (
        "in-a-list-item",
        "- Item:\n  ```text\n  {{#include ../listings/lines.txt::2}}\n  ```\n- Next item\n",
        &["Item:\n      one\n      two\n- Next item"],
        &["three"],
    ),
    (
        "unknown-directive-kept",
        "Handlebars: {{#each items}} stays.\n",
        &["{{#each items}} stays."],
        &[],
    ),
];

#[test]
fn include_forms_and_anchors() {
    for &(name, chapter, shown, hidden) in INCLUDE_CASES {
        let b = book(name, BOOK_TOML, chapter, LISTINGS);
        let (code, log, out) = build(&b, "text", &[]);
        assert_eq!(code, 0, "{name}: {log}");
        assert!(!log.contains("warning"), "{name}: {log}");
        let text = read(&out, "txt");
        for want in shown {
            assert!(text.contains(want), "{name}: no {want:?} in\n{text}");
        }
        for unwanted in hidden {
            assert!(!text.contains(unwanted), "{name}: {unwanted:?} in\n{text}");
        }
    }
}

#[test]
fn title_directive_sets_the_chapter_title() {
    let b = book(
        "title",
        BOOK_TOML,
        "{{#title A Better Title}}\n# Chapter heading\n\nText.\n",
        &[],
    );
    let (code, log, out) = build(&b, "json,text", &[]);
    assert_eq!(code, 0, "{log}");
    let json: serde_json::Value = serde_json::from_str(&read(&out, "json")).expect("json");
    let chapter = &json["parts"][0]["chapters"][0];
    assert_eq!(chapter["title"], "A Better Title");
    assert!(!read(&out, "txt").contains("{{#title"));
}

/// (case, chapter, exit code, what the log must say)
const ERROR_CASES: &[(&str, &str, i32, &str)] = &[
    (
        "missing-file",
        "# T\n\nText.\n\n```rust\n{{#include ../listings/nope.rs}}\n```\n",
        1,
        "src/ch.md:6:1: error: `{{#include ../listings/nope.rs}}`: included file `listings/nope.rs` does not exist",
    ),
    (
        "missing-anchor",
        "# T\n\nSee {{#include ../listings/a.rs:nowhere}} here.\n",
        1,
        "src/ch.md:3:5: error: `{{#include ../listings/a.rs:nowhere}}`: `listings/a.rs` has no `ANCHOR: nowhere` line",
    ),
    (
        "missing-rustdoc-anchor",
        "{{#rustdoc_include ../listings/a.rs:nowhere}}\n",
        1,
        "src/ch.md:1:1: error: `{{#rustdoc_include ../listings/a.rs:nowhere}}`: `listings/a.rs` has no `ANCHOR: nowhere` line",
    ),
    (
        "outside-the-book",
        "{{#include ../../../secret.txt}}\n",
        1,
        "src/ch.md:1:1: error: `{{#include ../../../secret.txt}}`: `../../../secret.txt` is outside the book's directory",
    ),
    (
        "recursion-limit",
        "{{#include ../listings/self.md}}\n",
        1,
        "listings/self.md:2:1: error: `{{#include self.md}}`: includes nested more than 10 deep",
    ),
    (
        "range-past-the-end",
        "```text\n{{#include ../listings/lines.txt:9:}}\n```\n",
        0,
        "src/ch.md:2:1: warning: `{{#include ../listings/lines.txt:9:}}`: `listings/lines.txt` has 5 lines; this range takes none of them",
    ),
    (
        "nested-missing-file-points-into-the-included-file",
        "{{#include ../listings/broken.md}}\n",
        1,
        "listings/broken.md:3:3: error: `{{#include gone.md}}`: included file `listings/gone.md` does not exist",
    ),
    (
        "playpen-is-renamed",
        "{{#playpen ../listings/play.rs}}\n",
        0,
        "src/ch.md:1:1: warning: `{{#playpen ../listings/play.rs}}`: `{{#playpen}}` is now called `{{#playground}}`",
    ),
];

#[test]
fn include_errors_point_at_the_directive() {
    let mut files = LISTINGS.to_vec();
    files.push((
        "listings/broken.md",
        "Line one.\n\n  {{#include gone.md}}\n",
    ));
    for &(name, chapter, want_code, want) in ERROR_CASES {
        let b = book(name, BOOK_TOML, chapter, &files);
        let (code, log, _) = build(&b, "text", &[]);
        assert_eq!(code, want_code, "{name}: {log}");
        assert!(log.contains(want), "{name}: want {want:?} in\n{log}");
    }
}

#[cfg(unix)]
#[test]
fn includes_through_symlinks_out_of_the_book_are_refused() {
    let b = book("symlink", BOOK_TOML, "{{#include link.txt}}\n", &[]);
    let secret = b.with_file_name("secret.txt");
    write(&secret, "secret outside the book\n");
    std::os::unix::fs::symlink(&secret, b.join("src/link.txt")).expect("symlink");
    let (code, log, _) = build(&b, "text", &[]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("src/ch.md:1:1: error: `{{#include link.txt}}`: included file `src/link.txt` is outside the book's directory"),
        "{log}"
    );
    assert!(!log.contains("secret outside"), "{log}");
}

#[test]
fn lines_after_an_include_keep_their_line_numbers() {
    // The include adds four lines; the broken link is on line 7 of the chapter.
    let chapter =
        "# T\n\n```text\n{{#include ../listings/lines.txt}}\n```\n\nA [broken](nowhere.md) link.\n";
    let b = book("line-map", BOOK_TOML, chapter, LISTINGS);
    let (code, log, _) = build(&b, "text", &[]);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("src/ch.md:7:3: warning: link to `nowhere.md`"),
        "{log}"
    );
}

const HIDDEN: &str = "# Hidden\n\n```rust,ignore\n# fn hidden_setup() {}\n#\n    # let indented_hidden = 1;\n##[derive(Debug)]\nstruct Shown;\n```\n\n```python\n~import hidden_python\nprint(\"shown python\")\n```\n\n```sh,hidelines=!!\n!! hidden_shell\necho shown_shell\n```\n\n```ignore\n# shown_in_bare_attribute_block\n```\n";

#[test]
fn hidden_lines_are_left_out_of_every_format() {
    let toml = format!("{BOOK_TOML}\n[output.html.code.hidelines]\npython = \"~\"\n");
    let b = book("hidden", &toml, HIDDEN, &[]);
    let (code, log, out) = build(&b, "text,json,epub,gemini", &[]);
    assert_eq!(code, 0, "{log}");
    assert!(
        !log.contains("warning"),
        "hidelines is read, not ignored: {log}"
    );
    let outputs = [
        ("text", read(&out, "txt")),
        ("json", read(&out, "json")),
        // Highlighted code splits the text into spans: read it without tags.
        ("epub", without_tags(&epub_text(&out))),
        ("gemini", gemini_text(&out)),
    ];
    for (format, text) in &outputs {
        for hidden in [
            "hidden_setup",
            "indented_hidden",
            "hidden_python",
            "hidden_shell",
            "##[derive",
        ] {
            assert!(!text.contains(hidden), "{format} shows {hidden}:\n{text}");
        }
        for shown in [
            "#[derive(Debug)]",
            "struct Shown;",
            "shown python",
            "echo shown_shell",
            "# shown_in_bare_attribute_block",
        ] {
            assert!(text.contains(shown), "{format} lost {shown}:\n{text}");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&outputs[1].1).expect("json");
    let langs: Vec<serde_json::Value> = json["parts"][0]["chapters"][0]["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter(|b| b["t"] == "CodeBlock")
        .map(|b| b["c"]["lang"].clone())
        .collect();
    assert_eq!(
        langs,
        serde_json::json!(["rust", "python", "sh", null])
            .as_array()
            .cloned()
            .unwrap_or_default(),
        "attributes are not the language"
    );
}

const FOREIGN_TOML: &str = r#"[book]
title = "Foreign"
authors = ["A"]
multilingual = false

[rust]
edition = "2021"

[build]
build-dir = "book"
create-missing = false

[output.html]
site-url = "/foreign/"
mathjax-support = true

[output.html.playground]
editable = true

[output.epub]
cover-image = "cover.png"

[output.pdf]
landscape = true

[output.linkcheck]
follow-web-links = false

[preprocessor.admonish]
command = "mdbook-admonish-not-installed"
optional = true
"#;

#[test]
fn other_tools_tables_are_located_warnings() {
    let b = book("foreign", FOREIGN_TOML, "# Chapter\n\nText.\n", &[]);
    let (code, log, _) = build(&b, "text", &[]);
    assert_eq!(code, 0, "{log}");
    for want in [
        "book.toml:4:1: warning: `multilingual` in [book]",
        "book.toml:6:2: warning: [rust]",
        "book.toml:10:1: warning: `build-dir` in [build]",
        "book.toml:11:1: warning: `create-missing` in [build]",
        "book.toml:13:9: warning: [output.html] is for mdBook's HTML renderer: kr-publish reads only `code.hidelines`, `smart-punctuation`, `definition-lists`, `admonitions`, `mathjax-support`, `no-section-label`, `site-url` there and ignores `playground`",
        "book.toml:21:1: warning: `cover-image` in [output.epub]",
        "book.toml:24:1: warning: `landscape` in [output.pdf]",
        "book.toml:26:9: warning: [output.linkcheck] is for another renderer",
        "book.toml:29:15: warning: preprocessor `admonish` is not installed (`mdbook-admonish-not-installed` was not found); the book is built without it (install it with `cargo install mdbook-admonish-not-installed`)",
    ] {
        assert!(log.contains(want), "want {want:?} in\n{log}");
    }
    // Warnings, so `--strict` refuses the book.
    let out = b.with_file_name("strict-out");
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&b),
            "--out",
            path_str(&out),
            "--format",
            "text",
            "--strict",
        ],
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn own_keys_are_still_strict() {
    for (name, toml, want) in [
        (
            "bad-page-type",
            "[book]\ntitle = \"T\"\n\n[output.pdf]\nlandscape = true\npage = 5\n",
            "book.toml:6:8: error: bad book.toml: [output.pdf] `page`: invalid type: integer `5`, expected a string",
        ),
        (
            "bad-embed-fonts",
            "[book]\ntitle = \"T\"\n[output.epub]\nembed-fonts = \"yes\"\n",
            "book.toml:4:15: error: bad book.toml: [output.epub] `embed-fonts`: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "bad-publish-key",
            "[book]\ntitle = \"T\"\n[publish]\nsubtitel = \"x\"\n",
            "book.toml:4:1: error: bad book.toml: [publish] `subtitel`: unknown field `subtitel`",
        ),
    ] {
        let b = book(name, toml, "# C\n", &[]);
        let (code, log, _) = build(&b, "pdf", &[]);
        assert_eq!(code, 1, "{name}: {log}");
        assert!(log.contains(want), "{name}: want {want:?} in\n{log}");
    }
}

#[test]
fn mdbook_environment_overrides() {
    let b = book("env", BOOK_TOML, "# Chapter\n\nText.\n", &[]);
    let (code, log, out) = build(
        &b,
        "json",
        &[
            ("MDBOOK_BOOK__TITLE", "Title From Env"),
            ("MDBOOK_BOOK__AUTHORS", "[\"Env Author\"]"),
            ("MDBOOK_PUBLISH__BASE_NAME", "env-name"),
            ("MDBOOK_VERSION", "0.4.40"),
        ],
    );
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("env-name.json"), "{log}");
    let json: serde_json::Value = serde_json::from_str(&read(&out, "json")).expect("json");
    assert_eq!(json["meta"]["title"], "Title From Env");
    assert_eq!(json["meta"]["authors"][0], "Env Author");

    let (code, log, _) = build(&b, "pdf", &[("MDBOOK_OUTPUT__PDF__PAGE", "7")]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("MDBOOK_OUTPUT__PDF__PAGE: error: bad book.toml: [output.pdf] `page`"),
        "{log}"
    );
    let (code, log, _) = build(&b, "text", &[("MDBOOK_OUTPUT__EPUB__COVER_IMAGE", "c.png")]);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("MDBOOK_OUTPUT__EPUB__COVER_IMAGE: warning: `cover-image` in [output.epub]"),
        "{log}"
    );
}

/// Every string of a JSON value, depth first.
fn json_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// Rust code blocks of a JSON book, as (lang, text).
fn rust_blocks(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(o) => {
            if o.get("t").is_some_and(|t| t == "CodeBlock") {
                let c = &o["c"];
                if c["lang"] == "rust" {
                    out.push(c["text"].as_str().unwrap_or_default().to_string());
                }
            }
            o.values().for_each(|x| rust_blocks(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| rust_blocks(x, out)),
        _ => {}
    }
}

/// A public mdBook book's checkout, named by the environment variable `var`. The books are not
/// vendored here (see the README's "mdBook books"): these tests run on request, e.g. `KR_MDBOOK_REPO=/path/to/mdBook KR_NOMICON_REPO=/path/to/nomicon cargo test
/// --test mdbook -- --ignored`.
fn checkout(var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(dir) => PathBuf::from(dir),
        None => panic!("set {var} to a checkout of the book's repository"),
    }
}

/// Builds a real mdBook book (`book`, its sources under `src`) in every format, and checks
/// what issue 12 asks of it: exit 0, no error, no link warning (mdBook gives none for links
/// that work on its pages; links out of the book need `site-url`, given in `env`), no
/// `{{#…}}` directive left but those the book escapes, no hidden line shown, a clean EPUB.
fn builds_as_mdbook_does(book: &Path, src: &Path, env: &[(&str, &str)]) {
    let mut env = env.to_vec();
    env.push(("SOURCE_DATE_EPOCH", "1700000000"));
    let started = std::time::Instant::now();
    let (code, log, out) = build(book, "all", &env);
    eprintln!("{}: built in {:.1?}", book.display(), started.elapsed());
    assert_eq!(code, 0, "{log}");
    assert!(!log.contains(": error: "), "{log}");
    let link_warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("link to") || l.contains("links to"))
        .collect();
    assert!(link_warnings.is_empty(), "{}", link_warnings.join("\n"));

    let json: serde_json::Value = serde_json::from_str(&read(&out, "json")).expect("json");
    let mut strings = Vec::new();
    json_strings(&json, &mut strings);
    let sources = walk_sources(src);
    for s in strings {
        for (i, _) in s.match_indices("{{#") {
            let directive = &s[i..s[i..].find("}}").map_or(s.len(), |e| i + e + 2)];
            let name: String = directive[3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let known = [
                "include",
                "rustdoc_include",
                "playground",
                "playpen",
                "title",
            ];
            // `{{#include}}` alone (no argument) is no directive for mdBook either.
            let has_arg = directive[3 + name.len()..].starts_with(char::is_whitespace);
            assert!(
                !known.contains(&name.as_str())
                    || !has_arg
                    || sources.contains(&format!("\\{directive}")),
                "directive left unexpanded: {directive}"
            );
        }
    }
    let mut rust = Vec::new();
    rust_blocks(&json, &mut rust);
    assert!(rust.len() > 10, "{} rust blocks", rust.len());
    for block in &rust {
        for line in block.lines() {
            let t = line.trim_start();
            assert!(
                !(t == "#" || t.starts_with("# ") || t.starts_with("##")),
                "hidden line shown: {line:?}"
            );
        }
    }
    let epub = std::fs::read_dir(&out)
        .expect("out")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("epub");
    check_valid(&epub);
}

/// The mdBook user guide (MPL-2.0), from a checkout of the mdBook repository.
///
/// The guide includes two files from `../../../examples/`, outside its own folder (the one
/// holding book.toml): kr-publish refuses them, and that is checked first. Built as a book
/// whose folder is the repository's (a book.toml there, the guide's own with `src =
/// "guide/src"`), the includes stay inside the book: no file of the guide is changed. Its
/// `guide-helper` preprocessor is a `cargo run` of mdBook's own crates: it is told to serve the
/// HTML renderer only (as mdBook's `renderers` key says), so the test compiles nothing.
#[test]
#[ignore = "needs KR_MDBOOK_REPO, a checkout of the mdBook repository"]
fn the_mdbook_user_guide_builds() {
    let repo = checkout("KR_MDBOOK_REPO");
    let dir = scratch("mdbook-guide").join("mdBook");
    let guide = dir.join("guide");
    copy_dir(&repo.join("guide"), &guide);
    let html_only = (
        "MDBOOK_PREPROCESSOR__GUIDE_HELPER__RENDERERS",
        r#"["html"]"#,
    );
    let (code, log, _) = build(&guide, "text", &[html_only]);
    assert_eq!(code, 1, "{log}");
    let errors: Vec<&str> = log.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{log}");
    assert!(
        errors
            .iter()
            .all(|e| e.contains("src/for_developers/preprocessors.md")
                && e.contains("is outside the book's directory")),
        "{log}"
    );

    copy_dir(&repo.join("examples"), &dir.join("examples"));
    let toml = std::fs::read_to_string(guide.join("book.toml")).expect("book.toml");
    let toml = toml.replacen("[book]\n", "[book]\nsrc = \"guide/src\"\n", 1);
    write(&dir.join("book.toml"), &toml);
    builds_as_mdbook_does(&dir, &guide.join("src"), &[html_only]);
    assert!(!read(&dir.with_file_name("out"), "txt").contains("I am hidden"));
}

/// The Rustonomicon (MIT or Apache-2.0), from a checkout of its repository. Its links to the
/// standard library and the Reference leave the book (`../std/…`): with its web address as
/// `site-url`, set the mdBook way, they are links to doc.rust-lang.org.
#[test]
#[ignore = "needs KR_NOMICON_REPO, a checkout of the Rustonomicon's repository"]
fn the_rustonomicon_builds() {
    let repo = checkout("KR_NOMICON_REPO");
    let book = scratch("nomicon").join("nomicon");
    copy_dir(&repo.join("src"), &book.join("src"));
    std::fs::copy(repo.join("book.toml"), book.join("book.toml")).expect("book.toml");
    let site = (
        "MDBOOK_OUTPUT__HTML__SITE_URL",
        "https://doc.rust-lang.org/nomicon/",
    );
    builds_as_mdbook_does(&book, &book.join("src"), &[site]);
    let json = read(&book.with_file_name("out"), "json");
    assert!(
        json.contains("\"url\": \"https://doc.rust-lang.org/std/"),
        "no link to the standard library"
    );
}

/// Every Markdown source under `dir`, concatenated.
fn walk_sources(dir: &Path) -> String {
    let mut all = String::new();
    for e in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            all.push_str(&walk_sources(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            all.push_str(&std::fs::read_to_string(&p).expect("md"));
        }
    }
    all
}

/// `xhtml` with its tags left out (entities kept).
fn without_tags(xhtml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xhtml.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
