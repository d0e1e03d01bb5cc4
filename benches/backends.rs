//! Each backend's render of the Kernel Recipes book from its parsed tree, alone: EPUB, PDF
//! (and, inside it, layout and PDF writing), the Gemini capsule, plain text and JSON. The cover
//! JPEG is made once beforehand and shared, as a build shares it; its own cost is the last
//! line. Run with `cargo bench --bench backends`.

mod common;

use std::time::Duration;

use common::{best_of, budget, load, report, root};
use kr_publish::backend::{Format, RenderContext, RenderOptions};
use kr_publish::testing::CoverJpeg;
use kr_publish::timings::{Phase, Timings};

fn main() {
    let dir = root().join("book");
    let loaded = load(&dir);
    let options = RenderOptions {
        source_date_epoch: Some(1_695_800_000),
        ..RenderOptions::default()
    };
    let cover = CoverJpeg::default();
    let render = |format: Format, cover: &CoverJpeg| {
        let timings = Timings::default();
        let cx = RenderContext {
            config: &loaded.config,
            resources: &loaded.resources,
            cover_jpeg: cover,
            timings: &timings,
            book_dir: &dir,
            options: &options,
        };
        let bytes = match format.backend().render(&loaded.book, &cx) {
            Ok(r) => size(&r.output),
            Err(e) => panic!("{}: {e:?}", format.name()),
        };
        (bytes, timings.phases())
    };
    // The shared cover, rendered once.
    render(Format::Epub, &cover);
    for format in Format::ALL {
        let (time, (bytes, phases)) = best_of(budget(), || render(format, &cover));
        report(
            &format!("render {}, KR book ({} KB)", format.name(), bytes / 1000),
            time,
            None,
        );
        for Phase { name, time, .. } in phases {
            report(&format!("  {name}"), time, None);
        }
    }
    let (time, _) = best_of(budget().max(Duration::from_secs(1)), || {
        render(Format::Gemini, &CoverJpeg::default())
    });
    report("render gemini with a fresh cover JPEG", time, None);
}

/// The bytes an output holds (a tree's: all its files').
fn size(output: &kr_publish::backend::Output) -> usize {
    match output {
        kr_publish::backend::Output::File { bytes, .. } => bytes.len(),
        kr_publish::backend::Output::Tree { files, .. } => files.iter().map(|(_, b)| b.len()).sum(),
    }
}
