//! The Kernel Recipes book through the text and JSON backends.

mod common;

use common::*;

#[test]
fn seed_parses_into_enough_paragraphs() {
    let paragraphs = seed_paragraphs();
    assert!(paragraphs.len() > 250, "{}", paragraphs.len());
}

#[test]
fn text_output_keeps_every_paragraph_and_all_talks_in_order() {
    let out = scratch("kr-text");
    let (stdout, _) = build_ok(&kr_book(), &out, "text,json", &[]);
    assert!(stdout.contains("kernel-recipes-2023.txt"), "{stdout}");
    let text = std::fs::read_to_string(out.join("kernel-recipes-2023.txt")).expect("text output");
    assert_nothing_lost(&text, "the text output");

    // The 21 talks, in the book's order, each title followed by its speaker line.
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let talks: Vec<_> = loaded
        .book
        .chapters()
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| c.is_talk())
        .collect();
    assert_eq!(talks.len(), 21);
    assert_eq!(loaded.book.parts.len(), 3);
    let body = &text[text.find("\nAbout this edition\n=").expect("body starts")..];
    let mut at = 0;
    for t in &talks {
        let head = format!("\n{}\n", t.title);
        let pos = body[at..]
            .find(&head)
            .map(|p| p + at)
            .unwrap_or_else(|| panic!("talk `{}` missing or out of order", t.title));
        let after = &body[pos + head.len()..];
        let speaker_line = after.lines().nth(1).expect("speaker line");
        assert!(
            speaker_line.starts_with("Speaker"),
            "no speaker line under `{}`: {speaker_line}",
            t.title
        );
        for s in &t.speakers {
            assert!(
                after.lines().take(4).any(|l| l.contains(s.as_str())),
                "speaker {s} of `{}`",
                t.title
            );
        }
        at = pos + head.len();
    }

    for line in text.lines() {
        assert!(!line.ends_with(' '), "trailing space: {line:?}");
        let w = kr_publish::testing::width(line);
        let one_token = !line.trim().contains(' ');
        let verbatim = line.starts_with("    ");
        assert!(
            w <= 72 || one_token || verbatim,
            "line wider than 72 columns: {line:?}"
        );
    }
    assert!(!text.contains('\r'));
    assert!(
        !text.contains("**") && !text.contains("](") && !text.contains('`'),
        "Markdown syntax left in the text"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("kernel-recipes-2023.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["kr_ir_version"], 1);
    assert_eq!(json["parts"].as_array().map(Vec::len), Some(3));
}

#[test]
fn nothing_lost_check_can_fail() {
    let paragraphs = seed_paragraphs();
    assert!(missing_paragraphs(&paragraphs.join("\n\n")).is_empty());
    let mut fewer = paragraphs.clone();
    let dropped = fewer.remove(120);
    assert_eq!(missing_paragraphs(&fewer.join("\n\n")), vec![dropped]);
}
