use super::*;

fn test_index() -> ChapterIndex {
    let entry = |id: &str, anchors: &[&str], title: Option<&str>| Entry {
        id: id.into(),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
        title_anchor: title.map(str::to_string),
    };
    let mut index = HashMap::new();
    index.insert("a.md".to_string(), entry("a", &["intro"], Some("a-title")));
    index.insert("d/b.md".to_string(), entry("d-b", &[], None));
    index.insert("d/README.md".to_string(), entry("d", &[], None));
    index
}

#[test]
fn links_leaving_the_book_go_to_its_site() {
    let index = test_index();
    let site = Some("https://example.org/book/");
    let r = |u: &str| resolve(u, "d/b.md", &index, site);
    let ext = |u: &str| Ok(LinkTarget::External { url: u.into() });
    assert_eq!(
        r("../../std/index.html#x"),
        ext("https://example.org/std/index.html#x")
    );
    assert_eq!(r("/std/"), ext("https://example.org/std/"));
    assert_eq!(
        r("listing.rs"),
        ext("https://example.org/book/d/listing.rs")
    );
    assert_eq!(
        resolve("img/a b.png", "d/README.md", &index, site),
        ext("https://example.org/book/d/img/a%20b.png")
    );
    // Chapters are still chapters, and a chapter that is not listed is still an error.
    assert_eq!(
        r("../a.md#a-title"),
        Ok(LinkTarget::Internal {
            chapter: "a".into(),
            anchor: None
        })
    );
    let group = |u: &str| r(u).map_err(|e| e.group);
    assert_eq!(group("c.md"), Err("links to pages outside the book"));
    assert_eq!(group("c.html"), Err("links to pages outside the book"));
    assert_eq!(group("e/"), Err("links to pages outside the book"));
    assert_eq!(
        page_url("https://x.org/b", "README.md"),
        "https://x.org/b/index.html"
    );
    assert_eq!(
        page_url("https://x.org/", "d/README.md"),
        "https://x.org/d/index.html"
    );
    assert_eq!(
        page_url("https://x.org/", "d/NOTREADME.md"),
        "https://x.org/d/NOTREADME.html"
    );
}

#[test]
fn resolves_chapters_and_degrades_the_rest() {
    let index = test_index();
    let r = |u: &str| resolve(u, "d/b.md", &index, None);
    let internal = |c: &str, a: Option<&str>| {
        Ok(LinkTarget::Internal {
            chapter: c.into(),
            anchor: a.map(str::to_string),
        })
    };
    assert_eq!(r("../a.md#intro"), internal("a", Some("intro")));
    assert_eq!(r("../a.html"), internal("a", None));
    assert_eq!(r("./../a.md?x=1#"), internal("a", None));
    assert_eq!(r("index.html"), internal("d", None));
    assert_eq!(r("../d/"), internal("d", None));
    assert_eq!(
        r("//lwn.net/x"),
        Ok(LinkTarget::External {
            url: "https://lwn.net/x".into()
        })
    );
    assert_eq!(
        r("https://x.org/a b##c"),
        Ok(LinkTarget::External {
            url: "https://x.org/a%20b#%23c".into()
        })
    );
    let group = |u: &str| r(u).map_err(|e| e.group);
    assert_eq!(
        group("https://a b/"),
        Err("links that are not valid addresses")
    );
    assert_eq!(group("../a.md#nope"), Err("links to missing headings"));
    assert_eq!(group("#x"), Err("links to missing headings"));
    assert_eq!(group("c.md"), Err("links to pages outside the book"));
    assert_eq!(group("/url"), Err("links to pages outside the book"));
    assert_eq!(group("../../x.md"), Err("links to pages outside the book"));
    assert_eq!(group("foo.html"), Err("links to pages outside the book"));
    assert_eq!(group("#"), Err("empty links"));
    assert_eq!(group(""), Err("empty links"));
    assert_eq!(
        group("javascript:alert(1)"),
        Err("links with unusable schemes")
    );
    assert_eq!(
        group("std::process::Termination"),
        Err("links with unusable schemes")
    );
    let msg = r("c.md").map_err(|e| e.message);
    assert_eq!(
            msg,
            Err("link to `c.md` names `d/c.md`, which is not a chapter in SUMMARY.md; its text is kept without the link".into())
        );
}
