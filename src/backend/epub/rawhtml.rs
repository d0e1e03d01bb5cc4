//! Decides whether a raw HTML fragment from the book may go into the EPUB as it is.
//!
//! E-readers are strict XML parsers and epubcheck validates against the XHTML schema, so a
//! fragment passes only when it is well-formed, uses known elements where their content model
//! allows them, and carries nothing active (scripts, forms, event attributes, `javascript:`).
//! Everything else is escaped as text by the caller, with a warning.

use std::collections::HashSet;

use crate::slug::UniqueNames;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Where the fragment will be inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Between blocks, inside a `section`.
    Flow,
    /// Inside a paragraph or another phrasing element.
    Phrasing,
    /// Inside a link: phrasing, and nothing interactive (no `<a>`).
    InLink,
}

/// Why a fragment is written as text instead; its Display completes "kept as text: …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    /// A character XML cannot hold.
    #[error("it contains the character U+{:04X}", *.0 as u32)]
    Char(char),
    /// quick-xml's complaint.
    #[error("it is not well-formed XHTML ({0})")]
    NotWellFormed(String),
    /// An entity other than XML's five and character references.
    #[error("it uses the entity `&{0};`, which XHTML does not define")]
    Entity(String),
    /// CDATA, `<!…>` or `<?…?>`.
    #[error("it contains a CDATA section, declaration or processing instruction")]
    Markup,
    /// An id the document already has, or declared twice.
    #[error("its id `{0}` is already used in this chapter")]
    DuplicateId(String),
    /// An element not on the allow-lists.
    #[error("the element <{0}> is not allowed")]
    Element(String),
    /// A block element where only phrasing may go.
    #[error("<{0}> cannot appear inside a paragraph")]
    BlockInParagraph(String),
    /// An element outside the parent its content model needs.
    #[error("<{name}> cannot appear inside <{parent}>")]
    Misplaced {
        /// The element.
        name: String,
        /// Its parent.
        parent: String,
    },
    /// `<a>` inside a link.
    #[error("links cannot be nested")]
    NestedLink,
    /// An attribute quick-xml cannot read.
    #[error("bad attribute on <{name}> ({why})")]
    BadAttribute {
        /// The element.
        name: String,
        /// quick-xml's complaint.
        why: String,
    },
    /// An attribute value quick-xml cannot read.
    #[error("bad value of `{key}` on <{name}> ({why})")]
    BadValue {
        /// The attribute.
        key: String,
        /// The element.
        name: String,
        /// quick-xml's complaint.
        why: String,
    },
    /// `on…=` script.
    #[error("it has an event attribute `{0}`")]
    EventAttribute(String),
    /// `href` that is not http(s) or mailto.
    #[error("its link `{0}` is neither a web nor a mail address")]
    UnsafeLink(String),
    /// `href` that is not a valid URI as written.
    #[error("its link `{0}` is not a valid URI")]
    InvalidLink(String),
    /// `colspan`/`rowspan` that is not a positive number.
    #[error("`{key}` on <{name}> is not a positive number")]
    Span {
        /// The attribute.
        key: String,
        /// The element.
        name: String,
    },
    /// An empty id or one with spaces.
    #[error("the id `{0}` is empty or has spaces")]
    BadId(String),
    /// An attribute not on the allow-list.
    #[error("the attribute `{key}` is not allowed on <{name}>")]
    Attribute {
        /// The attribute.
        key: String,
        /// The element.
        name: String,
    },
    /// A closing tag whose opening tag is not there (or was refused).
    #[error("its opening tag is missing or was refused")]
    NoOpening,
    /// An opening tag whose closing tag is not in the same paragraph.
    #[error("no closing </{0}> in the same paragraph")]
    NoClosing(String),
}

/// Elements allowed inside a paragraph.
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Block elements allowed between blocks, besides the phrasing ones.
const FLOW: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is phrasing only.
const PHRASING_CONTAINERS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "caption"];

/// Attributes allowed on any element; `href` is checked separately. Not `style`: forced
/// colours and sizes defeat the reader's night mode and font settings.
const ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "xml:lang", "dir"];

