//! The command line: exit codes, located errors for bad books, and outputs left intact.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// Copies the fixture book into a scratch directory so a test can break it.
fn fixture_copy(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    copy_dir(&root().join("tests/fixtures/features"), &dir.join("book"));
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn bad_book_reports_every_error_with_location_and_keeps_previous_output() {
    let dir = fixture_copy("bad-book");
    let book = dir.join("book");
    let out = dir.join("out");
    build_ok(&book, &out, "text", &[]);
    let before = fs::read(out.join("features.txt")).expect("first build");

    let src = book.join("src");
    edit(
        &src.join("part-1/a.md"),
        "(../part-2/c.md)",
        "(../part-2/nope.md)",
    );
    edit(
        &src.join("part-1/a.md"),
        "[a heading here](#deep-headings)",
        "[a heading here](#no-such-heading)",
    );
    edit(
        &src.join("part-2/c.md"),
        "date = \"2024-01-16\"",
        "date = \"16 January\"",
    );
    edit(
        &src.join("SUMMARY.md"),
        "[Appendix](appendix.md)",
        "[Appendix](missing.md)",
    );
    edit(
        &src.join("intro.md"),
        "# Introduction\n",
        "# Introduction\n\n## Same {#dup}\n\n## Other {#dup}\n",
    );

    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
        ],
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "nothing is written: {stdout}");
    let b = path_str(&book);
    for expected in [
        format!("{b}/src/part-1/a.md:7:4: warning: link to `../part-2/nope.md` names `part-2/nope.md`, which is not a chapter in SUMMARY.md; its text is kept without the link"),
        format!("{b}/src/part-1/a.md:7:39: warning: link to `#no-such-heading` names an anchor"),
        format!("{b}/src/part-2/c.md:3:1: error: bad front matter: date `16 January` is not YYYY-MM-DD"),
        format!("{b}/src/SUMMARY.md:14:1: error: chapter `missing.md` does not exist: create it, or make it a draft with `[Appendix]()`"),
        format!("{b}/src/intro.md:5:1: error: duplicate heading id `dup` (first used at line 3)"),
    ] {
        assert!(stderr.lines().any(|l| l.starts_with(&expected)), "missing `{expected}` in:\n{stderr}");
    }
    assert_eq!(
        fs::read(out.join("features.txt")).expect("still there"),
        before,
        "previous output intact"
    );
    let leftovers: Vec<_> = fs::read_dir(&out)
        .expect("out")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let (code, _, stderr) = run(&["--book", path_str(&book), "check"], &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("3 errors"), "{stderr}");
}

#[test]
fn bad_config_and_summary_are_located() {
    let dir = fixture_copy("bad-config");
    let book = dir.join("book");
    edit(
        &book.join("book.toml"),
        "subjects = [\"Testing\"]",
        "subjects = \"Testing\"",
    );
    let (code, _, stderr) = run(&["--book", path_str(&book), "check"], &[]);
    assert_eq!(code, 1);
    let toml = format!("{}/book.toml:14:12: error: bad book.toml", path_str(&book));
    assert!(stderr.contains(&toml), "{stderr}");

    let dir = fixture_copy("bad-summary");
    let book = dir.join("book");
    edit(
        &book.join("src/SUMMARY.md"),
        "- [Chapter C](part-2/c.md)",
        "- Chapter C without a link",
    );
    let (code, _, stderr) = run(&["--book", path_str(&book), "check"], &[]);
    assert_eq!(code, 1);
    let summary = format!(
        "{}/src/SUMMARY.md:12:3: error: bad SUMMARY entry",
        path_str(&book)
    );
    assert!(stderr.contains(&summary), "{stderr}");
}

#[test]
fn check_writes_nothing_and_usage_errors_exit_2() {
    let dir = scratch("check-only");
    let book = root().join("tests/fixtures/features");
    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&dir.join("out")),
            "check",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ok (2 parts, 5 chapters)"), "{stdout}");
    assert!(!dir.join("out").exists());

    let (code, _, stderr) = run(&["--format", "docx"], &[]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(
        &["--book", path_str(&book), "--format", "text"],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(code, 2);
    let (code, _, _) = run(
        &["--book", path_str(&dir.join("no-such-book")), "check"],
        &[],
    );
    assert_eq!(code, 1);
}

#[test]
fn formats_are_comma_separated_or_repeated() {
    let dir = scratch("formats");
    let book = root().join("tests/fixtures/features");
    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&dir),
            "--format",
            "text",
            "--format",
            "json,text",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().count(),
        2,
        "one summary line per output: {stdout}"
    );
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("wrote ") && l.ends_with(')')),
        "{stdout}"
    );
}

#[test]
fn kr_book_builds_with_strict_in_every_format() {
    let out = scratch("kr-strict");
    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&kr_book()),
            "--out",
            path_str(&out),
            "--strict",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "no warning at all: {stderr}");
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
}

#[test]
fn unresolvable_links_keep_their_text_with_counted_warnings() {
    let dir = scratch("links-degrade");
    let book = dir.join("book");
    fs::create_dir_all(book.join("src")).expect("mkdir");
    fs::write(book.join("book.toml"), "[book]\ntitle = \"Links\"\n").expect("toml");
    fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .expect("summary");
    fs::write(
        book.join("src/one.md"),
        "# One\n\n[spec](/url) [site](foo.html) [up](../other-site/page) [gone](#no-such-heading)\n\
         [a](a.md) [b](b/) [c](c.html#x) [d](./d.md)\n\n[empty](<>) and <foo@bar.example.com>.\n",
    )
    .expect("chapter");
    let out = dir.join("out");
    let (_, stderr) = build_ok(&book, &out, "text,epub", &[]);
    let b = path_str(&book);
    for expected in [
        format!("{b}/src/one.md:3:1: warning: link to `/url` leaves the book's source directory (`site-url` would make it a link to the book's web site); its text is kept without the link"),
        format!("{b}/src/one.md:3:14: warning: link to `foo.html` names `foo.html`, which is not a chapter"),
        format!("{b}/src/one.md:3:56: warning: link to `#no-such-heading` names an anchor `no-such-heading` that `one.md` does not have"),
        format!("{b}/src/one.md:6:1: warning: link to `` has an empty target"),
        "warning: … and 4 more links to pages outside the book".to_string(),
    ] {
        assert!(stderr.lines().any(|l| l.starts_with(&expected)), "missing `{expected}` in:\n{stderr}");
    }
    assert_eq!(stderr.lines().count(), 6, "{stderr}");
    let text = fs::read_to_string(out.join("links.txt")).expect("text");
    assert!(text.contains("\nspec site up gone a b c d\n"), "{text}");
    assert!(
        text.contains("\nempty and foo@bar.example.com.\n"),
        "{text}"
    );
    let epub = fs::read(out.join("links.epub")).expect("epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("zip");
    let mut xhtml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("OEBPS/one.xhtml").expect("chapter"),
        &mut xhtml,
    )
    .expect("read");
    assert!(
        xhtml.contains("<a href=\"mailto:foo@bar.example.com\">foo@bar.example.com</a>"),
        "{xhtml}"
    );
    assert_eq!(xhtml.matches("<a ").count(), 1, "{xhtml}");
    check_valid(&out.join("links.epub"));

    let (code, stdout, stderr) = run(
        &[
            "--book",
            b,
            "--out",
            path_str(&dir.join("strict")),
            "--strict",
        ],
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.is_empty() && !dir.join("strict").exists(),
        "{stdout}"
    );
    assert!(
        stderr.contains("one.md:3:1: error: link to `/url`"),
        "{stderr}"
    );
}
