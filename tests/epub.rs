//! The EPUB backend on the Kernel Recipes book and the feature fixtures: validated by
//! epubcheck, then opened by an independent reader (zip + quick-xml, none of the backend's code)
//! that checks the spine, the links and that no paragraph of the seed is lost.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use quick_xml::events::Event;
use quick_xml::Reader;

const EPOCH: &str = "1700000000";

fn features() -> PathBuf {
    root().join("tests/fixtures/features")
}

fn cover_book() -> PathBuf {
    root().join("tests/fixtures/epub-cover")
}

/// Builds `book` into `out` and returns the EPUB path and stderr.
fn build(book: &Path, out: &Path, epoch: &str) -> (PathBuf, String) {
    let (stdout, stderr) = build_ok(book, out, "epub", &[("SOURCE_DATE_EPOCH", epoch)]);
    let path = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an .epub was written");
    assert!(stdout.contains(path.file_name().and_then(|n| n.to_str()).expect("name")));
    (path, stderr)
}

/// The usage note every EPUB with an NCX gets: the NCX namespace itself.
fn ncx_note(n: &str) -> bool {
    n.starts_with("USAGE(HTM-010)") && n.contains("toc.ncx") && n.contains("daisy.org")
}

/// The usage note of highlighted code's dark-scheme colours: epubcheck notes any media query,
/// and issue 14 asks for a `prefers-color-scheme: dark` variant of the palette.
fn dark_scheme_note(n: &str) -> bool {
    n.starts_with("USAGE(CSS-023)") && n.contains("style.css")
}

/// Manifest id → (href, media-type, properties).
type Manifest = HashMap<String, (String, String, String)>;

/// The EPUB's entries, in archive order.
struct Epub {
    names: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
    raw: Vec<u8>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let raw = std::fs::read(path).expect("read epub");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(raw.clone())).expect("a zip");
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let name = f.name().to_string();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("inflate");
            names.push(name.clone());
            files.insert(name, bytes);
        }
        Epub { names, files, raw }
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(
            self.files
                .get(name)
                .unwrap_or_else(|| panic!("no {name}"))
                .clone(),
        )
        .expect("utf-8")
    }

    /// (manifest: id → (href, media-type, properties), spine hrefs, OPF text), from
    /// container.xml onwards.
    fn package(&self) -> (Manifest, Vec<String>, String) {
        let container = self.text("META-INF/container.xml");
        let opf_path = elements(&container)
            .into_iter()
            .find(|(n, _)| n == "rootfile")
            .and_then(|(_, a)| a.get("full-path").cloned())
            .expect("rootfile");
        assert_eq!(opf_path, "OEBPS/content.opf");
        let opf = self.text(&opf_path);
        let mut manifest = HashMap::new();
        let mut spine = Vec::new();
        for (name, a) in elements(&opf) {
            let get = |k: &str| a.get(k).cloned().unwrap_or_default();
            match name.as_str() {
                "item" => {
                    manifest.insert(
                        get("id"),
                        (get("href"), get("media-type"), get("properties")),
                    );
                }
                "itemref" => spine.push(get("idref")),
                _ => {}
            }
        }
        let spine = spine
            .iter()
            .map(|id| manifest.get(id).expect("spine idref in manifest").0.clone())
            .collect();
        (manifest, spine, opf)
    }
}

