//! The `versus` command line: parses arguments, runs a command, prints what happened.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The build allocates per page on every core; glibc's allocator spent 13% of a
/// 10,000-page build in malloc and free, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use versus::config::Overrides;
use versus::diagnostic::{display_path, escape_path, seen_from};
use versus::samples;

#[derive(Parser)]
#[command(
    name = "versus",
    version,
    about = "Build comparison docs: one page per option, a filterable matrix and a decision guide"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into a static site.
    Build {
        /// The book's root folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: `output` under [build] in book.toml, else public/).
        #[arg(long, short = 'd')]
        dest: Option<PathBuf>,
        /// Absolute URL the site is published at, for the sitemap and canonical links.
        #[arg(long)]
        base_url: Option<String>,
        /// Build the site and the fragments as true for this version, one of those listed
        /// under [versions] in book.toml (default: the current one).
        #[arg(long, value_name = "VERSION")]
        at: Option<String>,
        /// Build in this language instead of `language` in book.toml: its catalogue of
        /// strings and the pages' `lang` (see `versus languages`).
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// List the languages versus ships a catalogue of strings for, one per line.
    Languages,
    /// Empty the build cache (highlighted code kept between builds).
    Clean {
        /// The book's root folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The cache folder (default: $VERSUS_CACHE_DIR, else .versus-cache in the book).
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Check the book (links, anchors, orphans, unused dimensions, guide) without writing.
    Check {
        /// The book's root folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Check pages marked `draft: true` too, as part of the book.
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve and watch the book; every open page reloads after a change.
    Serve {
        /// The book's root folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short = 'p', default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but a loopback address exposes the preview.
        #[arg(long, short = 'b', default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Build into this folder instead of a temporary one (e.g. to inspect the output).
        #[arg(long, short = 'd')]
        dest: Option<PathBuf>,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Start a new comparison book in DIR (default: the current folder).
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also write .github/workflows/pages.yml, a GitHub Actions workflow that checks the
        /// book and publishes it on GitHub Pages at every push to main.
        #[arg(long)]
        github_pages: bool,
    },
    /// Run the book's Python samples and check their output.
    Test {
        /// `[DIR] [FILTER]`: the book's root folder (default `.`), and which samples to run: a
        /// `path:line` (or `path:line:col`) as `--list` and failures print it selects that
        /// sample (a trailing part of the path is enough); other text selects the samples
        /// whose `path:line` or title contains it. A single argument is the folder if it holds
        /// a book.toml, else the filter.
        #[arg(num_args = 0..=2, value_names = ["DIR", "FILTER"])]
        args: Vec<String>,
        /// The Python interpreter (default: `python` under [test] in book.toml, else python3).
        #[arg(long)]
        python: Option<String>,
        /// How many samples run at once, 1 to 256 (default: the number of CPUs).
        #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..=MAX_JOBS))]
        jobs: Option<u16>,
        /// List the samples (`path:line "title"`) that FILTER selects, without running them.
        #[arg(long)]
        list: bool,
    },
}

/// Where highlighted code is kept between builds.
#[derive(clap::Args)]
struct CacheArgs {
    /// The cache folder (default: $VERSUS_CACHE_DIR, else .versus-cache in the book).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
}

impl CacheArgs {
    fn dir(self, book: &Path) -> Option<PathBuf> {
        (!self.no_cache)
            .then(|| versus::cache::location(book, self.cache_dir.map(from_working_dir)))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest,
            base_url,
            at,
            language,
            cache,
        } => {
            let cache = cache.dir(&dir);
            let overrides = Overrides {
                output_dir: dest.map(from_working_dir),
                base_url,
                at,
                drafts: false,
                language,
            };
            build(dir, overrides, cache)
        }
        Command::Languages => {
            for language in versus::config::strings::shipped_languages() {
                println!("{language}");
            }
            ExitCode::SUCCESS
        }
        Command::Clean { dir, cache_dir } => clean(&dir, cache_dir),
        Command::Check {
            dir,
            deny_warnings,
            drafts,
        } => check(dir, deny_warnings, drafts),
        Command::Init { dir, github_pages } => init(dir, github_pages),
        Command::Serve {
            dir,
            port,
            bind,
            dest,
            open,
            cache,
        } => {
            let options = versus::serve::ServeOptions {
                cache_dir: cache.dir(&dir),
                root: dir,
                bind,
                port,
                dest: dest.map(from_working_dir),
                open,
            };
            let book = options.root.clone();
            match versus::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => report_failure(&failure, &book, "serve failed"),
            }
        }
        Command::Test {
            args,
            python,
            jobs,
            list,
        } => {
            let (dir, filter) = book_and_filter(args);
            test(dir, python, jobs, filter, list)
        }
    }
}

