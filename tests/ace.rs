//! The EPUBs pass DAISY Ace, the accessibility checker (issue 14: "Ace 0 violations"): Ace runs
//! axe-core in a headless Chromium on every content document and checks the package's
//! accessibility metadata. scripts/test.sh installs it under target/test-tools/ace (npm) and
//! Chromium from Debian; without them the tests skip, except under `CI=true`.
//!
//! A violation is an assertion whose `earl:outcome` is `fail` in Ace's report.json; none is
//! filtered out. A canary feeds Ace a deliberately broken EPUB, so a checker that silently
//! checks nothing fails the suite instead of passing it.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::*;
use serde_json::Value;

/// Ace's puppeteer runner: the package's plain `ace` command drives Electron, whose binary
/// scripts/test.sh does not download.
fn ace_bin() -> PathBuf {
    root().join("target/test-tools/ace/node_modules/.bin/ace-puppeteer")
}

/// The Chromium puppeteer drives: `PUPPETEER_EXECUTABLE_PATH`, else Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Ace's report.json on `epub`, or `None` when Ace or Chromium is missing and the test may skip.
fn ace(epub: &Path, report_dir: &Path) -> Option<Value> {
    let present = ace_bin().exists() && chromium().exists();
    if tool_missing("Ace (@daisy/ace) with Chromium", present) {
        return None;
    }
    // One Ace (a Chromium with four pages) at a time: in parallel on a small machine they
    // reach Ace's browser-launch timeout.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Ace passes --no-sandbox to Chromium itself, so it runs as root too.
    let out = std::process::Command::new(ace_bin())
        .env("PUPPETEER_EXECUTABLE_PATH", chromium())
        .args(["--silent", "--force", "--outdir"])
        .arg(report_dir)
        .arg(epub)
        .output()
        .expect("run ace");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "ace failed on {}:\n{log}",
        epub.display()
    );
    let report = std::fs::read_to_string(report_dir.join("report.json"))
        .unwrap_or_else(|e| panic!("ace wrote no report.json ({e}):\n{log}"));
    Some(serde_json::from_str(&report).expect("report.json is JSON"))
}

/// One line per failed assertion: document, rule, impact, where, and Ace's description.
fn violations(report: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let docs = report["assertions"].as_array().expect("assertions array");
    for doc in docs {
        let url = doc["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for a in doc["assertions"].as_array().into_iter().flatten() {
            let result = &a["earl:result"];
            if result["earl:outcome"] != "fail" {
                continue;
            }
            let test = &a["earl:test"];
            let css = &result["earl:pointer"]["css"];
            let html = result["html"].as_str().unwrap_or("");
            found.push(format!(
                "{url}: {} ({}) at {css} {html}\n    {}",
                test["dct:title"].as_str().unwrap_or("?"),
                test["earl:impact"].as_str().unwrap_or("?"),
                result["dct:description"].as_str().unwrap_or("").trim(),
            ));
        }
    }
    found
}

/// Builds `book` as EPUB into a scratch directory named `name` and returns the EPUB's path.
fn build_epub(book: &Path, name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(&format!("ace-{name}"));
    let out = dir.join("out");
    build_ok(book, &out, "epub", &[("SOURCE_DATE_EPOCH", "1700000000")]);
    let epub = std::fs::read_dir(&out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an .epub was written");
    (epub, dir)
}

/// Fails listing every violation Ace reports on the EPUB of `book`.
fn assert_no_violations(book: &Path, name: &str) {
    let (epub, dir) = build_epub(book, name);
    let Some(report) = ace(&epub, &dir.join("report")) else {
        return;
    };
    let found = violations(&report);
    assert!(
        found.is_empty(),
        "Ace found {} violation(s) in {} (report in {}):\n{}",
        found.len(),
        epub.display(),
        dir.join("report/report.html").display(),
        found.join("\n")
    );
    // The overall verdict agrees, so a change of report format cannot hide a failure.
    assert_eq!(report["earl:result"]["earl:outcome"], "pass", "{report:#}");
}

#[test]
fn kr_book_has_no_ace_violations() {
    assert_no_violations(&kr_book(), "kr");
}

#[test]
fn feature_fixture_has_no_ace_violations() {
    assert_no_violations(&root().join("tests/fixtures/features"), "features");
}

#[test]
fn listings_fixture_has_no_ace_violations() {
    assert_no_violations(&root().join("tests/fixtures/listings"), "listings");
}

/// Copies the zip at `from` to `to`, passing every entry's text through `edit(name, text)`.
fn rewrite_epub(from: &Path, to: &Path, edit: impl Fn(&str, String) -> String) {
    let raw = std::fs::read(from).expect("read epub");
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(raw)).expect("a zip");
    let mut dst = zip::ZipWriter::new(std::fs::File::create(to).expect("create epub"));
    for i in 0..src.len() {
        let mut entry = src.by_index(i).expect("entry");
        let name = entry.name().to_string();
        let options =
            zip::write::SimpleFileOptions::default().compression_method(entry.compression());
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("inflate");
        if name.ends_with(".xhtml") || name.ends_with(".opf") {
            let text = String::from_utf8(bytes).expect("utf-8");
            bytes = edit(&name, text).into_bytes();
        }
        dst.start_file(name, options).expect("start entry");
        dst.write_all(&bytes).expect("write entry");
    }
    dst.finish().expect("finish zip");
}

/// The checker checks: without the documents' language and the package's access modes, Ace
/// reports axe's `html-has-lang` and its own `metadata-accessmode`.
#[test]
fn ace_reports_a_broken_epub() {
    let (epub, dir) = build_epub(&root().join("tests/fixtures/features"), "canary");
    let broken = dir.join("broken.epub");
    rewrite_epub(&epub, &broken, |name, text| {
        if name.ends_with(".opf") {
            let mode = "<meta property=\"schema:accessMode\"";
            assert!(text.contains(mode), "the OPF declares schema:accessMode");
            let mut text = text;
            while let Some(start) = text.find(mode) {
                let len = text[start..].find("</meta>").expect("meta ends") + "</meta>".len();
                text.replace_range(start..start + len, "");
            }
            text
        } else {
            text.replacen(" lang=\"en\" xml:lang=\"en\"", "", 1)
        }
    });
    let Some(report) = ace(&broken, &dir.join("report")) else {
        return;
    };
    let found = violations(&report);
    for rule in ["html-has-lang", "metadata-accessmode"] {
        assert!(
            found.iter().any(|v| v.contains(&format!(": {rule} ("))),
            "Ace did not report {rule} on the broken EPUB; it found:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(report["earl:result"]["earl:outcome"], "fail");
}
