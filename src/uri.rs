//! Link destinations made into valid URIs (RFC 3986), whatever the Markdown wrote.
//!
//! CommonMark accepts almost anything as a destination (`<a b>`, quotes, backslashes,
//! brackets, a second `#`); e-readers and epubcheck accept only URIs. The parser stores each
//! external destination normalised by [`normalize`]; a writer that must emit pure ASCII (the
//! EPUB) adds [`ascii`].

/// True for `https:`, `mailto:`, `gemini:`… (a URI scheme) and protocol-relative `//host`.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//") || has_scheme(url)
}

/// True when `url` starts with a URI scheme (`https:`, `mailto:`…).
pub(crate) fn has_scheme(url: &str) -> bool {
    scheme(url).is_some()
}

/// The scheme of `url`, lowercased, when it has one.
pub(crate) fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// `url` with every character RFC 3986 does not allow where it stands percent-encoded, except
/// non-ASCII characters (an IRI keeps them readable in text and gemtext). Errors when the
/// host cannot be made valid (a space or a quote in a host name has no encoding).
pub(crate) fn normalize(url: &str) -> Result<String, BadHost> {
    let url = url.trim();
    let (authority_start, authority_end) = authority(url);
    if authority_end > 0 {
        check_host(&url[authority_start..authority_end])?;
    }
    let mut out = String::with_capacity(url.len());
    let mut in_fragment = false;
    let bytes = url.as_bytes();
    for (i, c) in url.char_indices() {
        let in_authority = (authority_start..authority_end).contains(&i);
        let keep = match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => true,
            '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=' | ':' | '@' | '/'
            | '?' => true,
            '#' if !in_fragment => {
                in_fragment = true;
                true
            }
            '[' | ']' => in_authority,
            '%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            c => !c.is_ascii() && !c.is_control() && !c.is_whitespace() && !invisible(c),
        };
        if keep {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Ok(out)
}

/// A normalised URI (or IRI) as pure ASCII: non-ASCII characters percent-encoded as UTF-8
/// (in a host name too, which URL parsers decode before IDNA).
pub(crate) fn ascii(url: &str) -> String {
    if url.is_ascii() {
        return url.to_string();
    }
    let mut out = String::with_capacity(url.len() * 2);
    for c in url.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// True for an absolute `http:` or `https:` URL with a host: a base other links can be
/// resolved against (`https://doc.rust-lang.org/nomicon/`, not mdBook's usual `/nomicon/`).
pub(crate) fn is_web_base(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let (start, end) = authority(url);
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && end > start
        && check_host(&url[start..end]).is_ok()
}

/// `reference` (relative: no scheme, not `//host`) resolved against the absolute URL `base`,
/// as RFC 3986 (5.2) says: `../std/index.html` from `https://x.org/book/a/b.html` is
/// `https://x.org/book/std/index.html`. `..` never climbs above the host.
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    let (_, authority_end) = authority(base);
    let origin = &base[..authority_end];
    let base_path = base[authority_end..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let split = reference.find(['?', '#']).unwrap_or(reference.len());
    let (ref_path, rest) = reference.split_at(split);
    let path = if ref_path.starts_with('/') {
        ref_path.to_string()
    } else if ref_path.is_empty() {
        base_path.to_string()
    } else {
        let dir = base_path.rfind('/').map_or("/", |i| &base_path[..=i]);
        format!("{dir}{ref_path}")
    };
    format!("{origin}{}{rest}", remove_dot_segments(&path))
}

/// The path with `.` and `..` segments resolved (RFC 3986, 5.2.4).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." | ".." => {
                if *seg == ".." && out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') || joined.is_empty() {
        joined
    } else {
        format!("/{joined}")
    }
}

/// Format characters that would hide or reorder what a reader sees of the address.
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

fn push_escaped(out: &mut String, c: char) {
    let mut buf = [0; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// Byte range of the host (and port) in `scheme://user@host:port/…`; empty without `//`.
fn authority(url: &str) -> (usize, usize) {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return (0, 0);
    };
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    // User information is not part of the host.
    let start = url[start..end].rfind('@').map_or(start, |i| start + i + 1);
    (start, end)
}

/// Why a URL cannot be normalised: its host, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its host `{host}` {problem}")]
pub(crate) struct BadHost {
    /// The host (and port) as written.
    pub host: String,
    /// What is wrong with it.
    pub problem: HostProblem,
}

/// What makes a host unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HostProblem {
    /// `[…]` that holds no IP address.
    #[error("is not a valid IP address")]
    BadIp,
    /// `:port` that is not digits.
    #[error("has a port that is not a number")]
    BadPort,
    /// A character no host name may hold (it has no percent-encoding in a host).
    #[error("contains `{}`", .0.escape_default())]
    BadChar(char),
    /// Empty labels (`..`, or nothing at all).
    #[error("is not a host name")]
    NotAHostName,
}