fn init(dir: PathBuf, github_pages: bool) -> ExitCode {
    match versus::init::init(&dir, github_pages) {
        Ok(files) => {
            for file in files {
                eprintln!("created {}", dir.join(file).display());
            }
            eprintln!(
                "next: `versus build {}` and open public/index.html",
                dir.display()
            );
            if github_pages {
                eprintln!(
                    "for GitHub Pages: set `base-url` in book.toml, point the workflow's `cargo install --git` at where you install versus from, and pick \"GitHub Actions\" as the source under Settings > Pages"
                );
                if let Some(root) = versus::init::enclosing_repository(&dir) {
                    eprintln!(
                        "note: {} is inside the git repository at {}, and GitHub reads workflows only from {}: move the workflow there and run its versus steps in the book's folder (README, Publishing)",
                        dir.display(),
                        root.display(),
                        root.join(".github/workflows").display()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report_failure(&failure, Path::new("."), "init failed; nothing was written")
        }
    }
}

/// Splits `versus test`'s positional arguments into the book folder and the filter.
fn book_and_filter(mut args: Vec<String>) -> (PathBuf, Option<String>) {
    match args.len() {
        2 => {
            let filter = args.pop();
            (PathBuf::from(args.remove(0)), filter)
        }
        1 if Path::new(&args[0])
            .join(versus::config::BOOK_FILE)
            .is_file() =>
        {
            (PathBuf::from(args.remove(0)), None)
        }
        1 => (PathBuf::from("."), args.pop()),
        _ => (PathBuf::from("."), None),
    }
}

/// More samples at once than this only thrashes the machine; a larger `--jobs` is a typo.
const MAX_JOBS: i64 = 256;

fn test(
    dir: PathBuf,
    python: Option<String>,
    jobs: Option<u16>,
    filter: Option<String>,
    list: bool,
) -> ExitCode {
    let (options, all) = match versus::collect_samples(&dir, None) {
        Ok(found) => found,
        Err(failure) => return report_failure(&failure, &dir, "test failed"),
    };
    let total = all.len();
    let samples: Vec<samples::Sample> = all
        .into_iter()
        // Named from where the command runs, in the report, tracebacks and FILTER alike.
        .map(|s| s.seen_from(&dir))
        .filter(|s| filter.as_deref().is_none_or(|f| s.matches(f)))
        .collect();
    if let Some(filter) = filter.as_deref()
        && samples.is_empty()
    {
        eprintln!(
            "error: no sample matches the filter {filter:?} ({total} sample{} in the book)",
            plural(total)
        );
        eprintln!(
            "  help: `versus test --list` lists every sample as `path:line \"title\"`; the filter is one of those `path:line`, or text that one of them contains"
        );
        return ExitCode::from(1);
    }
    if list {
        for sample in &samples {
            match &sample.title {
                Some(title) => println!("{} {title:?}", sample.name()),
                None => println!("{}", sample.name()),
            }
        }
        return ExitCode::SUCCESS;
    }
    let python = python.unwrap_or(options.python);
    let interpreter = match samples::probe_interpreter(&python) {
        Ok(interpreter) => interpreter,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "  help: install Python 3, or name an interpreter with `--python PATH` or `python` under [test] in book.toml"
            );
            return ExitCode::from(2);
        }
    };
    let jobs = jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    // No more workers than samples: the first line says how many really run at once.
    let jobs = jobs.min(samples.len()).max(1);
    println!(
        "running {} sample{} with {jobs} job{} ({python}, {interpreter})",
        samples.len(),
        plural(samples.len()),
        plural(jobs)
    );
    let results = samples::run_all(
        samples,
        &samples::RunOptions {
            python,
            jobs,
            interpreter,
        },
    );
    let (text, tally) = samples::report(&results);
    print!("{text}");
    if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(dir: PathBuf, deny_warnings: bool, drafts: bool) -> ExitCode {
    let overrides = Overrides {
        drafts,
        ..Overrides::default()
    };
    match versus::check(&dir, &overrides) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{}", warning.clone().seen_from(&dir));
            }
            if !report.external.is_empty() {
                println!("external links (listed, not fetched):");
                for link in &report.external {
                    println!(
                        "  {}:{}:{}: {}",
                        escape_path(&seen_from(&dir, &link.path)),
                        link.position.line,
                        link.position.column,
                        link.url
                    );
                }
            }
            let warnings = report.warnings.len();
            eprintln!(
                "checked {} pages: 0 errors, {warnings} warning{}",
                report.pages,
                plural(warnings)
            );
            if deny_warnings && warnings > 0 {
                eprintln!("failing because of --deny-warnings");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&failure, &dir, "check failed"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints every diagnostic, its path as seen from here for the book in `book`, and a summary
/// line; returns the failure's exit code.
fn report_failure(failure: &versus::Failure, book: &Path, summary: &str) -> ExitCode {
    let diagnostics = failure.diagnostics();
    for diagnostic in diagnostics {
        eprintln!("{}", diagnostic.clone().seen_from(book));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "{summary}: {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    ExitCode::from(failure.exit_code() as u8)
}

/// A relative `--dest` is relative to where the command runs, as users expect of a flag
/// (a book's own `output` in book.toml is relative to the book).
fn from_working_dir(path: PathBuf) -> PathBuf {
    std::env::current_dir()
        .map(|cwd| cwd.join(&path))
        .unwrap_or(path)
}

fn clean(dir: &Path, cache_dir: Option<PathBuf>) -> ExitCode {
    let cache = versus::cache::location(dir, cache_dir.map(from_working_dir));
    match versus::cache::clean(&cache) {
        Ok(cleaned) => {
            eprintln!(
                "removed {} cache file{} from {}",
                cleaned.removed,
                plural(cleaned.removed),
                cache.display()
            );
            for kept in &cleaned.kept {
                eprintln!("kept {kept} (not written by versus)");
            }
            if !cleaned.removed_dir && cache.is_dir() {
                eprintln!("kept the folder {}", cache.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot empty the cache {}: {err}", cache.display());
            ExitCode::from(2)
        }
    }
}

fn build(dir: PathBuf, overrides: Overrides, cache_dir: Option<PathBuf>) -> ExitCode {
    let built = match cache_dir {
        Some(cache_dir) => {
            let cache = versus::render::highlight::Cache::open(&cache_dir);
            versus::build_with(&dir, &overrides, &cache)
        }
        None => versus::build(&dir, &overrides),
    };
    match built {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{}", warning.clone().seen_from(&dir));
            }
            if let Some(problem) = &report.cache_problem {
                eprintln!("warning: {problem}");
            }
            let shown = seen_from(&dir, &display_path(&dir, &report.output_dir));
            eprintln!(
                "built {} pages ({} files) into {}",
                report.pages,
                report.files,
                shown.display()
            );
            for kept in &report.kept {
                eprintln!("kept {kept} (not written by versus)");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(
            &failure,
            &dir,
            "build failed; the output folder was left as it was",
        ),
    }
}
