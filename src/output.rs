//! Writes outputs so that a build killed at any moment leaves every earlier output whole.
//!
//! A file is written under a temporary name next to its destination, synced, then renamed into
//! place. A tree (the Gemini capsule) is written under a temporary name too, its files a few at
//! a time and not synced (see `tree`: a killed build loses nothing it wrote; only a power cut
//! could), then swapped with the previous tree in one step (`renameat2(RENAME_EXCHANGE)` on
//! Linux) and the previous tree, now under the temporary name, is deleted. Where the swap is not
//! available it falls back to two renames, which leave a short window without the tree.
//!
//! Temporary names are `.NAME.kr-tmp-PID-N` and `.NAME.kr-old-PID-N`: unique per process and per
//! output, so builds running at the same time into one directory never share one. What an
//! interrupted build left behind is removed by the next build ([`remove_leftovers`]), but only
//! when the process that made it is gone.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::Output;

mod tree;
use tree::{remove_tree, stage_tree};

/// An output that could not be written, with the path that failed.
#[derive(Debug)]
pub(crate) struct WriteError {
    /// What was being done: "write", "create directory".
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} `{}`: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn cannot(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let path = path.to_path_buf();
    move |source| WriteError {
        action,
        path,
        source,
    }
}

/// Checks, before anything is rendered, that outputs can go to `out_dir`: it must not be (or
/// lie under) something that is not a directory, nor lie inside the book's source folder
/// `src_dir`.
pub(crate) fn check_out_dir(out_dir: &Path, src_dir: &Path) -> Result<(), OutDirError> {
    let out = || out_dir.to_path_buf();
    for dir in out_dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => break,
            Ok(_) if dir == out_dir => return Err(OutDirError::IsAFile(out())),
            Ok(_) => {
                return Err(OutDirError::UnderAFile {
                    out: out(),
                    file: dir.to_path_buf(),
                })
            }
            Err(_) => continue,
        }
    }
    if let (Some(resolved), Ok(src)) = (resolve(out_dir), fs::canonicalize(src_dir)) {
        if resolved.starts_with(&src) {
            return Err(OutDirError::InsideSources {
                out: out(),
                src: src_dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Why outputs cannot go to the directory `--out` names.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutDirError {
    /// It is a file.
    #[error("output directory `{}` is a file, not a directory", .0.display())]
    IsAFile(PathBuf),
    /// One of its parents is a file.
    #[error("cannot create output directory `{}`: `{}` is not a directory", .out.display(), .file.display())]
    UnderAFile {
        /// The output directory.
        out: PathBuf,
        /// The file in its way.
        file: PathBuf,
    },
    /// Writing there would add files to the book's own sources.
    #[error("output directory `{}` is inside the book's source folder `{}`", .out.display(), .src.display())]
    InsideSources {
        /// The output directory.
        out: PathBuf,
        /// The source folder.
        src: PathBuf,
    },
}

/// `path` made absolute the way the system will resolve it once created: its longest existing
/// ancestor canonicalized (symbolic links followed), the rest appended with `.` and `..` applied.
fn resolve(path: &Path) -> Option<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let (mut base, rest) = abs
        .ancestors()
        .find_map(|a| Some((fs::canonicalize(a).ok()?, abs.strip_prefix(a).ok()?)))?;
    for c in rest.components() {
        match c {
            Component::Normal(n) => base.push(n),
            Component::ParentDir => {
                base.pop();
            }
            _ => {}
        }
    }
    Some(base)
}

/// Writes `output` under `out_dir`; returns the final path and the number of bytes written.
#[cfg(test)]
fn write(out_dir: &Path, output: &Output) -> Result<(PathBuf, u64), WriteError> {
    stage(out_dir, output)?.commit()
}

/// An output written in full under a temporary name in its folder, waiting to be put in place
/// by [`Staged::commit`]. Dropped before that, it is removed: a build writes each output as
/// soon as it is rendered, and puts them in place only once every format has succeeded.
#[must_use]
pub(crate) struct Staged {
    /// The temporary file or tree; `None` once put in place.
    tmp: Option<PathBuf>,
    dest: PathBuf,
    out_dir: PathBuf,
    /// The output's own name (`dest`'s last component).
    name: String,
    tree: bool,
    bytes: u64,
}

/// Writes `output` under a temporary name in `out_dir` (a file synced, a tree not: see
/// `tree`), for [`Staged::commit`] to put in place.
pub(crate) fn stage(out_dir: &Path, output: &Output) -> Result<Staged, WriteError> {
    fs::create_dir_all(out_dir).map_err(cannot("create directory", out_dir))?;
    let (name, dest) = match output {
        Output::File { name, .. } => (name, out_dir.join(name)),
        Output::Tree { dir, .. } => (dir, out_dir.join(dir)),
    };
    check_name(name).map_err(cannot("write", &dest))?;
    let (tmp, bytes) = match output {
        Output::File { bytes, .. } => {
            let tmp = write_temp_file(out_dir, name, bytes).map_err(cannot("write", &dest))?;
            (tmp, bytes.len() as u64)
        }
        Output::Tree { files, .. } => stage_tree(out_dir, name, &dest, files)?,
    };
    Ok(Staged {
        tmp: Some(tmp),
        dest,
        out_dir: out_dir.to_path_buf(),
        name: name.clone(),
        tree: matches!(output, Output::Tree { .. }),
        bytes,
    })
}

impl Staged {
    /// Puts the output in place, replacing the previous one in one step; returns its path and
    /// the number of bytes written.
    pub(crate) fn commit(mut self) -> Result<(PathBuf, u64), WriteError> {
        let Some(tmp) = self.tmp.take() else {
            return Ok((self.dest.clone(), self.bytes));
        };
        let placed = match self.tree {
            true => replace_tree(&tmp, &self.dest, &self.out_dir, &self.name),
            false => fs::rename(&tmp, &self.dest),
        };
        if placed.is_err() {
            let _ = remove_tree(&tmp);
        }
        sync_dir(&self.out_dir);
        match placed {
            Ok(()) => Ok((self.dest.clone(), self.bytes)),
            Err(e) => Err(cannot("write", &self.dest)(e)),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = remove_tree(&tmp);
        }
    }
}

/// Writes `bytes` to a new temporary file for the output `name` in `out_dir`, synced.
fn write_temp_file(out_dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let (tmp, mut f) = create_unique(out_dir, name, Kind::Tmp, |p| {
        fs::OpenOptions::new().write(true).create_new(true).open(p)
    })?;
    let result = f.write_all(bytes).and_then(|()| f.sync_all());
    drop(f);
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Makes a directory's entries (a rename into it) durable. Best effort: not every system can
/// open a directory for syncing.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Puts the finished tree `tmp` at `dest`, replacing any previous tree in one step where the
/// system allows it.
fn replace_tree(tmp: &Path, dest: &Path, out_dir: &Path, name: &str) -> io::Result<()> {
    // A few rounds, in case another build creates or replaces `dest` between our steps.
    for _ in 0..8 {
        match exchange(tmp, dest) {
            Ok(()) => {
                // `tmp` now holds the previous tree; if we are killed before it is gone, the
                // next build removes it.
                let _ = remove_tree(tmp);
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // No previous tree. A rename does not replace a non-empty tree another build
                // put there meanwhile: it fails, and the next round swaps.
                match fs::rename(tmp, dest) {
                    Ok(()) => return Ok(()),
                    Err(_) if fs::symlink_metadata(dest).is_ok() && tmp.exists() => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(e) if exchange_unsupported(&e) => return two_renames(tmp, dest, out_dir, name),
            Err(e) => return Err(e),
        }
    }
    two_renames(tmp, dest, out_dir, name)
}

/// The fallback: move the previous tree aside, move the new one in, delete the previous one.
/// A kill between the two renames leaves no tree at `dest`, only `.NAME.kr-old-PID-N`, which the
/// next build puts back ([`remove_leftovers`]).
fn two_renames(tmp: &Path, dest: &Path, out_dir: &Path, name: &str) -> io::Result<()> {
    if fs::symlink_metadata(dest).is_err() {
        return fs::rename(tmp, dest);
    }
    let (old, ()) = create_unique(out_dir, name, Kind::Old, |p| {
        match fs::symlink_metadata(p) {
            Ok(_) => Err(io::ErrorKind::AlreadyExists.into()),
            Err(_) => Ok(()),
        }
    })?;
    fs::rename(dest, &old)?;
    if let Err(e) = fs::rename(tmp, dest) {
        let _ = fs::rename(&old, dest);
        return Err(e);
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// Swaps two paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The kernel or the filesystem cannot swap.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Which kind of temporary entry a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An output being written (or, after a swap, the previous tree being deleted).
    Tmp,
    /// A previous tree moved aside by the fallback.
    Old,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Tmp => "kr-tmp",
            Kind::Old => "kr-old",
        }
    }
}

/// Numbers this process's temporary names, so that no two outputs share one.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Makes `out_dir/.NAME.kr-KIND-PID-N` with `make`, trying the next N while the name is taken
/// (by a dead build whose PID we now have).
fn create_unique<T>(
    out_dir: &Path,
    name: &str,
    kind: Kind,
    mut make: impl FnMut(&Path) -> io::Result<T>,
) -> io::Result<(PathBuf, T)> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = out_dir.join(format!(".{name}.{}-{}-{n}", kind.tag(), std::process::id()));
        match make(&path) {
            Ok(v) => return Ok((path, v)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// A temporary entry's name taken apart.
#[derive(Debug, PartialEq, Eq)]
struct TempName<'a> {
    /// The output it belongs to.
    output: &'a str,
    kind: Kind,
    pid: u64,
}

/// Recognises kr-publish's temporary names: `.NAME.kr-tmp-PID-N`, `.NAME.kr-old-PID-N`, and
/// those of earlier versions, `.NAME.tmp-PID` and `.NAME.old-PID`. Nothing else.
fn parse_temp_name(file: &str) -> Option<TempName<'_>> {
    let rest = file.strip_prefix('.')?;
    let split = |tag: &str| {
        let i = rest.rfind(tag)?;
        let output = &rest[..i];
        (!output.is_empty()).then_some((output, &rest[i + tag.len()..]))
    };
    for kind in [Kind::Tmp, Kind::Old] {
        if let Some((output, tail)) = split(&format!(".{}-", kind.tag())) {
            let (pid, n) = tail.split_once('-')?;
            number(n)?;
            let pid = number(pid)?;
            return Some(TempName { output, kind, pid });
        }
    }
    for (kind, tag) in [(Kind::Tmp, ".tmp-"), (Kind::Old, ".old-")] {
        if let Some((output, pid)) = split(tag) {
            let pid = number(pid)?;
            return Some(TempName { output, kind, pid });
        }
    }
    None
}

/// Plain ASCII digits only (no sign, no spaces).
fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// True unless the process `pid` certainly does not exist. Where that cannot be told, every
/// process counts as alive, so nothing is ever deleted.
pub(crate) fn pid_alive(pid: u64) -> bool {
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false; // beyond any PID the system can hand out
        };
        if p <= 0 {
            return true; // never a build's PID; `kill` would mean a process group
        }
        // SAFETY: signal 0 sends nothing; `kill` only checks that the process exists.
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes from `out_dir` what interrupted builds left behind: entries named like our temporary
/// names whose process is gone. A previous tree moved aside by the fallback is put back when its
/// output is missing. Anything else, and anything of a running build, is left alone. Returns the
/// entries removed or put back.
pub(crate) fn remove_leftovers(out_dir: &Path) -> Vec<PathBuf> {
    let mut done = Vec::new();
    let Ok(entries) = fs::read_dir(out_dir) else {
        return done;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(temp) = file.to_str().and_then(parse_temp_name) else {
            continue;
        };
        if pid_alive(temp.pid) {
            continue;
        }
        let path = entry.path();
        if temp.kind == Kind::Old {
            let dest = out_dir.join(temp.output);
            if fs::symlink_metadata(&dest).is_err() && fs::rename(&path, &dest).is_ok() {
                done.push(path);
                continue;
            }
        }
        if remove_tree(&path).is_ok() {
            done.push(path);
        }
    }
    if !done.is_empty() {
        sync_dir(out_dir);
    }
    done
}

/// An output's own name: one plain path component.
fn check_name(p: &str) -> io::Result<()> {
    let mut c = Path::new(p).components();
    match (c.next(), c.next()) {
        (Some(Component::Normal(_)), None) => Ok(()),
        _ => Err(refused(p)),
    }
}

/// Backends name files relative to the output directory; refuse anything that would escape it.
fn check_relative(p: &str) -> io::Result<()> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(refused(p))
    }
}

fn refused(p: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing output path `{p}`"),
    )
}

#[cfg(test)]
mod tests;
