//! Unit tests of the EPUB backend as a whole.

use super::*;
use crate::backend::RenderOptions;
use crate::config::Config;
use crate::ir::{Block, BlockKind, Chapter, Inline};
use crate::ir::{BookMeta, Span, IR_VERSION};
use std::path::Path;

fn paragraph(text: &str, line: u32) -> Block {
    Block {
        span: Span {
            file: 0,
            line,
            col: 1,
        },
        kind: BlockKind::Paragraph(vec![Inline::Text(text.to_string())]),
    }
}

#[test]
fn drops_characters_xml_forbids_with_a_located_warning() {
    let chapter = Chapter {
        id: "a".into(),
        title: "A".into(),
        speakers: vec![],
        date: None,
        source: "a.md".into(),
        depth: 0,
        blocks: vec![paragraph("ok", 1), paragraph("bell\u{7} here", 3)],
        closing: vec![],
        footnotes: vec![],
        children: vec![],
        span: Span::default(),
        ..Chapter::default()
    };
    let book = Book {
        kr_ir_version: IR_VERSION,
        meta: BookMeta {
            title: "T".into(),
            language: "en".into(),
            base_name: "t".into(),
            ..BookMeta::default()
        },
        front: vec![chapter],
        parts: vec![],
        back: vec![],
        assets: vec![],
        cover: None,
        sources: vec!["src/a.md".into()],
    };
    let config = Config::parse("[book]\ntitle = \"T\"\n", "book.toml").expect("config");
    let options = RenderOptions::default();
    let cx = RenderContext {
        config: &config,
        resources: &Default::default(),
        cover_jpeg: &Default::default(),
        timings: &Default::default(),
        book_dir: Path::new("b"),
        options: &options,
    };
    let rendered = EpubBackend.render(&book, &cx).expect("renders");
    let w = rendered
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert_eq!(
        w,
        vec!["b/src/a.md:3:1: warning: dropped the character U+0007, which XHTML cannot contain"]
    );
    let Output::File { bytes, .. } = rendered.output else {
        panic!("one file");
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("OEBPS/a.xhtml").expect("doc"), &mut doc)
        .expect("utf-8");
    assert!(doc.contains("<p>bell here</p>"), "{doc}");
}
