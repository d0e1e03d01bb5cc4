//! Markdown as mdBook renders it (definition lists, admonitions, heading classes, math, smart
//! punctuation, text direction), proceedings furniture only for proceedings, and external
//! preprocessors run with mdBook's protocol. Each case is a tiny book in a scratch directory.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;

const TOML: &str = "[book]\ntitle = \"Tiny\"\nauthors = [\"Ann Author\"]\nlanguage = \"en\"\n";

/// Writes a book: `book.toml` is [`TOML`] then `extra`; `files` are relative to the book (a
/// one-chapter SUMMARY.md is written unless `files` has one).
fn book(name: &str, extra: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(&format!("mdmk-{name}"));
    let b = dir.join("book");
    write(&b.join("book.toml"), &format!("{TOML}{extra}"));
    if !files.iter().any(|(p, _)| *p == "src/SUMMARY.md") {
        write(
            &b.join("src/SUMMARY.md"),
            "# Summary\n\n- [Chapter](ch.md)\n",
        );
    }
    for (path, text) in files {
        write(&b.join(path), text);
    }
    b
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Builds `book` in `formats` at a fixed date; returns (exit code, stdout and stderr, output
/// directory).
fn build(book: &Path, formats: &str) -> (i32, String, PathBuf) {
    common::build(book, formats, &[("SOURCE_DATE_EPOCH", "1700000000")])
}

/// The output of format `format` in `out`: a file's text, every file of the EPUB (package
/// documents included), or every page of the capsule, concatenated.
fn output(out: &Path, format: &str) -> String {
    let ext = match format {
        "text" => "txt",
        f => f,
    };
    if format == "gemini" {
        let mut all = String::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(out.join("gemini"))
            .expect("capsule")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "gmi"))
        {
            all.push_str(&std::fs::read_to_string(f).expect("gmi"));
        }
        return all;
    }
    let path = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {}", out.display()));
    if format != "epub" {
        return std::fs::read_to_string(path).expect("read output");
    }
    let bytes = std::fs::read(path).expect("read epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        if f.name().ends_with(".xhtml") || f.name().ends_with(".opf") || f.name().ends_with(".css")
        {
            f.read_to_string(&mut all).expect("utf-8");
        }
    }
    all
}

/// (case, book.toml after [book], the chapter, then per format: text that must appear and
/// text that must not)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    )],
);

const DEFLIST: &str = "# Chapter\n\nApple\n: A fruit.\n: A company.\n\nTerm *A*\n: Shared [link](https://example.org/).\n";
const ADMONITIONS: &str = "# Chapter\n\n> [!NOTE]\n> Useful *information*.\n>\n> More.\n\n> [!TIP]\n> Tip text.\n\n> [!IMPORTANT]\n> Important text.\n\n> [!WARNING]\n> - a list first\n\n> [!CAUTION]\n> Caution text.\n\n> A plain quote.\n";
const MATH: &str = "# Chapter\n\nInline \\\\( x^2 + y_1 \\\\) and $a*b$ here.\n\n\\\\[\n\\sum_{i=0}^n i\n\\\\]\n\n$$\nE = mc^2\n$$\n";

