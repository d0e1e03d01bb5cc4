use super::*;

#[test]
fn splits_front_matter() {
    let text =
        "+++\ntitle = \"T\"\nspeakers = [\"A\", \"B\"]\ndate = \"2023-09-25\"\n+++\n\nBody\n";
    let (fm, start) = split(text, "t.md").expect("valid");
    assert_eq!(fm.title.as_deref(), Some("T"));
    assert_eq!(fm.speakers, vec!["A", "B"]);
    assert_eq!(&text[start..], "\nBody\n");
}

#[test]
fn no_front_matter() {
    let (fm, start) = split("# Title\n", "t.md").expect("valid");
    assert_eq!((fm, start), (FrontMatter::default(), 0));
}

#[test]
fn errors_point_into_the_file() {
    let e = split("+++\ntitle = \"T\"\nspeaker = \"x\"\n+++\n", "a/t.md").expect_err("unknown key");
    assert_eq!(
        (e.line_col().map(|p| p.0), e.file()),
        (Some(3), Some("a/t.md"))
    );
    let e = split("+++\ntitle = \"T\"\ndate = \"Sep 25\"\n+++\n", "t.md").expect_err("bad date");
    assert_eq!(e.line_col().map(|p| p.0), Some(3));
    let e = split("+++\ntitle = \"T\"\n", "t.md").expect_err("unclosed");
    assert_eq!(e.line_col().map(|p| p.0), Some(1));
}

#[test]
fn language_is_a_bcp47_tag() {
    let (fm, _) = split("+++\nlanguage = \"pt-BR\"\n+++\n", "t.md").expect("valid");
    assert_eq!(fm.language.as_deref(), Some("pt-BR"));
    for bad in ["", "f", "français", "en_US", "en--gb", "123"] {
        let text = format!("+++\ntitle = \"T\"\nlanguage = \"{bad}\"\n+++\n");
        let e = split(&text, "t.md").expect_err(bad);
        assert_eq!(e.line_col().map(|p| p.0), Some(3), "{bad}");
        assert!(e.message.contains("BCP 47"), "{}", e.message);
    }
}
