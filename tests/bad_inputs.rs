//! The catalogue of bad inputs: each case breaks a small good book in one way and states the
//! exit code, the message (located at `file:line:col` where the input has a line) and that the
//! previous outputs in `--out` are left exactly as they were. Inputs that are odd but valid
//! (huge tables, long words, forbidden characters) must build, with exit 0.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// A book with two chapters and an image, every output built from it once into `out/`.
struct Reference {
    dir: PathBuf,
}

fn reference() -> &'static Reference {
    static REF: OnceLock<Reference> = OnceLock::new();
    REF.get_or_init(|| {
        let dir = scratch("catalogue-reference");
        let book = dir.join("book");
        write(&book, "book.toml", "[book]\ntitle = \"Catalogue\"\nauthors = [\"T. Tester\"]\nlanguage = \"en\"\n\n[publish]\nbase-name = \"cat\"\n");
        write(
            &book,
            "src/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
        );
        write(
            &book,
            "src/one.md",
            "# One\n\nHello, a picture:\n\n![a red square](red.png)\n",
        );
        write(&book, "src/two.md", "# Two\n\nThe second chapter.\n");
        image::RgbImage::from_pixel(8, 8, image::Rgb([200, 0, 0]))
            .save(book.join("src/red.png"))
            .expect("png");
        build_ok(&book, &dir.join("out"), "all", &[]);
        Reference { dir }
    })
}

fn write(book: &Path, rel: &str, text: &str) {
    write_bytes(book, rel, text.as_bytes());
}

fn write_bytes(book: &Path, rel: &str, bytes: &[u8]) {
    let p = book.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write");
}

fn append(book: &Path, rel: &str, text: &str) {
    let p = book.join(rel);
    let mut s = fs::read_to_string(&p).expect("read");
    s.push_str(text);
    fs::write(p, s).expect("write");
}

/// The bundled regular face with the first range of a GSUB coverage table made to start after
/// it ends (offset found by walking the table's lookup list once; the font is in the repo).
fn corrupt_font() -> Vec<u8> {
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/GentiumBookPlus-Regular.ttf");
    let mut bytes = fs::read(font).expect("bundled font");
    const RANGE_START: usize = 69_098;
    assert_eq!(
        &bytes[RANGE_START..RANGE_START + 4],
        &[0x03, 0xc5, 0x03, 0xc9],
        "the font changed"
    );
    bytes[RANGE_START..RANGE_START + 2].copy_from_slice(&[0xff, 0xff]);
    bytes
}

/// A file outside every book, which no output may ever contain.
fn secret(case_dir: &Path) -> PathBuf {
    let p = case_dir.join("secret.md");
    fs::write(
        &p,
        "# Secret\n\nTOP-SECRET-WORDS must never be published.\n",
    )
    .expect("secret");
    p
}

