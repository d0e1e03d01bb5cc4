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

/// A PID no process can have.
const DEAD: u64 = 1 << 40;

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
    assert!(dotfiles(&d).is_empty());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn staged_outputs_leave_the_previous_ones_until_committed_and_nothing_when_dropped() {
    let d = tmpdir("staged");
    let file = |s: &str| Output::File {
        name: "a.txt".into(),
        bytes: s.as_bytes().to_vec(),
    };
    let tree = |s: &str| Output::Tree {
        dir: "cap".into(),
        files: vec![("x/index.gmi".into(), s.as_bytes().to_vec())],
    };
    write(&d, &file("old")).expect("write");
    write(&d, &tree("old")).expect("tree");
    let (f, t) = (
        stage(&d, &file("new")).expect("stage"),
        stage(&d, &tree("new")).expect("stage"),
    );
    // Written in full, under temporary names: the previous outputs are untouched.
    assert_eq!(dotfiles(&d).len(), 2, "{:?}", dotfiles(&d));
    assert_eq!(fs::read(d.join("a.txt")).expect("read"), b"old");
    assert_eq!(fs::read(d.join("cap/x/index.gmi")).expect("read"), b"old");
    drop((f, t));
    assert!(dotfiles(&d).is_empty(), "{:?}", dotfiles(&d));
    assert_eq!(fs::read(d.join("a.txt")).expect("read"), b"old");
    let (f, t) = (
        stage(&d, &file("new")).expect("stage"),
        stage(&d, &tree("new")).expect("stage"),
    );
    assert_eq!(f.commit().expect("commit").1, 3);
    t.commit().expect("commit");
    assert_eq!(fs::read(d.join("a.txt")).expect("read"), b"new");
    assert_eq!(fs::read(d.join("cap/x/index.gmi")).expect("read"), b"new");
    assert!(dotfiles(&d).is_empty(), "{:?}", dotfiles(&d));
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
    let e = write(&d, &bad).expect_err("refused");
    assert!(e.to_string().contains("cap/../evil"), "{e}");
    assert_eq!(fs::read(d.join("cap/index.gmi")).expect("read"), b"old");
    assert!(dotfiles(&d).is_empty());
    for name in ["/etc/x", "a/b", "..", ""] {
        let file = Output::File {
            name: name.into(),
            bytes: vec![],
        };
        assert!(write(&d, &file).is_err(), "{name}");
    }
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn fallback_replaces_a_tree_with_two_renames() {
    let d = tmpdir("fallback");
    fs::create_dir_all(d.join("cap")).expect("mkdir");
    fs::write(d.join("cap/old.gmi"), "old").expect("write");
    fs::create_dir_all(d.join(".new")).expect("mkdir");
    fs::write(d.join(".new/new.gmi"), "new").expect("write");
    two_renames(&d.join(".new"), &d.join("cap"), &d, "cap").expect("renames");
    assert_eq!(fs::read(d.join("cap/new.gmi")).expect("read"), b"new");
    assert!(!d.join("cap/old.gmi").exists());
    assert!(dotfiles(&d).is_empty());
    let _ = fs::remove_dir_all(&d);
}

#[cfg(target_os = "linux")]
#[test]
fn exchange_swaps_trees() {
    let d = tmpdir("exchange");
    fs::create_dir_all(d.join("a")).expect("mkdir");
    fs::write(d.join("a/f"), "a").expect("write");
    fs::create_dir_all(d.join("b")).expect("mkdir");
    match exchange(&d.join("a"), &d.join("b")) {
        Err(e) if exchange_unsupported(&e) => eprintln!("skipping: no RENAME_EXCHANGE here"),
        r => {
            r.expect("exchange");
            assert!(d.join("b/f").exists() && !d.join("a/f").exists());
        }
    }
    let e = exchange(&d.join("a"), &d.join("missing")).expect_err("missing");
    assert_eq!(e.kind(), io::ErrorKind::NotFound);
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
        let e = check_out_dir(&d.join(bad), &src)
            .expect_err(bad)
            .to_string();
        assert!(e.contains("inside the book's source folder"), "{e}");
    }
    let e = check_out_dir(&d.join("file"), &src)
        .expect_err("file")
        .to_string();
    assert!(e.contains("is a file"), "{e}");
    let e = check_out_dir(&d.join("file/sub/deeper"), &src)
        .expect_err("under a file")
        .to_string();
    assert!(
        e.ends_with(&format!(
            "`{}` is not a directory",
            d.join("file").display()
        )),
        "{e}"
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn recognises_only_temporary_names() {
    let t = |output, kind, pid| Some(TempName { output, kind, pid });
    assert_eq!(
        parse_temp_name(".book.epub.kr-tmp-1234-0"),
        t("book.epub", Kind::Tmp, 1234)
    );
    assert_eq!(
        parse_temp_name(".gemini.kr-old-7-12"),
        t("gemini", Kind::Old, 7)
    );
    assert_eq!(
        parse_temp_name(".a.kr-tmp-1.kr-tmp-2-3"),
        t("a.kr-tmp-1", Kind::Tmp, 2)
    );
    assert_eq!(
        parse_temp_name(".book.epub.tmp-99"),
        t("book.epub", Kind::Tmp, 99)
    );
    assert_eq!(parse_temp_name(".gemini.old-5"), t("gemini", Kind::Old, 5));
    for other in [
        ".keep",
        ".gitignore",
        ".kr-publish-cache",
        "gemini",
        "book.epub",
        "book.epub.tmp-12",
        "gemini.kr-tmp-1-2",
        ".tmp-12",
        "..tmp-12",
        ".kr-tmp-1-2",
        "..kr-tmp-1-2",
        ".x.tmp-",
        ".x.tmp-12a",
        ".x.tmp-+12",
        ".x.tmp-12 ",
        ".x.tmp--12",
        ".x.tmp-12-3",
        ".x.kr-tmp-12",
        ".x.kr-tmp-12-",
        ".x.kr-tmp--3",
        ".x.kr-tmp-1-2-3",
        ".x.kr-tmp-a-1",
        ".x.kr-tmp-1-a",
        ".x.kr-new-1-2",
        ".x.temp-12",
        ".x.tmp-99999999999999999999999",
        ".x-tmp-12",
        ".notes.txt",
    ] {
        assert_eq!(parse_temp_name(other), None, "{other}");
    }
}

#[test]
fn names_are_unique_and_recognised() {
    let d = tmpdir("names");
    fs::create_dir_all(&d).expect("mkdir");
    let (a, ()) = create_unique(&d, "x.pdf", Kind::Tmp, |p| fs::create_dir(p)).expect("a");
    let (b, ()) = create_unique(&d, "x.pdf", Kind::Tmp, |p| fs::create_dir(p)).expect("b");
    assert_ne!(a, b);
    for p in [&a, &b] {
        let file = p.file_name().and_then(|f| f.to_str()).expect("name");
        let parsed = parse_temp_name(file).expect("recognised");
        assert_eq!(parsed.output, "x.pdf");
        assert_eq!(parsed.pid, u64::from(std::process::id()));
    }
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn removes_only_dead_builds_leftovers() {
    let d = tmpdir("leftovers");
    fs::create_dir_all(&d).expect("mkdir");
    let me = std::process::id();
    let dead_tree = format!(".cap.kr-tmp-{DEAD}-4");
    let dead = [
        format!(".a.txt.kr-tmp-{DEAD}-0"),
        format!(".a.txt.tmp-{DEAD}"),
        format!(".cap.old-{DEAD}"),
    ];
    let kept = [
        ".keep".to_string(),
        ".a.txt".to_string(),
        format!(".a.txt.kr-tmp-{me}-0"),
        format!(".cap.tmp-{me}"),
        format!(".cap.kr-old-{me}-1"),
        format!(".a.txt.tmp-{DEAD}x"),
    ];
    for f in dead.iter().chain(&kept) {
        fs::write(d.join(f), "x").expect("write");
    }
    fs::create_dir_all(d.join(&dead_tree).join("sub")).expect("mkdir");
    fs::write(d.join(&dead_tree).join("sub/f"), "x").expect("write");
    // The cover cache is not a build's temporary entry, whatever it holds.
    let cache = d.join(".kr-publish-cache");
    fs::create_dir_all(&cache).expect("mkdir");
    fs::write(cache.join("cover-0.jpg"), "x").expect("write");
    // A tree moved aside and never replaced comes back; one whose output exists goes.
    let moved = format!(".gone.kr-old-{DEAD}-2");
    fs::create_dir_all(d.join(&moved)).expect("mkdir");
    fs::write(d.join(&moved).join("index.gmi"), "kept").expect("write");
    fs::create_dir_all(d.join("cap")).expect("mkdir");
    fs::create_dir_all(d.join(format!(".cap.kr-old-{DEAD}-3"))).expect("mkdir");

    let done = remove_leftovers(&d);
    assert_eq!(done.len(), 6, "{done:?}");
    let mut expected: Vec<String> = kept.to_vec();
    expected.push(".kr-publish-cache".into());
    expected.sort();
    assert_eq!(dotfiles(&d), expected);
    assert_eq!(fs::read(cache.join("cover-0.jpg")).expect("kept"), b"x");
    assert_eq!(fs::read(d.join("gone/index.gmi")).expect("back"), b"kept");
    assert!(d.join("cap").is_dir());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn only_dead_processes_count_as_dead() {
    assert!(pid_alive(u64::from(std::process::id())));
    assert!(pid_alive(0));
    #[cfg(unix)]
    assert!(!pid_alive(DEAD));
}

#[cfg(unix)]
#[test]
fn rebuilt_tree_links_unchanged_files_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let d = tmpdir("relink");
    let tree = |same: &str, changed: &str| Output::Tree {
        dir: "cap".into(),
        files: vec![
            ("a/same.gmi".into(), same.as_bytes().to_vec()),
            ("changed.gmi".into(), changed.as_bytes().to_vec()),
        ],
    };
    write(&d, &tree("kept", "one")).expect("first");
    let ino = |p: &str| fs::metadata(d.join("cap").join(p)).expect("meta").ino();
    let (same, changed) = (ino("a/same.gmi"), ino("changed.gmi"));
    write(&d, &tree("kept", "two")).expect("second");
    assert_eq!(ino("a/same.gmi"), same, "an unchanged file is linked");
    assert_ne!(ino("changed.gmi"), changed);
    assert_eq!(fs::read(d.join("cap/changed.gmi")).expect("read"), b"two");
    assert_eq!(fs::read(d.join("cap/a/same.gmi")).expect("read"), b"kept");
    // Same size, different bytes: rewritten, not linked.
    write(&d, &tree("KEPT", "two")).expect("third");
    assert_eq!(fs::read(d.join("cap/a/same.gmi")).expect("read"), b"KEPT");
    assert_eq!(dotfiles(&d), Vec::<String>::new(), "no temporary left");
    let _ = fs::remove_dir_all(&d);
}