const CASES: &[Case] = &[
    (
        "definition-list",
        "",
        DEFLIST,
        &[
            (
                "epub",
                &[
                    "<dl>\n<dt>Apple</dt>\n<dd>A fruit.</dd>\n<dd>A company.</dd>\n<dt>Term <em>A</em></dt>",
                    "dt { font-weight: bold;",
                ],
                &["\n: A"],
            ),
            (
                "text",
                &["Apple\n    A fruit.\n\n    A company.\n\nTerm A\n    Shared link [1]."],
                &["\n: A"],
            ),
            (
                "gemini",
                &["Apple\n    A fruit.\n    A company.\n\nTerm A\n    Shared link [1].\n=> https://example.org/ [1] link"],
                &["\n: A"],
            ),
            ("json", &["\"t\": \"DefinitionList\"", "\"details\""], &[]),
        ],
    ),
    (
        "definition-list-off",
        "[output.html]\ndefinition-lists = false\n",
        DEFLIST,
        &[
            ("text", &["Apple : A fruit. : A company."], &[]),
            ("epub", &[], &["<dl>", "dt {"]),
        ],
    ),
    (
        "admonitions",
        "",
        ADMONITIONS,
        &[
            (
                "epub",
                &[
                    "<div class=\"admonition admonition-note\" role=\"note\">\n<p class=\"admonition-title\">Note</p>\n<p>Useful <em>information</em>.</p>\n<p>More.</p>\n</div>",
                    "<p class=\"admonition-title\">Tip</p>",
                    "<p class=\"admonition-title\">Important</p>",
                    "<p class=\"admonition-title\">Warning</p>\n<ul>",
                    "<p class=\"admonition-title\">Caution</p>",
                    "<blockquote>\n<p>A plain quote.</p>",
                    ".admonition { margin: 0.8em 0; padding: 0.1em 0.8em; border: 0.05em solid;",
                ],
                &["[!", "color"],
            ),
            (
                "text",
                &[
                    "> Note: Useful information.\n>\n> More.",
                    "> Tip: Tip text.",
                    "> Important: Important text.",
                    "> Warning:\n>\n> - a list first",
                    "> Caution: Caution text.",
                    "> A plain quote.",
                ],
                &["[!"],
            ),
            (
                "gemini",
                &[
                    "> Note: Useful information.\n> More.",
                    "> Warning:\n> - a list first",
                    "> Caution: Caution text.",
                ],
                &["[!"],
            ),
            ("json", &["\"t\": \"Admonition\"", "\"kind\": \"Warning\""], &[]),
        ],
    ),
    (
        "admonitions-off",
        "[output.html]\nadmonitions = false\n",
        ADMONITIONS,
        &[
            ("text", &["> [!NOTE] Useful information."], &["Note:"]),
            ("epub", &[], &["admonition"]),
        ],
    ),
    (
        "heading-classes",
        "",
        "# Chapter\n\n## Styled { .fancy .wide #styled }\n\n## Plain\n",
        &[
            (
                "epub",
                &["<h2 id=\"styled\" class=\"fancy wide\">Styled</h2>", "<h2 id=\"plain\">Plain</h2>"],
                &["{ .", ".fancy"],
            ),
            ("text", &["Styled\n~~~~~~"], &["{", ".fancy"]),
            ("json", &["\"classes\": [\n"], &[]),
        ],
    ),
    (
        "smart-punctuation",
        "",
        "# Chapter\n\n\"Quoted\" -- it's...\n",
        &[("text", &["\u{201c}Quoted\u{201d} \u{2013} it\u{2019}s\u{2026}"], &[])],
    ),
    (
        "smart-punctuation-off",
        "[output.html]\nsmart-punctuation = false\n",
        "# Chapter\n\n\"Quoted\" -- it's...\n",
        &[
            ("text", &["\"Quoted\" -- it's..."], &["\u{201c}"]),
            ("epub", &["&#34;Quoted&#34; -- it's..."], &["\u{201c}"]),
        ],
    ),
    (
        "math",
        "[output.html]\nmathjax-support = true\n",
        MATH,
        &[
            (
                "epub",
                &[
                    "Inline <code>x^2 + y_1</code> and <code>a*b</code> here.",
                    "<pre><code>\\sum_{i=0}^n i</code></pre>",
                    "<pre><code>E = mc^2</code></pre>",
                ],
                &["\\("],
            ),
            ("text", &["Inline x^2 + y_1 and a*b here.", "    \\sum_{i=0}^n i"], &["\\("]),
            ("gemini", &["```math code\n\\sum_{i=0}^n i\n```"], &[]),
            ("json", &["\"lang\": \"math\""], &[]),
        ],
    ),
    (
        "math-off",
        "",
        MATH,
        &[("text", &["Inline \\( x^2 + y_1 \\) and $a*b$ here.", "\\["], &[])],
    ),
    (
        "rtl",
        "text-direction = \"rtl\"\n",
        "# Chapter\n\nText.\n",
        &[(
            "epub",
            &[
                "xml:lang=\"en\" dir=\"rtl\">",
                "<spine toc=\"ncx\" page-progression-direction=\"rtl\">",
            ],
            &["dir=\"ltr\""],
        )],
    ),
    (
        "ltr-by-default",
        "",
        "# Chapter\n\nText.\n",
        &[("epub", &[], &["dir=\"rtl\"", "page-progression-direction"])],
    ),
];

