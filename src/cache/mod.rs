//! The build cache: expensive results kept on disk between runs, keyed by their content.
//!
//! Not a pipeline stage: a store the render stage consults (highlighted code) and that the
//! write stage borrows a hash from. Everything in it can be recomputed, so it is safe to
//! delete at any time, and a damaged file in it is ignored and rewritten, never trusted.

mod pack;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use pack::{KEEP_BUILDS, MAX_BYTES, Pack};

/// The cache folder's name inside the book when neither `--cache-dir` nor the environment
/// names one.
pub const DEFAULT_DIR: &str = ".versus-cache";

/// Overrides the cache folder, like `--cache-dir` (which wins over it).
pub const DIR_ENV: &str = "VERSUS_CACHE_DIR";

/// For tests only: replaces the binary's build id, so a test can play a new versus version.
pub const BUILD_ID_ENV: &str = "VERSUS_CACHE_BUILD_ID";

/// Marks the folder as a cache for backup tools (<https://bford.info/cachedir/>).
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is the build cache of versus; `versus clean` empties it.\n";

/// Where the cache lives: `flag`, else `$VERSUS_CACHE_DIR`, else `.versus-cache` in the book.
pub fn location(root: &Path, flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os(DIR_ENV).map(PathBuf::from))
        .unwrap_or_else(|| root.join(DEFAULT_DIR))
}

/// What everything in the cache depends on besides its keys: versus's version, its syntax
/// definitions and highlighting rules, hashed by build.rs.
pub fn build_id() -> u128 {
    let id = std::env::var(BUILD_ID_ENV).unwrap_or_else(|_| env!("VERSUS_BUILD_ID").to_string());
    key(&[id.as_bytes()])
}

/// A 128-bit content hash of several byte strings, each length-prefixed so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub fn key(parts: &[&[u8]]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest128()
}

/// A 128-bit content hash of one byte string.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Creates the cache folder, tagged as a cache, if it does not exist.
fn prepare(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let tag = dir.join(TAG);
    if !tag.is_file() {
        pack::write_atomically(&tag, TAG_TEXT.as_bytes())?;
    }
    Ok(())
}

/// Empties the cache: removes the files versus made in `dir` (nothing else), then `dir` if
/// that leaves it empty. Returns how many files were removed.
pub fn clean(dir: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && (name == TAG || pack::is_ours(&name)) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    let _ = fs::remove_dir(dir);
    Ok(removed)
}
