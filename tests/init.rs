//! `kr-publish init`: a new book builds at once in every format, without a warning, and valid;
//! a folder that holds anything is refused and left as it was.

mod common;

use common::*;

#[test]
fn a_new_book_builds_in_every_format_without_a_warning() {
    let dir = scratch("init-new");
    let book = dir.join("field-notes");
    let (code, stdout, stderr) = run(&["init", path_str(&book)], &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for file in [
        "book.toml",
        "cover.svg",
        "src/SUMMARY.md",
        "src/images/diagram.svg",
    ] {
        assert!(book.join(file).is_file(), "{file} missing:\n{stdout}");
    }
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    assert!(toml.contains("title = \"Field notes\""), "{toml}");
    let cover = std::fs::read_to_string(book.join("cover.svg")).expect("cover");
    assert!(
        cover.contains("Field notes"),
        "the cover does not carry the title"
    );
    let out = dir.join("out");
    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--strict",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.trim().is_empty(), "warnings: {stderr}");
    check_valid(&out.join("field-notes.epub"));
    let text = std::fs::read_to_string(out.join("field-notes.txt")).expect("text");
    for expected in [
        "A first chapter",
        "A talk — A Speaker, Another Speaker",
        "Hello, book!",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` not in the text output"
        );
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = scratch("init-not-empty");
    std::fs::write(dir.join("notes.md"), "mine").expect("write");
    let (code, _, stderr) = run(&["init", path_str(&dir), "--title", "X"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is not empty"), "{stderr}");
    let entries: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(
        entries.len(),
        1,
        "init wrote into a folder that was not empty"
    );
}
