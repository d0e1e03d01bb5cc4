//! HTML predicates and reductions that every layer may use: is a fragment a comment, what
//! text does it hold, which anchors does it declare.
//!
//! mdBook copies raw HTML into its pages, so `<a id="x"></a>`, `<a name="x"></a>` and
//! `<dt id="x">` are link targets there, and books link to them (`page.md#x`). The parser adds
//! them to the chapter's anchors ([`anchor_ids`]); the EPUB writes `name` as `id` (XHTML has no
//! `name` on `<a>`: [`a_name_as_id`]).

use std::borrow::Cow;

/// One attribute of a start tag: its name, its value, and the byte range of the whole
/// attribute (`name="value"`) in the fragment.
struct Attr<'a> {
    name: &'a str,
    value: &'a str,
    range: std::ops::Range<usize>,
}

/// One start tag: the element's name (lowercased) and its attributes.
struct StartTag<'a> {
    name: String,
    attrs: Vec<Attr<'a>>,
}

/// The start tags of `html`, in order; comments and end tags are skipped. Lenient, as
/// browsers are: anything that is not a tag is text.
fn start_tags(html: &str) -> Vec<StartTag<'_>> {
    let mut tags = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let name_len = html[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(html.len() - i);
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                if bytes[i].is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            let attr_name = &html[start..i];
            if attr_name.is_empty() {
                i += 1; // a stray `=`: step over it
                continue;
            }
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| i + 1 + e);
                        value = &html[i + 1..end];
                        i = (end + 1).min(html.len());
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| i + e);
                        value = &html[i..end];
                        i = end;
                    }
                }
            }
            attrs.push(Attr {
                name: attr_name,
                value,
                range: start..i,
            });
        }
        tags.push(StartTag { name, attrs });
    }
    tags
}

/// The ids `html` declares: every element's `id`, and the `name` of an `<a>` without one.
pub(crate) fn anchor_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !html.contains('<') {
        return out;
    }
    for tag in start_tags(html) {
        let attr = |n: &str| {
            tag.attrs
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(n))
                .map(|a| a.value)
        };
        let id = attr("id").or_else(|| (tag.name == "a").then(|| attr("name")).flatten());
        if let Some(id) = id.filter(|v| !v.is_empty()) {
            out.push(id.to_string());
        }
    }
    out
}

