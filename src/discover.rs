//! Stage 2: find the book's source files.
//!
//! Owns `walkdir`. Produces the list of files under the content folder, sorted by path so that
//! everything downstream is deterministic, and says what each one is. Hidden files and folders
//! (names starting with `.`) are skipped, so editor swap files and `.git` never become pages;
//! `.well-known/` at the top is the exception, published as it is.
//!
//! Symbolic links, pipes and devices in the content folder are errors, not silently skipped:
//! versus does not follow links, so a book builds the same wherever it is copied, and reads
//! only regular files (see [`crate::input`]).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::input::{MARKDOWN_LIMIT, ReadError};

/// What a source file is, decided by where it sits in the content folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `models/<slug>.md`: one compared option.
    Model,
    /// `guide.md`: the decision guide.
    Guide,
    /// `matrix.md`: the optional introduction of the matrix page.
    Matrix,
    /// Any other Markdown file.
    Page,
    /// Any other file, copied as it is (images and the like).
    Asset,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder, with `/` separators.
    pub relative: PathBuf,
    /// Path as the user should see it in messages (relative to the book's root).
    pub shown: PathBuf,
    pub absolute: PathBuf,
    pub kind: SourceKind,
}

/// Lists the files of the content folder `content`, in path order; links, pipes, devices and
/// Markdown files past [`MARKDOWN_LIMIT`] are reported, all at once.
pub fn discover(root: &Path, content: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    if !content.is_dir() {
        let shown = crate::diagnostic::display_path(root, content);
        return Err(Diagnostic::error(
            crate::config::BOOK_FILE,
            Position::START,
            format!("the content folder {} does not exist", shown.display()),
        )
        .with_help("create it, or set `content` under [build] in book.toml")
        .into());
    }
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || (entry.depth() == 1 && entry.file_name() == WELL_KNOWN)
                || !is_hidden(entry.file_name())
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(content).to_path_buf();
                problems.push(
                    Diagnostic::error(
                        crate::diagnostic::display_path(root, &path),
                        Position::NONE,
                        format!("cannot read: {err}"),
                    )
                    .with_help("check that the folder exists and can be read"),
                );
                continue;
            }
        };
        let absolute = entry.path().to_path_buf();
        let shown = crate::diagnostic::display_path(root, &absolute);
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if let Some(problem) = unreadable(&entry, &shown) {
            problems.push(problem);
            continue;
        }
        let relative = absolute
            .strip_prefix(content)
            .unwrap_or(&absolute)
            .to_path_buf();
        files.push(SourceFile {
            kind: classify(&relative),
            shown,
            relative,
            absolute,
        });
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// Why the content entry `entry` cannot be a source file, if it cannot.
fn unreadable(entry: &walkdir::DirEntry, shown: &Path) -> Option<Diagnostic> {
    let file_type = entry.file_type();
    if file_type.is_symlink() {
        return Some(crate::input::symbolic_link(shown, "the content folder"));
    }
    if !file_type.is_file() {
        return Some(
            Diagnostic::error(shown, Position::NONE, "not a regular file")
                .with_help(ReadError::NotRegular.help()),
        );
    }
    let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
    let len = entry.metadata().map_or(0, |m| m.len());
    if is_markdown && len > MARKDOWN_LIMIT.bytes {
        let error = ReadError::TooLarge(MARKDOWN_LIMIT);
        return Some(
            Diagnostic::error(shown, Position::NONE, error.to_string()).with_help(error.help()),
        );
    }
    None
}

/// `content/.well-known/`: the one hidden folder published, because hosts and other sites look
/// there (`security.txt`, domain verification). Its files are copied as they are, Markdown too.
const WELL_KNOWN: &str = ".well-known";

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

fn classify(relative: &Path) -> SourceKind {
    if relative.extension().is_none_or(|ext| ext != "md") || relative.starts_with(WELL_KNOWN) {
        return SourceKind::Asset;
    }
    let parts: Vec<_> = relative.iter().collect();
    match parts.as_slice() {
        [dir, _] if *dir == "models" => SourceKind::Model,
        [name] if *name == "guide.md" => SourceKind::Guide,
        [name] if *name == "matrix.md" => SourceKind::Matrix,
        _ => SourceKind::Page,
    }
}

/// The files below a folder other than the content (a theme's), as [`files_below`] finds them.
#[derive(Debug, Default)]
pub struct FilesBelow {
    /// (path relative to the folder with `/` separators, full path), sorted.
    pub files: Vec<(String, PathBuf)>,
    /// Symbolic links, which are not followed: the caller says so.
    pub links: Vec<PathBuf>,
}

/// Every file below `dir` but hidden ones (`.name`, and `name~` backups: an editor's swap
/// and backup files sit next to the file being edited), and the symbolic links apart.
pub fn files_below(dir: &Path) -> Result<FilesBelow, walkdir::Error> {
    let mut below = FilesBelow::default();
    let entries = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in entries {
        let entry = entry?;
        if entry.file_type().is_symlink() {
            below.links.push(entry.path().to_path_buf());
        } else if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            below
                .files
                .push((name.join("/"), entry.path().to_path_buf()));
        }
    }
    Ok(below)
}