/// A host name (or IP literal) with an optional port, as URL parsers accept it.
fn check_host(host_port: &str) -> Result<(), BadHost> {
    let bad = |problem| {
        Err(BadHost {
            host: host_port.to_string(),
            problem,
        })
    };
    let (host, port) = match host_port.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, port))
                if !ip.is_empty()
                    && ip
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || ".:".contains(c)) =>
            {
                ("", port)
            }
            _ => return bad(HostProblem::BadIp),
        },
        None => match host_port.rsplit_once(':') {
            Some((h, p)) => (h, p),
            None => (host_port, ""),
        },
    };
    let port = port.strip_prefix(':').unwrap_or(port);
    if !port.chars().all(|c| c.is_ascii_digit()) {
        return bad(HostProblem::BadPort);
    }
    if host_port.starts_with('[') {
        return Ok(());
    }
    if let Some(c) = host.chars().find(|&c| !host_char(c)) {
        return bad(HostProblem::BadChar(c));
    }
    let labels: Vec<&str> = host.strip_suffix('.').unwrap_or(host).split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return bad(HostProblem::NotAHostName);
    }
    Ok(())
}

/// Characters a host name may hold: what WHATWG and RFC 3986 both accept.
fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.' | '_' | '~' | '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+'
        )
        || matches!(c, ',' | ';' | '=')
        || (!c.is_ascii() && c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_detection() {
        assert!(is_external("https://lwn.net"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.example/x"));
        assert!(!is_external("day-1/a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn encodes_what_a_uri_cannot_hold() {
        let n = |u: &str| normalize(u).expect("valid");
        assert_eq!(n("https://example.com/a b"), "https://example.com/a%20b");
        assert_eq!(n("https://x.org/\"q\"\\"), "https://x.org/%22q%22%5C");
        assert_eq!(n("https://x.org/[a]"), "https://x.org/%5Ba%5D");
        assert_eq!(n("https://[::1]:8080/"), "https://[::1]:8080/");
        assert_eq!(n("https://x.org/p##frag"), "https://x.org/p#%23frag");
        assert_eq!(n("https://x.org/100%"), "https://x.org/100%25");
        assert_eq!(n("https://x.org/a%20b"), "https://x.org/a%20b");
        assert_eq!(
            n("mailto:foo@bar.example.com"),
            "mailto:foo@bar.example.com"
        );
        assert_eq!(
            n("https://x.org/{x}|^`<>"),
            "https://x.org/%7Bx%7D%7C%5E%60%3C%3E"
        );
        assert_eq!(
            n("https://de.wikipedia.org/Straße"),
            "https://de.wikipedia.org/Straße"
        );
        assert_eq!(
            n("https://x.org/\u{7}\u{202e}"),
            "https://x.org/%07%E2%80%AE"
        );
        assert_eq!(n("https://user:p w@x.org/"), "https://user:p%20w@x.org/");
    }

    #[test]
    fn refuses_hosts_that_cannot_be_encoded() {
        assert!(normalize("https://exa mple.com/").is_err());
        assert!(normalize("https://ex\"ample.com/").is_err());
        assert!(normalize("https://bücher.de/").is_ok());
        assert!(normalize("https://../").is_err());
        assert!(normalize("https:///x").is_err());
        assert!(normalize("https://x.org:80a/").is_err());
        assert!(normalize("https://[zz]/").is_err());
        assert!(normalize("https://x.org.:8080/").is_ok());
        assert!(normalize("https://u:p@[::1]:1/").is_ok());
    }

    #[test]
    fn resolves_references_against_a_base() {
        let base = "https://doc.rust-lang.org/nomicon/vec/vec.html";
        let cases = [
            (
                "../../std/vec/struct.Vec.html",
                "https://doc.rust-lang.org/std/vec/struct.Vec.html",
            ),
            (
                "../../../../../x.html#a",
                "https://doc.rust-lang.org/x.html#a",
            ),
            ("raw.rs", "https://doc.rust-lang.org/nomicon/vec/raw.rs"),
            (
                "./img/a.png?x=1",
                "https://doc.rust-lang.org/nomicon/vec/img/a.png?x=1",
            ),
            ("/std/", "https://doc.rust-lang.org/std/"),
            ("..", "https://doc.rust-lang.org/nomicon/"),
            ("?q", "https://doc.rust-lang.org/nomicon/vec/vec.html?q"),
        ];
        for (reference, want) in cases {
            assert_eq!(resolve(base, reference), want, "{reference}");
        }
        assert_eq!(
            resolve("https://x.org", "a/b.html"),
            "https://x.org/a/b.html"
        );
        assert!(is_web_base("https://doc.rust-lang.org/nomicon/"));
        assert!(is_web_base("HTTP://x.org"));
        assert!(!is_web_base("/mdBook/"));
        assert!(!is_web_base("https:///x"));
        assert!(!is_web_base("ftp://x.org/"));
    }

    #[test]
    fn ascii_encodes_non_ascii_as_utf8() {
        assert_eq!(
            ascii("https://de.wikipedia.org/Straße"),
            "https://de.wikipedia.org/Stra%C3%9Fe"
        );
        assert_eq!(ascii("https://x.org/a"), "https://x.org/a");
    }
}
