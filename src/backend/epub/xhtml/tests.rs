//! Unit tests of the XHTML writer.

use super::*;
use crate::backend::epub::rawhtml::{closing_tag_name, opening_tag_name};

#[test]
fn escapes_and_drops_forbidden_characters() {
    assert_eq!(
        escape("a<b & \"c\"\u{1}\u{fffe}"),
        "a&#60;b &#38; &#34;c&#34;"
    );
    assert!(is_xml_char('🎉') && is_xml_char('漢') && !is_xml_char('\u{0b}'));
    assert_eq!(xml_id("a b"), "a-b");
}

#[test]
fn tells_tags_apart() {
    assert_eq!(
        opening_tag_name("<span style=\"x\">").as_deref(),
        Some("span")
    );
    assert_eq!(opening_tag_name("<br/>"), None);
    assert_eq!(closing_tag_name("</kbd>").as_deref(), Some("kbd"));
    use crate::uri::has_scheme;
    assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && !has_scheme("a/b.html"));
}
