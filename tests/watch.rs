//! `kr-publish watch`: builds, rebuilds after each change of the book, and survives a book
//! with errors (its previous outputs kept).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;

#[test]
fn watch_rebuilds_on_change_and_survives_errors() {
    let dir = scratch("watch");
    let book = dir.join("book");
    std::fs::create_dir_all(book.join("src")).expect("src");
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"W\"\n").expect("toml");
    std::fs::write(book.join("src/SUMMARY.md"), "# Summary\n\n- [T](t.md)\n").expect("summary");
    let chapter = book.join("src/t.md");
    std::fs::write(&chapter, "# T\n\nFirst version.\n").expect("chapter");
    let out = dir.join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kr-publish"))
        .args([
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
            "watch",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kr-publish watch starts");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("a build within 30 s")
    };
    let text = || std::fs::read_to_string(out.join("w.txt")).unwrap_or_default();
    let first = next();
    assert!(first.starts_with("built text in "), "{first}");
    assert!(text().contains("First version."));
    std::fs::write(&chapter, "# T\n\nSecond version.\n").expect("edit");
    let second = next();
    assert!(second.contains("t.md changed: built text"), "{second}");
    assert!(text().contains("Second version."), "{}", text());
    // An undefined footnote is an error: reported, the last good output kept, still watching.
    std::fs::write(&chapter, "# T\n\nBroken[^nope].\n").expect("break");
    let third = next();
    assert!(third.contains("errors, previous outputs kept"), "{third}");
    assert!(text().contains("Second version."));
    std::fs::write(&chapter, "# T\n\nThird version.\n").expect("fix");
    let fourth = next();
    assert!(fourth.contains("built text"), "{fourth}");
    assert!(text().contains("Third version."));
    let _ = child.kill();
    let _ = child.wait();
}
