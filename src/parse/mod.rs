//! Book directory → IR: `book.toml`, `SUMMARY.md`, then each chapter file, then link resolution.
//! Every error of the book is collected and reported together.

pub(crate) mod code;
pub(crate) mod frontmatter;
pub(crate) mod include;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod math;
pub(crate) mod preprocess;
mod read;
pub(crate) mod summary;

use std::collections::HashMap;
use std::path::Path;

use crate::assets::{AssetError, AssetLoader};
use crate::config::Config;
use crate::diag::{Diagnostic, SourceMap};
use crate::ir::{Block, BlockKind, Book, BookMeta, Chapter, Inline, Part, Span, IR_VERSION};
use crate::slug::slugify;
pub(crate) use read::{read_text, ReadError};
use summary::{SummaryItem, SummaryPart};

/// In a post's file, the HTML comment that separates its introduction from its closing lines.
pub const TALKS_MARKER: &str = "<!-- talks -->";

/// A parsed book, its configuration and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The book's document tree.
    pub book: Book,
    /// book.toml, read and checked.
    pub config: Config,
    /// The files book.toml names for the outputs, already read.
    pub resources: crate::resources::Resources,
    /// Every warning, sorted by file and position.
    pub warnings: Vec<Diagnostic>,
}

/// Parses the book in `book_dir`. On failure, returns every diagnostic (errors and warnings).
pub fn load(book_dir: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let config = Config::load(book_dir).map_err(|d| vec![d])?;
    let config_warnings = config.warnings.clone();
    let mut loader = Loader::new(book_dir, src_dir(&config)?, &config);
    let (summary, summary_file) = loader.summary(&config)?;
    let src_rel = loader.src_rel.clone();
    loader.prepared = preprocess::run(book_dir, &config, &summary, &src_rel, &mut loader.diags);

    let front = loader.items(&summary.prefix, 0);
    let parts = summary
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| loader.part(i, p, summary_file))
        .collect();
    let back = loader.items(&summary.suffix, 0);
    loader.math_warning();

    let mut book = Book {
        kr_ir_version: IR_VERSION,
        meta: meta(&config),
        front,
        parts,
        back,
        sources: loader.sources.clone(),
        assets: Vec::new(),
        cover: None,
    };
    // Chapter numbers, as mdBook shows them, unless book.toml turns them off or the book is
    // proceedings (talks are found by their speakers, not by number).
    let numbered = config.section_labels && !book.is_proceedings();
    if !numbered {
        book.for_each_chapter_mut(&mut |c| c.number.clear());
    }
    let sources = SourceMap::new(book_dir, &loader.sources);
    let mut late_diags = Vec::new();
    let link_cx = links::LinkContext {
        site_url: config.site_url.as_deref(),
        title_anchors: &loader.title_anchors,
    };
    links::resolve_links(&mut book, &link_cx, &sources, &mut late_diags);
    load_images(&mut book, book_dir, &sources, &mut late_diags);
    load_cover(&mut book, &config, book_dir, &mut late_diags);
    let resources = crate::resources::load(&config, book_dir).unwrap_or_else(|errors| {
        late_diags.extend(errors);
        crate::resources::Resources::default()
    });
    let mut diags = config_warnings;
    diags.extend(loader.diags);
    diags.extend(late_diags);
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(Loaded {
        book,
        config,
        resources,
        warnings: diags,
    })
}

/// The source directory relative to the book's, `.` for the book's own; an error if `src`
/// leaves the book's directory.
fn src_dir(config: &Config) -> Result<String, Vec<Diagnostic>> {
    let Some(src_rel) = crate::paths::join("book.toml", config.book.src.trim_end_matches('/'))
    else {
        let (line, col) = config.key_position("src");
        return Err(vec![Diagnostic::error(
            config.path.clone(),
            line,
            col,
            format!(
                "`src = \"{}\"` is outside the book's directory; chapters must live inside it",
                config.book.src
            ),
        )]);
    };
    Ok(if src_rel.is_empty() {
        ".".into()
    } else {
        src_rel
    })
}

