//! Golden files: the fixture book through the text and JSON backends. `KR_BLESS=1 cargo test`
//! rewrites them; review every change with `git diff tests/golden`.

mod common;

use common::*;

fn check_golden(produced: &std::path::Path, golden: &str) {
    let got = std::fs::read_to_string(produced).expect("produced file");
    let path = root().join("tests/golden").join(golden);
    if std::env::var("KR_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        std::fs::write(&path, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with KR_BLESS=1",
            path.display()
        )
    });
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{golden} differs from the golden file at line {}:\n got: {:?}\nwant: {:?}\n(KR_BLESS=1 rewrites it)",
            first + 1,
            got.lines().nth(first),
            want.lines().nth(first)
        );
    }
}

#[test]
fn fixture_text_and_json_match_golden_files() {
    let out = scratch("golden-text-json");
    let book = root().join("tests/fixtures/features");
    build_ok(&book, &out, "text,json", &[]);
    check_golden(&out.join("features.txt"), "features.txt");
    check_golden(&out.join("features.json"), "features.json");
}

#[test]
fn text_width_option_rewraps() {
    let out = scratch("text-width");
    let book = root().join("tests/fixtures/features");
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
            "--text-width",
            "40",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(out.join("features.txt")).expect("text");
    let widest = text
        .lines()
        .filter(|l| l.trim().contains(' ') && !l.starts_with("    ") && !l.starts_with('#'))
        .map(kr_publish::testing::width)
        .max()
        .unwrap_or(0);
    assert!(
        widest <= 40 && widest > 30,
        "widest wrapped line is {widest} columns"
    );
}