#[test]
fn markdown_as_mdbook_renders_it_in_every_format() {
    for (name, extra, chapter, checks) in CASES {
        let b = book(name, extra, &[("src/ch.md", chapter)]);
        let (code, log, out) = build(&b, "epub,gemini,text,json");
        assert_eq!(code, 0, "{name}: {log}");
        assert!(!log.contains("unsupported"), "{name}: {log}");
        for (format, want, never) in *checks {
            let got = output(&out, format);
            for w in *want {
                assert!(got.contains(w), "{name}/{format}: want {w:?} in\n{got}");
            }
            for n in *never {
                assert!(
                    !got.contains(n),
                    "{name}/{format}: {n:?} must not be in\n{got}"
                );
            }
        }
    }
}

#[test]
fn a_right_to_left_language_is_right_to_left_unless_told() {
    for (toml, rtl) in [
        ("[book]\ntitle = \"T\"\nlanguage = \"he\"\n", true),
        ("[book]\ntitle = \"T\"\nlanguage = \"ar-EG\"\n", true),
        (
            "[book]\ntitle = \"T\"\nlanguage = \"he\"\ntext-direction = \"ltr\"\n",
            false,
        ),
    ] {
        let b = book("rtl-lang", "", &[("src/ch.md", "# Chapter\n\nText.\n")]);
        write(&b.join("book.toml"), toml);
        let (code, log, out) = build(&b, "epub");
        assert_eq!(code, 0, "{log}");
        assert!(
            !log.contains("text-direction"),
            "a key kr-publish reads: {log}"
        );
        let epub = output(&out, "epub");
        assert_eq!(epub.contains("dir=\"rtl\""), rtl, "{toml}");
    }
    let b = book(
        "rtl-bad",
        "text-direction = \"up\"\n",
        &[("src/ch.md", "Text.\n")],
    );
    let (code, log, _) = build(&b, "text");
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("book.toml:5:18: error:"), "{log}");
}

#[test]
fn math_gets_one_warning_per_book() {
    let b = book(
        "math-once",
        "[output.html]\nmathjax-support = true\n",
        &[
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
            ),
            (
                "src/one.md",
                "# One\n\nNo formula here.\n\nBut \\\\(a\\\\) here.\n",
            ),
            ("src/two.md", MATH),
        ],
    );
    let (code, log, _) = build(&b, "text");
    assert_eq!(code, 0, "{log}");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("warning") && l.contains("math"))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "{}:5:1: warning: math is not rendered yet: 5 formulas in the book kept as TeX source code (one of them here)",
            b.join("src/one.md").display()
        )],
        "{log}"
    );
}

