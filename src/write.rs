//! Stage 6: put the rendered site in place, all at once, losing nothing, rewriting nothing
//! that did not change.
//!
//! versus keeps two trees: the output folder, and a hidden spare next to it (the previous
//! build's tree). A build brings the spare up to date (only the files whose bytes changed are
//! written; a file the output folder already holds with the right bytes is hard-linked from
//! it, so an unchanged file keeps its inode and modification time) and then swaps the two in
//! one `renameat2` exchange. So a failed build leaves the previous site untouched, a server
//! never sees half of two builds, and a build that changes nothing touches nothing. A
//! manifest records what versus wrote and each file's hash; anything else found in the
//! output folder (a `.git`, a `CNAME`) was not written by versus and is moved into the new
//! site, never deleted. A non-empty folder without a manifest is refused.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::input::absolute;
use crate::render::{Contents, Output};

/// Lists, one per line, every file (with its content hash after a tab) and folder (with a
/// trailing `/`) that versus wrote.
pub const MANIFEST: &str = ".versus-manifest";

/// What was written.
#[derive(Debug)]
pub struct Written {
    pub files: usize,
    /// Files whose bytes changed (written or removed) since the previous build.
    pub changed: usize,
    /// Entries not written by versus that were carried over into the new site.
    pub kept: Vec<String>,
}

/// A tree's entries: a folder (ending in `/`) maps to `None`, a file to its content hash
/// (`None` too when an older manifest did not record one, so it never matches).
type Manifest = BTreeMap<String, Option<u128>>;

/// Refuses output folders that would clobber the book itself.
pub fn check_output_dir(root: &Path, content: &Path, output: &Path) -> Result<(), Diagnostic> {
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    let content_abs = absolute(content);
    let refuse = |why: &str| {
        Diagnostic::error(
            display_path(root, output),
            Position::NONE,
            format!("refusing to build into this folder: {why}"),
        )
        .with_help(
            "choose another output folder with `--dest DIR` or `output` under [build] in book.toml",
        )
    };
    if output_abs == root_abs {
        return Err(refuse("it is the book's root"));
    }
    if content_abs == output_abs {
        return Err(refuse("it is the content folder"));
    }
    if content_abs.starts_with(&output_abs) {
        return Err(refuse("it contains the content folder"));
    }
    if output_abs.starts_with(&content_abs) {
        return Err(refuse("it is inside the content folder"));
    }
    if output_abs.exists() && !output_abs.is_dir() {
        return Err(refuse("it is a file"));
    }
    if output_abs.is_dir() && !output_abs.join(MANIFEST).is_file() && !is_empty_dir(&output_abs) {
        return Err(Diagnostic::error(display_path(root, output), Position::NONE, "refusing to build into a folder versus did not create: it is not empty and has no .versus-manifest")
            .with_help("empty it or remove it yourself, or choose another folder with `--dest DIR`"));
    }
    Ok(())
}

