use super::*;

#[test]
fn parses_mdbook_and_publish_tables() {
    let c = Config::parse(
            "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nlanguage = \"en\"\nmultilingual = false\n\n[publish]\nbase-name = \"t\"\ndate = \"2023-09-27\"\n\n[output.epub]\nembed-fonts = true\n",
            "book.toml",
        )
        .expect("valid");
    assert_eq!(c.book.title.as_deref(), Some("T"));
    assert_eq!(c.book.src, "src");
    assert_eq!(c.publish.base_name.as_deref(), Some("t"));
    assert!(c.output.contains_key("epub"));
}

#[test]
fn reports_line_of_bad_toml() {
    let e =
        Config::parse("[book]\ntitle = \"T\"\nauthors = 3\n", "b/book.toml").expect_err("invalid");
    assert_eq!(
        (e.line_col().map(|p| p.0), e.file()),
        (Some(3), Some("b/book.toml"))
    );
    assert!(e.message.contains("bad book.toml"), "{}", e.message);
}

#[test]
fn foreign_keys_and_tables_are_located_warnings() {
    let text = "[book]\ntitle = \"T\"\nmultilingual = false\n\n[rust]\nedition = \"2021\"\n\n[output.html]\nsite-url = \"/x/\"\n\n[output.html.code.hidelines]\npython = \"~\"\n\n[output.html.playground]\neditable = true\n\n[output.epub]\ncover-image = \"c.png\"\nembed-fonts = true\n\n[output.pdf]\nlandscape = true\npage = \"a5\"\n\n[output.linkcheck]\n\n[preprocessor.links]\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\n\n[build]\ncreate-missing = false\n";
    let c = Config::parse(text, "book.toml").expect("only warnings");
    let got: Vec<String> = c.warnings.iter().map(|d| d.to_string()).collect();
    let want = [
            "book.toml:3:1: warning: `multilingual` in [book] is not a kr-publish setting (mdBook's); ignored",
            "book.toml:32:1: warning: `create-missing` in [build] is not a kr-publish setting (mdBook's; kr-publish never creates chapters: a missing chapter file is an error); ignored",
            "book.toml:8:9: warning: [output.html] is for mdBook's HTML renderer: kr-publish reads only `code.hidelines`, `smart-punctuation`, `definition-lists`, `admonitions`, `mathjax-support`, `no-section-label`, `site-url` there and ignores `playground`",
            "book.toml:18:1: warning: `cover-image` in [output.epub] is not a kr-publish setting (mdbook-epub's; kr-publish's cover is `[publish] cover`); ignored",
            "book.toml:22:1: warning: `landscape` in [output.pdf] is not a kr-publish setting (mdbook-pdf's?); ignored",
            "book.toml:25:9: warning: [output.linkcheck] is for another renderer (mdbook-linkcheck?); kr-publish ignores it",
            "book.toml:5:2: warning: [rust] matters to `mdbook test`, which kr-publish does not run; ignored",
        ];
    for w in want {
        assert!(got.iter().any(|g| g == w), "missing {w}\nin {got:#?}");
    }
    assert_eq!(got.len(), want.len(), "{got:#?}");
    assert_eq!(c.hidelines.get("python").map(String::as_str), Some("~"));
    let pres: Vec<(&str, &str, (u32, u32))> = c
        .preprocessors
        .iter()
        .map(|p| (p.name.as_str(), p.command.as_str(), (p.at.1, p.at.2)))
        .collect();
    assert_eq!(
        pres,
        [
            ("admonish", "mdbook-admonish", (28, 15)),
            ("links", "mdbook-links", (27, 15))
        ]
    );
    // Kept keys are still read, and foreign ones are not passed to the backends.
    let pdf = c.output.get("pdf").and_then(|v| v.as_table()).expect("pdf");
    assert_eq!(pdf.keys().collect::<Vec<_>>(), vec!["page"]);
}

