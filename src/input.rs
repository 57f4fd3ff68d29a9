//! Reading an input file: only a regular file, and only up to a size limit.
//!
//! A FIFO named `book.toml` would block a build for ever, and one linked to `/dev/zero` would
//! read until memory runs out; every file versus reads into memory goes through
//! [`read_limited`] with one of the limits below (README, "Limits").

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position};

/// The largest `book.toml` versus reads.
pub const BOOK_TOML_LIMIT: Limit = Limit {
    bytes: 1 << 20,
    what: "book.toml",
};
/// The largest Markdown file versus reads.
pub const MARKDOWN_LIMIT: Limit = Limit {
    bytes: 8 << 20,
    what: "a Markdown file",
};
/// The largest theme file (template or static file) versus reads.
pub const THEME_FILE_LIMIT: Limit = Limit {
    bytes: 8 << 20,
    what: "a theme file",
};

/// A size limit, and what it is for, for messages.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: u64,
    pub what: &'static str,
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotRegular,
    TooLarge(Limit),
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular => write!(f, "it is not a regular file"),
            ReadError::TooLarge(limit) => write!(
                f,
                "the file is larger than {} MiB, the limit for {}",
                limit.bytes >> 20,
                limit.what
            ),
            ReadError::Io(err) => write!(f, "{err}"),
        }
    }
}

impl ReadError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::NotRegular => {
                "versus reads only regular files: replace it with a file (not a pipe, device or folder)"
            }
            ReadError::TooLarge(_) => "split the file, or move large data out of it",
            ReadError::Io(_) => "check that the file exists and can be read",
        }
    }
}

/// Reads `path`, which must be a regular file (after following links) of at most `limit`.
///
/// Read through a cap, so a file that grows while being read cannot exceed the limit either.
pub fn read_limited(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    // Opening a FIFO blocks until a writer comes, so look before opening; the open file is
    // checked again below, in case the path changed in between.
    if !std::fs::metadata(path).map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotRegular);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > limit.bytes {
        return Err(ReadError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// `path` with `.` and `..` resolved as text, without asking the file system: `missing/../keep`
/// is `keep` even though `missing` does not exist (the kernel would refuse it, and
/// `create_dir_all` would create `missing`). A leading `..` of a relative path stays.
pub fn normalize_lexically(path: &Path) -> PathBuf {
    let mut parts: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(part),
            },
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}

/// An absolute, `..`-free form of `path`, whether or not it exists yet.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// The error for a symbolic link found in `folder` ("the content folder", "a theme"):
/// versus does not follow links, so a book builds the same wherever it is copied.
pub fn symbolic_link(shown: impl Into<PathBuf>, folder: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::NONE,
        format!("a symbolic link; versus does not follow links in {folder}"),
    )
    .with_help("put the file itself here (a copy), so the book builds the same wherever it is")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_is_resolved_as_text() {
        let n = |p: &str| normalize_lexically(Path::new(p));
        assert_eq!(n("missing/../keep"), Path::new("keep"));
        assert_eq!(n("./a/./b/../c"), Path::new("a/c"));
        assert_eq!(n("/x/../../y"), Path::new("/y"));
        assert_eq!(n("../up/x/.."), Path::new("../up"));
        assert_eq!(n("x/.."), Path::new("."));
    }
}
