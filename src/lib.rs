//! kr-publish: one Markdown book (mdBook layout) → one typed document tree → EPUB, PDF,
//! Gemini and plain text.
//!
//! `parse` builds the tree ([`ir::Book`]) once; each module under `backend` turns it into one
//! format; `output` writes the results atomically.

// The public surface: the build, the IR (the contract), diagnostics, loading and the
// configuration types a loaded book carries, and the backend contract. Everything else is
// internal, so the compiler finds dead code in it.
pub(crate) mod assets;
pub mod backend;
pub mod config;
pub(crate) mod cover;
pub(crate) mod dates;
pub mod diag;
pub(crate) mod fonts;
pub(crate) mod highlight;
pub(crate) mod html;
pub mod init;
pub mod ir;
pub(crate) mod media;
pub(crate) mod output;
pub mod outputs;
pub mod parse;
pub(crate) mod paths;
pub mod report;
pub mod resources;
pub mod serve;
pub(crate) mod slug;
pub(crate) mod svg;
pub mod timings;
pub(crate) mod typeset;
pub(crate) mod uri;
pub mod watch;
pub(crate) mod xml;

/// Internals the integration tests and benchmarks measure directly; not a stable API.
#[doc(hidden)]
pub mod testing {
    pub use crate::backend::pdf::PdfBackend;
    pub use crate::backend::plain::width;
    pub use crate::cover::CoverJpeg;
    pub use crate::dates::is_iso_date;
    pub use crate::media::ImageFormat;
    pub use crate::typeset::fonts::Fonts;
    pub use crate::typeset::frame::{roman, Item, LineBox, LineRole, Page};
    pub use crate::typeset::structure::{Artifact, Role, Tag};
    pub use crate::typeset::{layout, Geometry, Layout, Matter};
    pub use crate::uri::is_external;
}

use std::path::{Path, PathBuf};

use backend::{Format, RenderContext, RenderOptions};
use diag::Diagnostic;

/// The folder, inside the output folder, where the cover's JPEG is kept between builds.
const COVER_CACHE: &str = ".kr-publish-cache";

/// Stack size of each backend's thread.
const BACKEND_STACK: usize = 8 << 20;

/// One output written by [`build`].
#[derive(Debug, Clone)]
pub struct Written {
    /// Which format.
    pub format: Format,
    /// Where it was written.
    pub path: PathBuf,
    /// Its size (a capsule's: all its files).
    pub bytes: u64,
}

/// The outcome of a build: what was written, what went wrong, what was degraded.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// The outputs written, in the order asked.
    pub written: Vec<Written>,
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each phase took (`--timings` prints them).
    pub timings: Vec<timings::Phase>,
}

