//! A tree output (the Gemini capsule): written into a fresh temporary directory, a few files at
//! a time and without syncing (a file unchanged since the previous tree is hard-linked from it
//! instead), then swapped with the previous tree in one step (by `Staged::commit`); the
//! previous tree is then deleted, a few branches at a time.
//!
//! Why no sync: the promise is that a build *killed* at any moment leaves the previous tree
//! whole, and a killed process loses none of what it wrote (the kernel holds the pages and
//! writes them back). Syncing thousands of small files only protects against a power cut or a
//! system crash, and costs seconds on a busy disk: the capsule of a 10 MB book (3,600 files)
//! took 1.7–15 s to write with its files synced, 0.1 s without. The single-file outputs are
//! still synced before their rename (one sync each).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{cannot, check_relative, create_unique, remove_any, Kind, WriteError};

/// Writes the tree `files`, which is to become `dest` (`out_dir/dir`), into a fresh temporary
/// directory in `out_dir`; returns it and the number of bytes written. [`super::Staged`] swaps
/// it with the previous tree.
pub(super) fn stage_tree(
    out_dir: &Path,
    dir: &str,
    dest: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<(PathBuf, u64), WriteError> {
    let (tmp, ()) = create_unique(out_dir, dir, Kind::Tmp, |p| fs::create_dir(p))
        .map_err(cannot("write", dest))?;
    let result = (|| {
        for (path, _) in files {
            let shown = dest.join(path);
            check_relative(path).map_err(cannot("write", &shown))?;
            if let Some(parent) = tmp.join(path).parent() {
                if !parent.is_dir() {
                    fs::create_dir_all(parent).map_err(cannot("write", &shown))?;
                }
            }
        }
        write_files(&tmp, dest, files)
    })();
    if let Err(e) = result {
        let _ = remove_tree(&tmp);
        return Err(e);
    }
    let total = files.iter().map(|(_, b)| b.len() as u64).sum();
    Ok((tmp, total))
}

/// Threads writing or deleting a tree's files: creating and deleting many small files is bound
/// by the filesystem's latency more than by the processor, so a few run at once.
const WORKERS: usize = 4;

/// Writes every file of a tree under `tmp` (their directories exist), a few at a time; the
/// first failure in the files' order is reported, under its final path in `dest`.
fn write_files(tmp: &Path, dest: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    let chunk = files.len().div_ceil(WORKERS).max(1);
    let failures: Vec<Option<(usize, io::Error)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter().enumerate().find_map(|(i, (path, bytes))| {
                        let e = place(tmp, dest, path, bytes).err()?;
                        Some((c * chunk + i, e))
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Some((0, io::ErrorKind::Other.into())))
            })
            .collect()
    });
    match failures.into_iter().flatten().min_by_key(|(i, _)| *i) {
        Some((i, source)) => Err(WriteError {
            action: "write",
            path: dest.join(&files[i].0),
            source,
        }),
        None => Ok(()),
    }
}

/// Puts one file of the new tree at `tmp/path`: a hard link to the previous tree's file when
/// that holds the same bytes, else written. A link writes no data and makes deleting the
/// previous tree cheap (its files live on in the new one), so a rebuild that changes a few
/// chapters rewrites only those.
fn place(tmp: &Path, dest: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let target = tmp.join(path);
    let old = dest.join(path);
    let same_size =
        fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if same_size && fs::hard_link(&old, &target).is_ok() {
        // Compared through our own link, after linking: whatever replaced `dest` meanwhile,
        // this is the content the new tree holds.
        if fs::read(&target).is_ok_and(|b| b == bytes) {
            return Ok(());
        }
        fs::remove_file(&target)?;
    }
    fs::write(&target, bytes)
}

/// Deletes the tree (or file) at `path`: its top-level entries shared among a few threads, then
/// the emptied directory. The first error, if any, is returned once all are tried.
pub(super) fn remove_tree(path: &Path) -> io::Result<()> {
    if !fs::symlink_metadata(path)?.is_dir() {
        return fs::remove_file(path);
    }
    let entries: Vec<PathBuf> = fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    let chunk = entries.len().div_ceil(WORKERS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(|e| remove_any(e))))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(io::ErrorKind::Other.into()))
        })
    })?;
    fs::remove_dir(path)
}
