//! EPUB 3: one XHTML document per chapter (plus cover, title page, contents and day pages),
//! a nav document, an NCX for EPUB 2 readers, and a reproducible zip.
//!
//! The package documents are written here rather than with epub-builder: 0.8.2 cannot write a
//! subtitle, contributors, a publisher, an ISBN identifier, the NCX `dtb:uid` or a `lang` on the
//! nav document, and its zip has to be re-packed anyway for byte-identical builds.
//!
//! [`build`] runs the stages in order, one module each: [`layout`] (which documents exist),
//! [`front`] and [`documents`] (the content documents), [`nav`] (contents, landmarks, nav
//! document and NCX), [`css`] (the stylesheet), [`package`] (manifest and OPF) and [`archive`]
//! (the zip).

mod archive;
mod css;
mod documents;
mod error;
mod fonts;
mod front;
mod layout;
mod nav;
mod package;
mod rawhtml;
mod resources;
mod xhtml;

use std::collections::HashSet;

use crate::outputs::EpubOptions;

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;
use documents::Documents;
use layout::Layout;
use package::{Item, Package};

/// The EPUB 3 backend: one `.epub` file per book.
pub(crate) struct EpubBackend;

impl Backend for EpubBackend {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, book: &Book, cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let options: EpubOptions = cx.config.output("epub").map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        let result = build(book, cx, &options, &mut diags);
        match result {
            Ok(bytes) if !diags.iter().any(Diagnostic::is_error) => Ok(Rendered {
                output: Output::File {
                    name: format!("{}.epub", book.meta.base_name),
                    bytes,
                },
                warnings: diags,
            }),
            Ok(_) => Err(diags),
            Err(d) => {
                diags.push(d);
                Err(diags)
            }
        }
    }
}

/// The EPUB of `book`: the stages of the package, in order.
fn build(
    book: &Book,
    cx: &RenderContext,
    options: &EpubOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, Diagnostic> {
    let (identifier, replaced) = package::identifier(&book.meta);
    if replaced {
        diags.push(Diagnostic::warning_in(
            cx.config.path.clone(),
            format!("identifier is neither a URN nor a valid ISBN: the EPUB uses {identifier}"),
        ));
    }
    let modified = package::modified(&book.meta, cx.options.source_date_epoch);
    let cover = resources::cover(book, cx)?;
    let (font_items, font_css) = embedded_fonts(cx, options, diags)?;

    // Documents: the front matter, then the book's text.
    let layout = Layout::new(book);
    let cover_href = cover.as_ref().map(|(href, _, _)| href.as_str());
    let contents = nav::chapters(book, &layout, true);
    let front = front::pages(&book.meta, cover_href, &contents);
    let mut docs = Documents::render(book, cx, &layout, &front);
    diags.append(&mut docs.diags);

    // Navigation: the table of contents, the landmarks, nav.xhtml and toc.ncx.
    let toc = nav::toc(book, &layout, front.iter().map(|p| p.nav_node()).collect());
    let mut landmarks: Vec<nav::Landmark> = front.iter().map(|p| p.landmark()).collect();
    if let Some(first) = docs.docs.get(front.len()) {
        landmarks.push(("bodymatter", "Start of content", first.file.clone()));
    }
    let nav_doc = nav::document(&book.meta, &toc, &landmarks);
    let ncx = nav::ncx(&book.meta, &identifier, &toc);

    // Stylesheet and manifest.
    let css = css::stylesheet(
        &css::Needs {
            fonts: &font_css,
            cover: cover.is_some(),
            separators: book.chapters().any(|r| r.chapter.separator_before),
            parts: layout.part_files.iter().any(Option::is_some),
            extra: cx.resources.extra_css.as_deref(),
        },
        &docs.docs,
    );
    let has_cover = cover.is_some();
    let has_images = !docs.images.items.is_empty();
    let parts = package::Parts {
        nav: nav_doc,
        css,
        cover,
        images: std::mem::take(&mut docs.images.items),
        fonts: font_items,
    };
    let (items, spine) = package::manifest(&book.meta, docs.docs, parts);
    let pkg = Package {
        meta: &book.meta,
        editors: book.is_proceedings(),
        identifier,
        modified,
        contributors: speakers(book),
        items,
        spine,
        has_images,
        has_cover,
    };

    archive::epub(&pkg.opf(), &ncx, pkg.items, &pkg.modified)
        .map_err(|e| Diagnostic::general(e.to_string()))
}

/// The fonts to embed and their `@font-face` rules, when `embed-fonts` is on.
fn embedded_fonts(
    cx: &RenderContext,
    options: &EpubOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Item>, String), Diagnostic> {
    if !options.embed_fonts {
        return Ok((Vec::new(), String::new()));
    }
    let (items, face_css) = fonts::embed(cx)?;
    if items.is_empty() {
        diags.push(Diagnostic::warning_in(
            cx.config.path.clone(),
            format!(
                "embed-fonts is on but `{}` holds no TrueType or OpenType font",
                options.fonts_dir.as_deref().unwrap_or("the bundled fonts")
            ),
        ));
    }
    Ok((items, face_css))
}

/// Every speaker once, in order of first appearance.
fn speakers(book: &Book) -> Vec<String> {
    let mut seen = HashSet::new();
    book.chapters()
        .flat_map(|r| r.chapter.speakers.iter())
        .filter(|s| seen.insert(s.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
