use super::*;

const GOOD: &str = "# Summary\n\n[About](about.md)\n\n# Day 1\n\n- [Morning](d1/m.md)\n    - [Talk A](d1/a.md)\n    - [Talk B](d1/b.md)\n        - [Deep](d1/c.md)\n- [Afternoon](d1/pm.md)\n\n---\n\n# Day 2\n\n* [Draft]()\n\n[Credits](credits.md)\n";

#[test]
fn parses_prefix_parts_nesting_and_suffix() {
    let s = parse_summary(GOOD, "SUMMARY.md", &Default::default()).expect("valid");
    assert_eq!(s.prefix.len(), 1);
    assert_eq!(s.prefix[0].path.as_deref(), Some("about.md"));
    assert_eq!(s.parts.len(), 2);
    assert_eq!(s.parts[0].title, "Day 1");
    let day1 = &s.parts[0].items;
    assert_eq!(day1.len(), 2);
    assert_eq!(day1[0].children.len(), 2);
    assert_eq!(day1[0].children[1].children[0].title, "Deep");
    assert_eq!(day1[0].children[0].line, 8);
    assert_eq!(day1[0].children[0].col, 7);
    assert_eq!(s.parts[1].items[0].path, None);
    assert_eq!(s.suffix[0].title, "Credits");
}

#[test]
fn reports_every_bad_line() {
    let text = "# Summary\n\n# Day\n\n- [Ok](ok.md)\n- Not a link\n- [Bad](has space.md)\n";
    let errs = parse_summary(text, "src/SUMMARY.md", &Default::default()).expect_err("invalid");
    assert_eq!(errs.len(), 2);
    assert_eq!(
        errs[0].to_string(),
        "src/SUMMARY.md:6:3: error: bad SUMMARY entry `- Not a link`: expected `[Title](file.md)`"
    );
    assert_eq!(errs[1].line_col().map(|p| p.0), Some(7));
}

#[test]
fn rejects_chapter_after_suffix() {
    let text = "# Summary\n# P\n- [A](a.md)\n[S](s.md)\n- [B](b.md)\n";
    let errs = parse_summary(text, "S.md", &Default::default()).expect_err("invalid");
    assert_eq!(errs[0].line_col().map(|p| p.0), Some(5));
}

#[test]
fn nesting_is_bounded() {
    let mut text = String::from("# Summary\n");
    for i in 0..=MAX_DEPTH {
        text.push_str(&format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i)));
    }
    let errs = parse_summary(&text, "S.md", &Default::default()).expect_err("too deep");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line_col().map(|p| p.0), Some(MAX_DEPTH as u32 + 2));
    assert!(errs[0].message.contains("deeper than 16 levels"));
}

#[test]
fn reads_summary_as_mdbook_does() {
    let text = "# Summary\n\n[Intro](intro.md)\n\n---\n\n# Part\n\n- [The *first* `one`](a.md)\n    - [Sub](<b c.md> \"title\")\n    - [Draft]()\n- [Second](d%20e.md)\n## Not a part\n- - -\n- [Third](f.md)\n\n<!--\n# Commented\n- [Gone](g.md)\n-->\n# Two\n- [Fourth](h.md)\n\n***\n\n[Back](back.md)\n";
    let s = parse_summary(text, "S.md", &Default::default()).expect("valid");
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(s.warnings[0].line_col().map(|p| p.0), Some(13));
    assert!(s.warnings[0]
        .message
        .contains("only `# ` headings are part titles"));
    // The separator before a part title is not kept: the title separates.
    assert_eq!(s.parts.len(), 2);
    assert!(!s.prefix[0].separator_before);
    let one = &s.parts[0].items;
    assert_eq!(one[0].title, "The *first* `one`");
    assert_eq!(one[0].text, "The first one");
    assert_eq!(one[0].number, vec![1]);
    assert_eq!(one[0].children[0].path.as_deref(), Some("b c.md"));
    assert_eq!(one[0].children[0].number, vec![1, 1]);
    assert_eq!(one[0].children[1].number, vec![1, 2]);
    assert_eq!(one[1].path.as_deref(), Some("d%20e.md"));
    assert!(!one[1].separator_before);
    assert_eq!(one[2].title, "Third");
    assert!(one[2].separator_before);
    assert_eq!(one[2].number, vec![3]);
    // Numbers run on across parts.
    assert_eq!(s.parts[1].title, "Two");
    assert_eq!(s.parts[1].items[0].number, vec![4]);
    assert!(s.suffix[0].separator_before);
    assert!(s.suffix[0].number.is_empty());
}

#[test]
fn link_text_is_read_as_markdown() {
    assert_eq!(
        link_text("The maintainer's *POV*", &Default::default()),
        "The maintainer\u{2019}s POV"
    );
    assert_eq!(link_text("A \\[b\\] `c`", &Default::default()), "A [b] c");
    assert_eq!(
        link_text("Talk: <Angles> & x", &Default::default()),
        "Talk:  & x"
    );
    assert_eq!(link_text("<b></b>", &Default::default()), "<b></b>");
}

#[test]
fn list_without_part_titles_gets_an_untitled_part() {
    let s = parse_summary("# Summary\n- [A](a.md)\n", "S.md", &Default::default()).expect("valid");
    assert_eq!(s.parts.len(), 1);
    assert_eq!(s.parts[0].title, "");
}
