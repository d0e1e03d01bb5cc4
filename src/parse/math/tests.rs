use super::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

#[test]
fn inline_formulas_become_code_and_unclosed_ones_stay_text() {
    let mut l = vec![text("a \\(x^2\\) b \\("), Inline::SoftBreak, text("y\\) c")];
    assert_eq!(inline_formulas(&mut l), 2);
    let got: Vec<String> = l.iter().map(|i| format!("{i:?}")).collect();
    assert_eq!(
        got,
        [
            "Text(\"a \")",
            "Code(\"x^2\")",
            "Text(\" b \")",
            "Code(\"y\")",
            "Text(\" c\")"
        ]
    );
    let mut l = vec![text("open \\( never"), Inline::SoftBreak, text("closed")];
    assert_eq!(inline_formulas(&mut l), 0);
    assert_eq!(crate::ir::plain_text(&l), "open \\( never closed");
}

#[test]
fn a_display_paragraph_becomes_a_math_block() {
    let mut blocks = vec![Block {
        span: Span::default(),
        kind: BlockKind::Paragraph(vec![
            text("\\["),
            Inline::SoftBreak,
            text("a "),
            Inline::Emph(vec![text("b")]),
            text(" c"),
            Inline::SoftBreak,
            text("\\]"),
        ]),
    }];
    let mut math = None;
    keep_as_code(&mut blocks, &mut math);
    assert_eq!(math.map(|m| m.0), Some(1));
    match &blocks[0].kind {
        BlockKind::CodeBlock { lang, text, .. } => {
            assert_eq!((lang.as_deref(), text.as_str()), (Some("math"), "a *b* c"))
        }
        other => panic!("{other:?}"),
    }
}
