//! Shared by the integration tests: the seed text (with the editor's repairs applied) split into
//! paragraphs, and the "nothing lost" check every format must pass.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn kr_book() -> PathBuf {
    root().join("book")
}

/// Lowercased alphanumeric word tokens: punctuation, quotes and markup are ignored.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The seed's paragraphs after `tests/data/seed_repairs.txt`, without the lines that the book
/// turns into structure (post headings, date lines, "Title – Speaker" lines).
pub(crate) fn seed_paragraphs() -> Vec<String> {
    let data = root().join("tests/data");
    let mut seed =
        std::fs::read_to_string(data.join("kernel-recipes-2023-live-blog.txt")).expect("seed text");
    let repairs = std::fs::read_to_string(data.join("seed_repairs.txt")).expect("seed repairs");
    for line in repairs
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (old, new) = line
            .split_once(" => ")
            .expect("repair line is `old => new`");
        assert!(seed.contains(old), "repair `{old}` does not match the seed");
        seed = seed.replace(old, new);
    }
    let loaded = kr_publish::parse::load(&kr_book()).expect("the book parses");
    let speakers: Vec<String> = loaded
        .book
        .chapters()
        .iter()
        .flat_map(|(_, c)| c.speakers.clone())
        .collect();
    seed.split("\n\n")
        .map(|p| p.trim().replace("](#)", "]").replace('`', ""))
        .filter(|p| !p.is_empty())
        .filter(|p| !is_structure_line(p, &speakers))
        .collect()
}

fn is_structure_line(p: &str, speakers: &[String]) -> bool {
    if p.contains('\n') {
        return false;
    }
    let post =
        p.starts_with("Live blog day ") && (p.ends_with(": morning") || p.ends_with(": afternoon"));
    let date = p.len() == 12 && p.starts_with("Sep ") && p.ends_with(", 2023");
    let title = p
        .rsplit_once(" – ")
        .is_some_and(|(_, who)| speakers.iter().any(|s| who.contains(s.as_str())));
    post || date || title
}

/// Seed paragraphs whose word sequence does not occur contiguously in `output`.
pub(crate) fn missing_paragraphs(output: &str) -> Vec<String> {
    let haystack = format!(" {} ", words(output).join(" "));
    seed_paragraphs()
        .into_iter()
        .filter(|p| {
            let w = words(p);
            !w.is_empty() && !haystack.contains(&format!(" {} ", w.join(" ")))
        })
        .collect()
}