impl BuildReport {
    /// Whether the build failed (and so wrote nothing).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses the book once, renders every requested format from the same tree, and writes each
/// output atomically into `out_dir`: under a temporary name as soon as it is rendered, put in
/// place once every format has succeeded. A book with errors writes nothing; under `--strict`
/// (or `[build] strict = true`) neither does one with warnings, which are reported as errors.
/// An `out_dir` that cannot hold outputs (a file, or inside the book's sources) is refused
/// before rendering. Rendering first removes the temporary files that builds killed earlier
/// left in `out_dir`.
pub fn build(
    book_dir: &Path,
    out_dir: &Path,
    formats: &[Format],
    options: &RenderOptions,
) -> BuildReport {
    let mut report = BuildReport::default();
    let timings = timings::Timings::default();
    build_timed(book_dir, out_dir, formats, options, &mut report, &timings);
    report.timings = timings.phases();
    report
}

/// [`build`], recording each phase in `timings`.
fn build_timed(
    book_dir: &Path,
    out_dir: &Path,
    formats: &[Format],
    options: &RenderOptions,
    report: &mut BuildReport,
    timings: &timings::Timings,
) {
    let loaded = match timings.time("load and parse", || parse::load(book_dir)) {
        Ok(l) => l,
        Err(diags) => {
            report.diagnostics = strictly(diags, options.strict);
            return;
        }
    };
    let strict = options.strict || loaded.config.build.strict;
    report.diagnostics.extend(loaded.warnings.iter().cloned());
    let src_dir = book_dir.join(loaded.config.book.src.trim_end_matches('/'));
    if let Err(e) = output::check_out_dir(out_dir, &src_dir) {
        let d = Diagnostic::general(e.to_string());
        report.diagnostics.push(match e {
            output::OutDirError::InsideSources { .. } => {
                d.with_hint("choose an --out folder outside the book's source folder")
            }
            _ => d,
        });
        return;
    }
    let cover_jpeg = cover::CoverJpeg::cached_in(out_dir.join(COVER_CACHE));
    let cx = RenderContext {
        config: &loaded.config,
        resources: &loaded.resources,
        cover_jpeg: &cover_jpeg,
        book_dir,
        options,
        timings,
    };
    let mut outputs = Vec::new();
    let had_out_dir = out_dir.exists();
    // What builds killed earlier left behind (never what a running build is writing).
    output::remove_leftovers(out_dir);
    let rendered = timings.time("render (all formats)", || {
        render_all(&loaded.book, &cx, formats, out_dir)
    });
    if let Some(took) = cover_jpeg.took() {
        timings.record("cover JPEG (inside a backend)", took);
    }
    for (format, result) in rendered {
        match result {
            Ok((warnings, staged)) => {
                report.diagnostics.extend(warnings);
                outputs.push((format, staged));
            }
            Err(diags) => report.diagnostics.extend(diags),
        }
    }
    report.diagnostics = strictly(std::mem::take(&mut report.diagnostics), strict);
    if report.has_errors() {
        // The staged outputs are removed as they drop, and a folder made for them with them.
        drop(outputs);
        if !had_out_dir {
            let _ = std::fs::remove_dir(out_dir);
        }
        return;
    }
    for (format, staged) in outputs {
        let written = timings.time(format!("write {}", format.name()), || staged.commit());
        match written {
            Ok((path, bytes)) => report.written.push(Written {
                format,
                path,
                bytes,
            }),
            Err(e) => report
                .diagnostics
                .push(Diagnostic::general(format!("{}: {e}", format.name()))),
        }
    }
    cover_jpeg.store(|pid| !output::pid_alive(pid));
}

/// Under `--strict`, every warning becomes an error.
fn strictly(diags: Vec<Diagnostic>, strict: bool) -> Vec<Diagnostic> {
    if !strict {
        return diags;
    }
    diags.into_iter().map(Diagnostic::into_error).collect()
}

/// What rendering a format gave: its warnings and its output, written under a temporary name.
type Staged = (Vec<Diagnostic>, output::Staged);

/// Renders every format side by side (backends only read the tree), each output written under a
/// temporary name in `out_dir` as soon as it is rendered, while the others still render; results
/// come back in the order the formats were asked for.
fn render_all(
    book: &ir::Book,
    cx: &RenderContext,
    formats: &[Format],
    out_dir: &Path,
) -> Vec<(Format, Result<Staged, Vec<Diagnostic>>)> {
    std::thread::scope(|scope| {
        if formats
            .iter()
            .any(|f| matches!(f, Format::Epub | Format::Pdf))
        {
            let listings = listings(book);
            // Nothing to wait for: the writers highlight what this thread has not reached.
            let _ = std::thread::Builder::new()
                .name("highlight".into())
                .spawn_scoped(scope, move || highlight::ahead(&listings));
        }
        let handles: Vec<_> = formats
            .iter()
            .map(|&format| {
                // Backends walk the tree recursively: give them the main thread's stack size.
                let thread = std::thread::Builder::new()
                    .name(format.name().into())
                    .stack_size(BACKEND_STACK)
                    .spawn_scoped(scope, move || {
                        let rendered =
                            cx.timings.time(format!("render {}", format.name()), || {
                                format.backend().render(book, cx)
                            })?;
                        let staged = cx.timings.time(format!("stage {}", format.name()), || {
                            output::stage(out_dir, &rendered.output)
                        });
                        match staged {
                            Ok(s) => Ok((rendered.warnings, s)),
                            Err(e) => {
                                let mut d = rendered.warnings;
                                d.push(Diagnostic::general(format!("{}: {e}", format.name())));
                                Err(d)
                            }
                        }
                    });
                (format, thread)
            })
            .collect();
        handles
            .into_iter()
            .map(|(format, h)| {
                let result = match h.map(|h| h.join()) {
                    Ok(Ok(result)) => result,
                    // A last resort: a panic is a bug, and the tests make sure none is reachable.
                    _ => Err(vec![Diagnostic::general(format!(
                        "{}: the backend crashed (a bug in kr-publish; please report it)",
                        format.name()
                    ))]),
                };
                (format, result)
            })
            .collect()
    })
}

/// The book's code blocks that name a language, as (language, code), in reading order.
fn listings(book: &ir::Book) -> Vec<(&str, &str)> {
    struct Collect<'a>(Vec<(&'a str, &'a str)>);
    impl<'a> ir::Visit<'a> for Collect<'a> {
        fn visit_block(&mut self, b: &'a ir::Block) {
            match &b.kind {
                ir::BlockKind::CodeBlock {
                    lang: Some(lang),
                    text,
                    ..
                } => self.0.push((lang, text)),
                _ => ir::walk_block(self, b),
            }
        }
    }
    let mut c = Collect(Vec::new());
    for ch in book.chapters() {
        ir::walk_blocks(&mut c, &ch.chapter.blocks);
    }
    c.0
}
