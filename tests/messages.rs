//! How diagnostics reach a person, a log or a tool: `--message-format human|short|json`,
//! `--quiet`, `--verbose`; piped output defaults to one line per diagnostic.

mod common;

use std::path::Path;

use common::*;

fn book_with_a_bad_link(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"M\"\n").expect("toml");
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [T](t.md)\n").expect("summary");
    std::fs::write(dir.join("src/t.md"), "# T\n\nSee [x](nowhere.md) here.\n").expect("chapter");
}

#[test]
fn every_message_format_and_verbosity() {
    let dir = scratch("messages");
    let book = dir.join("book");
    book_with_a_bad_link(&book);
    let out = dir.join("out");
    let base = [
        "--book",
        path_str(&book),
        "--out",
        path_str(&out),
        "--format",
        "text",
    ];
    let with = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        run(&args, &[])
    };
    // Piped: one line, file:line:col first.
    let (code, stdout, stderr) = with(&[]);
    assert_eq!(code, 0);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("t.md:3:5: warning: link to `nowhere.md`")),
        "{stderr}"
    );
    assert!(stdout.contains("wrote "), "{stdout}");
    // Human: the source line and a caret under its column.
    let (_, _, stderr) = with(&["--message-format", "human"]);
    assert!(stderr.contains("3 │ See [x](nowhere.md) here."), "{stderr}");
    assert!(stderr.contains("│     ^"), "{stderr}");
    // Forced human format through a pipe, or NO_COLOR: no escape codes.
    let args: Vec<&str> = base
        .iter()
        .chain(&["--message-format", "human"])
        .copied()
        .collect();
    let (_, _, stderr) = run(&args, &[("NO_COLOR", "1")]);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    // JSON: one object per diagnostic.
    let (_, _, stderr) = with(&["--message-format", "json"]);
    let objects: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), 1, "{stderr}");
    assert_eq!(
        (objects[0]["line"].as_u64(), objects[0]["col"].as_u64()),
        (Some(3), Some(5))
    );
    // Quiet: no warnings, nothing about what was written; verbose: the build's time.
    let (code, stdout, stderr) = with(&["--quiet"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let (_, _, stderr) = with(&["-v"]);
    assert!(stderr.contains("built in "), "{stderr}");
}
