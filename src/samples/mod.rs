//! `versus test`: the book's Python samples are documentation that must stay true.
//!
//! A composition over the model: the samples are the code blocks the parse stage already
//! kept apart, so nothing is parsed again. A `python` block is run as a script; when the
//! next block (with nothing in between) is an `output` or `text` block, the script's stdout
//! must match it. A `pycon` block is a console session, checked like a doctest.
//!
//! Fence attributes: `python=3.14` (the version a sample needs; older interpreters skip it),
//! `requires=free-threading` (an interpreter feature the sample needs; others skip it),
//! `no-run="why"` (illustration only, reported as skipped with the reason), `timeout=60`
//! (seconds).

mod report;
mod run;

use std::path::PathBuf;
use std::time::Duration;

use crate::config::SampleOptions;
use crate::diagnostic::Position;
use crate::model::Site;
use crate::parse::markdown::{CodeBlock, Segment};
pub use crate::parse::markdown::{Feature, PythonVersion};
pub use report::{Tally, report};
pub use run::{
    FailureDetail, Interpreter, Outcome, RunOptions, SampleResult, probe_interpreter, run_all,
};

/// One runnable sample.
#[derive(Debug, Clone)]
pub struct Sample {
    pub path: PathBuf,
    pub position: Position,
    pub title: Option<String>,
    pub kind: SampleKind,
    pub code: String,
    pub expected_stdout: Option<String>,
    pub needs: Option<PythonVersion>,
    pub requires: Vec<Feature>,
    pub no_run: Option<String>,
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKind {
    /// A script run with `python sample.py`.
    Script,
    /// A `>>>` session checked by `python -m doctest`.
    Console,
}

impl Sample {
    /// `path:line`, how the report and FILTER name a sample.
    pub fn name(&self) -> String {
        format!(
            "{}:{}",
            crate::diagnostic::escape_path(&self.path),
            self.position.line
        )
    }

    /// Whether FILTER selects this sample. A `path:line` or `path:line:col` (as `--list` and
    /// failures print it) selects the sample at that place exactly, the path written in full
    /// or by its last components (`samples.md:5` is not line 51); other text selects the
    /// samples whose `path:line` or title contains it.
    pub fn matches(&self, filter: &str) -> bool {
        if self.title.as_deref().is_some_and(|t| t.contains(filter)) {
            return true;
        }
        match Place::parse(filter) {
            Some(place) => self.is_at(&place),
            None => self.name().contains(filter),
        }
    }

    fn is_at(&self, place: &Place) -> bool {
        let path = crate::diagnostic::escape_path(&self.path);
        let path_matches = path == place.path
            || path
                .strip_suffix(place.path)
                .is_some_and(|start| start.ends_with('/'));
        path_matches
            && place.line == self.position.line
            && place
                .column
                .is_none_or(|column| column == self.position.column)
    }

    /// The sample with its path as seen from the working folder, for a book in `book`.
    pub fn seen_from(mut self, book: &std::path::Path) -> Sample {
        self.path = crate::diagnostic::seen_from(book, &self.path);
        self
    }

    /// The line of the Markdown file on which the sample's code starts (after the fence).
    pub fn first_line(&self) -> usize {
        self.position.line + 1
    }
}

/// A FILTER that names a place: `path:line` or `path:line:col`.
struct Place<'a> {
    path: &'a str,
    line: usize,
    column: Option<usize>,
}

impl<'a> Place<'a> {
    fn parse(filter: &'a str) -> Option<Place<'a>> {
        let number = |text: &str| {
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<usize>().ok())
                .flatten()
        };
        let (rest, last) = filter.rsplit_once(':')?;
        let last = number(last)?;
        let (path, line, column) = match rest.rsplit_once(':') {
            Some((path, line)) if number(line).is_some() => (path, number(line)?, Some(last)),
            _ => (rest, last, None),
        };
        (!path.is_empty()).then_some(Place { path, line, column })
    }
}

const SCRIPT_LANGS: &[&str] = &["python", "py", "python3", "py3"];
const CONSOLE_LANGS: &[&str] = &["pycon", "python-console", "pyrepl"];
const OUTPUT_LANGS: &[&str] = &["output", "text"];

/// Every Python sample of the site, in page order. Their fences were checked when the
/// pages were parsed, so a site that was made has only valid ones.
pub fn collect(site: &Site, options: &SampleOptions) -> Vec<Sample> {
    let mut samples = Vec::new();
    let mut pages: Vec<_> = site.pages().filter(|p| p.source.is_some()).collect();
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    for page in pages {
        let path = page.source.clone().unwrap_or_default();
        let segments = &page.body.segments;
        for (index, segment) in segments.iter().enumerate() {
            let Segment::Code(block) = segment else {
                continue;
            };
            let Some(kind) = sample_kind(block) else {
                continue;
            };
            let expected = match (kind, segments.get(index + 1)) {
                (SampleKind::Script, Some(Segment::Code(next))) if is_output(next) => {
                    Some(next.code.clone())
                }
                _ => None,
            };
            samples.push(sample(&path, block, kind, expected, options));
        }
    }
    samples
}

fn sample_kind(block: &CodeBlock) -> Option<SampleKind> {
    let lang = block.lang.as_deref()?.to_ascii_lowercase();
    if SCRIPT_LANGS.contains(&lang.as_str()) {
        Some(SampleKind::Script)
    } else if CONSOLE_LANGS.contains(&lang.as_str()) {
        Some(SampleKind::Console)
    } else {
        None
    }
}

fn is_output(block: &CodeBlock) -> bool {
    block
        .lang
        .as_deref()
        .is_some_and(|lang| OUTPUT_LANGS.contains(&lang))
}

fn sample(
    path: &std::path::Path,
    block: &CodeBlock,
    kind: SampleKind,
    expected_stdout: Option<String>,
    options: &SampleOptions,
) -> Sample {
    let settings = &block.sample;
    let seconds = settings
        .timeout
        .map_or(options.timeout_seconds, std::num::NonZeroU64::get);
    Sample {
        path: path.to_path_buf(),
        position: block.position,
        title: block.attr("title").map(str::to_string),
        kind,
        code: block.code.clone(),
        expected_stdout,
        needs: settings.python,
        requires: settings.requires.clone(),
        no_run: settings.no_run.clone(),
        timeout: Duration::from_secs(seconds),
    }
}
