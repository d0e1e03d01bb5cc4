//! The command line: parses arguments, calls the library, reports. Exit codes: 0 ok, 1 the book
//! (or a backend) has errors, 2 usage.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use kr_publish::backend::{Format, RenderOptions};
use kr_publish::diag::Diagnostic;
use kr_publish::report::{render, MessageFormat};

/// mimalloc returns freed memory and reuses it across threads, where glibc's allocator grew
/// a big book's PDF build to three times its live data (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (libmimalloc-sys 0.1.49 does not name
/// it): how long freed memory stays mapped before it goes back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for 100 ms instead of 10 ms: a build frees and allocates in waves, and
/// memory given back is zeroed again by the kernel when taken anew (a fifth of a code-heavy
/// book's PDF time at 10 ms). Measured when layout held the whole book: that book's PDF
/// 1.04 s -> 0.71 s at 500 ms. Since layout streams its pages, 500 ms only kept more memory
/// mapped: the 10 MB book's PDF peaks at 255-260 MB with 100 ms, 285-310 MB with 500 ms, in
/// the same time (within the machine's noise, 3 runs each).
fn keep_freed_memory() {
    // SAFETY: sets a documented option by its number; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
}

/// Turns transparent huge pages off for the process. mimalloc asks for them on its arenas
/// (`MADV_HUGEPAGE`), and the kernel then zeroes 2 MB at the first touch of each: on a
/// machine whose THP mode is `madvise`, zeroing was 47 % of the Kernel Recipes PDF's samples,
/// and the 10 MB book's PDF took 2.75 s and 203-219 MB with them, 2.6 s and 170-191 MB
/// without (3 runs each). The flag is the process's own, like `MIMALLOC_ALLOW_THP=0`, which
/// mimalloc reads only before `main`.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's flags;
    // a kernel without it returns an error, which changes nothing.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

/// `--version`: what the binary writes and with which fonts.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nwrites: EPUB 3, PDF 1.7 (tagged, PDF/UA-1 by default), gemtext (Gemini), UTF-8 text, \
     the IR as JSON (kr_ir_version 1)",
    "\nfonts: Gentium Book Plus 6.101 (text), DejaVu Sans Mono 2.37 (code); OFL and Bitstream \
     Vera licences",
);

#[derive(Parser)]
#[command(
    name = "kr-publish",
    version,
    long_version = LONG_VERSION,
    about = "Publish an mdBook-style book as EPUB, PDF, a Gemini capsule and plain text"
)]
struct Cli {
    /// The book directory (holding book.toml).
    #[arg(long, default_value = "book", global = true)]
    book: PathBuf,
    /// Where outputs are written.
    #[arg(long, global = true, default_value = "output")]
    out: PathBuf,
    /// Formats to build; repeatable or comma-separated.
    #[arg(
        long,
        global = true,
        value_enum,
        value_delimiter = ',',
        default_value = "all"
    )]
    format: Vec<FormatArg>,
    /// Wrap width of the plain-text output, in display columns.
    #[arg(long, global = true, default_value_t = 72, value_parser = clap::value_parser!(u16).range(20..=1000))]
    text_width: u16,
    /// PDF page profile (overrides `[output.pdf] page` in book.toml).
    #[arg(long, global = true, value_parser = kr_publish::outputs::PAGE_PROFILES)]
    pdf_page: Option<String>,
    /// The standard the PDF is written to and checked against (overrides `[output.pdf]
    /// standard` in book.toml): `none` checks nothing.
    #[arg(long, global = true, value_parser = kr_publish::outputs::PDF_STANDARDS)]
    pdf_standard: Option<String>,
    /// Treat every warning as an error (also `[build] strict = true` in book.toml).
    #[arg(long, global = true)]
    strict: bool,
    /// Show errors only, not warnings nor what was written.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Also say how long the build took.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Print how long each phase of the build took to stderr.
    #[arg(long)]
    timings: bool,
    /// How to write diagnostics: with the source line (`human`, the default on a terminal),
    /// one line each (`short`, the default otherwise) or one JSON object per line (`json`).
    #[arg(long, value_enum, global = true)]
    message_format: Option<MessageFormatArg>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and validate the book without writing anything.
    Check,
    /// Start a new book in DIR (new or empty): settings, chapters, an image and a cover.
    Init {
        /// Where to create the book.
        #[arg(default_value = "book")]
        dir: PathBuf,
        /// The book's title (by default, from the folder's name).
        #[arg(long)]
        title: Option<String>,
    },
    /// Print a completion script for SHELL (e.g. `kr-publish completions bash >
    /// ~/.local/share/bash-completion/completions/kr-publish`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Build, then rebuild the formats asked for whenever a file of the book changes.
    Watch,
    /// `watch`, and serve the capsule on a local Gemini server (TLS, a self-signed
    /// certificate made on first use).
    Serve {
        /// The address to listen on (loopback by default: only this machine can connect).
        #[arg(long, default_value = "127.0.0.1:1965")]
        addr: String,
    },
    /// Print the man page (roff), e.g. `kr-publish man > ~/.local/share/man/man1/kr-publish.1`.
    Man,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormatArg {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Epub,
    Pdf,
    Gemini,
    Text,
    Json,
    All,
}

