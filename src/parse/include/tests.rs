use super::directive::*;
use super::*;

fn links(s: &str) -> Vec<Link<'_>> {
    let mut sc = Scanner::new(s);
    std::iter::from_fn(|| sc.next_link()).collect()
}

fn range(start: usize, end: Option<usize>) -> Sel {
    Sel::Lines(LineRange { start, end })
}

#[test]
fn edited_text_maps_through_the_earlier_map() {
    // "ab{{#include x}}cd" expanded to "abXYZcd", its body starting at offset 10 of the file.
    let mut map = SourceMap::identity(10);
    map.push(2, 12, false);
    map.push(5, 28, true);
    let before = "abXYZcd";
    // A preprocessor then writes "!!" before and changes "cd" to "cD".
    let after = "!!abXYZcD";
    let m = map.edited(before, after);
    // Everything up to the change points at its start: "a" of "ab" is changed text now.
    assert_eq!(m.orig(0), 10);
    let m = map.edited(before, "abXYZcD");
    assert_eq!(
        (m.orig(0), m.orig(1)),
        (10, 11),
        "shared start keeps its place"
    );
    assert_eq!(m.orig(3), 12, "included text points at its directive");
    assert_eq!(m.orig(5), 28, "text after the include keeps its place");
    assert_eq!(m.orig(6), 29, "changed text points where the change starts");
    let same = map.edited(before, before);
    for o in 0..=before.len() {
        assert_eq!(same.orig(o), map.orig(o), "offset {o}");
    }
    // Multi-byte characters: offsets never land inside one.
    let m = SourceMap::identity(0).edited("é1", "è1");
    assert_eq!(m.orig(0), 0);
    assert_eq!(m.orig(2), 2);
}

#[test]
fn finds_directives_like_mdbook() {
    assert!(links("no link {{#include").is_empty());
    assert!(links("{{#include}}").is_empty());
    assert!(links("{{#unknown a.rs}}").is_empty());
    let l = links("x {{#include file.rs}} y");
    assert_eq!((l[0].start, l[0].end), (2, 22));
    assert_eq!(l[0].kind, Kind::Include("file.rs", range(0, None)));
    let forms = [
        ("{{#include f:2}}", range(1, Some(2))),
        ("{{#include f::3}}", range(0, Some(3))),
        ("{{#include f:2:}}", range(1, None)),
        ("{{#include f:2:4}}", range(1, Some(4))),
        ("{{#include f:}}", range(0, None)),
        ("{{#include f:0}}", range(0, Some(1))),
        ("{{ #include  f:anchor_1 }}", Sel::Anchor("anchor_1".into())),
    ];
    for (text, sel) in forms {
        assert_eq!(links(text)[0].kind, Kind::Include("f", sel), "{text}");
    }
    assert_eq!(
        links("{{#playground a.rs editable should_panic}}")[0].kind,
        Kind::Playground("a.rs", vec!["editable", "should_panic"])
    );
    assert_eq!(
        links("{{#title  My  Title }}")[0].kind,
        Kind::Title("My  Title")
    );
    // The argument may run over lines, up to the first `}`.
    assert_eq!(
        links("{{#include\n  a.rs\n}}")[0].kind,
        Kind::Include("a.rs", range(0, None))
    );
    assert!(links("{{#include a}b}}").is_empty());
    // `{{{#…}}` matches from its second brace.
    assert_eq!(links("{{{#include a}}")[0].start, 1);
}

#[test]
fn escapes_run_to_the_last_braces_of_the_line() {
    let l = links("\\{{#include a}} and {{#include b}}\n{{#include c}}");
    assert_eq!(l.len(), 2);
    assert_eq!(l[0].kind, Kind::Escaped);
    assert_eq!(l[0].text, "\\{{#include a}} and {{#include b}}");
    assert_eq!(l[1].kind, Kind::Include("c", range(0, None)));
    // No `}}` on the line: not an escape, and the directive after the backslash counts.
    let l = links("\\{{#include a\n}}");
    assert_eq!(l[0].kind, Kind::Include("a", range(0, None)));
}

