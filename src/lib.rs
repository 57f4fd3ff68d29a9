//! versus: a static site generator for comparison docs.
//!
//! The build is a one-way pipeline, one module per stage, each owning its crate:
//! [`config`] (book.toml) → [`discover`] (walkdir) → [`parse`] (YAML front matter, Markdown)
//! → [`model`] (the validated [`model::Site`]) → [`render`] (tera, syntect) → [`write`]
//! (staging and atomic swap). A later stage never calls back into an earlier one, and every
//! stage reports all the problems it finds before the run stops.

pub mod cache;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod init;
pub mod input;
pub mod model;
pub mod parse;
pub mod render;
pub mod samples;
pub mod serve;
pub mod text;
pub mod urls;
pub mod write;

use std::path::PathBuf;

use config::{Config, Overrides};
use diagnostic::{Diagnostic, Diagnostics};
use model::Site;

/// Why a command failed: a problem in the book (exit 1) or in the environment (exit 2).
#[derive(Debug)]
pub enum Failure {
    Book(Vec<Diagnostic>),
    Environment(Vec<Diagnostic>),
}

impl Failure {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Failure::Book(d) | Failure::Environment(d) => d,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Book(_) => 1,
            Failure::Environment(_) => 2,
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(diagnostics: Diagnostics) -> Self {
        Failure::Book(diagnostics.into_sorted())
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure::Book(vec![diagnostic])
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub kept: Vec<String>,
    /// Why the build cache could not be saved, if it could not (the site is built anyway).
    pub cache_problem: Option<String>,
    /// Likely mistakes in the pages' Markdown that do not stop the build (`check` shows them
    /// too, with the problems only the whole site reveals).
    pub warnings: Vec<Diagnostic>,
}

/// Pages of the site, leaving out the fragments for other docs in `embed/`.
fn count_pages(outputs: &[render::Output]) -> usize {
    outputs
        .iter()
        .filter(|o| o.path.ends_with(".html") && !o.path.starts_with("embed/"))
        .count()
}

/// Runs the stages up to a validated site: config, discover, parse, model.
pub fn load(root: &std::path::Path, overrides: &Overrides) -> Result<(Config, Site), Failure> {
    let config = config::load(root, overrides)?;
    let files = discover::discover(root, &config.content_dir)?;
    let parsed = parse::parse_all(files, &config);
    let site = model::build(&config, parsed)?;
    Ok((config, site))
}

/// Builds the book at `root` into its output folder, without the build cache. No
/// highlighted block is kept once its page is rendered (at 10,000 pages they would hold
/// about 100 MB to the end of the build).
pub fn build(root: &std::path::Path, overrides: &Overrides) -> Result<BuildReport, Failure> {
    build_from(root, overrides, None)
}

/// [`build`], reusing highlighted code from `cache` (kept on disk between runs, and in
/// memory across the rebuilds of `versus serve`) and saving this build's in it.
pub fn build_with(
    root: &std::path::Path,
    overrides: &Overrides,
    cache: &render::highlight::Cache,
) -> Result<BuildReport, Failure> {
    build_from(root, overrides, Some(cache))
}

fn build_from(
    root: &std::path::Path,
    overrides: &Overrides,
    cache: Option<&render::highlight::Cache>,
) -> Result<BuildReport, Failure> {
    let (config, site) = load(root, overrides)?;
    write::check_output_dir(root, &config.content_dir, &config.output_dir)?;
    if let Some(pack_file) = cache.and_then(render::highlight::Cache::file) {
        cache::check_dir(root, &config.content_dir, &config.output_dir, &pack_file)
            .map_err(|d| Failure::Environment(vec![d]))?;
    }
    let theme = render::Theme::load(&config)?;
    let rendered = render::render_with(&site, &theme, cache);
    let cache_problem = cache
        .and_then(|cache| cache.finish_build().err())
        .map(|err| format!("cannot save the build cache: {err}"));
    let outputs = rendered?;
    write::check_clashes(root, &outputs, generated_by(&site, &theme))?;
    let pages = count_pages(&outputs);
    let written = write::commit(root, &config.output_dir, &outputs)
        .map_err(|d| Failure::Environment(vec![d]))?;
    let mut warnings = Diagnostics::new();
    warnings.extend(config.warnings);
    check::check_code_blocks(&site, &mut warnings);
    Ok(BuildReport {
        output_dir: config.output_dir,
        pages,
        files: written.files,
        kept: written.kept,
        cache_problem,
        warnings: warnings.into_sorted(),
    })
}

/// What versus generates at an output path, for the message about a file that would replace it.
fn generated_by<'a>(site: &'a Site, theme: &'a render::Theme) -> impl Fn(&str) -> String + 'a {
    move |path| {
        let page = |page: &model::Page| urls::output_file(&page.dir) == path;
        if path == "404.html" {
            "the page for missing pages".to_string()
        } else if path == "sitemap.xml" {
            "the sitemap".to_string()
        } else if path.starts_with("embed/") {
            "a fragment for other docs".to_string()
        } else if theme.statics.iter().any(|(file, _)| file == path) {
            "a file of the theme".to_string()
        } else if page(&site.home) {
            "the home page".to_string()
        } else if page(&site.matrix) {
            "the matrix page".to_string()
        } else if site.guide.as_ref().is_some_and(|guide| page(&guide.page)) {
            "the guide".to_string()
        } else {
            match site
                .pages()
                .find(|p| page(p))
                .and_then(|p| p.source.as_ref())
            {
                Some(source) => format!("the page of {}", source.display()),
                None => "a page".to_string(),
            }
        }
    }
}

/// What `check` found in a book that builds.
#[derive(Debug)]
pub struct CheckReport {
    pub pages: usize,
    /// Warnings only: errors make `check` return a [`Failure`].
    pub warnings: Vec<Diagnostic>,
    pub external: Vec<check::ExternalLink>,
}

/// Everything `build` validates, plus links, anchors, orphans, unused dimensions and guide
/// coverage; writes nothing.
pub fn check(root: &std::path::Path, overrides: &Overrides) -> Result<CheckReport, Failure> {
    let (config, site) = load(root, overrides)?;
    let mut problems = Diagnostics::new();
    problems.extend(config.warnings.clone());
    if let Err(problem) = write::check_output_dir(root, &config.content_dir, &config.output_dir) {
        problems.push(problem);
    }
    let theme = render::Theme::load(&config)?;
    let outputs = render::render(&site, &theme)?;
    problems.extend(render::check_preview_templates(&theme, &config.language));
    if let Err(clashes) = write::check_clashes(root, &outputs, generated_by(&site, &theme)) {
        problems.extend(clashes);
    }
    let guide_path = diagnostic::display_path(root, &config.content_dir.join("guide.md"));
    let findings = check::check(&site, &outputs, &guide_path);
    problems.extend(findings.problems);
    if problems.has_errors() {
        return Err(problems.into());
    }
    Ok(CheckReport {
        pages: count_pages(&outputs),
        warnings: problems.into_sorted(),
        external: findings.external,
    })
}

/// The book's Python samples whose name (`path:line`) or title contains `filter`, and the
/// configured interpreter.
pub fn collect_samples(
    root: &std::path::Path,
    filter: Option<&str>,
) -> Result<(config::SampleOptions, Vec<samples::Sample>), Failure> {
    let (config, site) = load(root, &Overrides::default())?;
    let mut found = samples::collect(&site, &config.samples);
    if let Some(filter) = filter {
        found.retain(|s| s.matches(filter));
    }
    Ok((config.samples, found))
}