/// Loads `[publish] cover` into `book.cover`; a cover that cannot be loaded is an error on its
/// key in book.toml.
fn load_cover(book: &mut Book, config: &Config, book_dir: &Path, diags: &mut Vec<Diagnostic>) {
    let Some(cover) = &config.publish.cover else {
        return;
    };
    match crate::cover::load(cover, &book.meta, book_dir) {
        Ok(asset) => book.cover = Some(asset),
        Err(e) => {
            let (line, col) = config.key_position("cover");
            let d = Diagnostic::error(config.path.clone(), line, col, format!("bad cover: {e}"));
            diags.push(match e.is_missing() {
                true => d.with_hint(
                    "the cover's path is relative to the book's folder (the one holding book.toml)",
                ),
                false => d,
            });
        }
    }
}

/// Loads every local image once into `book.assets` and points the image inlines at them.
fn load_images(book: &mut Book, book_dir: &Path, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let mut loader = AssetLoader::default();
    let names = book.sources.clone();
    book.for_each_chapter_mut(&mut |c: &mut Chapter| {
        let chapter_rel = names.get(c.span.file as usize).cloned().unwrap_or_default();
        c.for_each_inline_mut(&mut |inline| {
            let Inline::Image {
                src, asset, span, ..
            } = inline
            else {
                return;
            };
            match loader.load(book_dir, &chapter_rel, src) {
                Ok(i) => {
                    *asset = Some(i);
                    if let Some(msg) = loader.degraded.take() {
                        diags.push(sources.warning(*span, msg));
                    }
                }
                Err(AssetError::Remote) => diags.push(sources.warning(
                    *span,
                    format!("remote image `{src}` is not fetched; its alt text stands in"),
                )),
                Err(AssetError::Bad(e)) => {
                    let d = sources.error(*span, e.to_string());
                    diags.push(match e.hint() {
                        Some(hint) => d.with_hint(hint),
                        None => d,
                    });
                }
            }
        });
    });
    book.assets = loader.assets;
}

fn meta(config: &Config) -> BookMeta {
    let title = config
        .book
        .title
        .clone()
        .unwrap_or_else(|| "Untitled".to_string());
    let base_name = config
        .publish
        .base_name
        .clone()
        .unwrap_or_else(|| match slugify(&title) {
            s if s.is_empty() => "book".to_string(),
            s => s,
        });
    BookMeta {
        title,
        subtitle: config.publish.subtitle.clone(),
        authors: config.book.authors.clone(),
        language: config
            .book
            .language
            .clone()
            .unwrap_or_else(|| "en".to_string()),
        description: config.book.description.clone(),
        identifier: config.publish.identifier.clone(),
        date: config.publish.date.clone(),
        publisher: config.publish.publisher.clone(),
        subjects: config.publish.subjects.clone(),
        base_name,
        cover: config.publish.cover.clone(),
        rtl: config.book.rtl(),
        kind: config.publish.kind,
    }
}

struct Loader<'a> {
    book_dir: &'a Path,
    src_rel: String,
    sources: Vec<String>,
    diags: Vec<Diagnostic>,
    /// Chapter ids in use.
    ids: crate::slug::UniqueNames,
    /// Source paths in use, with the SUMMARY line that first used them.
    paths: HashMap<String, u32>,
    /// `[output.html.code.hidelines]`.
    hidelines: std::collections::BTreeMap<String, String>,
    /// Chapter source path → the id of the `# Title` heading that became the chapter title
    /// (links to it go to the chapter's top).
    title_anchors: HashMap<String, String>,
    dialect: markdown::Dialect,
    /// Formulas kept as TeX so far, and the first one's file and place.
    math: Option<(usize, String, Span)>,
    /// Chapters' Markdown after the book's external preprocessors (and the include pass, run
    /// in order with them), by path; empty when the book has none.
    prepared: HashMap<String, include::Expanded>,
}

impl<'a> Loader<'a> {
    fn new(book_dir: &'a Path, src_rel: String, config: &Config) -> Self {
        Loader {
            book_dir,
            src_rel,
            sources: Vec::new(),
            diags: Vec::new(),
            ids: crate::slug::UniqueNames::default(),
            paths: HashMap::new(),
            hidelines: config.hidelines.clone(),
            title_anchors: HashMap::new(),
            dialect: config.markdown,
            math: None,
            prepared: HashMap::new(),
        }
    }

