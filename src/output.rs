//! Writes outputs atomically: into a temporary path first, then renamed into place, so a failed
//! or interrupted build never leaves a truncated file and never destroys the previous output.
//! Errors name the path that could not be written.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::backend::Output;

/// An output that could not be written, with the path that failed.
#[derive(Debug)]
pub struct WriteError {
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
/// `src_dir`. Returns the message to show.
pub fn check_out_dir(out_dir: &Path, src_dir: &Path) -> Result<(), String> {
    for dir in out_dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => break,
            Ok(_) if dir == out_dir => {
                return Err(format!(
                    "output directory `{}` is a file, not a directory",
                    out_dir.display()
                ))
            }
            Ok(_) => {
                return Err(format!(
                    "cannot create output directory `{}`: `{}` is not a directory",
                    out_dir.display(),
                    dir.display()
                ))
            }
            Err(_) => continue,
        }
    }
    if let (Some(out), Ok(src)) = (resolve(out_dir), fs::canonicalize(src_dir)) {
        if out.starts_with(&src) {
            return Err(format!(
                "output directory `{}` is inside the book's source folder `{}`",
                out_dir.display(),
                src_dir.display()
            ));
        }
    }
    Ok(())
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
pub fn write(out_dir: &Path, output: &Output) -> Result<(PathBuf, u64), WriteError> {
    fs::create_dir_all(out_dir).map_err(cannot("create directory", out_dir))?;
    match output {
        Output::File { name, bytes } => {
            let dest = out_dir.join(name);
            check_relative(name).map_err(cannot("write", &dest))?;
            let tmp = out_dir.join(format!(".{name}.tmp-{}", std::process::id()));
            let result = write_file(&tmp, bytes).and_then(|()| fs::rename(&tmp, &dest));
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            result.map_err(cannot("write", &dest))?;
            Ok((dest, bytes.len() as u64))
        }
        Output::Tree { dir, files } => {
            let dest = out_dir.join(dir);
            check_relative(dir).map_err(cannot("write", &dest))?;
            let tmp = out_dir.join(format!(".{dir}.tmp-{}", std::process::id()));
            let old = out_dir.join(format!(".{dir}.old-{}", std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            let mut total = 0u64;
            let result = (|| {
                for (path, bytes) in files {
                    let shown = dest.join(path);
                    check_relative(path).map_err(cannot("write", &shown))?;
                    let p = tmp.join(path);
                    if let Some(parent) = p.parent() {
                        fs::create_dir_all(parent).map_err(cannot("write", &shown))?;
                    }
                    write_file(&p, bytes).map_err(cannot("write", &shown))?;
                    total += bytes.len() as u64;
                }
                (|| {
                    fs::create_dir_all(&tmp)?;
                    if dest.exists() {
                        fs::rename(&dest, &old)?;
                    }
                    fs::rename(&tmp, &dest)?;
                    let _ = fs::remove_dir_all(&old);
                    Ok(())
                })()
                .map_err(cannot("write", &dest))
            })();
            if result.is_err() {
                let _ = fs::remove_dir_all(&tmp);
                if !dest.exists() && old.exists() {
                    let _ = fs::rename(&old, &dest);
                }
            }
            result.map(|()| (dest, total))
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Backends name files relative to the output directory; refuse anything that would escape it.
fn check_relative(p: &str) -> io::Result<()> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing output path `{p}`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("kr-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    fn dotfiles(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_files_and_trees() {
        let d = tmpdir("replace");
        write(
            &d,
            &Output::File {
                name: "a.txt".into(),
                bytes: b"one".to_vec(),
            },
        )
        .expect("write");
        write(
            &d,
            &Output::File {
                name: "a.txt".into(),
                bytes: b"two".to_vec(),
            },
        )
        .expect("write");
        assert_eq!(fs::read(d.join("a.txt")).expect("read"), b"two");
        let tree = |s: &str| Output::Tree {
            dir: "cap".into(),
            files: vec![("x/index.gmi".into(), s.as_bytes().to_vec())],
        };
        write(&d, &tree("1")).expect("tree");
        write(&d, &tree("2")).expect("tree");
        assert_eq!(fs::read(d.join("cap/x/index.gmi")).expect("read"), b"2");
        let leftovers: Vec<_> = fs::read_dir(&d)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn refuses_escaping_paths_and_keeps_previous_tree() {
        let d = tmpdir("escape");
        let good = Output::Tree {
            dir: "cap".into(),
            files: vec![("index.gmi".into(), b"old".to_vec())],
        };
        write(&d, &good).expect("tree");
        let bad = Output::Tree {
            dir: "cap".into(),
            files: vec![("../evil".into(), b"x".to_vec())],
        };
        assert!(write(&d, &bad).is_err());
        assert_eq!(fs::read(d.join("cap/index.gmi")).expect("read"), b"old");
        assert!(write(
            &d,
            &Output::File {
                name: "/etc/x".into(),
                bytes: vec![]
            }
        )
        .is_err());
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn errors_name_the_path() {
        let d = tmpdir("errors");
        fs::create_dir_all(&d).expect("mkdir");
        fs::write(d.join("file"), "x").expect("write");
        let file = Output::File {
            name: "a.txt".into(),
            bytes: vec![],
        };
        let e = write(&d.join("file/sub"), &file).expect_err("not a directory");
        assert_eq!(e.path, d.join("file/sub"));
        assert!(
            e.to_string().starts_with("cannot create directory `"),
            "{e}"
        );
        fs::create_dir_all(d.join("a.txt/inner")).expect("mkdir");
        let e = write(&d, &file).expect_err("a directory is in the way");
        assert_eq!(e.path, d.join("a.txt"));
        assert!(dotfiles(&d).is_empty(), "{:?}", dotfiles(&d));

        let src = d.join("book/src");
        fs::create_dir_all(&src).expect("mkdir");
        check_out_dir(&d.join("out"), &src).expect("fine");
        check_out_dir(&d.join("book"), &src).expect("beside the sources is fine");
        for bad in [
            "book/src",
            "book/src/out",
            "book/src/x/../out",
            "book/./src/a/b",
        ] {
            let e = check_out_dir(&d.join(bad), &src).expect_err(bad);
            assert!(e.contains("inside the book's source folder"), "{e}");
        }
        let e = check_out_dir(&d.join("file"), &src).expect_err("file");
        assert!(e.contains("is a file"), "{e}");
        let e = check_out_dir(&d.join("file/sub/deeper"), &src).expect_err("under a file");
        assert!(
            e.ends_with(&format!(
                "`{}` is not a directory",
                d.join("file").display()
            )),
            "{e}"
        );
        let _ = fs::remove_dir_all(&d);
    }
}
