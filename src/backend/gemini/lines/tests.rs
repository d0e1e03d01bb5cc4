use super::*;
use crate::backend::gemini::gemtext::needs_guard;
use crate::backend::plain::superscript;
use crate::backend::RenderOptions;
use crate::config::Config;
use crate::ir::{BookMeta, IR_VERSION};

fn book_with(md: &str) -> Book {
    let mut diags = Vec::new();
    let conv = crate::parse::markdown::convert(md, 0, 0, "c.md", &mut diags);
    let chapter = Chapter {
        id: "c".into(),
        title: "C".into(),
        speakers: vec![],
        date: None,
        source: "c.md".into(),
        depth: 0,
        blocks: conv.blocks,
        closing: vec![],
        footnotes: conv.footnotes,
        children: vec![],
        span: Span::default(),
        ..Chapter::default()
    };
    Book {
        kr_ir_version: IR_VERSION,
        meta: BookMeta::default(),
        front: vec![],
        parts: vec![],
        back: vec![chapter],
        sources: vec!["c.md".into()],
        assets: vec![],
        cover: None,
    }
}

/// The chapter's blocks (then its notes' blocks) as gemtext, and the warnings.
fn render(md: &str) -> (String, Vec<String>) {
    let book = book_with(md);
    let config = Config::parse("[book]\ntitle = \"T\"\n", "book.toml").expect("config");
    let options = RenderOptions::default();
    let cx = RenderContext {
        config: &config,
        resources: &Default::default(),
        cover_jpeg: &Default::default(),
        timings: &Default::default(),
        book_dir: std::path::Path::new("/nonexistent"),
        options: &options,
    };
    let layout = Layout::new(&book);
    let mut assets = Assets::default();
    let mut warnings = Vec::new();
    let mut env = Env {
        book: &book,
        cx: &cx,
        layout: &layout,
        assets: &mut assets,
        warnings: &mut warnings,
    };
    let c = &book.back[0];
    let mut page = Page::new(&mut env, "c.gmi");
    page.blocks(c, &c.blocks);
    for note in &c.footnotes {
        page.blocks(c, &note.blocks);
    }
    let out = String::from_utf8(page.finish()).expect("utf-8");
    (out, warnings.iter().map(|w| w.message.clone()).collect())
}

fn gmi(md: &str) -> String {
    render(md).0
}

#[test]
fn paragraph_is_one_line_soft_breaks_joined_hard_breaks_kept() {
    assert_eq!(gmi("one\ntwo\nthree\n"), "one two three\n");
    assert_eq!(gmi("one\\\ntwo  \nthree\n"), "one\ntwo\nthree\n");
}

