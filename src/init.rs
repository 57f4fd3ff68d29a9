//! `versus init`: a small working comparison book to start from.
//!
//! Writes nothing if any of its files already exists, so it never overwrites a writer's
//! work. The scaffold is embedded from `src/init/`, and the tests build, check and test it.

use std::fs;
use std::path::Path;

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

/// Writes the scaffold into `dir`, creating it if needed; returns the files written.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Vec<Diagnostic>> {
    let existing: Vec<Diagnostic> = FILES
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| {
            Diagnostic::error(
                display_path(Path::new("."), &dir.join(path)),
                Position::NONE,
                "already exists; versus init does not overwrite files",
            )
            .with_help("run versus init in an empty folder, or move this file away")
        })
        .collect();
    if !existing.is_empty() {
        return Err(existing);
    }
    for (path, contents) in FILES {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, contents));
        if let Err(err) = written {
            return Err(vec![Diagnostic::error(
                target,
                Position::NONE,
                format!("cannot write: {err}"),
            )]);
        }
    }
    Ok(FILES.iter().map(|(path, _)| *path).collect())
}