/// A book of every construct above, right to left, must be a valid EPUB and PDF.
#[test]
fn every_construct_makes_a_valid_epub_and_pdf() {
    let chapter = format!(
        "{DEFLIST}\n{}\n## Styled {{ .fancy }}\n\n{}",
        ADMONITIONS.trim_start_matches("# Chapter\n"),
        MATH.trim_start_matches("# Chapter\n")
    );
    let b = book(
        "valid",
        "text-direction = \"rtl\"\n[output.html]\nmathjax-support = true\n",
        &[("src/ch.md", &chapter)],
    );
    let (code, log, out) = build(&b, "epub,pdf");
    assert_eq!(code, 0, "{log}");
    check_valid(&out.join("tiny.epub"));
    let have_qpdf = std::process::Command::new("qpdf")
        .arg("--version")
        .output()
        .is_ok();
    if tool_missing("qpdf", have_qpdf) {
        return;
    }
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(out.join("tiny.pdf"))
        .output()
        .expect("qpdf");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "{text}"
    );
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output();
    let present = out.as_ref().is_ok_and(|o| o.status.success());
    if tool_missing("pdftotext", present) {
        return None;
    }
    out.ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn proceedings_furniture_only_for_proceedings() {
    const TALK: &str = "+++\ntitle = \"Talk\"\nspeakers = [\"Zoë Speaker\"]\n+++\n\nText.\n";
    const PLAIN: &str = "# Chapter\n\nText.\n";
    // (case, [publish] table, chapter, proceedings?)
    let cases = [
        ("plain-book", "", PLAIN, false),
        ("talks", "", TALK, true),
        (
            "said-proceedings",
            "[publish]\nkind = \"proceedings\"\n",
            PLAIN,
            true,
        ),
        ("said-book", "[publish]\nkind = \"book\"\n", TALK, false),
    ];
    for (name, extra, chapter, proceedings) in cases {
        let b = book(name, extra, &[("src/ch.md", chapter)]);
        let (code, log, out) = build(&b, "all");
        assert_eq!(code, 0, "{name}: {log}");
        assert!(!log.contains("base-url"), "{name}: {log}");
        let opf = output(&out, "epub");
        let role = if proceedings { "edt" } else { "aut" };
        assert!(
            opf.contains(&format!(
                "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">{role}</meta>"
            )),
            "{name}: {opf}"
        );
        assert_eq!(
            out.join("gemini/speakers.gmi").exists(),
            proceedings,
            "{name}"
        );
        let capsule = output(&out, "gemini");
        assert_eq!(capsule.contains("=> speakers.gmi"), proceedings, "{name}");
        // A talk still names its speaker, whatever the book is.
        if chapter == TALK {
            assert!(capsule.contains("Speaker: Zoë Speaker"), "{name}");
        }
        let Some(pdf) = pdf_text(&out.join("tiny.pdf")) else {
            continue;
        };
        assert_eq!(pdf.contains("Edited by"), proceedings, "{name}: {pdf}");
        assert!(pdf.contains("Ann Author"), "{name}: {pdf}");
        let index = chapter == TALK && proceedings;
        assert_eq!(pdf.contains("Index of speakers"), index, "{name}: {pdf}");
    }
}

// ---------------------------------------------------------------------------------------------
// External preprocessors