/// `html` with `name` written as `id` on each `<a>` that has no `id` (and `name` dropped where
/// it has one equal to it): the form XHTML accepts, naming the same anchor.
pub(crate) fn a_name_as_id(html: &str) -> Cow<'_, str> {
    if !html.contains("name") {
        return Cow::Borrowed(html);
    }
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for tag in start_tags(html) {
        if tag.name != "a" {
            continue;
        }
        let find = |n: &str| tag.attrs.iter().find(|a| a.name.eq_ignore_ascii_case(n));
        let Some(name) = find("name") else { continue };
        match find("id") {
            None => {
                // Written as it was (entities and all), in double quotes.
                let value = name.value.replace('"', "&#34;");
                edits.push((name.range.clone(), format!("id=\"{value}\"")));
            }
            Some(id) if id.value == name.value => {
                // Drop ` name="…"` with the space before it.
                let start = html[..name.range.start].trim_end().len();
                edits.push((start..name.range.end, String::new()));
            }
            Some(_) => {}
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&html[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

/// The start tag of element `name` (ASCII, lowercase) that `html` opens with (after
/// whitespace), as its attributes (names lowercased, values with entities decoded) and the
/// byte offset just after its `>`; `None` when `html` starts otherwise or the tag is not closed.
pub(crate) fn leading_start_tag(html: &str, name: &str) -> Option<(Vec<(String, String)>, usize)> {
    let start = html.len() - html.trim_start().len();
    let rest = &html[start..];
    let after = rest.get(1..1 + name.len())?;
    let next = rest[1 + name.len()..].chars().next()?;
    if !rest.starts_with('<')
        || !after.eq_ignore_ascii_case(name)
        || !(next.is_whitespace() || next == '>' || next == '/')
    {
        return None;
    }
    let mut quote = None;
    let mut end = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    let tag = start_tags(&rest[..end]).into_iter().next()?;
    let attrs = tag
        .attrs
        .iter()
        .map(|a| (a.name.to_ascii_lowercase(), strip_tags(a.value)))
        .collect();
    Some((attrs, start + end))
}

/// Where the end tag of element `name` (`</name>`, any case) that `html` ends with (before
/// whitespace) starts; `None` when it ends otherwise.
pub(crate) fn trailing_end_tag(html: &str, name: &str) -> Option<usize> {
    let t = html.trim_end();
    let body = t.strip_suffix('>')?.trim_end();
    let at = body.len().checked_sub(name.len() + 2)?;
    let tail = body.get(at..)?;
    (tail.starts_with("</") && tail[2..].eq_ignore_ascii_case(name)).then_some(at)
}

/// True when `html` is exactly one HTML comment (CommonMark's `<!-->` and `<!--->` included).
pub(crate) fn is_comment(html: &str) -> bool {
    let Some(rest) = html.trim().strip_prefix("<!--") else {
        return false;
    };
    rest == ">"
        || rest == "->"
        || rest
            .strip_suffix("-->")
            .is_some_and(|body| !body.contains("-->"))
}

/// Text content of an HTML fragment: tags, comments, scripts and styles removed, basic
/// entities decoded.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let lower = after.to_ascii_lowercase();
        let skip_to = if after.starts_with("<!--") {
            after.find("-->").map(|j| j + 3)
        } else if lower.starts_with("<script") || lower.starts_with("<style") {
            // Code is not text: drop the element with its content.
            let name = if lower.starts_with("<script") {
                "</script"
            } else {
                "</style"
            };
            lower
                .find(name)
                .and_then(|j| after[j..].find('>').map(|k| j + k + 1))
        } else {
            after.find('>').map(|j| j + 1)
        };
        match skip_to {
            Some(j) => rest = &after[j..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_html() {
        assert_eq!(strip_tags("<p>a &amp; <b>b</b><!-- c --></p>"), "a & b");
        assert_eq!(
            strip_tags("x<script>alert('<b>')</script>y<STYLE>p{}</STYLE>z"),
            "xyz"
        );
    }

    #[test]
    fn finds_a_leading_start_tag_and_a_trailing_end_tag() {
        let html = "<Listing number=\"1-1\" file-name='src/main.rs' caption=\"a &amp; `b`\">\nx";
        let (attrs, end) = leading_start_tag(html, "listing").expect("a listing");
        assert_eq!(
            attrs,
            vec![
                ("number".to_string(), "1-1".to_string()),
                ("file-name".to_string(), "src/main.rs".to_string()),
                ("caption".to_string(), "a & `b`".to_string()),
            ]
        );
        assert_eq!(&html[end..], "\nx");
        assert_eq!(leading_start_tag("<Listings>", "listing"), None);
        assert_eq!(
            leading_start_tag("<Listing caption=\"a>b\"", "listing"),
            None
        );
        assert!(leading_start_tag("  <listing>", "listing").is_some());
        assert_eq!(trailing_end_tag("x\n</Listing>\n", "listing"), Some(2));
        assert_eq!(trailing_end_tag("</listing >", "listing"), Some(0));
        assert_eq!(trailing_end_tag("</listings>", "listing"), None);
        assert_eq!(trailing_end_tag("<", "listing"), None);
    }

    #[test]
    fn comments() {
        assert!(is_comment("<!-- talks -->"));
        assert!(!is_comment("<!-- a --> b <!-- c -->"));
        assert!(!is_comment("<p>x</p>"));
    }

    #[test]
    fn finds_ids_and_a_names() {
        let html = r#"<a id="one"></a><a name='two'></a><dt id=three>x</dt><!-- <a id="no"> -->
<a name="four" id="five"></a><p class="x" ID="six">y</p><span id="">z</span><b>id="seven"</b>"#;
        assert_eq!(anchor_ids(html), vec!["one", "two", "three", "five", "six"]);
        assert_eq!(anchor_ids("a < b and c<d"), Vec::<String>::new());
        assert_eq!(anchor_ids("<a name=\"x"), vec!["x"]);
        assert_eq!(anchor_ids("<a"), Vec::<String>::new());
        assert_eq!(anchor_ids("<a ="), Vec::<String>::new());
    }

    /// Whatever the input, no panic: every prefix of tricky fragments, cut at any character.
    #[test]
    fn never_panics_on_broken_html() {
        let tricky =
            r#"<a name="é' id=ü/><é a = =x name= 'y' <!-- <a id="z" --><dt id=ÿ>é</dt><a name"#;
        for (i, _) in tricky.char_indices() {
            let cut = &tricky[..i];
            anchor_ids(cut);
            a_name_as_id(cut);
        }
    }

    #[test]
    fn writes_a_name_as_id() {
        assert_eq!(a_name_as_id(r#"<a name="x"></a>"#), r#"<a id="x"></a>"#);
        assert_eq!(
            a_name_as_id(r#"<a class="c" name='x"y'>t</a>"#),
            r#"<a class="c" id="x&#34;y">t</a>"#
        );
        assert_eq!(a_name_as_id(r#"<a id="x" name="x"/>"#), r#"<a id="x"/>"#);
        assert_eq!(
            a_name_as_id(r#"<a id="x" name="y"/>"#),
            r#"<a id="x" name="y"/>"#
        );
        assert_eq!(a_name_as_id(r#"<input name="q"/>"#), r#"<input name="q"/>"#);
    }
}