    /// Reads and parses SUMMARY.md, keeping its warnings; returns it with its file number.
    fn summary(&mut self, config: &Config) -> Result<(summary::Summary, u32), Vec<Diagnostic>> {
        let summary_rel = format!("{}/SUMMARY.md", self.src_rel);
        let summary_file = self.add_source(&summary_rel);
        let summary_shown = self.shown(summary_file);
        let summary_text = read_text(self.book_dir, &summary_rel, "SUMMARY.md")
            .map_err(|e| vec![Diagnostic::error_in(summary_shown.clone(), e.to_string())])?;
        let summary_text = summary_text
            .strip_prefix('\u{feff}')
            .unwrap_or(&summary_text);
        let mut summary = summary::parse_summary(summary_text, &summary_shown, &config.markdown)?;
        self.diags.append(&mut summary.warnings);
        Ok((summary, summary_file))
    }
}

impl Loader<'_> {
    /// One warning for the whole book about the formulas it keeps as TeX source.
    fn math_warning(&mut self) {
        if let Some((n, shown, span)) = self.math.take() {
            let formulas = if n == 1 { "formula" } else { "formulas" };
            self.diags.push(Diagnostic::warning(
                shown,
                span.line,
                span.col,
                format!(
                    "math is not rendered yet: {n} {formulas} in the book kept as TeX source code ({})",
                    if n == 1 { "here" } else { "one of them here" }
                ),
            ));
        }
    }

    fn add_source(&mut self, rel: &str) -> u32 {
        self.sources.push(rel.to_string());
        self.sources.len() as u32 - 1
    }

    fn shown(&self, file: u32) -> String {
        SourceMap::new(self.book_dir, &self.sources).path(file)
    }

    fn summary_error(&mut self, item: &SummaryItem, msg: String) {
        let shown = self.shown(0);
        self.diags
            .push(Diagnostic::error(shown, item.line, item.col, msg));
    }

    fn part(&mut self, index: usize, p: &SummaryPart, summary_file: u32) -> Part {
        let chapters = self.items(&p.items, 0);
        let mut id = match slugify(&p.title) {
            s if s.is_empty() => format!("part-{}", index + 1),
            s => s,
        };
        if self.ids.contains(&id) {
            id = format!("part-{}-{id}", index + 1);
        }
        let id = self.ids.unique(&id);
        let date = first_date(&chapters);
        Part {
            id,
            title: p.title.clone(),
            date,
            chapters,
            span: Span {
                file: summary_file,
                line: p.line,
                col: 1,
            },
        }
    }

    fn items(&mut self, items: &[SummaryItem], depth: u32) -> Vec<Chapter> {
        items
            .iter()
            .filter_map(|item| self.chapter(item, depth))
            .collect()
    }

    fn chapter(&mut self, item: &SummaryItem, depth: u32) -> Option<Chapter> {
        let path = self.chapter_file(item)?;
        self.paths.insert(path.clone(), item.line);
        let children = self.items(&item.children, depth + 1);
        let rel = format!("{}/{}", self.src_rel, path);
        let text = self.read_chapter(item, &path, &rel)?;
        let file = self.add_source(&rel);
        let shown = self.shown(file);
        let text = chapter_source(&text);
        let (fm, body_start) = match frontmatter::split(&text, &shown) {
            Ok(x) => x,
            Err(d) => {
                self.diags.push(d);
                (frontmatter::FrontMatter::default(), 0)
            }
        };
        let expanded = match self.prepared.remove(&path) {
            Some(prepared) => prepared,
            None => include::expand(self.book_dir, &rel, &text, body_start, &mut self.diags),
        };
        let input = markdown::Input {
            text: &expanded.text,
            whole: &text,
            map: &expanded.map,
            hidelines: &self.hidelines,
            dialect: self.dialect,
        };
        let converted = markdown::convert_input(&input, file, &shown, &mut self.diags);
        if let Some((n, span)) = converted.math {
            match &mut self.math {
                Some((total, _, _)) => *total += n,
                None => self.math = Some((n, shown.clone(), span)),
            }
        }
        let mut blocks = converted.blocks;
        // `{{#title …}}` sets the title as front matter does.
        let title = expanded.title.or_else(|| fm.title.clone());
        let title = self
            .take_title(&path, &mut blocks, title)
            .unwrap_or_else(|| item.text.clone());
        // SUMMARY.md's text is the contents entry when the author wrote something else there
        // (as written, or as read: "The maintainer's POV" is the title "The maintainer’s POV").
        let toc_title = (item.title != title && item.text != title).then(|| item.text.clone());
        let closing = split_closing(&mut blocks);
        let id = match slugify(path.strip_suffix(".md").unwrap_or(&path)) {
            s if s.is_empty() => self.ids.unique("chapter"),
            s => self.ids.unique(&s),
        };
        Some(Chapter {
            id,
            title,
            toc_title,
            number: item.number.clone(),
            separator_before: item.separator_before,
            speakers: fm.speakers,
            date: fm.date,
            language: fm.language,
            source: path,
            depth,
            blocks,
            closing,
            footnotes: converted.footnotes,
            children,
            span: Span {
                file,
                line: 1,
                col: 1,
            },
        })
    }

    /// The chapter's path relative to `src`, or `None` (reported) for a draft, a path outside
    /// `src` or one listed twice.
    fn chapter_file(&mut self, item: &SummaryItem) -> Option<String> {
        let Some(path) = item.path.clone() else {
            let shown = self.shown(0);
            self.diags.push(Diagnostic::warning(
                shown,
                item.line,
                item.col,
                format!("draft chapter `{}` has no file; left out", item.title),
            ));
            return None;
        };
        // Paths are relative to `src`, may be written `./a.md` or `a%20b.md`, and must stay inside it.
        let Some(path) = chapter_path(&path) else {
            let msg = format!(
                "chapter `{path}` is outside the book's source directory `{}`; nothing of it is read",
                self.src_rel
            );
            self.summary_error(item, msg);
            return None;
        };
        if let Some(first) = self.paths.get(&path) {
            let msg = format!("`{path}` is listed twice in SUMMARY.md (first at line {first})");
            self.summary_error(item, msg);
            return None;
        }
        Some(path)
    }

    /// The chapter's text, or `None` (reported on its SUMMARY.md line) if it cannot be read.
    fn read_chapter(&mut self, item: &SummaryItem, path: &str, rel: &str) -> Option<String> {
        match read_text(self.book_dir, rel, &format!("chapter `{path}`")) {
            Ok(t) => Some(t),
            Err(e @ ReadError::Missing { .. }) => {
                let msg = format!(
                    "{e}: create it, or make it a draft with `[{}]()`",
                    item.title
                );
                let hint = format!(
                    "chapter paths in SUMMARY.md are relative to the book's source folder `{}`",
                    self.src_rel
                );
                let shown = self.shown(0);
                let d = Diagnostic::error(shown, item.line, item.col, msg).with_hint(hint);
                self.diags.push(d);
                None
            }
            Err(e) => {
                self.summary_error(item, e.to_string());
                None
            }
        }
    }

    /// An mdBook chapter usually opens with `# Title`: that is the chapter title, not body
    /// text. The heading is taken out of `blocks` when it agrees with `title` (or there is
    /// none); returns the title.
    fn take_title(
        &mut self,
        path: &str,
        blocks: &mut Vec<Block>,
        title: Option<String>,
    ) -> Option<String> {
        if let Some(Block {
            kind:
                BlockKind::Heading {
                    level: 1,
                    content,
                    id,
                    ..
                },
            ..
        }) = blocks.first()
        {
            let h1 = crate::ir::plain_text(content);
            if title.as_deref().is_none_or(|t| t == h1) {
                self.title_anchors.insert(path.to_string(), id.clone());
                blocks.remove(0);
                return Some(h1);
            }
        }
        title
    }
}

/// Splits off what follows the talks marker (the marker itself dropped): a talk's closing.
fn split_closing(blocks: &mut Vec<Block>) -> Vec<Block> {
    match blocks
        .iter()
        .position(|b| matches!(&b.kind, BlockKind::Html(h) if h.trim() == TALKS_MARKER))
    {
        Some(i) => {
            let mut rest = blocks.split_off(i);
            rest.remove(0);
            rest
        }
        None => Vec::new(),
    }
}

/// A chapter's path as SUMMARY.md writes it (`./a.md`, `a%20b.md`), relative to `src`; `None`
/// when it leaves `src`.
pub(crate) fn chapter_path(written: &str) -> Option<String> {
    crate::paths::join("SUMMARY.md", &crate::paths::percent_decode(written))
        .filter(|p| !p.is_empty())
}

/// A chapter file's text as it is parsed: without a byte-order mark, with `\n` line ends.
pub(crate) fn chapter_source(text: &str) -> String {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
}

fn first_date(chapters: &[Chapter]) -> Option<String> {
    chapters
        .iter()
        .find_map(|c| c.date.clone().or_else(|| first_date(&c.children)))
}