/// A preprocessor in POSIX sh and sed: `supports` answers yes for kr-publish only; a run takes
/// the book out of `[context, book]` and replaces `@@shout@@` with `SHOUTED` (and, with `FROM`
/// and `TO` set by its table's command, `FROM` with `TO`). It keeps what it was given in
/// `input.json` and notes each run in `runs.log`.
const SHOUT: &str = r#"#!/bin/sh
if [ $# -eq 0 ]; then echo "$(basename "$0")"; else echo "$(basename "$0") $*"; fi >> runs.log
if [ "$1" = supports ]; then [ "$2" = kr-publish ]; exit $?; fi
from=${1:-@@none@@}
to=${2:-}
cat > input.json
sed -e 's/^\[.*,\({"__non_exhaustive":null,"items":.*\)\]$/\1/' \
    -e 's/@@shout@@/SHOUTED/g' -e "s/$from/$to/g" input.json
"#;

fn preprocessor_book(name: &str, table: &str, chapter: &str) -> PathBuf {
    book(
        name,
        table,
        &[
            ("shout.sh", SHOUT),
            (
                "src/SUMMARY.md",
                "# Summary\n\n[Intro](README.md)\n\n# Part\n\n- [Chapter](ch.md)\n    - [Sub](sub/page.md)\n",
            ),
            ("src/README.md", "# Intro\n\nIntro @@shout@@.\n"),
            ("src/ch.md", chapter),
            ("src/sub/page.md", "# Sub\n\nSub page.\n"),
            ("src/inc.md", "Included @@shout@@."),
        ],
    )
}

#[test]
fn a_preprocessor_round_trip() {
    let b = preprocessor_book(
        "pre-round-trip",
        "[preprocessor.shout]\ncommand = \"sh shout.sh\"\nown-setting = 3\n",
        "# Chapter\n\nSay @@shout@@, {{#include inc.md}}\n\nThen a [broken](nowhere.md) link.\n",
    );
    let (code, log, out) = build(&b, "text");
    assert_eq!(code, 0, "{log}");
    let text = output(&out, "text");
    // `shout` runs after mdBook's `links` (by name): it sees the included text too.
    assert!(text.contains("Say SHOUTED, Included SHOUTED."), "{text}");
    assert!(text.contains("Intro SHOUTED."), "{text}");
    assert!(!text.contains("@@"), "{text}");
    // Diagnostics in text after the preprocessor's change keep their place.
    let ch = b.join("src/ch.md");
    assert!(
        log.contains(&format!(
            "{}:5:8: warning: link to `nowhere.md`",
            ch.display()
        )),
        "{log}"
    );
    // Asked once whether it supports kr-publish, then run once.
    let runs = std::fs::read_to_string(b.join("runs.log")).expect("runs");
    assert_eq!(runs, "shout.sh supports kr-publish\nshout.sh\n");
    // What it was given: mdBook's [context, book].
    let input: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.join("input.json")).expect("input"))
            .expect("json");
    let (context, book) = (&input[0], &input[1]);
    assert_eq!(context["renderer"], "kr-publish");
    assert_eq!(context["mdbook_version"], "0.5.4");
    assert!(context["root"]
        .as_str()
        .is_some_and(|r| r.ends_with("book")));
    assert_eq!(context["config"]["book"]["title"], "Tiny");
    assert_eq!(context["config"]["preprocessor"]["shout"]["own-setting"], 3);
    assert!(context["config"].get("publish").is_none());
    let items = book["items"].as_array().expect("items");
    assert_eq!(book["sections"], book["items"], "mdBook 0.4's name too");
    assert_eq!(items[0]["Chapter"]["name"], "Intro");
    // `index` ran before it: README.md is index.md in `path`, not in `source_path`.
    assert_eq!(items[0]["Chapter"]["path"], "index.md");
    assert_eq!(items[0]["Chapter"]["source_path"], "README.md");
    assert_eq!(items[0]["Chapter"]["number"], serde_json::Value::Null);
    assert_eq!(items[1]["PartTitle"], "Part");
    let ch = &items[2]["Chapter"];
    assert_eq!(ch["number"], serde_json::json!([1]));
    assert_eq!(
        ch["content"],
        "# Chapter\n\nSay @@shout@@, Included @@shout@@.\n\nThen a [broken](nowhere.md) link.\n"
    );
    let sub = &ch["sub_items"][0]["Chapter"];
    assert_eq!(sub["number"], serde_json::json!([1, 1]));
    assert_eq!(sub["parent_names"], serde_json::json!(["Chapter"]));
    assert_eq!(sub["source_path"], "sub/page.md");
}

#[test]
fn preprocessors_run_in_mdbooks_order() {
    // `first` writes an include directive before `links` runs, and `after-links` (a path
    // relative to the book) changes what it included.
    let b = preprocessor_book(
        "pre-order",
        "[preprocessor.first]\ncommand = \"sh shout.sh @@file@@ {{#include\\\\ inc.md}}\"\nbefore = [\"links\"]\n\n[preprocessor.after-links]\ncommand = \"./shout.sh Included Brought\"\nafter = [\"links\"]\n",
        "# Chapter\n\nHere: @@file@@\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = b.join("shout.sh");
        let mut perm = std::fs::metadata(&script).expect("script").permissions();
        perm.set_mode(0o755);
        std::fs::set_permissions(&script, perm).expect("chmod");
    }
    let (code, log, out) = build(&b, "text");
    assert_eq!(code, 0, "{log}");
    let text = output(&out, "text");
    assert!(text.contains("Here: Brought SHOUTED."), "{text}");
    let runs = std::fs::read_to_string(b.join("runs.log")).expect("runs");
    let order: Vec<&str> = runs.lines().filter(|l| !l.contains("supports")).collect();
    assert_eq!(
        order,
        [
            "shout.sh @@file@@ {{#include inc.md}}",
            "shout.sh Included Brought"
        ]
    );
}

