//! Stage 2: find the book's source files.
//!
//! Owns `walkdir`. Produces the list of files under the content folder, sorted by path so that
//! everything downstream is deterministic, and says what each one is. Hidden files and folders
//! (names starting with `.`) are skipped, so editor swap files and `.git` never become pages.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Position};

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

/// Lists the files of the content folder `content`, in path order.
pub fn discover(root: &Path, content: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    if !content.is_dir() {
        let shown = crate::diagnostic::display_path(root, content);
        return Err(Diagnostic::error(
            crate::config::BOOK_FILE,
            Position::START,
            format!("the content folder {} does not exist", shown.display()),
        )
        .with_help("create it, or set `content` under [build] in book.toml"));
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(content).to_path_buf();
            Diagnostic::error(
                crate::diagnostic::display_path(root, &path),
                Position::START,
                format!("cannot read: {err}"),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let absolute = entry.path().to_path_buf();
        let relative = absolute
            .strip_prefix(content)
            .unwrap_or(&absolute)
            .to_path_buf();
        files.push(SourceFile {
            kind: classify(&relative),
            shown: crate::diagnostic::display_path(root, &absolute),
            relative,
            absolute,
        });
    }
    Ok(files)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

fn classify(relative: &Path) -> SourceKind {
    if relative.extension().is_none_or(|ext| ext != "md") {
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

/// Every file below `dir`, sorted, as (path relative to `dir` with `/` separators, full path).
pub fn files_below(dir: &Path) -> Result<Vec<(String, PathBuf)>, walkdir::Error> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            files.push((name.join("/"), entry.path().to_path_buf()));
        }
    }
    Ok(files)
}
