use std::collections::HashMap;

use super::*;
use crate::typeset::geometry::Geometry;
use crate::typeset::para::Setter;
use crate::typeset::vlist::VLine;
use crate::typeset::{fonts::Fonts, shape::Shaper, testing};

/// The lines set for the one chapter of a book written in `md`, code lines numbered when
/// `numbers` says (as `[output.pdf] line-numbers` would).
fn set(md: &str, numbers: bool) -> Vec<VLine> {
    let book = testing::book(md);
    let fonts = Fonts::bundled().expect("bundled fonts");
    let mut b = ListBuilder::new(
        &book,
        Setter::new(Shaper::new(&fonts)),
        Geometry::a4(),
        HashMap::new(),
    );
    b.line_numbers = numbers;
    b.chapter(&book.front[0], true);
    b.list
        .entries
        .into_iter()
        .filter_map(|v| match v {
            V::Line(l) => Some(l),
            _ => None,
        })
        .collect()
}

/// A line's text, and its line number when it has one.
fn text_and_number(l: &VLine) -> (String, Option<String>) {
    let (mut text, mut number) = (String::new(), None::<String>);
    for r in &l.set.runs {
        match r.tag {
            Tag::Artifact(Artifact::LineNumber) => {
                number.get_or_insert_with(String::new).push_str(&r.text)
            }
            _ => text.push_str(&r.text),
        }
    }
    (text, number)
}

fn numbers(lines: &[VLine]) -> Vec<Option<String>> {
    lines
        .iter()
        .filter(|l| l.role == LineRole::Code)
        .map(|l| text_and_number(l).1)
        .collect()
}

#[test]
fn line_numbers_only_where_asked_and_never_on_a_continuation() {
    let long = format!("let x = f({});", "argument, ".repeat(20));
    let md = format!(
        "```rust,numberLines\nfn a() {{}}\n{long}\nb\n```\n\n```rust\nplain\n```\n\n\
         ```{{.rust .numberLines}}\nc\n```\n\n```rust {{linenos=false}}\nd\n```\n"
    );
    let lines = set(&md, false);
    let got = numbers(&lines);
    let n = |s: &str| Some(s.to_string());
    // The long line wraps: its continuation has no number.
    let wrapped = got.len() - 6;
    assert!(wrapped >= 1, "{got:?}");
    let mut want = vec![n("1"), n("2")];
    want.extend(std::iter::repeat_n(None, wrapped));
    want.extend([n("3"), None, n("1"), None]);
    assert_eq!(got, want);
    // The numbers sit left of the code, right-aligned in the gutter; the text is the code's.
    let first = &lines
        .iter()
        .find(|l| l.role == LineRole::Code)
        .expect("code");
    assert_eq!(text_and_number(first).0, "fn a() {}");
    for r in &first.set.runs {
        let is_number = r.tag == Tag::Artifact(Artifact::LineNumber);
        assert_eq!(r.x < 0.0, is_number, "{} at {}", r.text, r.x);
        if is_number {
            assert_eq!(r.color, MARK_GREY);
        }
    }
    // `[output.pdf] line-numbers` numbers every block but the one that says no.
    let got = numbers(&set(
        "```\na\nb\n```\n\n```rust,linenos=false\nc\n```\n",
        true,
    ));
    assert_eq!(got, [n("1"), n("2"), None]);
}

/// Where a page may end after each code line of a listing of `n` lines.
fn breaks(n: usize) -> Vec<bool> {
    let body: Vec<String> = (1..=n).map(|i| format!("line {i}")).collect();
    // After a paragraph: the chapter's title keeps its first line with it.
    let md = format!("Text.\n\n```\n{}\n```\n", body.join("\n"));
    set(&md, false)
        .iter()
        .filter(|l| l.role == LineRole::Code)
        .map(|l| l.break_after)
        .collect()
}

#[test]
fn a_listing_breaks_only_with_two_lines_on_either_side() {
    assert_eq!(breaks(1), [true]);
    assert_eq!(breaks(2), [false, true]);
    assert_eq!(breaks(3), [false, false, true]);
    assert_eq!(breaks(4), [false, true, false, true]);
    assert_eq!(breaks(6), [false, true, true, true, false, true]);
}

#[test]
fn a_wrapped_line_is_never_cut_from_its_continuation() {
    let long = format!("let x = f({});", "argument, ".repeat(20));
    let md = format!("```\na\nb\n{long}\nc\nd\n```\n");
    let lines = set(&md, false);
    let code: Vec<_> = lines.iter().filter(|l| l.role == LineRole::Code).collect();
    assert!(code.len() > 5);
    for (l, next) in code.iter().zip(&code[1..]) {
        let continued = next
            .set
            .runs
            .iter()
            .any(|r| r.text.starts_with(super::super::para::CONTINUATION));
        if continued {
            assert!(!l.break_after, "{:?}", text_and_number(l));
        }
    }
    // Breaks after `b` (two lines above) and after the long line (two below).
    let after: Vec<bool> = code.iter().map(|l| l.break_after).collect();
    assert_eq!(after.iter().filter(|b| **b).count(), 3, "{after:?}");
}

#[test]
fn a_listing_s_caption_and_file_name_stay_with_its_code() {
    let md = "<Listing number=\"1-1\" file-name=\"src/main.rs\" caption=\"Hello `world`\">\n\n\
              ```rust\nfn main() {\n    println!();\n}\n```\n\n</Listing>\n";
    let lines = set(md, false);
    let texts: Vec<String> = lines.iter().map(|l| text_and_number(l).0).collect();
    let at = texts
        .iter()
        .position(|t| t == "Filename: src/main.rs")
        .expect("the file name");
    assert_eq!(texts[at + 1], "fn main() {");
    assert_eq!(texts[at + 4], "Listing 1-1: Hello world");
    // No page ends between the file name and the code, nor between the code and its caption.
    assert!(lines[at..at + 4].iter().all(|l| !l.break_after));
    assert!(lines[at + 4].break_after);
}