/// Fails listing every paragraph of the seed that `output` lost.
pub(crate) fn assert_nothing_lost(output: &str, what: &str) {
    let paragraphs = seed_paragraphs().len();
    assert!(paragraphs > 250, "only {paragraphs} seed paragraphs found");
    let missing = missing_paragraphs(output);
    assert!(
        missing.is_empty(),
        "{what} lost {} of {paragraphs} seed paragraphs, e.g.:\n{}",
        missing.len(),
        missing
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
}

/// Runs the kr-publish binary; returns (exit code, stdout, stderr).
pub(crate) fn run(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kr-publish"));
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run kr-publish");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh empty directory under the target dir for one test.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let d = root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// True when an external tool is missing and the test may skip: never under `CI=true`.
pub(crate) fn tool_missing(tool: &str, present: bool) -> bool {
    if present {
        return false;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{tool} is required under CI=true but is not installed (run ./scripts/test.sh as root)"
        );
    }
    eprintln!("skipping: {tool} is not installed");
    true
}

pub(crate) fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const EPUBCHECK: &str = "/usr/share/java/epubcheck.jar";

/// epubcheck's output, or `None` when it is missing and the test may skip.
pub(crate) fn epubcheck(epub: &Path, usage: bool) -> Option<String> {
    let present = Path::new(EPUBCHECK).exists()
        && std::process::Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    if tool_missing("epubcheck", present) {
        return None;
    }
    let mut cmd = std::process::Command::new("java");
    cmd.arg("-jar").arg(EPUBCHECK);
    if usage {
        cmd.arg("--usage");
    }
    let out = cmd.arg(epub).output().expect("run epubcheck");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(text)
}

/// Zero errors and warnings (one epubcheck run); `None` when epubcheck is missing.
pub(crate) fn check_clean(epub: &Path) -> Option<()> {
    let plain = epubcheck(epub, false)?;
    assert!(
        plain.contains("0 fatals / 0 errors / 0 warnings")
            && plain.contains("No errors or warnings"),
        "epubcheck found problems in {}:\n{plain}",
        epub.display()
    );
    Some(())
}

/// Zero errors and warnings; returns the usage notes (`USAGE(…)` lines).
pub(crate) fn check_valid(epub: &Path) -> Option<Vec<String>> {
    check_clean(epub)?;
    let usage = epubcheck(epub, true)?;
    assert!(
        usage.contains("0 fatals / 0 errors / 0 warnings"),
        "{usage}"
    );
    let notes: Vec<String> = usage
        .lines()
        .filter(|l| l.starts_with("USAGE("))
        .map(str::to_string)
        .collect();
    eprintln!(
        "epubcheck --usage on {}: {} usage notes",
        epub.display(),
        notes.len()
    );
    Some(notes)
}

/// Copies a directory tree (a fixture book into a scratch directory a test may change).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// Builds `book` into `out` in `formats` (comma-separated) and asserts success; returns
/// (stdout, stderr).
pub(crate) fn build_ok(
    book: &Path,
    out: &Path,
    formats: &str,
    envs: &[(&str, &str)],
) -> (String, String) {
    let (code, stdout, stderr) = build_into(book, out, formats, envs);
    assert_eq!(
        code,
        0,
        "building {} as {formats} failed:\n{stdout}{stderr}",
        book.display()
    );
    (stdout, stderr)
}

/// A well-formed PNG header (signature, IHDR, an empty IDAT) claiming `w` × `h` pixels.
pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &[]), (b"IEND", &[])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Writes `text` to `path`, making its folders.
pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The output of `out` whose extension is `ext`.
pub(crate) fn read(out: &Path, ext: &str) -> String {
    let path = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {}", out.display()));
    std::fs::read_to_string(path).expect("read output")
}

/// The text of every content document of the EPUB in `out`.
pub(crate) fn epub_text(out: &Path) -> String {
    let path = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an epub");
    let bytes = std::fs::read(path).expect("read epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        if f.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut f, &mut all).expect("utf-8 xhtml");
        }
    }
    all
}

/// Builds `book` in `formats` into `out` beside it; returns (exit code, stdout and stderr,
/// output directory).
pub(crate) fn build(book: &Path, formats: &str, env: &[(&str, &str)]) -> (i32, String, PathBuf) {
    let out = book.with_file_name("out");
    let (code, stdout, stderr) = build_into(book, &out, formats, env);
    (code, format!("{stdout}{stderr}"), out)
}

/// Runs kr-publish on `book` into `out` in `formats`; returns (exit code, stdout, stderr).
pub(crate) fn build_into(
    book: &Path,
    out: &Path,
    formats: &str,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let args = [
        "--book",
        path_str(book),
        "--out",
        path_str(out),
        "--format",
        formats,
    ];
    run(&args, env)
}

/// The CommonMark spec's text (fetched by scripts/test.sh from the npm package
/// commonmark-spec, or named by `KR_COMMONMARK_SPEC`), or `None` when it is missing and the
/// test may skip: never under `CI=true`.
pub(crate) fn commonmark_spec() -> Option<String> {
    let path = std::env::var_os("KR_COMMONMARK_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/test-data/commonmark-spec/package/spec.txt"));
    let text = std::fs::read_to_string(&path).ok();
    if tool_missing(
        "the CommonMark spec (run ./scripts/test.sh)",
        text.is_some(),
    ) {
        return None;
    }
    text
}

/// SplitMix64: a small seeded generator, so a failing run can be repeated from its seed.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub(crate) fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
