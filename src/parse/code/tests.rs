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