#[test]
fn preprocessors_that_cannot_run() {
    const CH: &str = "# Chapter\n\nSay @@shout@@.\n";
    // (case, [preprocessor.*] tables, exit code, messages, did it run?)
    let cases: &[(&str, &str, i32, &[&str], bool)] = &[
        (
            "required",
            "[preprocessor.nothere]\n",
            1,
            &["book.toml:5:15: error: preprocessor `nothere` is not installed: `mdbook-nothere` was not found; install it with `cargo install mdbook-nothere`, or set `optional = true` in [preprocessor.nothere] to build without it"],
            false,
        ),
        (
            "optional",
            "[preprocessor.nothere]\noptional = true\n",
            0,
            &["book.toml:5:15: warning: preprocessor `nothere` is not installed (`mdbook-nothere` was not found); the book is built without it (install it with `cargo install mdbook-nothere`)"],
            false,
        ),
        (
            "fails",
            "[preprocessor.bad]\ncommand = \"sh -c 'cat >/dev/null; [ \\\"$0\\\" = supports ] || exit 3'\"\n",
            1,
            &["error: preprocessor `bad` (`sh -c 'cat >/dev/null; [ \"$0\" = supports ] || exit 3'`) failed (exit status: 3)"],
            false,
        ),
        (
            "not-json",
            "[preprocessor.bad]\ncommand = \"sh -c 'cat >/dev/null; echo nonsense'\"\n",
            1,
            &["book.toml:5:15: error: preprocessor `bad` did not write a book in mdBook's JSON: expected ident at line 1 column 2"],
            false,
        ),
        (
            "unsupported",
            "[preprocessor.shout]\ncommand = \"sh shout.sh\"\n[preprocessor.no]\ncommand = \"sh -c 'exit 1'\"\n",
            0,
            &["warning: preprocessor `no` is not run: `sh -c 'exit 1' supports kr-publish` says it does not support kr-publish (exit status: 1)"],
            true,
        ),
        (
            "other-renderer",
            "[preprocessor.shout]\ncommand = \"sh shout.sh\"\nrenderers = [\"html\"]\n",
            0,
            &["book.toml:5:15: warning: preprocessor `shout` is not run: its renderers are `html`, not `kr-publish`"],
            false,
        ),
        (
            "this-renderer",
            "[preprocessor.shout]\ncommand = \"sh shout.sh\"\nrenderers = [\"html\", \"kr-publish\"]\n",
            0,
            &[],
            true,
        ),
        (
            "cycle",
            "[preprocessor.shout]\ncommand = \"sh shout.sh\"\nbefore = [\"links\"]\n[preprocessor.links]\nbefore = [\"shout\"]\n",
            1,
            &["error: the preprocessors `links`, `shout` must each run before another"],
            false,
        ),
    ];
    for (name, tables, want_code, messages, ran) in cases {
        let b = preprocessor_book(&format!("pre-{name}"), tables, CH);
        let (code, log, out) = build(&b, "text");
        assert_eq!(code, *want_code, "{name}: {log}");
        for m in *messages {
            assert!(log.contains(m), "{name}: want {m:?} in\n{log}");
        }
        if code == 0 {
            let text = output(&out, "text");
            assert_eq!(text.contains("Say SHOUTED."), *ran, "{name}: {text}");
            // `supports` was asked at most; the book went through only when it ran.
            let runs = std::fs::read_to_string(b.join("runs.log")).unwrap_or_default();
            assert_eq!(
                runs.lines().any(|l| l == "shout.sh"),
                *ran,
                "{name}: {runs}"
            );
        }
    }
}
