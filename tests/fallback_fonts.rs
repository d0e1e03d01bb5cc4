//! `[output.pdf] fallback`: characters the bundled faces lack (Japanese, an emoji) are set in
//! the fonts a book names, by family among the installed fonts or by file, and print as
//! themselves; without a fallback they are reported at their file and line.

mod common;

use std::path::Path;

use common::*;

const VL_GOTHIC: &str = "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf";
const SYMBOLA: &str = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";
const TEXT: &str = "ようこそ, Kernel Recipes 🎉 — 日本語のテキスト.";

fn write_book(dir: &Path, fallback: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"Fallback\"\n\n[output.pdf]\n{fallback}\n"),
    )
    .expect("book.toml");
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [Welcome](welcome.md)\n",
    )
    .expect("summary");
    std::fs::write(dir.join("src/welcome.md"), format!("# Welcome\n\n{TEXT}\n")).expect("chapter");
}

fn tools_present() -> bool {
    let fonts = Path::new(VL_GOTHIC).exists() && Path::new(SYMBOLA).exists();
    let poppler = std::process::Command::new("pdffonts")
        .arg("-v")
        .output()
        .is_ok();
    !tool_missing(
        "fonts-vlgothic, fonts-symbola and poppler-utils",
        fonts && poppler,
    )
}

fn output(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .expect(cmd);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn fallback_fonts_print_every_glyph() {
    if !tools_present() {
        return;
    }
    let dir = scratch("fallback-fonts");
    let book = dir.join("book");
    // One by family (found among the installed fonts), one by file inside the book.
    write_book(&book, "fallback = [\"VL Gothic\", \"fonts/Symbola.ttf\"]");
    std::fs::create_dir_all(book.join("fonts")).expect("fonts dir");
    std::fs::copy(SYMBOLA, book.join("fonts/Symbola.ttf")).expect("copy Symbola");
    let out = dir.join("out");
    let (_, stderr) = build_ok(&book, &out, "pdf", &[]);
    assert!(!stderr.contains("missing-glyph"), "{stderr}");
    let pdf = out.join("fallback.pdf");
    let fonts = output("pdffonts", &[path_str(&pdf)]);
    assert!(
        fonts.contains("VL-Gothic") && fonts.contains("Symbola"),
        "{fonts}"
    );
    let text = output("pdftotext", &[path_str(&pdf), "-"]);
    for word in ["ようこそ", "🎉", "日本語のテキスト"] {
        assert!(
            text.contains(word),
            "`{word}` is not in the PDF's text:\n{text}"
        );
    }
    let check = output("qpdf", &["--check", path_str(&pdf)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
}

#[test]
fn without_a_fallback_missing_characters_are_located() {
    let dir = scratch("fallback-none");
    write_book(&dir.join("book"), "");
    let (_, stderr) = build_ok(&dir.join("book"), &dir.join("out"), "pdf", &[]);
    let line = stderr
        .lines()
        .find(|l| l.contains("U+3088"))
        .unwrap_or_else(|| panic!("no warning names よ:\n{stderr}"));
    assert!(line.contains("welcome.md:3:"), "{line}");
    assert!(
        line.contains("U+1F389") && line.contains("[output.pdf] fallback"),
        "{line}"
    );
}

#[test]
fn an_unknown_fallback_family_is_an_error_in_book_toml() {
    let dir = scratch("fallback-unknown");
    write_book(&dir.join("book"), "fallback = [\"No Such Family 42\"]");
    let (code, _, stderr) = build_into(&dir.join("book"), &dir.join("out"), "pdf", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("book.toml:5:") && stderr.contains("No Such Family 42"),
        "{stderr}"
    );
}
