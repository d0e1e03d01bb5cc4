//! HTML predicates and reductions that every layer may use: is a fragment a comment, and
//! what text does it hold.

/// True when `html` is exactly one HTML comment (CommonMark's `<!-->` and `<!--->` included).
pub fn is_comment(html: &str) -> bool {
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
pub fn strip_tags(html: &str) -> String {
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
    fn comments() {
        assert!(is_comment("<!-- talks -->"));
        assert!(!is_comment("<!-- a --> b <!-- c -->"));
        assert!(!is_comment("<p>x</p>"));
    }
}
