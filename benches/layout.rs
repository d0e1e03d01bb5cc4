//! Layout speed in pages per second: the Kernel Recipes book, and a book made of it repeated
//! 20 times (to see that cost grows linearly with length). Also the whole PDF backend (layout
//! plus krilla's serialisation and font subsetting). Run with `cargo bench --bench layout`.

use std::path::Path;
use std::time::{Duration, Instant};

use kr_publish::backend::{Backend, RenderContext, RenderOptions};
use kr_publish::ir::Book;
use kr_publish::testing::PdfBackend;
use kr_publish::testing::{layout, Fonts, Geometry, Matter};

/// Runs `f` until at least `budget` has passed (and at least twice); returns the fastest run.
fn best_of(budget: Duration, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut pages = 0;
    let mut runs = 0;
    while runs < 2 || start.elapsed() < budget {
        let t = Instant::now();
        pages = f();
        best = best.min(t.elapsed());
        runs += 1;
    }
    (best, pages)
}

fn repeated(book: &Book, times: usize) -> Book {
    let mut big = book.clone();
    big.parts = (0..times)
        .flat_map(|i| {
            book.parts.iter().cloned().map(move |mut p| {
                p.id = format!("{}-{i}", p.id);
                p
            })
        })
        .collect();
    big
}

fn report(what: &str, (time, pages): (Duration, usize)) {
    let secs = time.as_secs_f64();
    println!(
        "{what:<40} {pages:>5} pages  {:>9.1} ms  {:>8.1} pages/s",
        secs * 1000.0,
        pages as f64 / secs
    );
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let loaded = match kr_publish::parse::load(&dir) {
        Ok(l) => l,
        Err(e) => panic!("the KR book does not parse: {e:?}"),
    };
    let fonts = match Fonts::bundled() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let budget = Duration::from_secs(3);
    let layout = |book: &Book| {
        layout(book, &fonts, Geometry::default(), &Matter::default())
            .pages
            .len()
    };
    report("layout, KR book", best_of(budget, || layout(&loaded.book)));
    let big = repeated(&loaded.book, 20);
    report("layout, KR book x20", best_of(budget, || layout(&big)));

    let options = RenderOptions {
        source_date_epoch: Some(1_695_800_000),
        pdf_page: None,
        ..RenderOptions::default()
    };
    let cx = RenderContext {
        config: &loaded.config,
        resources: &loaded.resources,
        cover_jpeg: &Default::default(),
        timings: &Default::default(),
        book_dir: &dir,
        options: &options,
    };
    let pages = layout(&loaded.book);
    report(
        "layout + PDF (krilla), KR book",
        best_of(budget, || match PdfBackend.render(&loaded.book, &cx) {
            Ok(_) => pages,
            Err(e) => panic!("{e:?}"),
        }),
    );
}
