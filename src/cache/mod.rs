//! The build cache: expensive results kept on disk between runs, keyed by their content.
//!
//! Not a pipeline stage: a store the render stage consults (highlighted code) and that the
//! write stage borrows a hash from. Everything in it can be recomputed, so it is safe to
//! delete at any time, and a damaged file in it is ignored and rewritten, never trusted.

mod pack;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::input::absolute;

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

/// What [`clean`] did.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// How many files versus wrote were removed.
    pub removed: usize,
    /// The names of the entries left in the folder because versus cannot prove it wrote them.
    pub kept: Vec<String>,
    /// Whether the folder itself went (it held only versus's files).
    pub removed_dir: bool,
}

/// Empties the cache: removes the files in `dir` versus can prove it wrote (its tag, word for
/// word; packs that start with versus's signature; its temporary files), keeps everything
/// else, and removes `dir` only if it held nothing but versus's files.
pub fn clean(dir: &Path) -> io::Result<Cleaned> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Cleaned::default()),
        Err(err) => return Err(err),
    };
    let mut cleaned = Cleaned::default();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // A file it cannot read is not proven to be versus's: kept.
        if entry.file_type()?.is_file() && wrote(&entry.path(), &name).unwrap_or(false) {
            fs::remove_file(entry.path())?;
            cleaned.removed += 1;
        } else {
            cleaned.kept.push(name);
        }
    }
    cleaned.kept.sort();
    cleaned.removed_dir =
        cleaned.kept.is_empty() && cleaned.removed > 0 && fs::remove_dir(dir).is_ok();
    Ok(cleaned)
}

/// Whether versus wrote the regular file `path`, named `name`, in a cache folder.
fn wrote(path: &Path, name: &str) -> io::Result<bool> {
    if name == TAG {
        return Ok(pack::read_start(path, TAG_TEXT.len() + 1)? == TAG_TEXT.as_bytes());
    }
    let start = pack::read_start(path, pack::START_LEN)?;
    Ok(pack::is_ours(name, &start, TAG_TEXT))
}

/// Refuses a cache folder where versus's files would mix with the book's or the site's (the
/// book's root or a folder holding it, the content or the output folder or one inside them),
/// and a pack file in it that versus did not write, which the build would overwrite.
/// `pack_file` is the pack the build will write; the folder is its parent.
pub fn check_dir(
    root: &Path,
    content: &Path,
    output: &Path,
    pack_file: &Path,
) -> Result<(), Diagnostic> {
    let dir = pack_file.parent().unwrap_or(Path::new("."));
    let dir_abs = absolute(dir);
    let refuse = |why: &str| {
        Diagnostic::error(
            display_path(root, dir),
            Position::NONE,
            format!("refusing to keep the build cache in this folder: {why}"),
        )
        .with_help(format!(
            "choose a cache folder outside the book's content and output with `--cache-dir DIR` \
             or ${DIR_ENV}, or set neither to use {DEFAULT_DIR}/ in the book"
        ))
    };
    if dir_abs != absolute(&root.join(DEFAULT_DIR)) {
        if dir_abs == absolute(root) {
            return Err(refuse("it is the book's root"));
        }
        if absolute(root).starts_with(&dir_abs) {
            return Err(refuse(
                "it holds the book (its CACHEDIR.TAG would tell backup tools to skip the book)",
            ));
        }
        for (folder, name) in [(content, "content"), (output, "output")] {
            let folder_abs = absolute(folder);
            if dir_abs == folder_abs {
                return Err(refuse(&format!("it is the {name} folder")));
            }
            if dir_abs.starts_with(&folder_abs) {
                return Err(refuse(&format!("it is inside the {name} folder")));
            }
        }
    }
    if !pack::may_overwrite(pack_file).unwrap_or(true) {
        return Err(Diagnostic::error(
            display_path(root, pack_file),
            Position::NONE,
            "refusing to overwrite this file: versus did not write it (it is not a versus cache file)",
        )
        .with_help(format!(
            "move it away or delete it yourself if you do not need it, or choose another cache \
             folder with `--cache-dir DIR` or ${DIR_ENV}"
        )));
    }
    Ok(())
}
