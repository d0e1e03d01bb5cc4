//! Hyphenation follows the language: the book's, and a chapter's own when its front matter
//! sets one. Checked on the PDF's text: every hyphen at a line end falls where that
//! language's patterns allow, and some fall where English ones would not.

mod common;

use std::path::Path;

use common::*;
use hyphenation::{Hyphenator, Language, Load, Standard};

const FRENCH: &[&str] = &[
    "ordinateur",
    "développement",
    "internationalisation",
    "particulièrement",
    "extraordinaire",
    "gouvernementales",
    "responsabilité",
    "communication",
    "probablement",
    "fonctionnalités",
    "configuration",
    "administrateurs",
    "recommandations",
];

const GERMAN: &[&str] = &[
    "Silbentrennung",
    "Betriebssystem",
    "Speicherverwaltung",
    "Entwicklungsumgebung",
    "Zusammenarbeit",
    "Geschwindigkeit",
    "Unterstützung",
    "Schnittstellen",
    "Sicherheitslücken",
    "Verantwortung",
    "Gerätetreiber",
    "Arbeitsspeicher",
    "Veröffentlichung",
];

/// A paragraph of `words`, each used many times in a different order.
fn paragraph(words: &[&str]) -> String {
    let mut out = Vec::new();
    for round in 0..12 {
        for i in 0..words.len() {
            out.push(words[(i * 7 + round * 3) % words.len()]);
        }
    }
    out.join(" ") + ".\n"
}

fn write_book(dir: &Path, hyphenate: Option<bool>) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("src");
    // The narrow e-reader page makes many line ends, so many hyphens.
    let mut toml =
        "[book]\ntitle = \"Langues\"\nlanguage = \"en\"\n\n[output.pdf]\npage = \"ereader\"\n"
            .to_string();
    if let Some(on) = hyphenate {
        toml.push_str(&format!("hyphenate = {on}\n"));
    }
    std::fs::write(dir.join("book.toml"), toml).expect("book.toml");
    std::fs::write(
        src.join("SUMMARY.md"),
        "# Summary\n\n- [Français](fr.md)\n- [Deutsch](de.md)\n- [tlhIngan](tlh.md)\n",
    )
    .expect("summary");
    let chapter = |lang: &str, title: &str, words: &[&str]| {
        format!(
            "+++\nlanguage = \"{lang}\"\n+++\n# {title}\n\n{}",
            paragraph(words)
        )
    };
    std::fs::write(src.join("fr.md"), chapter("fr", "Français", FRENCH)).expect("fr");
    std::fs::write(src.join("de.md"), chapter("de-DE", "Deutsch", GERMAN)).expect("de");
    std::fs::write(src.join("tlh.md"), chapter("tlh", "tlhIngan", &["Qapla"])).expect("tlh");
}

/// Builds the PDF; returns pdftotext's lines and the warnings.
fn build_pdf(name: &str, hyphenate: Option<bool>) -> Option<(Vec<String>, String)> {
    let dir = scratch(name);
    write_book(&dir.join("book"), hyphenate);
    let out = dir.join("out");
    let (_, stderr) = build_ok(&dir.join("book"), &out, "pdf", &[]);
    let present = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if tool_missing("pdftotext", present) {
        return None;
    }
    let pdf = out.join("langues.pdf");
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", path_str(&pdf), "-"])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    Some((text.lines().map(str::to_string).collect(), stderr))
}

/// Each hyphenated line end: the word it splits and the byte offset of the split.
fn hyphen_breaks(lines: &[String], words: &[&str]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for pair in lines.windows(2) {
        let Some(head) = pair[0].trim_end().strip_suffix('-') else {
            continue;
        };
        let head = head.rsplit(' ').next().unwrap_or_default();
        let tail = pair[1].split([' ', '.']).next().unwrap_or_default();
        let word = format!("{head}{tail}");
        if words.contains(&word.as_str()) {
            out.push((word, head.len()));
        }
    }
    out
}

fn allowed(dict: &Standard, word: &str, at: usize) -> bool {
    dict.hyphenate(&word.to_lowercase()).breaks.contains(&at)
}

#[test]
fn chapters_are_hyphenated_by_their_own_language() {
    let Some((lines, stderr)) = build_pdf("hyphenation-languages", None) else {
        return;
    };
    let english = Standard::from_embedded(Language::EnglishUS).expect("en-us");
    for (words, lang) in [(FRENCH, Language::French), (GERMAN, Language::German1996)] {
        let dict = Standard::from_embedded(lang).expect("patterns");
        let breaks = hyphen_breaks(&lines, words);
        assert!(breaks.len() >= 3, "{lang:?}: too few hyphens: {breaks:?}");
        for (word, at) in &breaks {
            assert!(allowed(&dict, word, *at), "{lang:?}: {word} broken at {at}");
        }
        assert!(
            breaks.iter().any(|(w, at)| !allowed(&english, w, *at)),
            "{lang:?}: every hyphen is also an English one; the language made no difference: {breaks:?}"
        );
    }
    // A language without patterns is set without hyphens, with a warning at its chapter.
    assert!(
        stderr.contains("tlh.md") && stderr.contains("no hyphenation patterns for language `tlh`"),
        "{stderr}"
    );
}

#[test]
fn hyphenation_can_be_switched_off() {
    let Some((lines, stderr)) = build_pdf("hyphenation-off", Some(false)) else {
        return;
    };
    let all: Vec<&str> = FRENCH.iter().chain(GERMAN).copied().collect();
    assert_eq!(hyphen_breaks(&lines, &all), Vec::new());
    assert!(!stderr.contains("no hyphenation patterns"), "{stderr}");
}

#[test]
fn a_chapter_in_another_language_says_so_in_the_epub() {
    let dir = scratch("hyphenation-epub");
    write_book(&dir.join("book"), None);
    let out = dir.join("out");
    build_ok(&dir.join("book"), &out, "epub", &[]);
    let epub = out.join("langues.epub");
    check_valid(&epub);
    let file = std::fs::File::open(&epub).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut langs = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut text = String::new();
        if entry.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut entry, &mut text).expect("utf-8");
            if text.contains("role=\"doc-chapter\"") {
                langs.push(
                    ["lang=\"fr\"", "lang=\"de-DE\"", "lang=\"tlh\""]
                        .into_iter()
                        .filter(|l| {
                            text.contains(&format!(
                                "doc-chapter\" aria-labelledby=\"chapter-title\" {l}"
                            ))
                        })
                        .collect::<Vec<_>>(),
                );
            }
        }
    }
    assert_eq!(
        langs,
        vec![
            vec!["lang=\"fr\""],
            vec!["lang=\"de-DE\""],
            vec!["lang=\"tlh\""]
        ]
    );
}