/// Checks `fragment` for insertion in `context`. `taken` holds the ids already used in the
/// document; ids the fragment declares are added to it when it passes.
pub(crate) fn check(
    fragment: &str,
    context: Context,
    taken: &mut UniqueNames,
) -> Result<(), Refusal> {
    if let Some(c) = fragment.chars().find(|&c| !crate::xml::is_xml_char(c)) {
        return Err(Refusal::Char(c));
    }
    let wrapped = format!("<root>{fragment}</root>");
    let mut reader = Reader::from_str(&wrapped);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Refusal::NotWellFormed(e.to_string()))?;
        match event {
            Event::Start(e) => {
                let name = element(&e, &stack, context, &mut ids)?;
                stack.push(name);
            }
            Event::Empty(e) => {
                element(&e, &stack, context, &mut ids)?;
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let known = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos");
                let char_ref = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .is_some_and(crate::xml::is_xml_char);
                if !known && !char_ref {
                    return Err(Refusal::Entity(name.to_string()));
                }
            }
            Event::Text(_) | Event::Comment(_) => {}
            Event::CData(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                return Err(Refusal::Markup)
            }
            Event::Eof => break,
        }
    }
    let mut own = HashSet::new();
    for id in &ids {
        if taken.contains(id) || !own.insert(id) {
            return Err(Refusal::DuplicateId(id.clone()));
        }
    }
    for id in &ids {
        taken.insert(id);
    }
    Ok(())
}

/// Checks one element against the allow-lists; returns its name.
fn element(
    e: &BytesStart,
    stack: &[String],
    context: Context,
    ids: &mut Vec<String>,
) -> Result<String, Refusal> {
    let name = AsRef::<str>::as_ref(&e.name()).to_string();
    // The wrapper element itself.
    if stack.is_empty() && name == "root" {
        return Ok(name);
    }
    let parent = stack.last().map(String::as_str).unwrap_or("root");
    let phrasing_only = match parent {
        "root" => context != Context::Flow,
        p => PHRASING.contains(&p) || PHRASING_CONTAINERS.contains(&p),
    };
    let is_phrasing = PHRASING.contains(&name.as_str());
    if !is_phrasing && !FLOW.contains(&name.as_str()) {
        return Err(Refusal::Element(name));
    }
    if phrasing_only && !is_phrasing {
        return Err(Refusal::BlockInParagraph(name));
    }
    if !structure_ok(&name, parent) {
        let parent = parent.to_string();
        return Err(Refusal::Misplaced { name, parent });
    }
    if name == "a" && (context == Context::InLink || stack.iter().any(|s| s == "a")) {
        return Err(Refusal::NestedLink);
    }
    for attr in e.attributes() {
        let attr = attr.map_err(|err| Refusal::BadAttribute {
            name: name.clone(),
            why: err.to_string(),
        })?;
        let key = AsRef::<str>::as_ref(&attr.key).to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| Refusal::BadValue {
                key: key.clone(),
                name: name.clone(),
                why: err.to_string(),
            })?;
        if key.to_ascii_lowercase().starts_with("on") {
            return Err(Refusal::EventAttribute(key));
        }
        match key.as_str() {
            "href" if name == "a" => {
                let v = value.trim().to_ascii_lowercase();
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| v.starts_with(p));
                if !safe {
                    return Err(Refusal::UnsafeLink(value.into_owned()));
                }
                let valid = crate::uri::normalize(&value)
                    .is_ok_and(|u| crate::uri::ascii(&u) == value.as_ref());
                if !valid {
                    return Err(Refusal::InvalidLink(value.into_owned()));
                }
            }
            "colspan" | "rowspan" if matches!(name.as_str(), "td" | "th") => {
                if value.parse::<u16>().map_or(true, |n| n == 0) {
                    return Err(Refusal::Span { key, name });
                }
            }
            "id" => {
                if value.is_empty() || value.chars().any(char::is_whitespace) {
                    return Err(Refusal::BadId(value.into_owned()));
                }
                ids.push(value.into_owned());
            }
            k if ATTRIBUTES.contains(&k) => {}
            _ => return Err(Refusal::Attribute { key, name }),
        }
    }
    Ok(name)
}

