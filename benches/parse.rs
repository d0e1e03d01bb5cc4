//! The parser: `parse::load` (book.toml, SUMMARY.md, every chapter's Markdown to the IR, images
//! and resources) of the Kernel Recipes book and of the feature fixture book, in MB of Markdown
//! per second. Run with `cargo bench --bench parse`.

mod common;

use common::{best_of, budget, load, markdown_bytes, report, root};

fn main() {
    for (what, dir) in [
        ("parse::load, KR book", root().join("book")),
        (
            "parse::load, features fixture",
            root().join("tests/fixtures/features"),
        ),
    ] {
        let mb = markdown_bytes(&dir.join("src")) as f64 / 1e6;
        let (time, chapters) = best_of(budget(), || load(&dir).book.chapters().count());
        report(
            &format!("{what} ({chapters} chapters)"),
            time,
            Some((mb, "MB")),
        );
    }
}