#[test]
fn inline_markup_is_removed() {
    assert_eq!(gmi("*a* **b** ~~c~~ `d` _e_ <b>f</b>\n"), "a b c d e f\n");
    let (_, warnings) = render("x <b>f</b>\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn links_are_numbered_and_listed_after_their_block() {
    let out = gmi("See [one](https://a.example/) and [two](gemini://b.example/x).\n\nNext [three](https://c.example/).\n");
    assert_eq!(
        out,
        "See one [1] and two [2].\n=> https://a.example/ [1] one\n=> gemini://b.example/x [2] two\n\nNext three [3].\n=> https://c.example/ [3] three\n"
    );
}

#[test]
fn links_are_flushed_before_a_heading() {
    let out = gmi("- item [a](https://a.example/)\n- other\n\n## Head\n");
    assert_eq!(
        out,
        "* item a [1]\n* other\n=> https://a.example/ [1] a\n\n## Head\n"
    );
}

#[test]
fn link_only_paragraph_and_item_become_bare_link_lines() {
    assert_eq!(
        gmi("[The site](https://a.example/)\n"),
        "=> https://a.example/ The site\n"
    );
    assert_eq!(
        gmi("- [One](https://a.example/1)\n- [Two](https://a.example/2)\n"),
        "=> https://a.example/1 One\n=> https://a.example/2 Two\n"
    );
}

#[test]
fn link_urls_never_carry_spaces() {
    assert_eq!(
        gmi("[x](<https://a.example/a b>)\n"),
        "=> https://a.example/a%20b x\n"
    );
}

#[test]
fn footnote_markers_differ_from_link_numbers() {
    let out = gmi("Text[^n] and [a link](https://a.example/).\n\n[^n]: The note.\n");
    assert!(out.starts_with("Text¹ and a link [1].\n"), "{out}");
    assert_eq!(superscript(12), "¹²");
}

#[test]
fn headings_are_clamped_to_three_levels() {
    let (out, warnings) = render("## Two\n\n### Three\n\n#### Four\n\n###### Six\n");
    assert_eq!(out, "## Two\n\n### Three\n\n### Four\n\n### Six\n");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn lists_are_flat_and_ordered_lists_keep_numbers() {
    let out = gmi("- a\n    - b\n        - c\n- d\n\n3. x\n4. y\n\n- [x] done\n- [ ] open\n");
    assert_eq!(
        out,
        "* a\n* b\n* c\n* d\n\n3. x\n4. y\n\n* [x] done\n* [ ] open\n"
    );
    assert!(!out.lines().any(|l| l.starts_with(' ')));
}

#[test]
fn quotes_are_one_line_per_paragraph() {
    assert_eq!(
        gmi("> one\n> two\n>\n> three\n>\n> > nested\n"),
        "> one two\n> three\n> nested\n"
    );
}

#[test]
fn code_blocks_are_preformatted_with_their_language_as_alt_text() {
    assert_eq!(gmi("```c\nint x;  \n```\n"), "```c code\nint x;\n```\n");
    assert_eq!(
        gmi("~~~\n```\n=> x\n~~~\n"),
        "```code\n\u{200B}```\n=> x\n```\n"
    );
}

#[test]
fn tables_are_padded_boxes_with_a_warning() {
    let (out, warnings) = render("| a | 漢字 |\n|---|---:|\n| bb | 1 |\n");
    assert_eq!(
        out,
        "```Table: a, 漢字\n+----+------+\n| a  | 漢字 |\n+----+------+\n| bb |    1 |\n+----+------+\n```\n"
    );
    assert_eq!(warnings.len(), 1);
}

#[test]
fn text_lines_that_look_like_other_line_types_are_guarded() {
    for start in ["=> x", "# x", "* x", "> x", "```x"] {
        assert!(needs_guard(start), "{start}");
        assert_eq!(guard(start), format!("\u{200B}{start}"));
    }
    for fine in ["*x", "x => y", "a # b", " * x", "=x"] {
        assert!(!needs_guard(fine), "{fine}");
    }
    assert_eq!(gmi("\\# not a heading\n"), "\u{200B}# not a heading\n");
    assert_eq!(gmi("\\* not an item\n"), "\u{200B}* not an item\n");
    assert_eq!(gmi("a\\\n=> not a link\n"), "a\n\u{200B}=> not a link\n");
}

#[test]
fn raw_html_keeps_text_drops_scripts_and_warns() {
    let (out, warnings) =
        render("<div><p>Kept <em>text</em></p></div>\n\n<script>alert(1)</script>\n");
    assert_eq!(out, "Kept text\n");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(
        strip_tags("a<!-- c -->b &amp; <style>x{}</style>c"),
        "ab & c"
    );
}

#[test]
fn remote_images_are_linked_not_fetched() {
    // The parser leaves remote images without an asset (and warns); the capsule links them.
    let (out, warnings) = render("Look: ![a red square](https://example.org/r.png)\n");
    assert_eq!(
        out,
        "Look: a red square [1]\n=> https://example.org/r.png [1] a red square\n"
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn no_trailing_whitespace_and_one_final_newline() {
    let out = gmi("a  \n\n\n\nb \n");
    assert_eq!(out, "a\n\nb\n");
}