#[test]
fn scanning_stays_linear_without_closing_braces() {
    let s = "{{#a b ".repeat(200_000);
    let t = std::time::Instant::now();
    assert!(links(&s).is_empty());
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn takes_lines_like_mdbook() {
    let s = "Lorem\nipsum\ndolor\nsit\namet";
    let take = |start, end| take_lines(s, &LineRange { start, end }, false).text;
    assert_eq!(take(1, Some(3)), "ipsum\ndolor");
    assert_eq!(take(3, None), "sit\namet");
    assert_eq!(take(0, Some(3)), "Lorem\nipsum\ndolor");
    assert_eq!(take(0, None), s);
    assert_eq!(take(4, Some(3)), "");
    assert_eq!(take(0, Some(100)), s);
    let hidden = |start, end| take_lines(s, &LineRange { start, end }, true).text;
    assert_eq!(hidden(1, Some(3)), "# Lorem\nipsum\ndolor\n# sit\n# amet");
    assert_eq!(
        hidden(4, Some(3)),
        "# Lorem\n# ipsum\n# dolor\n# sit\n# amet"
    );
    let t = take_lines(
        s,
        &LineRange {
            start: 2,
            end: None,
        },
        true,
    );
    assert_eq!(t.lines, vec![(1, 2), (2, 2), (3, 0), (4, 0), (5, 0)]);
}

#[test]
fn takes_anchored_lines_like_mdbook() {
    let a = |s: &str, name| take_anchored(s, name, false).map(|t| t.text);
    assert_eq!(a("Lorem\nipsum", "test"), None);
    assert_eq!(a("Lorem\nANCHOR_END: test\nsit", "test"), None);
    assert_eq!(
        a("Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet", "test").as_deref(),
        Some("dolor\nsit\namet")
    );
    let s = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
    assert_eq!(
        a(s, "test2").as_deref(),
        Some("ipsum\ndolor\nsit\namet\nlorem")
    );
    assert_eq!(a(s, "test").as_deref(), Some("dolor\nsit\namet"));
    let h = |s: &str, name| take_anchored(s, name, true).map(|t| t.text);
    let s = "Lorem\nipsum\n// ANCHOR: test\ndolor\nsit\n// ANCHOR_END: test\namet";
    assert_eq!(
        h(s, "test").as_deref(),
        Some("# Lorem\n# ipsum\ndolor\nsit\n# amet")
    );
    // A file with the same anchor twice: rustdoc_include shows both, include the first.
    let s = "a\nANCHOR: x\nb\nANCHOR_END: x\nc\nANCHOR: x\nd\nANCHOR_END: x";
    assert_eq!(h(s, "x").as_deref(), Some("# a\nb\n# c\nd"));
    assert_eq!(a(s, "x").as_deref(), Some("b"));
}

#[test]
fn whole_files_lose_marker_only_lines() {
    let s = "// ANCHOR: all\nfn main() {}\n<!-- ANCHOR_END: all -->\nUse ANCHOR: name to mark\n";
    let t = take_lines(
        s,
        &LineRange {
            start: 0,
            end: None,
        },
        false,
    );
    assert_eq!(t.text, "fn main() {}\nUse ANCHOR: name to mark");
    assert_eq!(t.lines, vec![(2, 0), (4, 0)]);
}

#[test]
fn source_map_points_inserted_text_at_its_directive() {
    let mut map = SourceMap::identity(10);
    map.push(5, 15, false);
    map.push(40, 30, true);
    assert_eq!(map.orig(0), 10);
    assert_eq!(map.orig(4), 14);
    assert_eq!(map.orig(5), 15);
    assert_eq!(map.orig(39), 15);
    assert_eq!(map.orig(42), 32);
}

#[test]
fn short_keeps_one_line() {
    assert_eq!(short("{{#include\na}}"), "{{#include…");
    assert_eq!(short("{{#include a}}"), "{{#include a}}");
}
