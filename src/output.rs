//! Writes outputs atomically: into a temporary path first, then renamed into place, so a failed
//! or interrupted build never leaves a truncated file and never destroys the previous output.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::backend::Output;

/// Writes `output` under `out_dir`; returns the final path and the number of bytes written.
pub fn write(out_dir: &Path, output: &Output) -> std::io::Result<(PathBuf, u64)> {
    fs::create_dir_all(out_dir)?;
    match output {
        Output::File { name, bytes } => {
            check_relative(name)?;
            let dest = out_dir.join(name);
            let tmp = out_dir.join(format!(".{name}.tmp-{}", std::process::id()));
            let result = write_file(&tmp, bytes).and_then(|()| fs::rename(&tmp, &dest));
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            result.map(|()| (dest, bytes.len() as u64))
        }
        Output::Tree { dir, files } => {
            check_relative(dir)?;
            let dest = out_dir.join(dir);
            let tmp = out_dir.join(format!(".{dir}.tmp-{}", std::process::id()));
            let old = out_dir.join(format!(".{dir}.old-{}", std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            let mut total = 0u64;
            let result = (|| {
                for (path, bytes) in files {
                    check_relative(path)?;
                    let p = tmp.join(path);
                    if let Some(parent) = p.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    write_file(&p, bytes)?;
                    total += bytes.len() as u64;
                }
                fs::create_dir_all(&tmp)?;
                if dest.exists() {
                    fs::rename(&dest, &old)?;
                }
                fs::rename(&tmp, &dest)?;
                let _ = fs::remove_dir_all(&old);
                Ok(())
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

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Backends name files relative to the output directory; refuse anything that would escape it.
fn check_relative(p: &str) -> std::io::Result<()> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
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
}
