//! Stage 6: put the rendered site in place, all at once, losing nothing.
//!
//! The new site is written into a hidden staging folder next to the output folder and swapped
//! into place only when every file is written, so a failed build leaves the previous site
//! untouched and a server never sees a half-written one. A manifest records what versus wrote;
//! anything else found in the output folder (a `.git`, a `CNAME`) was not written by versus and
//! is moved into the new site, never deleted. A non-empty folder without a manifest is refused.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::render::{Contents, Output};

/// Lists, one per line, every file and folder (with a trailing `/`) that versus wrote.
pub const MANIFEST: &str = ".versus-manifest";

/// What was written.
#[derive(Debug)]
pub struct Written {
    pub files: usize,
    /// Entries not written by versus that were carried over into the new site.
    pub kept: Vec<String>,
}

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
    // The staging folder is ours, not the user's: problems with it are told as problems with
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
    let staging = parent.join(format!(".{name}.versus-staging.{}", std::process::id()));
    if staging.exists() {
        // Same pid, so an earlier run of ours left it behind.
        fs::remove_dir_all(&staging).map_err(|e| cannot_write(e, None))?;
    }
    let result = stage(&staging, outputs)
        .map_err(|(path, e)| {
            let inside = path
                .strip_prefix(&staging)
                .ok()
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| p.display().to_string());
            cannot_write(e, inside.as_deref())
        })
        .and_then(|manifest| swap(root, &staging, &output, &manifest));
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Writes every output below `staging` and the manifest; returns the manifest's entries.
fn stage(staging: &Path, outputs: &[Output]) -> Result<BTreeSet<String>, (PathBuf, io::Error)> {
    let mut manifest = BTreeSet::new();
    fs::create_dir(staging).map_err(|e| (staging.to_path_buf(), e))?;
    for output in outputs {
        let target = staging.join(&output.path);
        let mut dir = String::new();
        for part in output
            .path
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, dirs)| dirs)
        {
            dir.push_str(part);
            dir.push('/');
            if manifest.insert(dir.clone()) {
                let path = staging.join(&dir);
                if !path.is_dir() {
                    fs::create_dir(&path).map_err(|e| (path.clone(), e))?;
                }
            }
        }
        match &output.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::CopyOf(source) => fs::copy(source, &target).map(|_| ()),
        }
        .map_err(|e| (target.clone(), e))?;
        manifest.insert(output.path.clone());
    }
    let listing: String = manifest.iter().map(|entry| format!("{entry}\n")).collect();
    fs::write(staging.join(MANIFEST), listing).map_err(|e| (staging.join(MANIFEST), e))?;
    Ok(manifest)
}

/// Carries entries versus did not write from `output` into `staging`, then swaps the two.
fn swap(
    root: &Path,
    staging: &Path,
    output: &Path,
    new: &BTreeSet<String>,
) -> Result<Written, Diagnostic> {
    let fail = |path: &Path, action: &str, err: io::Error| {
        Diagnostic::error(
            display_path(root, path),
            Position::NONE,
            format!("cannot {action}: {err}"),
        )
    };
    if !output.exists() {
        fs::rename(staging, output).map_err(|e| fail(output, "move the new site into place", e))?;
        return Ok(Written {
            files: count_files(new),
            kept: Vec::new(),
        });
    }
    let previous = read_manifest(output);
    let mut foreign = Vec::new();
    find_foreign(output, "", &previous, &mut foreign)
        .map_err(|e| fail(output, "read the old site", e))?;
    if let Some(clash) = foreign
        .iter()
        .find(|entry| new.contains(entry.as_str()) || new.contains(&format!("{entry}/")))
    {
        return Err(Diagnostic::error(
            display_path(root, &output.join(clash)),
            Position::NONE,
            "versus did not write this file, and the new build wants to write one there",
        )
        .with_help("move or rename the file; versus never overwrites what it did not create"));
    }
    let mut moved = Vec::new();
    for entry in &foreign {
        let target = staging.join(entry);
        let carried = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::rename(output.join(entry), &target));
        if let Err(err) = carried {
            for done in moved.iter().rev() {
                let _ = fs::rename(staging.join(done), output.join(done));
            }
            return Err(fail(&output.join(entry), "carry over", err));
        }
        moved.push(entry.clone());
    }
    let old =
        exchange(staging, output).map_err(|e| fail(output, "swap the new site into place", e))?;
    fs::remove_dir_all(&old).map_err(|e| fail(&old, "remove the previous build", e))?;
    Ok(Written {
        files: count_files(new),
        kept: foreign,
    })
}

/// Puts `staging` at `output`; returns where the previous tree now is.
fn exchange(staging: &Path, output: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    if rename_exchange(staging, output).is_ok() {
        return Ok(staging.to_path_buf());
    }
    let backup = staging.with_extension("old");
    fs::rename(output, &backup)?;
    if let Err(err) = fs::rename(staging, output) {
        fs::rename(&backup, output)?;
        return Err(err);
    }
    Ok(backup)
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

fn read_manifest(output: &Path) -> BTreeSet<String> {
    fs::read_to_string(output.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Collects the top-most entries below `dir` that the previous manifest does not list.
fn find_foreign(
    base: &Path,
    prefix: &str,
    previous: &BTreeSet<String>,
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
        if is_dir && previous.contains(&format!("{relative}/")) {
            find_foreign(base, &format!("{relative}/"), previous, foreign)?;
        } else if !previous.contains(&relative) {
            foreign.push(relative);
        }
    }
    Ok(())
}

fn count_files(manifest: &BTreeSet<String>) -> usize {
    manifest
        .iter()
        .filter(|entry| !entry.ends_with('/'))
        .count()
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// An absolute, `..`-free form of `path`, whether or not it exists yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = fs::canonicalize(path) {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}