fn symlink(target: &Path, link: &Path) {
    fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("inside").display().to_string();
                out.push((rel, fs::read(&p).unwrap_or_default()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

type Setup = fn(&Path, &Path);

/// One bad input: what it does to the book (`book`, and the case's own folder), extra
/// arguments, and what must come of it. `{book}` and `{case}` in `message` stand for the paths.
struct Case {
    name: &'static str,
    setup: Setup,
    args: &'static [&'static str],
    code: i32,
    message: &'static str,
}

const fn case(name: &'static str, setup: Setup, code: i32, message: &'static str) -> Case {
    Case {
        name,
        setup,
        args: &[],
        code,
        message,
    }
}

fn cases() -> Vec<Case> {
    vec![
        // book.toml
        case("book-toml-missing", |b, _| fs::remove_file(b.join("book.toml")).expect("rm"), 1,
            "{book}/book.toml: error: cannot read book.toml"),
        case("book-toml-is-a-directory", |b, _| {
            fs::remove_file(b.join("book.toml")).expect("rm");
            fs::create_dir(b.join("book.toml")).expect("mkdir");
        }, 1, "{book}/book.toml: error: cannot read book.toml"),
        case("book-toml-binary", |b, _| write_bytes(b, "book.toml", b"\xff\xfe\x00[book]\x00"), 1,
            "{book}/book.toml: error: cannot read book.toml"),
        case("book-toml-bad-syntax", |b, _| append(b, "book.toml", "\n[publish\n"), 1,
            "{book}/book.toml:9:9: error: bad book.toml"),
        case("book-toml-no-book-table", |b, _| write(b, "book.toml", "[publish]\nbase-name = \"cat\"\n"), 1,
            "{book}/book.toml:1:1: error: bad book.toml: missing field `book`"),
        case("book-toml-wrong-type", |b, _| write(b, "book.toml", "[book]\ntitle = \"T\"\nauthors = \"one\"\n"), 1,
            "{book}/book.toml:3:11: error: bad book.toml"),
        case("book-toml-bad-date", |b, _| append(b, "book.toml", "date = \"yesterday\"\n"), 1,
            "{book}/book.toml:8:1: error: bad book.toml: date `yesterday` is not YYYY-MM-DD"),
        case("book-toml-src-outside", |b, _| write(b, "book.toml", "[book]\ntitle = \"T\"\nsrc = \"../elsewhere\"\n"), 1,
            "{book}/book.toml:3:1: error: `src = \"../elsewhere\"` is outside the book's directory"),
        // SUMMARY.md
        case("summary-missing", |b, _| fs::remove_file(b.join("src/SUMMARY.md")).expect("rm"), 1,
            "{book}/src/SUMMARY.md: error: SUMMARY.md does not exist"),
        case("summary-invalid-utf8", |b, _| write_bytes(b, "src/SUMMARY.md", b"# Summary\n\n- [One](one.md)\n- [\xff](two.md)\n"), 1,
            "{book}/src/SUMMARY.md: error: SUMMARY.md is not UTF-8 text (invalid bytes on its line 4)"),
        case("summary-bad-entry", |b, _| append(b, "src/SUMMARY.md", "- Three without a link\n"), 1,
            "{book}/src/SUMMARY.md:5:3: error: bad SUMMARY entry"),
        case("summary-part-after-suffix", |b, _| append(b, "src/SUMMARY.md", "\n[Back](two.md)\n\n# Late part\n"), 1,
            "{book}/src/SUMMARY.md:8:1: error: a part title cannot follow suffix chapters"),
        case("summary-too-deep", |b, _| {
            let items: String = (0..20).map(|i| format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i))).collect();
            append(b, "src/SUMMARY.md", &items);
        }, 1, "{book}/src/SUMMARY.md:21:33: error: `C16` nests chapters deeper than 16 levels"),
        case("summary-duplicate-chapter", |b, _| append(b, "src/SUMMARY.md", "- [Again](./one.md)\n"), 1,
            "{book}/src/SUMMARY.md:5:3: error: `one.md` is listed twice in SUMMARY.md (first at line 3)"),
        case("summary-missing-chapter", |b, _| append(b, "src/SUMMARY.md", "- [Three](three.md)\n"), 1,
            "{book}/src/SUMMARY.md:5:3: error: chapter `three.md` does not exist: create it, or make it a draft with `[Three]()`"),
        case("summary-traversal", |b, c| {
            secret(c);
            append(b, "src/SUMMARY.md", "- [Leak](sub/../../../secret.md)\n");
        }, 1, "{book}/src/SUMMARY.md:5:3: error: chapter `sub/../../../secret.md` is outside the book's source directory `src`"),
        case("summary-absolute-path", |b, c| {
            let s = secret(c);
            append(b, "src/SUMMARY.md", &format!("- [Leak]({})\n", s.display()));
        }, 1, "{book}/src/SUMMARY.md:5:3: error: chapter `{case}/secret.md` is outside the book's source directory"),
        case("summary-symlinked-chapter", |b, c| {
            let s = secret(c);
            symlink(&s, &b.join("src/leak.md"));
            append(b, "src/SUMMARY.md", "- [Leak](leak.md)\n");
        }, 1, "{book}/src/SUMMARY.md:5:3: error: chapter `leak.md` is outside the book's directory (it resolves to {case}/secret.md)"),
        case("summary-symlinked-src", |b, c| {
            secret(c);
            fs::rename(b.join("src"), c.join("elsewhere")).expect("mv");
            symlink(&c.join("elsewhere"), &b.join("src"));
        }, 1, "is outside the book's directory"),
        case("summary-is-a-directory", |b, _| {
            fs::remove_file(b.join("src/SUMMARY.md")).expect("rm");
            fs::create_dir(b.join("src/SUMMARY.md")).expect("mkdir");
        }, 1, "{book}/src/SUMMARY.md: error: SUMMARY.md is not a file"),
        // Chapters
        case("chapter-is-a-directory", |b, _| {
            fs::remove_file(b.join("src/two.md")).expect("rm");
            fs::create_dir(b.join("src/two.md")).expect("mkdir");
        }, 1, "{book}/src/SUMMARY.md:4:3: error: chapter `two.md` is not a file"),
        case("chapter-binary", |b, _| write_bytes(b, "src/two.md", b"# Two\n\n\x89PNG\r\n\x1a\n\x00\x00\xff\xd8"), 1,
            "{book}/src/SUMMARY.md:4:3: error: chapter `two.md` is not UTF-8 text (invalid bytes on its line 3)"),
        case("chapter-unterminated-front-matter", |b, _| write(b, "src/two.md", "+++\ntitle = \"Two\"\n\nText.\n"), 1,
            "{book}/src/two.md:1:1: error: "),
        case("chapter-bad-front-matter", |b, _| write(b, "src/two.md", "+++\ntitle = \n+++\n\nText.\n"), 1,
            "{book}/src/two.md:2:"),
        case("chapter-front-matter-bad-date", |b, _| write(b, "src/two.md", "+++\ntitle = \"Two\"\ndate = \"16 January\"\n+++\n\nText.\n"), 1,
            "{book}/src/two.md:3:1: error: bad front matter: date `16 January` is not YYYY-MM-DD"),
        case("chapter-undefined-footnote", |b, _| append(b, "src/two.md", "\nA note[^nope].\n"), 1,
            "{book}/src/two.md:5:7: error: footnote `[^nope]` is referenced but never defined"),
        case("chapter-duplicate-heading-id", |b, _| append(b, "src/two.md", "\n## A {#same}\n\n## B {#same}\n"), 1,
            "{book}/src/two.md:7:1: error: duplicate heading id `same` (first used at line 5)"),
        case("chapter-deep-nesting", |b, _| append(b, "src/two.md", &format!("\n{}deep\n", "> ".repeat(5000))), 1,
            "{book}/src/two.md:5:"),
        // Images
        case("image-missing", |b, _| append(b, "src/two.md", "\n![gone](gone.png)\n"), 1,
            "{book}/src/two.md:5:1: error: cannot read image `gone.png`"),
        case("image-corrupt", |b, _| {
            write_bytes(b, "src/bad.png", b"\x89PNG\r\n\x1a\nthis is not a PNG at all");
            append(b, "src/two.md", "\n![bad](bad.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `bad.png` is corrupt or unsupported"),
        case("image-truncated", |b, _| {
            let mut png = Vec::new();
            image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 7]))
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .expect("png");
            png.truncate(png.len() / 2);
            write_bytes(b, "src/half.png", &png);
            append(b, "src/two.md", "\n![half](half.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `half.png` is corrupt or unsupported"),
        case("image-not-an-image", |b, _| {
            write(b, "src/passwd.png", "root:x:0:0:root:/root:/bin/bash\n");
            append(b, "src/two.md", "\n![p](passwd.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `passwd.png` is not a PNG, JPEG, GIF, WebP or SVG file"),
        case("image-huge-dimensions", |b, _| {
            write_bytes(b, "src/huge.png", &png_header(60_000, 1_000));
            append(b, "src/two.md", "\n![huge](huge.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `huge.png` is corrupt or unsupported: 60000 × 1000 pixels is outside the accepted range"),
        case("image-decompression-bomb", |b, _| {
            write_bytes(b, "src/bomb.png", &png_header(200_000, 200_000));
            append(b, "src/two.md", "\n![bomb](bomb.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `bomb.png` is corrupt or unsupported"),
        case("image-svg-entity-expansion", |b, _| {
            let names = "abcdefghij".as_bytes();
            let mut ents = String::from("<!ENTITY a \"ll\">");
            for i in 1..9 {
                let r = format!("&{};", names[i - 1] as char).repeat(10);
                ents.push_str(&format!("<!ENTITY {} \"{r}\">", names[i] as char));
            }
            let svg = format!("<?xml version=\"1.0\"?><!DOCTYPE svg [{ents}]><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>&i;</text></svg>");
            write(b, "src/lol.svg", &svg);
            append(b, "src/two.md", "\n![lol](lol.svg)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `lol.svg` is corrupt or unsupported: cannot read the SVG"),
        case("image-svg-broken", |b, _| {
            write(b, "src/broken.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect></svg>");
            append(b, "src/two.md", "\n![broken](broken.svg)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `broken.svg` is corrupt or unsupported"),
        case("image-traversal", |b, _| append(b, "src/two.md", "\n![up](../../../etc/passwd)\n"), 1,
            "{book}/src/two.md:5:1: error: image `../../../etc/passwd` is outside the book's directory"),
        case("image-absolute", |b, _| append(b, "src/two.md", "\n![abs](/etc/passwd)\n"), 1,
            "{book}/src/two.md:5:1: error: image `/etc/passwd` is outside the book's directory"),
        case("image-file-url", |b, _| append(b, "src/two.md", "\n![f](file:///etc/passwd)\n"), 1,
            "{book}/src/two.md:5:1: error: image `file:///etc/passwd`: file URLs are not allowed"),
        case("image-symlink-out", |b, c| {
            fs::copy(b.join("src/red.png"), c.join("outside.png")).expect("copy");
            symlink(&c.join("outside.png"), &b.join("src/inside.png"));
            append(b, "src/two.md", "\n![s](inside.png)\n");
        }, 1, "{book}/src/two.md:5:1: error: image `inside.png` is outside the book's directory (it resolves to {case}/outside.png)"),
        Case { name: "extra-css-missing", setup: |b, _| append(b, "book.toml", "\n[output.epub]\nextra-css = \"nope.css\"\n"), args: &["check"], code: 1,
            message: "{book}/book.toml:10:1: error: cannot read extra-css `{book}/nope.css`" },
        Case { name: "pdf-font-missing", setup: |b, _| append(b, "book.toml", "\n[output.pdf]\nfonts = { regular = \"nope.ttf\" }\n"), args: &["check"], code: 1,
            message: "{book}/book.toml:10:1: error: cannot read font `{book}/nope.ttf`" },
        Case { name: "pdf-font-garbage", setup: |b, _| {
            write_bytes(b, "garbage.ttf", b"\x00\x01\x00\x00 this is not a font, only bytes that start like one");
            append(b, "book.toml", "\n[output.pdf]\nfonts = { regular = \"garbage.ttf\" }\n");
        }, args: &["check"], code: 1,
            message: "{book}/book.toml:10:1: error: font `{book}/garbage.ttf` cannot be used: not a TrueType/OpenType font" },
        // A real font whose GSUB coverage range runs backwards: rustybuzz panicked on it in
        // debug builds, half-way through the PDF.
        Case { name: "pdf-font-corrupt-table", setup: |b, _| {
            write_bytes(b, "broken.ttf", &corrupt_font());
            append(b, "book.toml", "\n[output.pdf]\nfonts = { regular = \"broken.ttf\" }\n");
        }, args: &["--format", "pdf"], code: 1,
            message: "{book}/book.toml:10:1: error: font `{book}/broken.ttf` cannot be used: its GSUB table is corrupt" },
        Case { name: "pdf-page-unknown", setup: |b, _| append(b, "book.toml", "\n[output.pdf]\npage = \"bogus\"\n"), args: &["check"], code: 1,
            message: "{book}/book.toml:10:8: error: unknown PDF page profile `bogus` (use one of a4, letter, a5, ereader)" },
        case("cover-missing", |b, _| append(b, "book.toml", "cover = \"nope.svg\"\n"), 1,
            "{book}/book.toml:8:1: error: bad cover"),
        // Strictness
        case("strict-link-outside", |b, _| append(b, "src/two.md", "\nSee [the spec](/url).\n"), 1,
            "{book}/src/two.md:5:5: error: link to `/url` leaves the book's source directory (`site-url` would make it a link to the book's web site); its text is kept without the link"),
        case("strict-in-book-toml", |b, _| {
            append(b, "book.toml", "\n[build]\nstrict = true\n");
            append(b, "src/two.md", "\n[x](#nowhere)\n");
        }, 1, "{book}/src/two.md:5:1: error: link to `#nowhere` names an anchor `nowhere` that `two.md` does not have"),
        // --out
        Case { name: "out-is-a-file", setup: |_, c| write(c, "out-file", "x"), args: &["--out", "{case}/out-file"], code: 1,
            message: "{case}/out-file" },
        Case { name: "out-under-a-file", setup: |_, c| write(c, "out-file", "x"), args: &["--out", "{case}/out-file/sub"], code: 1,
            message: "{case}/out-file" },
        Case { name: "out-inside-src", setup: |_, _| {}, args: &["--out", "{book}/src/out"], code: 1,
            message: "{book}/src/out" },
    ]
}

/// Odd but valid inputs: they build in every format with exit 0.
fn valid_cases() -> Vec<(&'static str, Setup)> {
    vec![
        ("long-word", |b, _| {
            append(b, "src/two.md", &format!("\n{}\n", "x".repeat(100_000)))
        }),
        ("long-line", |b, _| {
            append(b, "src/two.md", &format!("\n{}\n", "word ".repeat(40_000)))
        }),
        ("huge-table", |b, _| {
            let cols = 60;
            let mut t = format!("\n|{}\n|{}\n", "h|".repeat(cols), "-|".repeat(cols));
            for r in 0..400 {
                t.push_str(&format!("|{}\n", format!("c{r}|").repeat(cols)));
            }
            append(b, "src/two.md", &t);
        }),
        ("xml-forbidden-characters", |b, _| {
            append(b, "src/two.md", "\nA\u{1}B\u{8}C\u{b}D\u{c}E\u{fffe}F\u{ffff}G\u{1b}[31mH\r\nlone\rcr\n\n`code\u{0}x`\n")
        }),
        ("raw-script", |b, _| {
            append(
                b,
                "src/two.md",
                "\n<script>alert('x')</script>\n\nText <script>alert(1)</script> inline.\n",
            )
        }),
        ("bidi-and-combining", |b, _| {
            append(
                b,
                "src/two.md",
                "\n\u{202e}reversed\u{202c} e\u{301}\u{301}\u{301} 漢字 😀 𝔄\n",
            )
        }),
        ("svg-external-reference", |b, c| {
            fs::copy(b.join("src/red.png"), c.join("outside.png")).expect("copy");
            let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><image width=\"5\" height=\"5\" xlink:href=\"{}\"/></svg>", c.join("outside.png").display());
            write(b, "src/ext.svg", &svg);
            append(b, "src/two.md", "\n![ext](ext.svg)\n");
        }),
        ("empty-chapter", |b, _| write(b, "src/two.md", "")),
        ("only-front-matter", |b, _| {
            write(b, "src/two.md", "+++\ntitle = \"Two\"\n+++\n")
        }),
        ("bom-and-crlf", |b, _| {
            write(b, "src/two.md", "\u{feff}# Two\r\n\r\nText.\r\n")
        }),
    ]
}

/// An output's text: each file of an EPUB (a zip) on its own, other files as they are.
fn unpacked(rel: &str, bytes: Vec<u8>) -> Vec<(String, String)> {
    if !rel.ends_with(".epub") {
        return vec![(
            rel.to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        )];
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an EPUB is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut text).expect("read entry");
            (
                format!("{rel}/{}", f.name()),
                String::from_utf8_lossy(&text).into_owned(),
            )
        })
        .collect()
}

fn expand(s: &str, book: &Path, case_dir: &Path) -> String {
    s.replace("{book}", path_str(book))
        .replace("{case}", path_str(case_dir))
}

/// A fresh copy of the reference book and its outputs for one case.
fn prepare(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let r = reference();
    let dir = scratch(&format!("catalogue-{name}"));
    copy_dir(&r.dir.join("book"), &dir.join("book"));
    copy_dir(&r.dir.join("out"), &dir.join("out"));
    let (book, out) = (dir.join("book"), dir.join("out"));
    (dir, book, out)
}

#[test]
fn bad_inputs_are_refused_with_located_errors_and_outputs_kept() {
    let cases = cases();
    assert!(cases.len() >= 40, "the catalogue has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let (dir, book, out) = prepare(c.name);
        let before = snapshot(&out);
        (c.setup)(&book, &dir);
        let mut args = vec!["--book".to_string(), path_str(&book).to_string()];
        if !c.args.contains(&"--out") {
            args.extend(["--out".to_string(), path_str(&out).to_string()]);
        }
        if c.name.starts_with("strict-link") {
            args.push("--strict".into());
        }
        args.extend(c.args.iter().map(|a| expand(a, &book, &dir)));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = run(&argv, &[]);
        let message = expand(c.message, &book, &dir);
        let mut problems = Vec::new();
        if code != c.code {
            problems.push(format!("exit {code}, want {}", c.code));
        }
        if !stderr.lines().any(|l| l.contains(&message)) {
            problems.push(format!("no line containing `{message}`"));
        }
        if !stdout.is_empty() {
            problems.push(format!("wrote something: {stdout}"));
        }
        if stderr.contains("panicked") || stderr.contains("crashed") {
            problems.push("crashed".into());
        }
        if snapshot(&out) != before {
            problems.push("--out changed".into());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{stderr}", c.name, problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// All of them at once, each in a chapter of its own, so one build and one epubcheck run
/// cover them all.
#[test]
fn odd_but_valid_inputs_build_in_every_format() {
    let (dir, book, out) = prepare("odd-but-valid");
    let two = fs::read(book.join("src/two.md")).expect("two.md");
    let mut summary = String::new();
    for (name, setup) in valid_cases() {
        setup(&book, &dir);
        fs::rename(book.join("src/two.md"), book.join(format!("src/{name}.md"))).expect("mv");
        fs::write(book.join("src/two.md"), &two).expect("restore");
        summary.push_str(&format!("- [{name}]({name}.md)\n"));
    }
    append(&book, "src/SUMMARY.md", &summary);
    let (code, stdout, stderr) = run(&["--book", path_str(&book), "--out", path_str(&out)], &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    assert!(!stderr.contains("crashed"), "{stderr}");
    let mut failures = Vec::new();
    for (rel, text) in snapshot(&out)
        .into_iter()
        .flat_map(|(rel, bytes)| unpacked(&rel, bytes))
    {
        if text.contains("TOP-SECRET") || (rel.contains(".xhtml") && text.contains("<script")) {
            failures.push(format!("{rel} holds what it must not"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let loaded = kr_publish::parse::load(&book).expect("the book loads");
    assert_eq!(loaded.book.chapters().count(), 2 + valid_cases().len());
    if let Some(report) = epubcheck(&out.join("cat.epub"), false) {
        assert!(report.contains("No errors or warnings"), "{report}");
    }
}
