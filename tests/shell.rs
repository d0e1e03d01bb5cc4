//! What the command gives a shell: completions, a man page, a version that says what it writes.

mod common;

use common::*;

#[test]
fn completions_man_page_and_version() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, script, stderr) = run(&["completions", shell], &[]);
        assert_eq!(code, 0, "{stderr}");
        for word in ["init", "check", "pdf-page", "format"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let (code, man, _) = run(&["man"], &[]);
    assert_eq!(code, 0);
    assert!(
        man.contains(".TH kr-publish 1") && man.contains("init"),
        "{man}"
    );
    let (code, version, _) = run(&["--version"], &[]);
    assert_eq!(code, 0);
    for word in [
        "EPUB 3",
        "PDF",
        "gemtext",
        "Gentium Book Plus",
        "DejaVu Sans Mono",
    ] {
        assert!(version.contains(word), "--version lacks {word}: {version}");
    }
}
