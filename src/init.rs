//! `versus init`: a small working comparison book to start from.
//!
//! Writes nothing if any of its files already exists, so it never overwrites a writer's
//! work, and leaves nothing behind when a write fails midway. The scaffold is embedded from
//! `src/init/`, and the tests build, check and test it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;
use crate::diagnostic::{Diagnostic, Position, display_path};

/// (path in the new book, contents)
pub const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("init/book.toml")),
    ("content/index.md", include_str!("init/content/index.md")),
    ("content/guide.md", include_str!("init/content/guide.md")),
    (
        "content/models/bicycle.md",
        include_str!("init/content/models/bicycle.md"),
    ),
    (
        "content/models/bus.md",
        include_str!("init/content/models/bus.md"),
    ),
];

/// The GitHub Actions workflow that publishes the book on GitHub Pages (`--github-pages`).
/// README's Publishing section shows the same file; a test keeps the two equal.
pub const GITHUB_PAGES_WORKFLOW: (&str, &str) = (
    ".github/workflows/pages.yml",
    include_str!("init/github-pages.yml"),
);

/// Writes the scaffold into `dir`, creating it if needed, with the GitHub Pages workflow if
/// `github_pages`; returns the files written. In a folder that already holds a book
/// (`book.toml`), `github_pages` adds the workflow alone, so an existing book can get it too.
///
/// All or nothing: every file is checked before the first is written, and when a write still
/// fails, what this run created (files and folders) is removed again, and only that.
pub fn init(dir: &Path, github_pages: bool) -> Result<Vec<&'static str>, Failure> {
    let shown = |path: &str| display_path(Path::new("."), &dir.join(path));
    if let Some(file) = file_in_the_way(dir) {
        return Err(Failure::Book(vec![
            Diagnostic::error(
                display_path(Path::new("."), &file),
                Position::NONE,
                "is a file, not a folder; versus init needs a folder here",
            )
            .with_help("move the file away, or run versus init in another folder"),
        ]));
    }
    let existing_book = github_pages && dir.join(crate::config::BOOK_FILE).is_file();
    let files: Vec<(&'static str, &'static str)> = FILES
        .iter()
        .copied()
        .filter(|_| !existing_book)
        .chain(github_pages.then_some(GITHUB_PAGES_WORKFLOW))
        .collect();
    let existing: Vec<Diagnostic> = files
        .iter()
        // A dangling link counts: writing through it would create a file elsewhere.
        .filter(|(path, _)| dir.join(path).symlink_metadata().is_ok())
        .map(|(path, _)| {
            let help = if existing_book {
                // The book is there already and only the workflow was asked for.
                "the workflow is already there: compare it with the one in README (Publishing), or remove it to have versus init write it again"
            } else {
                "run versus init in an empty folder, or move this file away"
            };
            Diagnostic::error(
                shown(path),
                Position::NONE,
                "already exists; versus init does not overwrite files",
            )
            .with_help(help)
        })
        .collect();
    if !existing.is_empty() {
        return Err(Failure::Book(existing));
    }
    let mut created = Created::default();
    for (path, contents) in &files {
        if let Err(err) = created.write(&dir.join(path), contents) {
            created.undo();
            return Err(Failure::Environment(vec![
                Diagnostic::error(shown(path), Position::NONE, format!("cannot write: {err}"))
                    .with_help("check that the folder can be written, or run versus init in another folder"),
            ]));
        }
    }
    Ok(files.iter().map(|(path, _)| *path).collect())
}

/// The first of `dir` and the folders init would write into that exists as something other
/// than a folder (a file, a link to a file), which no write below it could get past.
fn file_in_the_way(dir: &Path) -> Option<PathBuf> {
    let is_in_the_way = |path: &Path| path.exists() && !path.is_dir();
    if is_in_the_way(dir) {
        return Some(dir.to_path_buf());
    }
    FILES
        .iter()
        .chain([&GITHUB_PAGES_WORKFLOW])
        .flat_map(|(path, _)| Path::new(path).ancestors().skip(1))
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| dir.join(folder))
        .find(|folder| is_in_the_way(folder))
}

/// The root of the git repository `dir` lies in, when that is not `dir` itself: GitHub reads
/// workflows only from the root's `.github/workflows/`, so one written in `dir` does nothing.
pub fn enclosing_repository(dir: &Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    if dir.join(".git").exists() {
        return None;
    }
    dir.ancestors()
        .skip(1)
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf)
}

/// What one run of init created, in order, to remove it again if a later write fails.
#[derive(Default)]
struct Created(Vec<PathBuf>);

impl Created {
    fn write(&mut self, target: &Path, contents: &str) -> std::io::Result<()> {
        if let Some(parent) = target.parent() {
            self.create_dirs(parent)?;
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)?;
        self.0.push(target.to_path_buf());
        file.write_all(contents.as_bytes())
    }

    fn create_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        if dir.as_os_str().is_empty() || dir.is_dir() {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.create_dirs(parent)?;
        }
        fs::create_dir(dir)?;
        self.0.push(dir.to_path_buf());
        Ok(())
    }

    /// Removes what was created, newest first; a folder only if it is empty again.
    fn undo(self) {
        for path in self.0.iter().rev() {
            if path.is_dir() {
                let _ = fs::remove_dir(path);
            } else {
                let _ = fs::remove_file(path);
            }
        }
    }
}
