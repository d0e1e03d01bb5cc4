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
    build_ok(&book, &out, "text", &[]);
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
    let (_, stderr) = build_ok(&book, &out, "text", &[]);
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
        (kr_publish::testing::ImageFormat::Svg, 1600, 2560)
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

/// Writes one image of each supported format (generated here, no binary fixtures) into a book
/// whose chapter shows them all, plus a bitmap larger than any reader needs.
fn book_with_every_format(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    let book = dir.join("book");
    let img = book.join("src/img");
    fs::create_dir_all(&img).expect("mkdir");
    fs::write(book.join("book.toml"), "[book]\ntitle = \"Figures\"\nlanguage = \"en\"\n[publish]\nbase-name = \"figures\"\ndate = \"2024-02-01\"\n").expect("toml");
    fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [Figures](figures.md)\n",
    )
    .expect("summary");
    let gradient = image::RgbImage::from_fn(320, 200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    for (file, format) in [
        ("photo.jpg", image::ImageFormat::Jpeg),
        ("diagram.png", image::ImageFormat::Png),
        ("anim.gif", image::ImageFormat::Gif),
        ("modern.webp", image::ImageFormat::WebP),
    ] {
        gradient
            .save_with_format(img.join(file), format)
            .expect("write image");
    }
    image::RgbImage::from_pixel(3000, 1200, image::Rgb([20, 90, 160]))
        .save(img.join("huge.png"))
        .expect("huge");
    fs::write(
        img.join("vector.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><script>alert(1)</script><rect width="200" height="100" fill="#e8833a" onclick="evil()"/><circle cx="100" cy="50" r="30" fill="#1b2230"/></svg>"##,
    )
    .expect("svg");
    fs::write(
        book.join("src/figures.md"),
        "# Figures\n\nA photo:\n\n![A JPEG photo](img/photo.jpg \"Photo\")\n\n![A PNG diagram](img/diagram.png)\n\nInline ![a GIF](img/anim.gif) in a sentence.\n\n![A WebP picture](img/modern.webp)\n\n![A huge bitmap](img/huge.png)\n\n![A vector drawing](img/vector.svg)\n",
    )
    .expect("chapter");
    book
}

#[test]
fn every_image_format_reaches_every_backend() {
    let book = book_with_every_format("img-all-formats");
    let out = book.parent().expect("dir").join("out");
    build_ok(&book, &out, "text,gemini,epub,pdf", &[]);
    let alts = [
        "A JPEG photo",
        "A PNG diagram",
        "a GIF",
        "A WebP picture",
        "A huge bitmap",
        "A vector drawing",
    ];

    // Text: the alt text stands in.
    let text = fs::read_to_string(out.join("figures.txt")).expect("text");
    for alt in alts {
        assert!(text.contains(&format!("[Image: {alt}]")), "{alt} in text");
    }

    // Gemini: every image copied into images/ and linked with its alt text.
    let cap = out.join("gemini");
    let page = fs::read_to_string(cap.join("figures.gmi")).expect("page");
    for alt in alts {
        let line = page
            .lines()
            .find(|l| l.starts_with("=> ") && l.contains(alt))
            .unwrap_or_else(|| panic!("no link for {alt}:\n{page}"));
        let target = line.split_whitespace().nth(1).expect("target");
        assert!(
            target.starts_with("images/") && cap.join(target).is_file(),
            "{line}"
        );
    }

    // EPUB: valid, core media types only, WebP converted, big bitmaps scaled, SVG sanitised.
    let epub_path = out.join("figures.epub");
    check_valid(&epub_path);
    let mut zip = zip::ZipArchive::new(fs::File::open(&epub_path).expect("epub")).expect("zip");
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let images: Vec<&String> = names.iter().filter(|n| n.contains("/images/")).collect();
    assert_eq!(images.len(), 6, "{images:?}");
    assert!(
        images.iter().all(|n| [".png", ".jpg", ".gif", ".svg"]
            .iter()
            .any(|e| n.ends_with(e))),
        "{images:?}"
    );
    let read = |zip: &mut zip::ZipArchive<fs::File>, name: &str| {
        let mut f = zip.by_name(name).expect("entry");
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).expect("read");
        v
    };
    let huge_name = images
        .iter()
        .find(|n| n.contains("huge"))
        .expect("huge")
        .to_string();
    let huge = image::load_from_memory(&read(&mut zip, &huge_name)).expect("png");
    assert_eq!((huge.width(), huge.height()), (2000, 800));
    let webp_name = images
        .iter()
        .find(|n| n.contains("modern"))
        .expect("webp")
        .to_string();
    assert!(webp_name.ends_with(".png"), "{webp_name}");
    let svg_name = images
        .iter()
        .find(|n| n.ends_with(".svg"))
        .expect("svg")
        .to_string();
    let svg = String::from_utf8(read(&mut zip, &svg_name)).expect("utf-8");
    assert!(!svg.contains("script") && !svg.contains("onclick"), "{svg}");
    assert!(
        svg.contains("#e8833a") || svg.contains("rgb(232,131,58)"),
        "the drawing survives: {svg}"
    );

    // PDF: it builds with these images (their placement is checked by the PDF tests).
    assert!(out.join("figures.pdf").is_file());
}
