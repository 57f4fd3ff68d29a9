//! Problems found in a book, with the place they were found and what to do about them.
//!
//! Every stage collects `Diagnostic`s instead of stopping at the first one, so that a writer
//! sees everything wrong with a book in one run. The text form is one grep-able line,
//! `path:line:col: error: message`, followed by an indented `help:` line, the shape that
//! editors and terminals turn into clickable locations.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors fail the run, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
    /// For problems with a whole file or folder, shown without line and column.
    pub const NONE: Position = Position { line: 0, column: 0 };

    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path shown to the user, relative to the book's root where possible.
    pub path: PathBuf,
    pub position: Position,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            position,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, position, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:", escape_path(&self.path))?;
        if self.position != Position::NONE {
            write!(f, "{}:{}:", self.position.line, self.position.column)?;
        }
        write!(f, " {label}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All the problems of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file, then place, so reports do not depend on discovery or thread order.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.path, a.position, a.severity, &a.message)
                .cmp(&(&b.path, b.position, b.severity, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

/// Turns byte offsets of a text into line and column positions.
///
/// Columns count characters, not bytes, as editors do.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    /// `first_line` is the file line on which `text` starts (1 for a whole file).
    pub fn new(text: &'a str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            line_starts,
            first_line,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position::new(self.first_line + line, column)
    }
}

/// The candidate most similar to `wanted`, if one is similar enough to be a likely typo.
pub fn did_you_mean<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(wanted, candidate), candidate))
        .filter(|&(similarity, _)| similarity >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `path` for one line of text: control characters (a newline in a file name) are escaped,
/// so a message is always one line that tools can split on `:`.
pub fn escape_path(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl Diagnostic {
    /// This diagnostic with its path as seen from where the command runs, for a book in the
    /// folder `book` as the user named it: `versus build other/book` shows
    /// `other/book/content/x.md`, which the terminal that ran it can open.
    pub fn seen_from(mut self, book: &Path) -> Diagnostic {
        self.path = seen_from(book, &self.path);
        self
    }
}

/// `path` (relative to the book's root, or absolute) as seen from the working folder, for a
/// book in the folder `book` as the user named it. Command-line flags (`--base-url`) stay.
pub fn seen_from(book: &Path, path: &Path) -> PathBuf {
    if path.as_os_str().as_encoded_bytes().starts_with(b"--") {
        return path.to_path_buf();
    }
    if path.is_relative() {
        if book == Path::new(".") || book.as_os_str().is_empty() {
            return path.to_path_buf();
        }
        return crate::input::normalize_lexically(&book.join(path));
    }
    match std::env::current_dir() {
        Ok(cwd) => match path.strip_prefix(&cwd) {
            Ok(inside) if inside.as_os_str().is_empty() => PathBuf::from("."),
            Ok(inside) => inside.to_path_buf(),
            Err(_) => path.to_path_buf(),
        },
        Err(_) => path.to_path_buf(),
    }
}

/// The path to show for `path`: relative to `root` when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let index = LineIndex::new("ab\ncé d\n", 3);
        assert_eq!(index.position(0), Position::new(3, 1));
        assert_eq!(index.position(3), Position::new(4, 1));
        assert_eq!(index.position(7), Position::new(4, 4));
    }

    #[test]
    fn suggestions_prefer_the_closest_name() {
        let names = ["parallelism", "purpose", "switching"];
        assert_eq!(did_you_mean("paralelism", names), Some("parallelism"));
        assert_eq!(did_you_mean("colour", names), None);
        assert_eq!(
            did_you_mean("slowish", ["slow", "medium", "fast"]),
            Some("slow")
        );
        assert_eq!(did_you_mean("fancy", ["fancier", "plain"]), Some("fancier"));
    }

    #[test]
    fn a_newline_in_a_path_stays_on_one_line() {
        let d = Diagnostic::error("content/a\nb.md", Position::new(2, 5), "bad");
        assert_eq!(d.to_string(), "content/a\\nb.md:2:5: error: bad");
    }

    #[test]
    fn paths_are_seen_from_the_working_folder() {
        let book = Path::new("other/book");
        assert_eq!(
            seen_from(book, Path::new("content/x.md")),
            Path::new("other/book/content/x.md")
        );
        assert_eq!(
            seen_from(Path::new("."), Path::new("content/x.md")),
            Path::new("content/x.md")
        );
        assert_eq!(
            seen_from(Path::new("./b/"), Path::new("book.toml")),
            Path::new("b/book.toml")
        );
        assert_eq!(
            seen_from(book, Path::new("--base-url")),
            Path::new("--base-url")
        );
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(seen_from(book, &cwd.join("x/y")), Path::new("x/y"));
        assert_eq!(
            seen_from(book, Path::new("/elsewhere")),
            Path::new("/elsewhere")
        );
    }

    #[test]
    fn display_has_location_and_help() {
        let d = Diagnostic::error("content/a.md", Position::new(2, 5), "bad").with_help("fix it");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:5: error: bad\n  help: fix it"
        );
    }
}
