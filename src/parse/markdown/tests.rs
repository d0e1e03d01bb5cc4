use super::*;
use crate::ir::{Align, BlockKind};

fn conv(md: &str) -> (Converted, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let c = convert(md, 0, 0, "t.md", &mut d);
    (c, d)
}

#[test]
fn comments_short_and_long() {
    for c in [
        "<!-->",
        "<!--->",
        "<!---->",
        "<!-- a -->",
        " <!--\nb\n-->\n",
    ] {
        assert!(is_comment(c), "{c:?}");
    }
    for c in [
        "<!--",
        "<!-- a --> b",
        "<!-- a --> <!-- b -->",
        "<!-",
        "<p>",
    ] {
        assert!(!is_comment(c), "{c:?}");
    }
    let (c, d) = conv("a <!--> b\n\n<!-->\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.blocks.len(), 1);
}

#[test]
fn tight_list_items_become_paragraphs() {
    let (c, d) = conv("- one `x`\n- two\n  - nested\n");
    assert!(d.is_empty(), "{d:?}");
    let BlockKind::List {
        start,
        tight,
        items,
    } = &c.blocks[0].kind
    else {
        panic!("{:?}", c.blocks)
    };
    assert_eq!((*start, *tight, items.len()), (None, true, 2));
    assert!(matches!(items[1].blocks[1].kind, BlockKind::List { .. }));
    let BlockKind::Paragraph(p) = &items[0].blocks[0].kind else {
        panic!()
    };
    assert_eq!(crate::ir::plain_text(p), "one x");
}

#[test]
fn headings_get_unique_ids_and_spans() {
    let (c, d) = conv("intro\n\n## Why it matters\n\n## Why it matters\n\n### Other {#custom}\n");
    assert!(d.is_empty());
    let ids: Vec<_> = c
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { id, .. } => Some((id.clone(), b.span.line)),
            _ => None,
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            ("why-it-matters".into(), 3),
            ("why-it-matters-1".into(), 5),
            ("custom".into(), 7)
        ]
    );
}

#[test]
fn footnotes_numbered_by_first_reference() {
    let (c, d) = conv("A[^b] and B[^a] and again[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        c.footnotes
            .iter()
            .map(|f| f.label.as_str())
            .collect::<Vec<_>>(),
        vec!["b", "a"]
    );
    let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
        panic!()
    };
    let nums: Vec<u32> = p
        .iter()
        .filter_map(|i| match i {
            Inline::FootnoteRef { number, .. } => Some(*number),
            _ => None,
        })
        .collect();
    assert_eq!(nums, vec![1, 2, 1]);
}

#[test]
fn undefined_footnote_is_an_error_with_location() {
    let (_, d) = conv("text\n\nsee[^x]\n");
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].to_string(),
        "t.md:3:4: error: footnote `[^x]` is referenced but never defined"
    );
}

#[test]
fn smart_punctuation_tables_and_comments() {
    let (c, _) = conv("\"Hi\" -- it's...\n\n<!-- note -->\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n");
    let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
        panic!()
    };
    assert_eq!(
        crate::ir::plain_text(p),
        "\u{201c}Hi\u{201d} \u{2013} it\u{2019}s\u{2026}"
    );
    assert_eq!(c.blocks.len(), 2, "the comment is dropped");
    let BlockKind::Table { align, head, rows } = &c.blocks[1].kind else {
        panic!()
    };
    assert_eq!(align, &vec![Align::Left, Align::Right]);
    assert_eq!((head.len(), rows.len(), rows[0].len()), (2, 1, 2));
}

#[test]
fn nesting_is_bounded_and_reported() {
    let (c, d) = conv(&format!("{} deep\n\nafter\n", ">".repeat(5000)));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].to_string().starts_with(&format!(
            "t.md:1:{}: error: content nested deeper than 64",
            MAX_NESTING + 1
        )),
        "{}",
        d[0]
    );
    assert!(
        matches!(
            c.blocks.last().map(|b| &b.kind),
            Some(BlockKind::Paragraph(_))
        ),
        "text after it is kept"
    );
    // The paragraph inside the quotes is a level too.
    let (_, d) = conv(&format!("{} fine\n", ">".repeat(MAX_NESTING - 1)));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn comment_detection() {
    assert!(is_comment("<!-- talks -->"));
    assert!(!is_comment("<!-- a --> b <!-- c -->"));
    assert!(!is_comment("<p>x</p>"));
}

#[test]
fn email_autolinks_are_mailto_links() {
    let (c, d) = conv("<foo@bar.example.com>\n");
    assert!(d.is_empty(), "{d:?}");
    let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
        panic!("{:?}", c.blocks)
    };
    let Inline::Link { target, .. } = &p[0] else {
        panic!("{p:?}")
    };
    assert_eq!(
        *target,
        LinkTarget::External {
            url: "mailto:foo@bar.example.com".into()
        }
    );
}

#[test]
fn task_markers_of_loose_lists_keep_every_item() {
    for md in ["- [ ] a\n\n- - b\n", "- [x] a\n- - b\n"] {
        let (c, d) = conv(md);
        assert!(d.is_empty(), "{md:?}: {d:?}");
        assert_eq!(c.blocks.len(), 1, "{md:?}");
        let BlockKind::List { items, .. } = &c.blocks[0].kind else {
            panic!("{:?}", c.blocks)
        };
        assert_eq!(items.len(), 2, "{md:?}");
        assert_eq!(items[0].task, Some(md.contains("[x]")), "{md:?}");
        assert_eq!(items[1].task, None, "{md:?}");
        let BlockKind::Paragraph(p) = &items[0].blocks[0].kind else {
            panic!("{:?}", items[0])
        };
        assert_eq!(crate::ir::plain_text(p), "a");
        let BlockKind::List { items: inner, .. } = &items[1].blocks[0].kind else {
            panic!("{:?}", items[1])
        };
        assert_eq!(inner.len(), 1);
    }
}

#[test]
fn footnote_labels_ignore_case() {
    let (c, d) = conv("A[^Note] b[^STRASSE] c[^note].\n\n[^note]: one\n\n[^straße]: two\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.footnotes.len(), 2);
    assert!(c.footnotes.iter().all(|n| !n.blocks.is_empty()));
    let BlockKind::Paragraph(p) = &c.blocks[0].kind else {
        panic!("{:?}", c.blocks)
    };
    let numbers: Vec<u32> = p
        .iter()
        .filter_map(|i| match i {
            Inline::FootnoteRef { number, .. } => Some(*number),
            _ => None,
        })
        .collect();
    assert_eq!(numbers, [1, 2, 1]);
}

#[test]
fn a_reference_left_as_text_to_a_defined_note_is_no_error() {
    // pulldown-cmark reads no reference in a heading ending with a tab.
    let (_, d) = conv("# [^0]\t\n\n[^0]: x\n");
    assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
    assert!(d[0].message.contains("stays as text"), "{d:?}");
}