#[test]
fn own_keys_stay_strict() {
    let e = Config::parse(
        "[book]\n[output.pdf]\nlandscape = 1\npage = 3\n",
        "book.toml",
    )
    .expect_err("bad type");
    assert_eq!(
            e.to_string(),
            "book.toml:4:8: error: bad book.toml: [output.pdf] `page`: invalid type: integer `3`, expected a string"
        );
    let e =
        Config::parse("[book]\n[output.pdf.fonts]\nmono = true\n", "book.toml").expect_err("bad");
    assert_eq!(e.line_col(), Some((2, 13)), "{e}");
    let e = Config::parse(
        "[book]\n[output.html.code.hidelines]\npython = 1\n",
        "book.toml",
    )
    .expect_err("bad hidelines");
    assert!(e.message.contains("[output.html] `code`"), "{e}");
    let e = Config::parse(
        "[book]\n[preprocessor.x]\noptional = \"yes\"\n",
        "book.toml",
    )
    .expect_err("bad optional");
    assert_eq!(e.line_col(), Some((3, 12)), "{e}");
    let e = Config::parse("[book]\n[output]\nepub = 3\n", "book.toml").expect_err("not a table");
    assert_eq!(e.line_col().map(|p| p.0), Some(3), "{e}");
    let e = Config::parse("[publish]\nbase-name = \"x\"\n", "book.toml").expect_err("no [book]");
    assert_eq!(
        e.to_string(),
        "book.toml:1:1: error: bad book.toml: missing field `book`"
    );
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn environment_overrides_as_mdbook() {
    let c = Config::parse("[book]\n[output.gemini]\nbase_url = \"x\"\n", "book.toml").expect("ok");
    assert_eq!(
            c.warnings[0].to_string(),
            "book.toml:3:1: warning: `base_url` in [output.gemini] is not a kr-publish setting (did you mean `base-url`?); ignored"
        );
    let text = "[book]\ntitle = \"T\"\n";
    let c = Config::parse_with_env(
        text,
        "book.toml",
        &env(&[
            ("MDBOOK_BOOK__TITLE", "From env"),
            ("MDBOOK_book__authors", "[\"A\", \"B\"]"),
            ("MDBOOK_BUILD__STRICT", "true"),
            ("MDBOOK_OUTPUT__PDF__PAGE", "a5"),
            (
                "MDBOOK_OUTPUT__HTML__CODE__HIDELINES",
                "{\"python\": \"~\"}",
            ),
            ("MDBOOK_PUBLISH__BASE_NAME", "b"),
            ("MDBOOK_VERSION", "0.4.40"),
        ]),
    )
    .expect("valid");
    assert_eq!(c.book.title.as_deref(), Some("From env"));
    assert_eq!(c.book.authors, vec!["A", "B"]);
    assert!(c.build.strict);
    assert_eq!(c.publish.base_name.as_deref(), Some("b"));
    assert_eq!(c.hidelines.get("python").map(String::as_str), Some("~"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let page = c.output.get("pdf").and_then(|p| p.get("page"));
    assert_eq!(page.and_then(|p| p.as_str()), Some("a5"));
    // The whole table at once, as mdBook's docs show.
    let c = Config::parse_with_env(
        text,
        "book.toml",
        &env(&[("MDBOOK_BOOK", "{\"title\": \"Whole\"}")]),
    )
    .expect("valid");
    assert_eq!(c.book.title.as_deref(), Some("Whole"));
    // Errors and warnings name the variable.
    let e = Config::parse_with_env(text, "book.toml", &env(&[("MDBOOK_BOOK__TITLE", "3")]))
        .expect_err("a number is no title");
    assert_eq!(
            e.to_string(),
            "MDBOOK_BOOK__TITLE: error: bad book.toml: [book] `title`: invalid type: integer `3`, expected a string (from this environment variable)"
        );
    let c = Config::parse_with_env(
        text,
        "book.toml",
        &env(&[("MDBOOK_OUTPUT__EPUB__COVER_IMAGE", "c.png")]),
    )
    .expect("a warning");
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        c.warnings[0].file(),
        Some("MDBOOK_OUTPUT__EPUB__COVER_IMAGE")
    );
}

#[test]
fn rejects_unknown_publish_key_and_bad_date() {
    let e = Config::parse("[book]\n[publish]\nsubtitel = \"x\"\n", "book.toml")
        .expect_err("unknown key");
    assert_eq!(e.line_col().map(|p| p.0), Some(3));
    let e = Config::parse("[book]\n[publish]\ndate = \"27/09/2023\"\n", "book.toml")
        .expect_err("bad date");
    assert_eq!(e.line_col().map(|p| p.0), Some(3));
}

#[test]
fn pdf_standard_is_checked_at_its_key() {
    let c = Config::parse("[book]\n[output.pdf]\nstandard = \"a-3b\"\n", "book.toml")
        .expect("a known standard");
    let standard = c.output.get("pdf").and_then(|p| p.get("standard"));
    assert_eq!(standard.and_then(|s| s.as_str()), Some("a-3b"));
    let e = Config::parse("[book]\n[output.pdf]\nstandard = \"ua-2\"\n", "book.toml")
        .expect_err("unknown standard");
    assert_eq!(e.line_col(), Some((3, 12)), "{e}");
    assert!(e.to_string().contains("unknown PDF standard `ua-2`"), "{e}");
}
