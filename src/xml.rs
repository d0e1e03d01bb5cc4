//! XML escaping shared by every writer of XML (XHTML, OPF, Atom, SVG covers).

/// Characters XML 1.0 allows, minus the C0/C1 controls that HTML forbids in text.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
        && !matches!(c as u32, 0xfdd0..=0xfdef)
        && (c as u32) & 0xfffe != 0xfffe
}

/// `s` escaped for text and attribute values (quotes too, so one function serves both).
/// Numeric references, because epubcheck reports every named entity (HTM-006).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}\u{fffe}é"),
            "a&#60;b &#38; &#34;c&#34; 'd'é"
        );
        assert!(is_xml_char('\n') && !is_xml_char('\u{0}') && !is_xml_char('\u{fdd0}'));
    }
}
