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
    // bash accepts its script.
    let (_, script, _) = run(&["completions", "bash"], &[]);
    let file = scratch("completions").join("kr-publish.bash");
    std::fs::write(&file, script).expect("write script");
    let syntax = std::process::Command::new("bash")
        .args(["-n", path_str(&file)])
        .output()
        .expect("bash runs");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let (code, man, _) = run(&["man"], &[]);
    assert_eq!(code, 0);
    assert!(
        man.contains(".TH kr-publish 1") && man.contains("init"),
        "{man}"
    );
    // man renders it.
    let page = scratch("man-page").join("kr-publish.1");
    std::fs::write(&page, &man).expect("write man page");
    let present = std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok();
    if !tool_missing("man (man-db)", present) {
        let shown = std::process::Command::new("man")
            .args(["-l", path_str(&page)])
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .expect("man runs");
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(
            shown.status.success() && text.contains("kr-publish"),
            "{text}"
        );
    }
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
