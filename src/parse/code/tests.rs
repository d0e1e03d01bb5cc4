use super::*;

fn block(info: &str, text: &str) -> (Option<String>, String) {
    let mut hidelines = BTreeMap::new();
    hidelines.insert("python".to_string(), "~".to_string());
    code_block(Some(info), text, &hidelines)
}

#[test]
fn rust_hides_hash_lines_and_unescapes_double_hashes() {
    let text = "# fn main() {\n#\nlet x = 1;\n    # hidden too\n##[derive(Debug)]\n  ## x\n#[test]\n#!x\n#\tx\n# }\n";
    let (lang, shown) = block("rust", text);
    assert_eq!(lang.as_deref(), Some("rust"));
    assert_eq!(
        shown,
        "let x = 1;\n#[derive(Debug)]\n  # x\n#[test]\n#!x\n#\tx"
    );
}

#[test]
fn attributes_do_not_change_the_language() {
    for info in [
        "rust,ignore",
        "rust ignore",
        "rust,should_panic",
        "rust,no_run,noplayground",
        "rust,compile_fail,edition2021",
        "rust\teditable",
    ] {
        let (lang, shown) = block(info, "# hidden\nshown\n");
        assert_eq!(
            (lang.as_deref(), shown.as_str()),
            (Some("rust"), "shown"),
            "{info}"
        );
    }
    // A bare attribute is no language, and mdBook hides nothing in it.
    let (lang, shown) = block("ignore", "# shown\n");
    assert_eq!((lang, shown.as_str()), (None, "# shown"));
}

#[test]
fn other_languages_hide_their_configured_prefix() {
    let (lang, shown) = block("python", "~hidden\n  ~ also\nprint(1)\n# comment\n");
    assert_eq!(lang.as_deref(), Some("python"));
    assert_eq!(shown, "print(1)\n# comment");
    let (_, shown) = block("sh,hidelines=!!", "!! set -e\necho hi\n");
    assert_eq!(shown, "echo hi");
    // The attribute wins over book.toml.
    let (_, shown) = block("python hidelines=%", "~kept\n%gone\n");
    assert_eq!(shown, "~kept");
    let (_, shown) = block("text", "# kept\n");
    assert_eq!(shown, "# kept");
    let (lang, shown) = code_block(None, "# kept\n", &BTreeMap::new());
    assert_eq!((lang, shown.as_str()), (None, "# kept"));
}

#[test]
fn line_numbers_as_pandoc_sphinx_and_hugo_ask_for_them() {
    for info in [
        "rust,numberLines",
        "rust numberLines",
        "{.rust .numberLines}",
        "{.rust .number-lines startFrom=\"3\"}",
        "rust,linenos",
        "rust {linenos=true}",
        "rust {linenos=table}",
        "python,line-numbers",
    ] {
        assert_eq!(line_numbers(info), Some(true), "{info}");
        let (lang, _) = block(info, "x\n");
        assert!(
            matches!(lang.as_deref(), Some("rust" | "python")),
            "{info}: {lang:?}"
        );
    }
    for info in ["rust {linenos=false}", "rust,numberLines,linenos=false"] {
        assert_eq!(line_numbers(info), Some(false), "{info}");
    }
    for info in ["rust", "rust,ignore", "", "linenumbering"] {
        assert_eq!(line_numbers(info), None, "{info}");
    }
    // Alone, the attribute is no language; `{.rust}` still hides Rust's hidden lines.
    assert_eq!(block("numberLines", "x\n").0, None);
    assert_eq!(block("{.rust}", "# hidden\nshown\n").1, "shown");
}
