//! Bad images: each refused with a located error, exit 1, nothing written, previous output kept.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// A one-chapter book whose chapter shows `![alt](src)`, built once cleanly first.
fn book_with_image(
    name: &str,
    src: &str,
    setup: impl Fn(&Path),
) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = scratch(name);
    let book = dir.join("book");
    fs::create_dir_all(book.join("src/img")).expect("mkdir");
    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Images\"\n[publish]\nbase-name = \"images\"\n",
    )
    .expect("toml");
    fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .expect("summary");
    fs::write(book.join("src/one.md"), "# One\n\nNo image yet.\n").expect("chapter");
    let out = dir.join("out");
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    setup(&book);
    fs::write(
        book.join("src/one.md"),
        format!("# One\n\nA figure:\n![the alt text]({src})\n"),
    )
    .expect("chapter");
    (book, out)
}

fn assert_refused(name: &str, src: &str, setup: impl Fn(&Path), message: &str) {
    let (book, out) = book_with_image(name, src, setup);
    let before = fs::read(out.join("images.txt")).expect("first build");
    let (code, stdout, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
        ],
        &[],
    );
    assert_eq!(code, 1, "{name}: {stderr}");
    assert!(stdout.is_empty(), "{name}: nothing written: {stdout}");
    let located = format!("{}/src/one.md:4:1: error: ", path_str(&book));
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&located) && l.contains(message)),
        "{name}: want `{located}…{message}` in:\n{stderr}"
    );
    assert_eq!(
        fs::read(out.join("images.txt")).expect("kept"),
        before,
        "{name}: previous output intact"
    );
}

/// A well-formed PNG header (signature, IHDR, an empty IDAT) claiming `w` × `h` pixels.
fn png_header(w: u32, h: u32) -> Vec<u8> {
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

#[test]
fn missing_file() {
    assert_refused(
        "img-missing",
        "img/nope.png",
        |_| {},
        "cannot read image `img/nope.png`",
    );
}

#[test]
fn unsupported_format() {
    assert_refused(
        "img-format",
        "img/notes.png",
        |b| fs::write(b.join("src/img/notes.png"), "just text").expect("w"),
        "is not a PNG, JPEG, GIF, WebP or SVG file",
    );
}

#[test]
fn corrupt_image() {
    let mut truncated =
        fs::read(root().join("tests/fixtures/features/src/images/red.png")).expect("png");
    truncated.truncate(40);
    assert_refused(
        "img-corrupt",
        "img/bad.png",
        move |b| fs::write(b.join("src/img/bad.png"), &truncated).expect("w"),
        "is corrupt or unsupported",
    );
}

#[test]
fn decompression_bomb() {
    assert_refused(
        "img-bomb",
        "img/bomb.png",
        |b| fs::write(b.join("src/img/bomb.png"), png_header(200_000, 200_000)).expect("w"),
        "pixels",
    );
}

#[test]
fn paths_leaving_the_book() {
    assert_refused(
        "img-dotdot",
        "../../../../../../etc/passwd",
        |_| {},
        "outside the book's directory",
    );
    assert_refused(
        "img-absolute",
        "/etc/passwd",
        |_| {},
        "outside the book's directory",
    );
    assert_refused(
        "img-file-url",
        "file:///etc/passwd",
        |_| {},
        "file URLs are not allowed",
    );
    assert_refused(
        "img-symlink",
        "img/link.png",
        |b| std::os::unix::fs::symlink("/etc/passwd", b.join("src/img/link.png")).expect("symlink"),
        "outside the book's directory",
    );
}

#[test]
fn remote_images_are_not_fetched() {
    let (book, out) = book_with_image("img-remote", "https://example.org/x.png", |_| {});
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "text",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: remote image `https://example.org/x.png` is not fetched"),
        "{stderr}"
    );
    let text = fs::read_to_string(out.join("images.txt")).expect("text");
    assert!(text.contains("[Image: the alt text]"), "{text}");
}

#[test]
fn covers_load_or_fail_with_the_book_toml_line() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("the KR book parses");
    let cover = loaded.book.cover.expect("the KR book has a cover");
    assert_eq!(
        (cover.format, cover.width, cover.height),
        (kr_publish::assets::ImageFormat::Svg, 1600, 2560)
    );

    let (book, _) = book_with_image("cover-bad", "img/none.png", |_| {});
    fs::write(book.join("src/one.md"), "# One\n").expect("chapter");
    fs::write(book.join("book.toml"), "[book]\ntitle = \"Images\"\n[publish]\nbase-name = \"images\"\ncover = \"covers/missing.jpg\"\n").expect("toml");
    let (code, _, stderr) = run(&["--book", path_str(&book), "check"], &[]);
    assert_eq!(code, 1);
    let want = format!(
        "{}/book.toml:5:1: error: bad cover: cannot read",
        path_str(&book)
    );
    assert!(stderr.contains(&want), "{stderr}");

    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Images\"\n[publish]\nbase-name = \"images\"\ncover = \"generate\"\n",
    )
    .expect("toml");
    let loaded = kr_publish::parse::load(&book).expect("parses");
    let cover = loaded.book.cover.expect("generated");
    assert!(String::from_utf8_lossy(&cover.bytes).contains(">Images</text>"));
}
