//! Crash-safe outputs: a build killed at any moment leaves every earlier output whole, builds
//! running at the same time into one `--out` never tear each other's outputs, the next build
//! removes what a killed one left (and nothing else), and write errors name their path.
#![cfg(unix)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const EPOCH: &str = "1700000000";
const OUTPUTS: [&str; 5] = [
    "features.epub",
    "features.pdf",
    "gemini",
    "features.txt",
    "features.json",
];

/// One output as it is on disk: a file's bytes, or a tree's files by relative path.
#[derive(Debug, PartialEq, Eq)]
enum Content {
    File(Vec<u8>),
    Tree(BTreeMap<PathBuf, Vec<u8>>),
}

fn read_output(path: &Path) -> Option<Content> {
    let meta = fs::symlink_metadata(path).ok()?;
    if meta.is_dir() {
        let mut files = BTreeMap::new();
        read_tree(path, path, &mut files);
        Some(Content::Tree(files))
    } else {
        Some(Content::File(fs::read(path).expect("read output")))
    }
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for e in fs::read_dir(dir).expect("read tree") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            read_tree(root, &p, files);
        } else {
            let rel = p.strip_prefix(root).expect("under root").to_path_buf();
            files.insert(rel, fs::read(&p).expect("read tree file"));
        }
    }
}

type Outputs = BTreeMap<&'static str, Content>;

fn read_outputs(out: &Path) -> Outputs {
    OUTPUTS
        .iter()
        .filter_map(|&name| Some((name, read_output(&out.join(name))?)))
        .collect()
}

/// Entries of `out` that are not outputs: temporary names of builds in progress or killed.
fn others(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(out)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !OUTPUTS.contains(&n.as_str()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Two variants of the features book, differing by one word, and their outputs.
struct Variants {
    dir: PathBuf,
    books: [PathBuf; 2],
    refs: [Outputs; 2],
}

fn variants(name: &str) -> Variants {
    let dir = scratch(name);
    let books = [dir.join("book-a"), dir.join("book-b")];
    for b in &books {
        copy_dir(&root().join("tests/fixtures/features"), b);
    }
    let intro = books[1].join("src/intro.md");
    let text = fs::read_to_string(&intro).expect("intro");
    assert!(text.contains("This book exercises"));
    fs::write(
        &intro,
        text.replacen("This book exercises", "This volume exercises", 1),
    )
    .expect("write intro");
    let refs = [0, 1].map(|i| {
        let out = dir.join(format!("ref-{i}"));
        build_ok(&books[i], &out, "all", &[("SOURCE_DATE_EPOCH", EPOCH)]);
        read_outputs(&out)
    });
    for name in OUTPUTS {
        let (a, b) = (refs[0].get(name), refs[1].get(name));
        assert!(a.is_some() && a != b, "{name}: the variants must differ");
    }
    Variants { dir, books, refs }
}

impl Variants {
    fn spawn(&self, which: usize, out: &Path, log: &Path) -> Child {
        Command::new(env!("CARGO_BIN_EXE_kr-publish"))
            .args(["--book", path_str(&self.books[which])])
            .args(["--out", path_str(out)])
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stdout(Stdio::null())
            .stderr(fs::File::create(log).expect("log"))
            .spawn()
            .expect("start kr-publish")
    }

    /// Every output present is whole: byte for byte one variant's (a tree as a whole).
    fn check_whole(&self, out: &Path, what: &str) -> Outputs {
        let now = read_outputs(out);
        for (name, content) in &now {
            assert!(
                self.refs.iter().any(|r| r.get(name) == Some(content)),
                "{what}: {name} is neither variant's: torn"
            );
        }
        now
    }
}

/// Whether `out` holds a temporary entry of process `pid` (`.NAME.kr-tmp-PID-N`).
fn has_temp_of(out: &Path, pid: u32) -> bool {
    let tag = format!("-{pid}-");
    others(out).iter().any(|n| n.contains(&tag))
}

/// Runs one whole build; returns how long it took and when its first temporary entry appeared
/// (its writing phase began), if polling saw one.
fn timed_build(v: &Variants, which: usize, out: &Path, log: &Path) -> (Duration, Option<Duration>) {
    let start = Instant::now();
    let mut child = v.spawn(which, out, log);
    let mut writes = None;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(
                status.success(),
                "{}",
                fs::read_to_string(log).unwrap_or_default()
            );
            return (start.elapsed(), writes);
        }
        if writes.is_none() && has_temp_of(out, child.id()) {
            writes = Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_micros(300));
    }
}

