//! The Gemini capsule: golden files for the feature fixture, every page read by an independent
//! gemtext parser (germ), the Kernel Recipes capsule complete, and the Atom feed.
//! `KR_BLESS=1 cargo test --test gemini` rewrites the golden files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use germ::ast::{Ast, Node};

/// Builds `book` as a capsule under a fresh scratch dir; returns the capsule dir and stderr.
fn build_capsule(book: &Path, name: &str) -> (PathBuf, String) {
    let out = scratch(name);
    let (_, stderr) = build_ok(book, &out, "gemini", &[]);
    (out.join("gemini"), stderr)
}

/// Every file under `dir` as (path with `/`, bytes).
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                let rel = rel.to_str().expect("utf-8 name").replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn pages(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    tree.iter()
        .filter(|(p, _)| p.ends_with(".gmi"))
        .map(|(p, b)| {
            let text = String::from_utf8(b.clone()).unwrap_or_else(|e| panic!("{p}: {e}"));
            (p.clone(), text)
        })
        .collect()
}

/// `a/b/../c.gmi` → `a/c.gmi`; `None` when it climbs out of the capsule.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Resolves a relative link target against the page that holds it.
fn resolve(page: &str, target: &str) -> Option<String> {
    let dir = page.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let joined = if dir.is_empty() {
        target.to_string()
    } else {
        format!("{dir}/{target}")
    };
    let mut resolved = normalise(&joined)?;
    if target.ends_with('/') || resolved.is_empty() {
        resolved = format!("{resolved}/index.gmi")
            .trim_start_matches('/')
            .to_string();
    }
    Some(resolved)
}