/// Every element of an XML document as (local name, attributes); panics if not well-formed.
fn elements(xml: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = AsRef::<str>::as_ref(&e.local_name()).to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            AsRef::<str>::as_ref(&a.key).to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("attribute value")
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The text a reader shows for an XHTML document: body text, blocks separated by blank lines.
fn xhtml_text(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_body = false;
    // Footnote markers are not words of the text; skip them like a reader's text-to-speech.
    let mut in_noteref = false;
    loop {
        let event = reader.read_event().expect("well-formed XHTML");
        if let Event::Start(e) = &event {
            in_noteref = e
                .try_get_attribute("epub:type")
                .ok()
                .flatten()
                .is_some_and(|a| &*a.value == "noteref");
        } else if let Event::End(_) = &event {
            in_noteref = false;
        }
        if in_noteref {
            continue;
        }
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                let name: &str = name.as_ref();
                in_body |= name == "body";
                if name == "img" {
                    // Images read as their text alternative.
                    if let Ok(Some(alt)) = e.try_get_attribute("alt") {
                        out.push_str(&alt.value);
                    }
                }
                if matches!(
                    name,
                    "p" | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "pre"
                        | "td"
                        | "th"
                        | "br"
                        | "aside"
                        | "section"
                ) {
                    out.push_str("\n\n");
                }
            }
            Event::Text(t) if in_body => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_body => {
                let c = r.resolve_char_ref().expect("char ref");
                let named = match &*r {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                };
                out.push(c.or(named).expect("known reference"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Text of the first `h1` of an XHTML document.
fn h1(xml: &str) -> Option<String> {
    let start = xml.find("<h1")?;
    let end = xml[start..].find("</h1>")? + start;
    Some(
        xhtml_text(&format!("<body>{}</body>", &xml[start..end + 5]))
            .trim()
            .to_string(),
    )
}

/// Checks every `href`/`src` inside the package: the file exists and its fragment is an id
/// there. Returns the number of links checked.
fn check_links(epub: &Epub, manifest: &Manifest) -> usize {
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let docs: Vec<String> = manifest
        .values()
        .filter(|(_, mt, _)| mt == "application/xhtml+xml")
        .map(|(h, _, _)| h.clone())
        .collect();
    for href in &docs {
        let xml = epub.text(&format!("OEBPS/{href}"));
        let mut seen = HashSet::new();
        for (_, a) in elements(&xml) {
            if let Some(id) = a.get("id") {
                assert!(seen.insert(id.clone()), "duplicate id `{id}` in {href}");
            }
        }
        ids.insert(href.clone(), seen);
    }
    let hrefs: HashSet<&str> = manifest.values().map(|(h, _, _)| h.as_str()).collect();
    let mut checked = 0;
    let mut check = |from: &str, target: &str| {
        if target.contains("://") || target.starts_with("mailto:") {
            return;
        }
        let (file, frag) = target.split_once('#').unwrap_or((target, ""));
        let file = if file.is_empty() { from } else { file };
        assert!(
            hrefs.contains(file),
            "{from}: `{target}` is not in the manifest"
        );
        if !frag.is_empty() {
            assert!(
                ids.get(file).is_some_and(|s| s.contains(frag)),
                "{from}: `{target}` points at a missing id"
            );
        }
        checked += 1;
    };
    for href in &docs {
        let xml = epub.text(&format!("OEBPS/{href}"));
        for (name, a) in elements(&xml) {
            for key in ["href", "src"] {
                if let Some(t) = a.get(key).filter(|_| name != "link" || key == "href") {
                    check(href, t);
                }
            }
        }
    }
    for (_, a) in elements(&epub.text("OEBPS/toc.ncx")) {
        if let Some(src) = a.get("src") {
            check("toc.ncx", src);
        }
    }
    checked
}

fn talks(book: &Path) -> Vec<kr_publish::ir::Chapter> {
    let loaded = kr_publish::parse::load(book).expect("parses");
    loaded
        .book
        .chapters()
        .map(|r| r.chapter.clone())
        .filter(|c| c.is_talk())
        .collect()
}

#[test]
fn kr_book_is_valid_complete_and_in_order() {
    let out = scratch("epub-kr");
    let (path, stderr) = build(&kr_book(), &out, EPOCH);
    assert!(!stderr.contains("error"), "{stderr}");
    if let Some(notes) = check_valid(&path) {
        let extra: Vec<_> = notes
            .iter()
            .filter(|n| !ncx_note(n) && !dark_scheme_note(n))
            .collect();
        assert!(extra.is_empty(), "usage notes beyond the NCX's: {extra:#?}");
    }

    let epub = Epub::open(&path);
    assert_eq!(epub.names[0], "mimetype");
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
    let (manifest, spine, opf) = epub.package();

    // Every talk has its own document, in the book's order, showing its title and speakers.
    let talks = talks(&kr_book());
    assert_eq!(talks.len(), 21);
    let titles: Vec<String> = spine
        .iter()
        .filter_map(|h| h1(&epub.text(&format!("OEBPS/{h}"))))
        .collect();
    let mut at = 0;
    for t in &talks {
        let pos = titles[at..]
            .iter()
            .position(|x| *x == t.title)
            .unwrap_or_else(|| panic!("talk `{}` missing or out of order", t.title));
        at += pos + 1;
    }
    for h in &spine {
        let xml = epub.text(&format!("OEBPS/{h}"));
        if let Some(t) = talks.iter().find(|t| h1(&xml).as_deref() == Some(&t.title)) {
            let text = xhtml_text(&xml);
            for s in &t.speakers {
                assert!(
                    text.contains("Speaker") && text.contains(s.as_str()),
                    "{h}: {s}"
                );
            }
        }
    }

    // The reader's text of the whole spine keeps every paragraph of the seed.
    let text: String = spine
        .iter()
        .map(|h| xhtml_text(&epub.text(&format!("OEBPS/{h}"))))
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_nothing_lost(&text, "the EPUB");

    // Metadata: identity, dates from SOURCE_DATE_EPOCH, editors, speakers, accessibility.
    for needle in [
        "<dc:identifier id=\"pub-id\">urn:uuid:7b2e4c91-5d3a-4f86-9c1e-2a8d6f0b3e57</dc:identifier>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "<dc:date>2023-09-27</dc:date>",
        "property=\"title-type\">subtitle</meta>",
        "<dc:publisher>Kernel Recipes</dc:publisher>",
        "<dc:subject>Linux kernel</dc:subject>",
        ">edt</meta>",
        "<dc:contributor id=\"contributor-1\">Jens Axboe</dc:contributor>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityFeature\">readingOrder</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
    ] {
        assert!(opf.contains(needle), "content.opf lacks {needle}");
    }
    let speakers: HashSet<&str> = talks
        .iter()
        .flat_map(|t| t.speakers.iter().map(String::as_str))
        .collect();
    assert_eq!(opf.matches("<dc:contributor").count(), speakers.len());
    let ncx = epub.text("OEBPS/toc.ncx");
    assert!(ncx.contains(
        "<meta name=\"dtb:uid\" content=\"urn:uuid:7b2e4c91-5d3a-4f86-9c1e-2a8d6f0b3e57\"/>"
    ));

    // The nav nests days → posts → talks and has landmarks; every link resolves.
    let nav = epub.text("OEBPS/nav.xhtml");
    let toc_nav = &nav[..nav.find("landmarks").expect("landmarks nav")];
    let depth_of = |label: &str| {
        let at = toc_nav
            .find(label)
            .unwrap_or_else(|| panic!("nav lacks {label}"));
        toc_nav[..at].matches("<ol>").count() - toc_nav[..at].matches("</ol>").count()
    };
    assert_eq!(depth_of(">Day 1 — Monday 25 September 2023<"), 1);
    assert_eq!(depth_of(">Live blog day 1: morning<"), 2);
    assert_eq!(depth_of(">The Arm laptop project<"), 3);
    for landmark in [
        "epub:type=\"toc\"",
        "epub:type=\"bodymatter\"",
        "epub:type=\"titlepage\"",
    ] {
        assert!(
            nav[nav.find("landmarks").unwrap_or(0)..].contains(landmark),
            "{landmark}"
        );
    }
    assert!(manifest
        .values()
        .any(|(h, _, p)| h == "nav.xhtml" && p == "nav"));
    let links = check_links(&epub, &manifest);
    assert!(links > 100, "only {links} links checked");

    // A post's closing line follows its last talk, not its opening.
    let gaming = epub.text("OEBPS/day-1-linux-and-gaming.xhtml");
    assert!(gaming.contains("See you tomorrow for the day 2 live blog"));
    assert!(!epub
        .text("OEBPS/day-1-afternoon.xhtml")
        .contains("See you tomorrow"));

    // The SVG cover from covers/, rendered for e-readers: a JPEG of 1600 × 2560 under 1 MB.
    let (href, media_type, _) = manifest
        .get("cover-image")
        .expect("the KR book has a cover");
    assert_eq!(
        (href.as_str(), media_type.as_str()),
        ("images/cover.jpg", "image/jpeg")
    );
    let cover = &epub.files["OEBPS/images/cover.jpg"];
    let img = image::load_from_memory(cover).expect("a JPEG");
    assert_eq!((img.width(), img.height()), (1600, 2560));
    assert!(cover.len() < 1 << 20, "cover is {} bytes", cover.len());
    // Not a blank page: the dark background and the light title are both there.
    let rgb = img.to_rgb8();
    let lightest = rgb
        .pixels()
        .map(|p| p.0.iter().map(|&c| u32::from(c)).sum::<u32>())
        .max()
        .unwrap_or(0);
    let darkest = rgb
        .pixels()
        .map(|p| p.0.iter().map(|&c| u32::from(c)).sum::<u32>())
        .min()
        .unwrap_or(0);
    assert!(
        lightest > 600 && darkest < 200,
        "cover range {darkest}..{lightest}"
    );
}

#[test]
fn builds_are_byte_identical_for_one_source_date_epoch() {
    let (a, _) = build(&kr_book(), &scratch("epub-det-a"), EPOCH);
    let (b, _) = build(&kr_book(), &scratch("epub-det-b"), EPOCH);
    let (a, b) = (Epub::open(&a), Epub::open(&b));
    assert!(
        a.raw == b.raw,
        "two builds with SOURCE_DATE_EPOCH={EPOCH} differ"
    );
    let (c, _) = build(&kr_book(), &scratch("epub-det-c"), "1800000000");
    let c = Epub::open(&c);
    assert_ne!(a.raw, c.raw);
    assert!(c
        .package()
        .2
        .contains("<meta property=\"dcterms:modified\">2027-01-15T08:00:00Z</meta>"));
}

#[test]
fn feature_book_keeps_every_node_and_escapes_bad_html() {
    let out = scratch("epub-features");
    let (path, stderr) = build(&features(), &out, EPOCH);
    if let Some(notes) = check_valid(&path) {
        // Beyond the NCX, only the class that the book's own raw HTML uses (it brings no CSS).
        let extra: Vec<_> = notes
            .iter()
            .filter(|n| !ncx_note(n) && !dark_scheme_note(n))
            .filter(|n| !(n.starts_with("USAGE(CSS-025)") && n.contains("part-2-c.xhtml")))
            .collect();
        assert!(extra.is_empty(), "unexpected usage notes: {extra:#?}");
    }
    // The two bad raw HTML blocks (and the styled span) are reported at their lines.
    for line in [
        "c.md:12:1: warning",
        "c.md:14:1: warning",
        "c.md:16:1: warning",
    ] {
        assert!(stderr.contains(line), "no warning `{line}` in:\n{stderr}");
    }

    let epub = Epub::open(&path);
    let (manifest, spine, _) = epub.package();
    check_links(&epub, &manifest);
    let c = epub.text("OEBPS/part-2-c.xhtml");
    assert!(c.contains("<div class=\"note\"><p>Well-formed <em>XHTML</em> block.</p></div>"));
    assert!(
        !c.contains("<script") && !c.contains("onclick=\""),
        "unsafe HTML passed"
    );
    let c_text = xhtml_text(&c);
    assert!(
        c_text.contains("<script>alert(\"bad\")</script>"),
        "{c_text}"
    );
    assert!(c_text.contains("<p onclick=\"steal()\">Unclosed paragraph"));
    assert!(c.contains("<kbd>Ctrl</kbd>"));
    for s in [
        "日本語のテキスト",
        "Ελληνικά",
        "Русский",
        "العربية",
        "🎉👩‍👩‍👧",
        "=> this paragraph",
        "# this paragraph",
    ] {
        assert!(c_text.contains(s), "lost `{s}`");
    }

    // The image is stored, with its media type, and referenced with its alt text.
    let (img_href, img_type, _) = manifest
        .values()
        .find(|(h, _, _)| h.starts_with("images/"))
        .expect("image in manifest");
    assert_eq!(img_type, "image/png");
    assert_eq!(
        epub.files[&format!("OEBPS/{img_href}")],
        std::fs::read(features().join("src/images/red.png")).expect("fixture image")
    );
    assert!(c.contains(&format!(
        "<img src=\"{img_href}\" alt=\"A small red square\" title=\"The red square\"/>"
    )));
    assert!(epub.package().2.contains(">alternativeText</meta>"));

    // Footnotes as EPUB 3 notes with links back; a reference used twice gets two anchors.
    let b = epub.text("OEBPS/part-1-b.xhtml");
    assert_eq!(b.matches("epub:type=\"noteref\"").count(), 3);
    assert_eq!(b.matches("<aside id=\"fn-").count(), 2);
    assert!(b.contains("epub:type=\"footnote\""));
    assert!(b.contains("href=\"#fnref-1\" role=\"doc-backlink\""));
    assert!(b.contains("id=\"fnref-1-2\""));
    // Tables, lists, code, headings.
    for needle in [
        "<thead>",
        "<tbody>",
        "<ol start=\"3\">",
        "☑ a done task",
        "☐ an open task",
        // Highlighted: the language on `<code>`, classes on the spans.
        "<pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">main</span>() {",
        "<pre><code>```\na line that starts",
        "&#60;angle&#62; &#38; amp",
        "<blockquote>",
    ] {
        assert!(b.contains(needle), "part-1-b.xhtml lacks {needle}");
    }
    assert!(b.contains("<h1 id=\"chapter-title\">Talk B: “Quotes” &#38; &#60;Angles&#62;</h1>"));
    assert!(xhtml_text(&b).contains("Speakers: Zoë Speaker, 李 Wei"));
    let a = epub.text("OEBPS/part-1-a.xhtml");
    for h in 2..=6 {
        assert!(a.contains(&format!("<h{h} id=")), "no h{h}");
    }
    assert!(a.contains("href=\"part-1-b.xhtml#lists\"") && a.contains("href=\"#deep-headings\""));
    assert!(a.contains("href=\"https://example.org/path?q=1&#38;r=2\""));
    // Chapter A's closing paragraph follows talk B.
    assert!(b.contains("This closing paragraph comes after the talk."));

    // Every word of every chapter reaches the reader.
    let text: String = spine
        .iter()
        .map(|h| xhtml_text(&epub.text(&format!("OEBPS/{h}"))))
        .collect();
    let book = kr_publish::parse::load(&features()).expect("parses").book;
    let have = format!(" {} ", words(&text).join(" "));
    for ch in book.chapters().map(|r| r.chapter) {
        for b in ch.blocks.iter().chain(&ch.closing) {
            if let kr_publish::ir::BlockKind::Paragraph(p) = &b.kind {
                let w = words(&kr_publish::ir::plain_text(p));
                assert!(have.contains(&format!(" {} ", w.join(" "))), "lost: {w:?}");
            }
        }
    }
}

#[test]
fn cover_and_extra_css_make_a_clean_package() {
    let (path, _) = build(&cover_book(), &scratch("epub-cover"), EPOCH);
    if let Some(notes) = check_valid(&path) {
        let extra: Vec<_> = notes
            .iter()
            .filter(|n| !ncx_note(n) && !dark_scheme_note(n))
            .collect();
        assert!(extra.is_empty(), "usage notes beyond the NCX's: {extra:#?}");
    }
    let epub = Epub::open(&path);
    let (manifest, spine, opf) = epub.package();
    assert_eq!(spine[0], "cover.xhtml");
    let (href, media_type, props) = manifest.get("cover-image").expect("cover item");
    assert_eq!(
        (href.as_str(), media_type.as_str(), props.as_str()),
        ("images/cover.jpg", "image/jpeg", "cover-image")
    );
    // Every cover is stored as a JPEG for e-readers; this small PNG keeps its size.
    let jpeg =
        image::load_from_memory(&epub.files["OEBPS/images/cover.jpg"]).expect("a JPEG cover");
    let png = image::load_from_memory(
        &std::fs::read(cover_book().join("covers/cover.png")).expect("cover"),
    )
    .expect("png");
    assert_eq!((jpeg.width(), jpeg.height()), (png.width(), png.height()));
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    assert!(epub.text("OEBPS/cover.xhtml").contains(
        "<img role=\"doc-cover\" src=\"images/cover.jpg\" alt=\"Cover of Feature Tour\"/>"
    ));
    assert!(epub
        .text("OEBPS/nav.xhtml")
        .contains("<a epub:type=\"cover\" href=\"cover.xhtml\">"));
    let css = epub.text("OEBPS/style.css");
    assert!(
        css.ends_with(".note { margin: 1em 2em; font-style: italic; }\n"),
        "extra CSS comes last"
    );
    check_links(&epub, &manifest);
}

#[test]
fn embedded_fonts_are_declared_and_valid() {
    // By default the bundled fonts are embedded.
    let book = scratch("epub-fonts-book");
    copy_dir(&features(), &book);
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("toml");
    std::fs::write(
        book.join("book.toml"),
        format!("{toml}\n[output.epub]\nembed-fonts = true\n"),
    )
    .expect("write toml");
    let (path, _) = build(&book, &scratch("epub-fonts"), EPOCH);
    check_valid(&path);
    let epub = Epub::open(&path);
    let (manifest, _, _) = epub.package();
    for font in [
        "GentiumBookPlus-Regular.ttf",
        "GentiumBookPlus-BoldItalic.ttf",
        "DejaVuSansMono.ttf",
    ] {
        assert!(
            manifest
                .values()
                .any(|(h, t, _)| *h == format!("fonts/{font}") && t == "font/ttf"),
            "{font}"
        );
    }
    let css = epub.text("OEBPS/style.css");
    assert!(css.contains("@font-face { font-family: \"Gentium Book Plus\"; font-style: italic; font-weight: bold; src: url(\"fonts/GentiumBookPlus-BoldItalic.ttf\"); }"), "{css}");
    assert!(
        css.contains("body { font-family: \"Gentium Book Plus\", serif; }"),
        "{css}"
    );
    assert!(
        css.contains("code, pre { font-family: \"DejaVu Sans Mono\", monospace; }"),
        "{css}"
    );

    // fonts-dir names the book's own fonts instead.
    std::fs::create_dir_all(book.join("myfonts")).expect("fonts dir");
    std::fs::copy(
        root().join("fonts/GentiumBookPlus-Italic.ttf"),
        book.join("myfonts/Own Italic.ttf"),
    )
    .expect("copy font");
    std::fs::write(
        book.join("book.toml"),
        format!("{toml}\n[output.epub]\nembed-fonts = true\nfonts-dir = \"myfonts\"\n"),
    )
    .expect("write toml");
    let (path, _) = build(&book, &scratch("epub-fonts-dir"), EPOCH);
    check_valid(&path);
    let epub = Epub::open(&path);
    let (manifest, _, _) = epub.package();
    let fonts: Vec<_> = manifest
        .values()
        .filter(|(_, t, _)| t == "font/ttf")
        .map(|(h, _, _)| h.clone())
        .collect();
    assert_eq!(fonts, vec!["fonts/Own-Italic.ttf".to_string()]);
}

#[test]
fn a_missing_image_is_an_error_at_its_line() {
    let book = scratch("epub-missing-image");
    copy_dir(&features(), &book);
    std::fs::remove_file(book.join("src/images/red.png")).expect("remove image");
    let out = scratch("epub-missing-image-out");
    let (code, _, stderr) = run(
        &[
            "--book",
            path_str(&book),
            "--out",
            path_str(&out),
            "--format",
            "epub",
        ],
        &[],
    );
    assert_ne!(code, 0);
    assert!(
        stderr.contains("part-2/c.md:8:11: error: cannot read image `../images/red.png`"),
        "{stderr}"
    );
    assert!(!out.join("features.epub").exists());
}