fn main() -> ExitCode {
    keep_freed_memory();
    no_huge_pages();
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Check) => return check(&cli),
        Some(Command::Init { dir, title }) => return init(dir, title.as_deref()),
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "kr-publish", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            return match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("kr-publish: cannot write the man page: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Some(Command::Watch | Command::Serve { .. }) | None => {}
    }
    let (formats, options) = match settings(&cli) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    match &cli.command {
        Some(Command::Watch) => return watch(&cli, &formats, &options),
        Some(Command::Serve { addr }) => return serve(&cli, addr, formats, &options),
        _ => {}
    }
    let started = std::time::Instant::now();
    let report = kr_publish::build(&cli.book, &cli.out, &formats, &options);
    report_diagnostics(&cli, &report.diagnostics);
    if !cli.quiet {
        for w in &report.written {
            println!("wrote {} ({})", w.path.display(), human_size(w.bytes));
        }
    }
    if cli.verbose {
        eprintln!("built in {} ms", started.elapsed().as_millis());
    }
    if cli.timings {
        for phase in &report.timings {
            let ms = phase.time.as_secs_f64() * 1e3;
            eprintln!("timing: {ms:>9.3} ms  {}", phase.name);
        }
        // Peaks on lines of their own, so that tools reading `timing:` lines keep working.
        for phase in &report.timings {
            if let Some(bytes) = phase.peak_memory {
                let mb = bytes as f64 / 1e6;
                eprintln!("memory: {mb:>9.1} MB  peak after {}", phase.name);
            }
        }
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The formats and options the command line asks for; a bad `SOURCE_DATE_EPOCH` is a usage
/// error.
fn settings(cli: &Cli) -> Result<(Vec<Format>, RenderOptions), ExitCode> {
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                eprintln!(
                    "kr-publish: SOURCE_DATE_EPOCH must be a non-negative integer, not `{v}`"
                );
                return Err(ExitCode::from(2));
            }
        },
        Err(_) => None,
    };
    let mut formats: Vec<Format> = Vec::new();
    for f in &cli.format {
        let add: &[Format] = match f {
            FormatArg::All => &Format::ALL,
            FormatArg::Epub => &[Format::Epub],
            FormatArg::Pdf => &[Format::Pdf],
            FormatArg::Gemini => &[Format::Gemini],
            FormatArg::Text => &[Format::Text],
            FormatArg::Json => &[Format::Json],
        };
        for &x in add {
            if !formats.contains(&x) {
                formats.push(x);
            }
        }
    }
    let options = RenderOptions {
        text_width: cli.text_width as usize,
        source_date_epoch,
        pdf_page: cli.pdf_page.clone(),
        pdf_standard: cli.pdf_standard.clone(),
        strict: cli.strict,
    };
    Ok((formats, options))
}