#[test]
fn killed_builds_leave_every_output_whole() {
    let v = variants("crash-kill");
    let out = v.dir.join("out");
    let log = v.dir.join("build.log");

    // How long one build takes here and how long its writing lasts, so kills land all over it.
    let mut timings: Vec<_> = (0..3).map(|i| timed_build(&v, i % 2, &out, &log)).collect();
    timings.sort();
    let (build, writes_start) = timings[1];
    let mut writing = writes_start.map_or(build / 5, |w| build.saturating_sub(w));
    v.check_whole(&out, "after the timing builds");

    let seed = std::env::var("KR_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!(
        "crash test: seed {seed} (KR_CRASH_SEED={seed} repeats it); a build takes {build:?}, \
         writing its outputs the last {writing:?}"
    );
    let mut rng = Rng(seed);
    let mut seen: BTreeSet<&str> = read_outputs(&out).keys().copied().collect();
    let (kills, mut finished, mut left_temps, mut mixed) = (26, 0, 0, 0);
    for i in 0..kills {
        let which = (rng.next() % 2) as usize;
        let mut child = v.spawn(which, &out, &log);
        let started = Instant::now();
        // Even rounds: anywhere in the build. Odd rounds: within its writing phase, which
        // begins when its first temporary entry appears.
        let when = if i % 2 == 0 {
            std::thread::sleep(build.mul_f64(rng.unit() * 1.1));
            format!("{:?} after the start", started.elapsed())
        } else {
            let delay = writing.mul_f64(rng.unit() * 1.2);
            while !has_temp_of(&out, child.id()) && child.try_wait().expect("wait").is_none() {
                std::thread::sleep(Duration::from_micros(300));
            }
            let writes = started.elapsed();
            std::thread::sleep(delay);
            format!("{delay:?} into writing, {writes:?} after the start")
        };
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        if status.success() {
            finished += 1;
            if i % 2 == 1 {
                // Writing is quicker than measured (the machine got less busy): aim earlier.
                writing = writing * 3 / 4;
            }
        } else {
            assert_eq!(
                std::os::unix::process::ExitStatusExt::signal(&status),
                Some(9),
                "the build failed on its own: {}",
                fs::read_to_string(&log).unwrap_or_default()
            );
        }
        let what = format!("seed {seed}, kill {i} (variant {which}, {when})");
        let now = v.check_whole(&out, &what);
        for name in &seen {
            assert!(now.contains_key(name), "{what}: {name} is gone");
        }
        seen.extend(now.keys().copied());
        if has_temp_of(&out, child.id()) {
            left_temps += 1;
        }
        let from = |r: usize| {
            now.iter()
                .filter(|(n, c)| v.refs[r].get(*n) == Some(*c))
                .count()
        };
        if from(0) > 0 && from(1) > 0 {
            mixed += 1;
        }
    }
    eprintln!(
        "crash test: {kills} kills: {finished} builds finished first, {left_temps} left \
         their temporary entries, {mixed} left outputs of both variants"
    );
    assert!(
        left_temps > 0,
        "seed {seed}: no kill landed while outputs were being written"
    );

    build_ok(&v.books[0], &out, "all", &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert!(
        read_outputs(&out) == v.refs[0],
        "a whole build writes variant A"
    );
    assert_eq!(others(&out), Vec::<String>::new(), "leftovers are removed");
}

#[test]
fn builds_at_the_same_time_do_not_tear_outputs() {
    let v = variants("crash-concurrent");
    let out = v.dir.join("out");
    for round in 0..3 {
        let logs = [0, 1].map(|i| v.dir.join(format!("build-{i}.log")));
        let children = [0, 1].map(|i| v.spawn(i, &out, &logs[i]));
        for (i, mut c) in children.into_iter().enumerate() {
            let status = c.wait().expect("wait");
            assert!(
                status.success(),
                "round {round}, build {i}: {}",
                fs::read_to_string(&logs[i]).unwrap_or_default()
            );
        }
        let now = v.check_whole(&out, &format!("round {round}"));
        assert_eq!(
            now.len(),
            OUTPUTS.len(),
            "round {round}: every output is there"
        );
        assert_eq!(others(&out), Vec::<String>::new(), "round {round}");
    }
}

/// A PID no process can have: above the kernel's limit.
fn dead_pid() -> u64 {
    let max = fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(4_194_304);
    max + 1
}

#[test]
fn the_next_build_removes_only_dead_builds_leftovers() {
    let dir = scratch("crash-leftovers");
    let book = root().join("tests/fixtures/features");
    let out = dir.join("out");
    build_ok(&book, &out, "text", &[]);
    let (dead, me) = (dead_pid(), std::process::id());

    let dead_files = [
        format!(".features.txt.kr-tmp-{dead}-0"),
        format!(".features.epub.tmp-{dead}"),
        format!(".features.txt.old-{dead}"),
    ];
    let dead_tree = format!(".gemini.kr-tmp-{dead}-1");
    let moved_aside = format!(".gemini.kr-old-{dead}-2");
    let kept_files = [
        ".keep".to_string(),
        format!(".features.txt.kr-tmp-{me}-0"),
        format!(".features.txt.tmp-{dead}.bak"),
        format!("notes.tmp-{dead}"),
        format!(".kr-tmp-{dead}-0"),
        format!(".x.kr-tmp-{dead}"),
    ];
    let kept_tree = format!(".gemini.tmp-{me}");
    for f in dead_files.iter().chain(&kept_files) {
        fs::write(out.join(f), f).expect("plant");
    }
    for t in [&dead_tree, &moved_aside, &kept_tree] {
        fs::create_dir_all(out.join(t).join("sub")).expect("plant");
        fs::write(out.join(t).join("sub/index.gmi"), t).expect("plant");
    }

    build_ok(&book, &out, "text", &[]);
    let mut expected: Vec<String> = kept_files.iter().chain([&kept_tree]).cloned().collect();
    expected.sort();
    assert_eq!(
        others(&out),
        expected,
        "only the dead builds' entries are gone"
    );
    for f in &kept_files {
        assert_eq!(fs::read_to_string(out.join(f)).expect("kept"), *f);
    }
    // The capsule a killed build had moved aside, with no new one in its place, is back.
    assert_eq!(
        fs::read_to_string(out.join("gemini/sub/index.gmi")).expect("put back"),
        moved_aside
    );
    assert!(out.join(&kept_tree).join("sub/index.gmi").exists());
}

#[test]
fn write_errors_name_the_path_and_write_nothing() {
    let dir = scratch("crash-errors");
    let book_src = root().join("tests/fixtures/features");
    let file = dir.join("file");
    fs::write(&file, "mine").expect("file");
    let fail = |book: &Path, out: &Path, formats: &str| {
        let (code, stdout, stderr) = build_into(book, out, formats, &[]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stdout.is_empty(), "nothing written: {stdout}");
        stderr
    };

    let stderr = fail(&book_src, &file.join("sub"), "all");
    let expected = format!(
        "error: cannot create output directory `{}/sub`: `{}` is not a directory",
        path_str(&file),
        path_str(&file)
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");

    let stderr = fail(&book_src, &file, "all");
    let expected = format!(
        "error: output directory `{}` is a file, not a directory",
        path_str(&file)
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
    assert_eq!(fs::read_to_string(&file).expect("file"), "mine");

    // A directory where the output file goes: the error names that path.
    let out = dir.join("out");
    fs::create_dir_all(out.join("features.txt/inside")).expect("mkdir");
    let stderr = fail(&book_src, &out, "text");
    let expected = format!(
        "error: text: cannot write `{}/features.txt`: ",
        path_str(&out)
    );
    assert!(stderr.lines().any(|l| l.starts_with(&expected)), "{stderr}");
    assert_eq!(others(&out), Vec::<String>::new());

    // Outputs inside the book's sources are refused before anything is written.
    let book = dir.join("book");
    copy_dir(&book_src, &book);
    let inside = book.join("src/out");
    let stderr = fail(&book, &inside, "all");
    let expected = format!(
        "error: output directory `{}` is inside the book's source folder `{}/src`",
        path_str(&inside),
        path_str(&book)
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
    assert!(!inside.exists());
    // Also when spelled through `..`.
    let sneaky = book.join("other/../src/out");
    fail(&book, &sneaky, "text");
    assert!(!inside.exists() && !book.join("other").exists());
}