/// The content-model rules that epubcheck enforces for lists, tables and definition lists.
fn structure_ok(name: &str, parent: &str) -> bool {
    let parent_needs = match parent {
        "ul" | "ol" => Some(&["li"][..]),
        "dl" => Some(&["dt", "dd"][..]),
        "table" => Some(&["caption", "thead", "tbody", "tfoot", "tr"][..]),
        "thead" | "tbody" | "tfoot" => Some(&["tr"][..]),
        "tr" => Some(&["td", "th"][..]),
        _ => None,
    };
    if let Some(allowed) = parent_needs {
        return allowed.contains(&name);
    }
    match name {
        "li" => matches!(parent, "ul" | "ol"),
        "dt" | "dd" => parent == "dl",
        "caption" | "thead" | "tbody" | "tfoot" | "tr" => parent == "table",
        "td" | "th" => parent == "tr",
        "figcaption" => parent == "figure",
        _ => true,
    }
}

/// `<span class="x">` → `span`; `None` for closing, self-closing and other fragments.
pub(crate) fn opening_tag_name(h: &str) -> Option<String> {
    let h = h.trim();
    let inner = h.strip_prefix('<')?.strip_suffix('>')?;
    if inner.ends_with('/') || inner.contains(['<', '>']) {
        return None;
    }
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty() && inner.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(name)
}

/// `</kbd>` → `kbd`; `None` for anything else.
pub(crate) fn closing_tag_name(h: &str) -> Option<String> {
    let inner = h.trim().strip_prefix("</")?.strip_suffix('>')?.trim();
    (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str, cx: Context) -> Result<(), String> {
        check(s, cx, &mut UniqueNames::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_well_formed_safe_xhtml() {
        ok(
            r#"<div class="note"><p>Well-formed <em>XHTML</em> &amp; &#233;.</p></div>"#,
            Context::Flow,
        )
        .expect("good block");
        ok(r#"<kbd>Ctrl</kbd> <br/>"#, Context::Phrasing).expect("good inline");
        ok(
            r#"<a href="https://kernel.org/">k</a><!-- note -->"#,
            Context::Phrasing,
        )
        .expect("good link");
    }

    #[test]
    fn rejects_active_or_broken_content() {
        let cases = [
            (r#"<script>alert("bad")</script>"#, "<script>"),
            (r#"<p class="x">Unclosed"#, "well-formed"),
            (r#"<p onclick="x()">closed</p>"#, "event attribute"),
            (r#"<a href="javascript:alert(1)">x</a>"#, "javascript"),
            (r#"<form><input/></form>"#, "<form>"),
            (r#"<iframe src="x"></iframe>"#, "<iframe>"),
            (r#"<P>upper</P>"#, "<P>"),
            (r#"<p>a&nbsp;b</p>"#, "nbsp"),
            (r#"<span style="color:red">x</span>"#, "`style`"),
            (r#"<ul><p>x</p></ul>"#, "inside <ul>"),
            ("<p>\u{1}</p>", "U+0001"),
        ];
        for (html, why) in cases {
            let err = ok(html, Context::Flow).expect_err(html);
            assert!(err.contains(why), "{html}: {err}");
        }
        let err = ok("<div>block</div>", Context::Phrasing).expect_err("div in p");
        assert!(err.contains("inside a paragraph"), "{err}");
        let err = ok(r#"<a href="https://x.org">x</a>"#, Context::InLink).expect_err("a in a");
        assert!(err.contains("nested"), "{err}");
        ok(r#"<kbd>x</kbd>"#, Context::InLink).expect("phrasing in a link");
        let err = ok(r#"<a href="https://x.org/a b">x</a>"#, Context::Flow).expect_err("space");
        assert!(err.contains("not a valid URI"), "{err}");
    }

    #[test]
    fn refuses_ids_already_in_the_document() {
        let mut taken = UniqueNames::default();
        taken.insert("lists");
        assert!(check(
            r#"<span id="lists">x</span>"#,
            Context::Phrasing,
            &mut taken
        )
        .is_err());
        check(
            r#"<span id="fresh">x</span>"#,
            Context::Phrasing,
            &mut taken,
        )
        .expect("new id");
        assert!(taken.contains("fresh"));
        assert!(check(
            r#"<span id="fresh">x</span>"#,
            Context::Phrasing,
            &mut taken
        )
        .is_err());
    }
}