/// `kr-publish serve`: the capsule on a Gemini server in the background, `watch` in front.
fn serve(cli: &Cli, addr: &str, mut formats: Vec<Format>, options: &RenderOptions) -> ExitCode {
    if !formats.contains(&Format::Gemini) {
        formats.push(Format::Gemini);
    }
    let tls = match kr_publish::serve::tls_config(&kr_publish::serve::cache_dir()) {
        Ok(tls) => tls,
        Err(e) => {
            eprintln!("kr-publish: {e}");
            return ExitCode::from(1);
        }
    };
    let listener = match std::net::TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kr-publish: cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    let lang = kr_publish::parse::load(&cli.book)
        .map(|l| l.book.meta.language)
        .unwrap_or_else(|_| "en".to_string());
    let capsule = cli.out.join("gemini");
    match listener.local_addr() {
        Ok(a) => println!("serving gemini://{a}/ from {}", capsule.display()),
        Err(_) => println!("serving {addr} from {}", capsule.display()),
    }
    std::thread::spawn(move || kr_publish::serve::serve(listener, capsule, tls, lang));
    watch(cli, &formats, options)
}

/// `kr-publish watch`: one line per build with its time, and its diagnostics.
fn watch(cli: &Cli, formats: &[Format], options: &RenderOptions) -> ExitCode {
    let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
    let result = kr_publish::watch::watch(&cli.book, &cli.out, formats, options, |build| {
        report_diagnostics(cli, &build.report.diagnostics);
        let what = match build.changed.first() {
            Some(path) if build.changed.len() == 1 => format!("{} changed: ", path.display()),
            Some(_) => format!("{} files changed: ", build.changed.len()),
            None => String::new(),
        };
        let outcome = if build.report.has_errors() {
            "errors, previous outputs kept"
        } else {
            "built"
        };
        println!(
            "{what}{outcome} {} in {} ms; watching {} (Ctrl-C stops)",
            names.join(", "),
            build.elapsed.as_millis(),
            cli.book.display()
        );
        true
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kr-publish: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(cli: &Cli) -> ExitCode {
    let (loaded, diags) = match kr_publish::parse::load(&cli.book) {
        Ok(loaded) => {
            let strict = cli.strict || loaded.config.build.strict;
            let diags = loaded
                .warnings
                .iter()
                .map(|d| {
                    if strict {
                        d.clone().into_error()
                    } else {
                        d.clone()
                    }
                })
                .collect();
            (Some(loaded), diags)
        }
        Err(diags) => (None, diags),
    };
    report_diagnostics(cli, &diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match loaded {
        Some(loaded) if errors == 0 => {
            let chapters = loaded.book.chapters().count();
            println!(
                "{}: ok ({} parts, {chapters} chapters)",
                cli.book.display(),
                loaded.book.parts.len()
            );
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!(
                "kr-publish: {errors} error{} in {}",
                if errors == 1 { "" } else { "s" },
                cli.book.display()
            );
            ExitCode::from(1)
        }
    }
}

fn init(dir: &std::path::Path, title: Option<&str>) -> ExitCode {
    let from_dir = || {
        let name = dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .file_name()
            .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
            .unwrap_or_default();
        // "my-book" becomes "My book"; "book" itself says nothing, so "My book".
        let mut chars = name.trim().chars();
        match chars.next() {
            Some(first) if name.trim() != "book" => first.to_uppercase().chain(chars).collect(),
            _ => "My book".to_string(),
        }
    };
    let title = title.map_or_else(from_dir, str::to_string);
    match kr_publish::init::init(dir, &title) {
        Ok(files) => {
            for f in files {
                println!("created {}", dir.join(f).display());
            }
            println!(
                "build it with: kr-publish --book {} --out output",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kr-publish: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes `diags` to stderr as the command line asks: errors only under `--quiet`; with
/// their source lines on a terminal (in colour unless `NO_COLOR` is set), one line each when
/// piped, or JSON.
fn report_diagnostics(cli: &Cli, diags: &[Diagnostic]) {
    use std::io::IsTerminal;
    let terminal = std::io::stderr().is_terminal();
    let format = match cli.message_format {
        Some(MessageFormatArg::Human) => MessageFormat::Human,
        Some(MessageFormatArg::Short) => MessageFormat::Short,
        Some(MessageFormatArg::Json) => MessageFormat::Json,
        None if terminal => MessageFormat::Human,
        None => MessageFormat::Short,
    };
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| !cli.quiet || d.is_error())
        .cloned()
        .collect();
    eprint!("{}", render(&shown, format, color));
}

fn human_size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