/// Refuses a source file copied to a path that versus also generates (`content/404.html`,
/// `content/assets/versus.css`): it would silently replace the generated file. `generated`
/// says what versus writes at a path (`the sitemap`), for the message.
pub fn check_clashes(
    root: &Path,
    outputs: &[Output],
    generated: impl Fn(&str) -> String,
) -> Result<(), crate::diagnostic::Diagnostics> {
    let mut problems = crate::diagnostic::Diagnostics::new();
    for pair in outputs
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
    {
        for output in pair {
            if let Contents::CopyOf(source) = &output.contents {
                problems.push(
                    Diagnostic::error(
                        display_path(root, source),
                        Position::NONE,
                        format!(
                            "this file would be written to {}, where versus writes {}",
                            output.path,
                            generated(&output.path)
                        ),
                    )
                    .with_help("rename or move the file; versus never lets one file silently replace another"),
                );
            }
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(())
}

/// Writes `outputs` as the new content of `output`, keeping what versus did not write.
pub fn commit(root: &Path, output: &Path, outputs: &[Output]) -> Result<Written, Diagnostic> {
    let shown = display_path(root, output);
    let output = absolute(output);
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let fail = |path: &Path, action: &str, err: io::Error| {
        Diagnostic::error(
            display_path(root, path),
            Position::NONE,
            format!("cannot {action}: {err}"),
        )
    };
    // The spare folder is ours, not the user's: problems with it are told as problems with
    // the output folder they named.
    let cannot_write = |err: io::Error, inside: Option<&str>| {
        let within = inside.map_or(String::new(), |file| format!(" (writing {file})"));
        Diagnostic::error(
            &shown,
            Position::NONE,
            format!("cannot write the site: {err}{within}"),
        )
        .with_help("make sure the folder and its parent can be written, or choose another with `--dest DIR`")
    };
    fs::create_dir_all(&parent).map_err(|e| cannot_write(e, None))?;
    // Two builds into one folder take turns, so neither sees the other's half-updated spare.
    let _turn = lock(&parent).map_err(|e| cannot_write(e, None))?;
    let wanted = plan(outputs).map_err(|(path, e)| fail(&path, "read", e))?;
    let live = output.is_dir().then(|| read_manifest(&output));
    let mut foreign = Vec::new();
    if let Some(live) = &live {
        find_foreign(&output, "", live, &mut foreign)
            .map_err(|e| fail(&output, "read the old site", e))?;
        if let Some(clash) = foreign.iter().find(|entry| {
            wanted.contains_key(entry.as_str()) || wanted.contains_key(&format!("{entry}/"))
        }) {
            return Err(Diagnostic::error(
                display_path(root, &output.join(clash)),
                Position::NONE,
                "versus did not write this file, and the new build wants to write one there",
            )
            .with_help("move or rename the file; versus never overwrites what it did not create"));
        }
        if *live == wanted && intact(&output, outputs) {
            return Ok(Written {
                files: count_files(&wanted),
                changed: 0,
                kept: foreign,
            });
        }
    }
    let spare = parent.join(format!(".{name}.versus-spare"));
    let changed = renew(
        &spare,
        &wanted,
        outputs,
        live.as_ref().map(|l| (&*output, l)),
    )
    .map_err(|(path, e)| {
        let inside = path
            .strip_prefix(&spare)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.display().to_string());
        cannot_write(e, inside.as_deref())
    })?;
    match live {
        None => fs::rename(&spare, &output)
            .map_err(|e| fail(&output, "move the new site into place", e))?,
        Some(_) => swap(&spare, &output, &foreign).map_err(|(path, e)| fail(&path, "swap", e))?,
    }
    Ok(Written {
        files: count_files(&wanted),
        changed,
        kept: foreign,
    })
}

/// Every entry the new site has, with each file's hash.
fn plan(outputs: &[Output]) -> Result<Manifest, (PathBuf, io::Error)> {
    let mut wanted = Manifest::new();
    for output in outputs {
        let mut dir = String::new();
        let parts: Vec<&str> = output.path.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push_str(part);
            dir.push('/');
            wanted.insert(dir.clone(), None);
        }
        let hash = match &output.contents {
            Contents::Bytes(bytes) => crate::cache::content_hash(bytes),
            Contents::CopyOf(source) => {
                crate::cache::content_hash(&fs::read(source).map_err(|e| (source.clone(), e))?)
            }
        };
        wanted.insert(output.path.clone(), Some(hash));
    }
    Ok(wanted)
}

/// Whether the files of the live tree are still there with their sizes (cheap to ask), so a
/// build that changes nothing can trust the manifest and skip writing.
fn intact(output: &Path, outputs: &[Output]) -> bool {
    outputs.iter().all(|file| {
        fs::symlink_metadata(output.join(&file.path))
            .is_ok_and(|m| m.is_file() && Some(m.len()) == size(file))
    })
}

fn size(output: &Output) -> Option<u64> {
    match &output.contents {
        Contents::Bytes(bytes) => Some(bytes.len() as u64),
        Contents::CopyOf(source) => fs::metadata(source).ok().map(|m| m.len()),
    }
}