fn is_absolute(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

/// Checks every page of a capsule with germ and with the capsule rules; returns the problems.
fn lint_capsule(tree: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut problems = Vec::new();
    let files: BTreeSet<&str> = tree.keys().map(String::as_str).collect();
    let mut dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
    for f in tree.keys() {
        let mut d = f.as_str();
        while let Some((parent, _)) = d.rsplit_once('/') {
            dirs.insert(parent.to_string());
            d = parent;
        }
    }
    for d in &dirs {
        let index = if d.is_empty() {
            "index.gmi".to_string()
        } else {
            format!("{d}/index.gmi")
        };
        if !files.contains(index.as_str()) {
            problems.push(format!("directory `{d}/` has no index.gmi"));
        }
    }
    for f in tree.keys() {
        let ascii = f
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-./".contains(c));
        if !ascii {
            problems.push(format!("{f}: file name is not an ASCII slug"));
        }
    }
    for (path, text) in pages(tree) {
        let mut p = |m: String| problems.push(format!("{path}: {m}"));
        if text.starts_with('\u{feff}') {
            p("starts with a BOM".into());
        }
        if text.contains('\r') {
            p("has CR line endings".into());
        }
        if !text.ends_with('\n') || text.ends_with("\n\n") {
            p("does not end with exactly one newline".into());
        }
        if !text.starts_with("# ") {
            p("does not start with a # heading".into());
        }
        // Our own pass: fences balance, nothing deeper than ###, no trailing whitespace.
        let mut pre = false;
        for (n, line) in text.lines().enumerate() {
            if line != line.trim_end() {
                p(format!("line {}: trailing whitespace", n + 1));
            }
            if line.starts_with("```") {
                pre = !pre;
                continue;
            }
            if !pre && line.starts_with("####") {
                p(format!("line {}: heading deeper than ###: {line}", n + 1));
            }
            if !pre && line.starts_with(char::is_whitespace) {
                p(format!(
                    "line {}: text line with leading whitespace: {line:?}",
                    n + 1
                ));
            }
        }
        if pre {
            p("unbalanced preformat fences".into());
        }
        // germ's reading of the page.
        let ast = Ast::from_string(&text);
        let mut markers_seen = String::new();
        let mut next_number = 1;
        for node in ast.inner() {
            match node {
                Node::Heading { level, text } => {
                    if !(1..=3).contains(level) || text.is_empty() {
                        p(format!("bad heading {level} {text:?}"));
                    }
                }
                Node::Link { to, text } => {
                    if to.is_empty() || to.contains(char::is_whitespace) {
                        p(format!("link target {to:?} is empty or has spaces"));
                    }
                    if text.as_deref().is_none_or(str::is_empty) {
                        p(format!("link to {to} has no label"));
                    }
                    if !is_absolute(to) {
                        match resolve(&path, to) {
                            Some(t) if files.contains(t.as_str()) => {}
                            other => p(format!("link {to} → {other:?} is not in the capsule")),
                        }
                    } else if to.starts_with("gemini://") {
                        p(format!("absolute link {to} inside the capsule"));
                    }
                    // Numbered links: [1], [2]… in page order, each marked in the text above.
                    if let Some(n) = text
                        .as_deref()
                        .and_then(|t| t.strip_prefix('['))
                        .and_then(|t| t.split_once("] "))
                        .and_then(|(n, _)| n.parse::<usize>().ok())
                    {
                        if n != next_number {
                            p(format!(
                                "link [{n}] out of order (expected [{next_number}])"
                            ));
                        }
                        next_number = n + 1;
                        if !markers_seen.contains(&format!("[{n}]")) {
                            p(format!("link [{n}] has no marker in the text before it"));
                        }
                    }
                }
                Node::Text(t) | Node::Blockquote(t) => {
                    markers_seen.push_str(t);
                    markers_seen.push('\n');
                }
                Node::List(items) => {
                    for t in items {
                        if t.starts_with(char::is_whitespace) {
                            p(format!("list item with leading space: {t:?}"));
                        }
                        markers_seen.push_str(t);
                        markers_seen.push('\n');
                    }
                }
                Node::PreformattedText { text, .. } => {
                    markers_seen.push_str(text);
                }
                Node::Whitespace => {}
            }
        }
    }
    problems
}

fn assert_lint_clean(tree: &BTreeMap<String, Vec<u8>>, what: &str) {
    let problems = lint_capsule(tree);
    assert!(
        problems.is_empty(),
        "{what}: {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_capsule_matches_golden_files() {
    let (capsule, _) = build_capsule(&root().join("tests/fixtures/features"), "gemini-golden");
    let tree = read_tree(&capsule);
    let golden_dir = root().join("tests/golden/gemini");
    if std::env::var("KR_BLESS").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&golden_dir);
        for (path, bytes) in &tree {
            let p = golden_dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, bytes).expect("write golden");
        }
    }
    let golden = read_tree(&golden_dir);
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&tree),
        names(&golden),
        "capsule files differ from the golden tree"
    );
    for (path, bytes) in &tree {
        if bytes != &golden[path] {
            panic!(
                "{path} differs from tests/golden/gemini/{path} (KR_BLESS=1 rewrites):\n--- got ---\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

#[test]
fn fixture_capsule_reads_as_intended() {
    let (capsule, stderr) =
        build_capsule(&root().join("tests/fixtures/features"), "gemini-fixture");
    let tree = read_tree(&capsule);
    assert_lint_clean(&tree, "feature fixture");
    let pages = pages(&tree);

    // The paragraphs that start like other line types stay text lines for a real parser.
    let c = Ast::from_string(&pages["part-2/c.gmi"]);
    for start in ["=> this paragraph", "* this paragraph", "# this paragraph"] {
        assert!(
            c.inner()
                .iter()
                .any(|n| matches!(n, Node::Text(t) if t.trim_start_matches('\u{200B}').starts_with(start))),
            "`{start}` is not a text line"
        );
    }
    // The image is copied and linked.
    assert_eq!(
        tree["images/red.png"],
        std::fs::read(root().join("tests/fixtures/features/src/images/red.png")).expect("png")
    );
    assert!(pages["part-2/c.gmi"].contains("\n=> ../images/red.png [1] A small red square"));
    // Code guarded inside its block; the code block fence in the text stays inside.
    let b = Ast::from_string(&pages["part-1/b.gmi"]);
    let pre: Vec<(Option<String>, String)> = b
        .inner()
        .iter()
        .filter_map(|n| match n {
            Node::PreformattedText { alt_text, text } => Some((alt_text.clone(), text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(pre.len(), 4, "{pre:?}");
    assert_eq!(pre[0].0.as_deref(), Some("Table: Left, Centre, Right"));
    assert!(
        pre[0].1.contains("| 漢字 |  x|y   |    22 |"),
        "{}",
        pre[0].1
    );
    assert_eq!(pre[1].0.as_deref(), Some("rust code"));
    assert!(pre[2].1.starts_with("\u{200B}```\n"));
    assert!(pre[2]
        .1
        .contains("\n=> a line that looks like a Gemini link\n"));
    // Footnotes under ## Notes, marked with superscripts, and the talk's navigation.
    let body = &pages["part-1/b.gmi"];
    assert!(body.contains("A talk with a footnote¹ and another one², then the first again¹."));
    let notes = &body[body.find("\n## Notes\n").expect("notes heading")..];
    assert!(notes
        .contains("\n¹ The first note, with a link [1].\n=> https://example.com/note [1] link\n"));
    assert!(notes.contains("\n² The second note.\nWith a second paragraph.\n"));
    assert!(body.ends_with("\n=> a.gmi Up: Chapter A\n=> ../index.gmi Home: Feature Tour\n"));
    // Every degradation is reported with its source location.
    for (file, what) in [
        ("part-1/a.md:14:1", "heading level 4"),
        ("part-1/b.md:31:1", "table flattened"),
        ("part-2/c.md:10:1", "raw HTML block"),
        ("part-2/c.md:12:1", "raw HTML block"),
        ("part-2/c.md:16:1", "inline HTML `<kbd>`"),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(file) && l.contains(what)),
            "no warning `{what}` at {file}:\n{stderr}"
        );
    }
    assert!(!tree.contains_key("atom.xml"));
    assert_eq!(
        String::from_utf8_lossy(&tree["robots.txt"])
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["User-agent: *", "Disallow:"]
    );
}

#[test]
fn kr_capsule_has_every_talk_and_loses_nothing() {
    let (capsule, stderr) = build_capsule(&kr_book(), "gemini-kr");
    let tree = read_tree(&capsule);
    assert_lint_clean(&tree, "Kernel Recipes capsule");
    let pages = pages(&tree);
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let book = &loaded.book;
    // Nothing of this book is degraded in the capsule.
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "{stderr}");

    let index = &pages["index.gmi"];
    // The cover, rendered from its SVG, is in the capsule and linked from the index.
    assert!(
        index.contains("\n=> cover.jpg Cover of Kernel Recipes 2023\n"),
        "{index}"
    );
    let cover = image::load_from_memory(&tree["cover.jpg"]).expect("cover.jpg is an image");
    assert_eq!((cover.width(), cover.height()), (1600, 2560));
    let mut lines = index.lines().filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("# Kernel Recipes 2023"));
    assert_eq!(
        lines.next(),
        Some("## Live blog proceedings of the 10th edition, Paris, 25–27 September 2023")
    );
    let dated: Vec<&str> = index
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(2)
                .is_some_and(|d| d.len() == 10 && kr_publish::testing::is_iso_date(d))
        })
        .collect();
    let talks: Vec<_> = book
        .chapters()
        .into_iter()
        .filter(|(_, c)| c.is_talk())
        .collect();
    assert_eq!(talks.len(), 21);
    assert_eq!(dated.len(), 21, "{dated:#?}");
    for ((part, t), line) in talks.iter().zip(&dated) {
        let day = &part.expect("talks are in days").id[..5];
        let slug = t
            .source
            .rsplit('/')
            .next()
            .expect("file")
            .trim_end_matches(".md");
        let want = format!(
            "=> {day}/{slug}.gmi {} {} — {}",
            t.date.as_deref().expect("talk date"),
            t.title,
            t.speakers.join(", ")
        );
        assert_eq!(*line, want);
        let page = &pages[&format!("{day}/{slug}.gmi")];
        let mut head = page.lines();
        assert_eq!(head.next(), Some(format!("# {}", t.title).as_str()));
        assert_eq!(
            head.nth(1),
            Some(format!("Speaker: {}", t.speakers[0]).as_str())
        );
        assert!(page.contains("\n=> ") && page.contains(" Part of: Live blog day "));
        let nav: Vec<&str> = page
            .lines()
            .rev()
            .take_while(|l| l.starts_with("=> "))
            .collect();
        assert!(
            nav.iter().any(|l| l.contains(" Up: Live blog day ")),
            "{slug}: {nav:?}"
        );
        assert!(
            nav[0].ends_with("Home: Kernel Recipes 2023"),
            "{slug}: {nav:?}"
        );
        let prev_next = nav.iter().filter(|l| l.contains(" talk: ")).count();
        assert!(prev_next >= 1, "{slug}: {nav:?}");
    }
    for s in talks.iter().flat_map(|(_, t)| &t.speakers) {
        assert!(
            pages["speakers.gmi"].contains(&format!("\n## {s}\n")),
            "speaker {s}"
        );
    }
    assert!(pages["about.gmi"].starts_with("# About this edition\n"));
    assert!(pages["about.gmi"].contains("\n## Colophon\n"));
    for day in ["day-1", "day-2", "day-3"] {
        assert!(pages.contains_key(&format!("{day}/index.gmi")));
        assert!(pages.contains_key(&format!("{day}/morning.gmi")));
        assert!(pages.contains_key(&format!("{day}/afternoon.gmi")));
    }
    let all: String = pages.values().cloned().collect::<Vec<_>>().join("\n");
    assert_nothing_lost(&all, "the Gemini capsule");
}

#[test]
fn feed_fixture_has_a_valid_atom_feed_and_degrades_gracefully() {
    let (capsule, stderr) =
        build_capsule(&root().join("tests/fixtures/gemini-feed"), "gemini-feed");
    let tree = read_tree(&capsule);
    assert_lint_clean(&tree, "feed fixture");
    assert!(!stderr.contains("base-url"), "{stderr}");
    let xml = String::from_utf8(tree["atom.xml"].clone()).expect("utf-8");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert!(feed.has_tag_name((atom, "feed")));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let base = "gemini://example.org/~tester/feed-check/";
    assert_eq!(child(feed, "id").as_deref(), Some(base));
    assert_eq!(
        child(feed, "title").as_deref(),
        Some("Feed & Capsule Check")
    );
    assert_eq!(
        child(feed, "updated").as_deref(),
        Some("2023-09-25T12:00:00Z")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    let mut seen = Vec::new();
    for e in &entries {
        let id = child(*e, "id").expect("entry id");
        let href = e
            .children()
            .find(|c| c.has_tag_name((atom, "link")))
            .and_then(|l| l.attribute("href"))
            .expect("entry link");
        assert_eq!(id, href);
        let page = id.strip_prefix(base).expect("entry under the base URL");
        assert!(tree.contains_key(page), "entry {id} has no page");
        for name in ["title", "updated", "published"] {
            assert!(child(*e, name).is_some(), "entry {id} has no {name}");
        }
        let authors: Vec<String> = e
            .children()
            .filter(|c| c.has_tag_name((atom, "author")))
            .filter_map(|a| child(a, "name"))
            .collect();
        seen.push((
            child(*e, "title").expect("title"),
            authors,
            child(*e, "updated"),
        ));
    }
    assert_eq!(
        seen,
        [
            (
                "Opening <talk>".to_string(),
                vec!["Ann Example".to_string(), "Bob Example".to_string()],
                Some("2023-09-25T12:00:00Z".to_string())
            ),
            (
                "Closing talk".to_string(),
                vec!["Cy Example".to_string()],
                Some("2023-09-25T12:00:00Z".to_string())
            ),
        ]
    );
    // A rebuild gives the same feed: ids and dates are stable.
    let (again, _) = build_capsule(&root().join("tests/fixtures/gemini-feed"), "gemini-feed-2");
    assert_eq!(
        std::fs::read(again.join("atom.xml")).expect("feed"),
        tree["atom.xml"]
    );

    // A generic book: one untitled part at the root, no dates on some chapters, a chapter
    // file named index.md that must not take the capsule's index.
    let pages = pages(&tree);
    assert!(pages["index.gmi"].starts_with("# Feed & Capsule Check\n"));
    assert!(pages["index.gmi"].contains("\n=> atom.xml "));
    assert!(pages["index.gmi"].contains("\n=> closing.gmi Closing talk — Cy Example\n"));
    assert!(pages["index.gmi"].contains("\n=> index-2.gmi Index of terms\n"));
    assert!(pages["index-2.gmi"].starts_with("# Index of terms\n"));
    assert!(!pages["welcome.gmi"].contains("Date:"));
    assert!(pages["about.gmi"].contains("\n## Colophon\n"));
}

#[test]
fn lint_catches_broken_pages() {
    let tree: BTreeMap<String, Vec<u8>> = [
        ("index.gmi", "# Home\n=> sub/a.gmi A\n=> missing.gmi Gone\n=> a b.gmi Spaced\n"),
        (
            "sub/a.gmi",
            "# A\n#### Deep\n * nested\nText [2] \n=> ../index.gmi [2] out of order\n```\nopen fence\n",
        ),
        ("Bad Name.gmi", "no heading\n\n"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect();
    let problems = lint_capsule(&tree).join("\n");
    for want in [
        "directory `sub/` has no index.gmi",
        "Bad Name.gmi: file name is not an ASCII slug",
        "Bad Name.gmi: does not end with exactly one newline",
        "Bad Name.gmi: does not start with a # heading",
        "index.gmi: link missing.gmi",
        // A URL with a space splits: germ reads the target as `a`, which does not exist.
        "index.gmi: link a → Some(\"a\") is not in the capsule",
        "sub/a.gmi: line 2: heading deeper than ###",
        "sub/a.gmi: line 3: text line with leading whitespace",
        "sub/a.gmi: line 4: trailing whitespace",
        "sub/a.gmi: link [2] out of order",
        "sub/a.gmi: unbalanced preformat fences",
    ] {
        assert!(problems.contains(want), "lint missed `{want}`:\n{problems}");
    }
}

#[test]
fn bad_gemini_options_are_errors_in_book_toml() {
    let src = root().join("tests/fixtures/gemini-feed");
    let toml = std::fs::read_to_string(src.join("book.toml")).expect("book.toml");
    for (name, table, want) in [
        (
            "gemini-bad-url",
            "base-url = \"example.org/feed\"",
            "is not an absolute URL",
        ),
        (
            "gemini-bad-type",
            "base-url = 3",
            "[output.gemini] `base-url`: invalid type",
        ),
    ] {
        let book = scratch(name);
        copy_dir(&src.join("src"), &book.join("src"));
        let bad = toml.replace(
            "base-url = \"gemini://example.org/~tester/feed-check\"",
            table,
        );
        assert_ne!(bad, toml);
        std::fs::write(book.join("book.toml"), bad).expect("write book.toml");
        let out = book.join("out");
        let (code, _, stderr) = run(
            &[
                "--book",
                path_str(&book),
                "--out",
                path_str(&out),
                "--format",
                "gemini",
            ],
            &[],
        );
        assert_ne!(code, 0, "{stderr}");
        assert!(
            stderr.contains("book.toml") && stderr.contains(want),
            "{stderr}"
        );
        assert!(!out.join("gemini").exists());
    }
}
