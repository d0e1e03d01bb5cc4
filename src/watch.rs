//! `kr-publish watch`: build, then build again whenever a file of the book changes. Changes
//! that come together (an editor's save, a `git checkout`) make one rebuild; what the build
//! itself writes is ignored; a book with errors is reported and watched on, its previous
//! outputs left whole (as every build does).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::backend::{Format, RenderOptions};
use crate::BuildReport;

/// How long the book must stay unchanged before a rebuild starts.
const QUIET: Duration = Duration::from_millis(150);

/// Why watching stopped.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The file system's change notifications are not available.
    #[error("cannot watch `{0}`: {1}")]
    Watcher(PathBuf, notify::Error),
}

/// One build: what it reported, how long it took, and the changed files that started it
/// (none for the first).
#[derive(Debug)]
pub struct Build {
    /// What the build wrote and said.
    pub report: BuildReport,
    /// How long it took.
    pub elapsed: Duration,
    /// The files whose change started it.
    pub changed: Vec<PathBuf>,
}

/// Builds `formats` of the book in `book_dir` into `out_dir`, then again after every change,
/// calling `on_build` after each build; returns when `on_build` says to stop (returns
/// `false`) or when change notifications end.
pub fn watch(
    book_dir: &Path,
    out_dir: &Path,
    formats: &[Format],
    options: &RenderOptions,
    mut on_build: impl FnMut(&Build) -> bool,
) -> Result<(), WatchError> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| WatchError::Watcher(book_dir.to_path_buf(), e))?;
    watcher
        .watch(book_dir, RecursiveMode::Recursive)
        .map_err(|e| WatchError::Watcher(book_dir.to_path_buf(), e))?;
    let out = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let mut changed = Vec::new();
    loop {
        let started = Instant::now();
        let report = crate::build(book_dir, out_dir, formats, options);
        let build = Build {
            report,
            elapsed: started.elapsed(),
            changed: std::mem::take(&mut changed),
        };
        if !on_build(&build) {
            return Ok(());
        }
        // Wait for a change to the book, then for the book to be quiet.
        loop {
            let Ok(event) = rx.recv() else {
                return Ok(());
            };
            changed.extend(relevant(event, &out));
            if !changed.is_empty() {
                break;
            }
        }
        while let Ok(event) = rx.recv_timeout(QUIET) {
            changed.extend(relevant(event, &out));
        }
        changed.sort();
        changed.dedup();
    }
}

/// The paths of `event` that are the book's: not reads, not what builds write (the output
/// folder when it lies in the book, the temporary files of atomic writes).
fn relevant(event: notify::Result<notify::Event>, out: &Path) -> Vec<PathBuf> {
    let Ok(event) = event else {
        return Vec::new();
    };
    if event.kind.is_access() {
        return Vec::new();
    }
    event
        .paths
        .into_iter()
        .filter(|p| !p.starts_with(out))
        .filter(|p| {
            !p.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|s| s.contains(".kr-tmp-"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, EventKind};

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn only_the_books_own_changes_count() {
        let out = Path::new("/b/output");
        let create = EventKind::Create(CreateKind::File);
        assert_eq!(
            relevant(event(create, "/b/src/a.md"), out),
            vec![PathBuf::from("/b/src/a.md")]
        );
        assert!(relevant(event(create, "/b/output/x.pdf"), out).is_empty());
        assert!(relevant(event(create, "/b/src/.x.kr-tmp-1-2"), out).is_empty());
        assert!(relevant(
            event(EventKind::Access(AccessKind::Any), "/b/src/a.md"),
            out
        )
        .is_empty());
    }
}
