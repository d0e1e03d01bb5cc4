//! What the benchmarks share: a timing loop and a report line. Run a bench with
//! `cargo bench --bench NAME`; `KR_BENCH_SECS` sets each measurement's budget (default 3 s).

#![allow(dead_code)] // each bench uses its part

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `f` until at least `budget` has passed (and at least twice); returns the fastest run
/// and what that run returned.
pub(crate) fn best_of<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, T) {
    let start = Instant::now();
    let mut best: Option<(Duration, T)> = None;
    let mut runs = 0;
    while runs < 2 || start.elapsed() < budget {
        let t = Instant::now();
        let value = f();
        let took = t.elapsed();
        if best.as_ref().is_none_or(|(b, _)| took < *b) {
            best = Some((took, value));
        }
        runs += 1;
    }
    match best {
        Some(b) => b,
        None => unreachable!("at least two runs"),
    }
}

/// Each measurement's budget: `KR_BENCH_SECS` seconds, 3 by default.
pub(crate) fn budget() -> Duration {
    let secs = std::env::var("KR_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

/// Prints `what` took `time`, with a throughput of `amount` `unit` per second when given.
pub(crate) fn report(what: &str, time: Duration, amount: Option<(f64, &str)>) {
    let secs = time.as_secs_f64();
    match amount {
        Some((n, unit)) => println!(
            "{what:<44} {:>9.2} ms  {:>10.1} {unit}/s",
            secs * 1000.0,
            n / secs
        ),
        None => println!("{what:<44} {:>9.2} ms", secs * 1000.0),
    }
}

/// The repository's root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The book at `dir`, loaded; a bench of a book that does not load is a bug.
pub(crate) fn load(dir: &Path) -> kr_publish::parse::Loaded {
    match kr_publish::parse::load(dir) {
        Ok(l) => l,
        Err(e) => panic!("{} does not load: {e:?}", dir.display()),
    }
}

/// The Markdown bytes under `dir` (a book's source folder), for throughput.
pub(crate) fn markdown_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                markdown_bytes(&p)
            } else if p.extension().is_some_and(|x| x == "md") {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}