/// Brings the spare tree to `wanted`: removes what is gone, makes the new folders, and puts
/// in place each file whose bytes differ, hard-linked from the live tree when it has them.
/// Never writes into an existing file, which may be shared with the live tree. The spare's
/// manifest is removed first and written last, so an interrupted update is never trusted.
/// Returns how many files changed.
fn renew(
    spare: &Path,
    wanted: &Manifest,
    outputs: &[Output],
    live: Option<(&Path, &Manifest)>,
) -> Result<usize, (PathBuf, io::Error)> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |e| (path, e)
    };
    let had = match fs::symlink_metadata(spare) {
        Ok(meta) if meta.is_dir() && spare.join(MANIFEST).is_file() => read_manifest(spare),
        Ok(_) => {
            remove_any(spare).map_err(at(spare))?;
            Manifest::new()
        }
        Err(_) => Manifest::new(),
    };
    if had.is_empty() && !spare.exists() {
        fs::create_dir(spare).map_err(at(spare))?;
    }
    let manifest = spare.join(MANIFEST);
    if manifest.exists() {
        fs::remove_file(&manifest).map_err(at(&manifest))?;
    }
    let mut changed = 0;
    // Children sort after their folder, so in reverse a folder is emptied before it goes.
    for (entry, hash) in had.iter().rev() {
        if wanted
            .get(entry)
            .is_none_or(|want| want.is_none() != hash.is_none())
        {
            let path = spare.join(entry);
            remove_any(&path).map_err(at(&path))?;
            changed += usize::from(hash.is_some());
        }
    }
    for (entry, hash) in wanted {
        if hash.is_none() && !matches!(had.get(entry), Some(None)) {
            let path = spare.join(entry);
            fs::create_dir(&path).map_err(at(&path))?;
        }
    }
    for output in outputs {
        let want = wanted[&output.path];
        let have = had.get(&output.path).copied().flatten();
        let target = spare.join(&output.path);
        // A file edited in place in the output folder is shared with the spare: its size
        // gives most such edits away, for the price of a stat.
        if have == want && fs::symlink_metadata(&target).ok().map(|m| m.len()) == size(output) {
            continue;
        }
        if had.contains_key(&output.path) {
            remove_any(&target).map_err(at(&target))?;
        }
        let linked = live.is_some_and(|(dir, manifest)| {
            manifest.get(&output.path) == Some(&want)
                && fs::hard_link(dir.join(&output.path), &target).is_ok()
        });
        if !linked {
            changed += 1;
            match &output.contents {
                Contents::Bytes(bytes) => fs::write(&target, bytes),
                Contents::CopyOf(source) => fs::copy(source, &target).map(|_| ()),
            }
            .map_err(at(&target))?;
        }
    }
    let listing: String = wanted
        .iter()
        .map(|(entry, hash)| match hash {
            Some(hash) => format!("{entry}\t{hash:032x}\n"),
            None => format!("{entry}\n"),
        })
        .collect();
    fs::write(&manifest, listing).map_err(at(&manifest))?;
    Ok(changed)
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

/// Carries `foreign` entries from `output` into `spare`, then swaps the two; the previous
/// site stays at `spare`, ready to be renewed by the next build.
fn swap(spare: &Path, output: &Path, foreign: &[String]) -> Result<(), (PathBuf, io::Error)> {
    let mut moved: Vec<&String> = Vec::new();
    let undo = |moved: &[&String]| {
        for done in moved.iter().rev() {
            let _ = fs::rename(spare.join(done), output.join(done));
        }
    };
    for entry in foreign {
        let target = spare.join(entry);
        let carried = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::rename(output.join(entry), &target));
        if let Err(err) = carried {
            undo(&moved);
            return Err((output.join(entry), err));
        }
        moved.push(entry);
    }
    if let Err(err) = exchange(spare, output) {
        undo(&moved);
        return Err((output.to_path_buf(), err));
    }
    Ok(())
}

/// Holds an exclusive `flock` on `dir` until dropped.
fn lock(dir: &Path) -> io::Result<fs::File> {
    use std::os::fd::AsRawFd;
    let file = fs::File::open(dir)?;
    // SAFETY: the descriptor is open for the whole call; flock touches nothing else.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(file)
}

/// Puts `spare` at `output` and the previous tree at `spare`.
fn exchange(spare: &Path, output: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if rename_exchange(spare, output).is_ok() {
        return Ok(());
    }
    let backup = spare.with_extension("old");
    fs::rename(output, &backup)?;
    if let Err(err) = fs::rename(spare, output) {
        fs::rename(&backup, output)?;
        return Err(err);
    }
    fs::rename(&backup, spare)
}

/// Swaps two paths in one step, so `output` is never missing, not even for a moment.
#[cfg(target_os = "linux")]
fn rename_exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that live across the call.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn read_manifest(dir: &Path) -> Manifest {
    let text = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .map(|line| match line.split_once('\t') {
            Some((path, hash)) => (path.to_string(), u128::from_str_radix(hash, 16).ok()),
            None => (line.to_string(), None),
        })
        .collect()
}

/// Collects the top-most entries below `dir` that the previous manifest does not list.
fn find_foreign(
    base: &Path,
    prefix: &str,
    previous: &Manifest,
    foreign: &mut Vec<String>,
) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(base.join(prefix))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        if prefix.is_empty() && name == MANIFEST {
            continue;
        }
        let is_dir = entry.file_type()?.is_dir();
        if is_dir && previous.contains_key(&format!("{relative}/")) {
            find_foreign(base, &format!("{relative}/"), previous, foreign)?;
        } else if !previous.contains_key(&relative) {
            foreign.push(relative);
        }
    }
    Ok(())
}

fn count_files(manifest: &Manifest) -> usize {
    manifest.values().filter(|hash| hash.is_some()).count()
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}
