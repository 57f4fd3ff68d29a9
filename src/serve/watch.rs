//! Watching the book for changes. Owns `notify` (through its debouncer).
//!
//! Editors save in bursts: a temporary file, a rename, a swap file, or, for `git checkout`,
//! many files at once. The debouncer folds a burst into one batch, and this module keeps only
//! the changes that matter, so a save gives one rebuild. The site is built outside the
//! watched folders, so the build never triggers itself.

//!
//! The folders a rebuild reads (the content folder, `themes/`) may not exist when serving
//! starts, or may be removed and made again: after every batch of events, each one that now
//! exists and is not watched is watched, and its appearance counts as a change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long a burst of events may pause before it counts as finished.
const QUIET: Duration = Duration::from_millis(30);

type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Keeps the watch alive; dropping it ends the [`Changes`] stream.
pub struct Watch {
    _debouncer: Arc<Mutex<Watcher>>,
}

/// The changes that call for a rebuild, batch by batch.
pub struct Changes {
    events: Receiver<DebounceEventResult>,
    book_toml: PathBuf,
    /// Weak, so that dropping the [`Watch`] still ends the stream.
    debouncer: Weak<Mutex<Watcher>>,
    folders: Mutex<Folders>,
}

/// The folders a rebuild reads, and those of them being watched now.
#[derive(Default)]
struct Folders {
    wanted: Vec<PathBuf>,
    watched: BTreeSet<PathBuf>,
}

/// Watches `book.toml` in `root` and, recursively, every folder in `folders`, now or as soon
/// as it exists.
pub fn watch(root: &Path, folders: &[PathBuf]) -> Result<(Watch, Changes), String> {
    let (sender, events) = channel();
    let mut debouncer =
        new_debouncer(QUIET, Some(Duration::from_millis(10)), sender).map_err(|e| e.to_string())?;
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    let book_toml = std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .join(crate::config::BOOK_FILE);
    let changes = Changes {
        events,
        book_toml,
        debouncer: Arc::downgrade(&debouncer),
        folders: Mutex::new(Folders::default()),
    };
    changes.want(folders.to_vec());
    Ok((
        Watch {
            _debouncer: debouncer,
        },
        changes,
    ))
}

impl Changes {
    /// Sets the folders a rebuild reads (they change with book.toml), and watches those that
    /// exist; returns the ones that were not watched before.
    pub fn want(&self, folders: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut state = self.folders.lock().expect("no watcher panics");
        state.wanted = folders;
        self.refresh(&mut state)
    }

    /// Watches every wanted folder that exists and is not watched; forgets those that are gone
    /// (a removed folder's watch ends with it). Returns the folders newly watched.
    fn refresh(&self, state: &mut Folders) -> Vec<PathBuf> {
        let Some(debouncer) = self.debouncer.upgrade() else {
            return Vec::new();
        };
        let mut debouncer = debouncer.lock().expect("no watcher panics");
        let Folders { wanted, watched } = state;
        watched.retain(|folder| {
            let keep = folder.is_dir() && wanted.contains(folder);
            if !keep {
                let _ = debouncer.unwatch(folder);
            }
            keep
        });
        let mut new = Vec::new();
        for folder in wanted.iter() {
            if folder.is_dir()
                && !watched.contains(folder)
                && debouncer.watch(folder, RecursiveMode::Recursive).is_ok()
            {
                watched.insert(folder.clone());
                new.push(folder.clone());
            }
        }
        new
    }

    /// Blocks until a batch of changes arrives that calls for a rebuild; returns the changed
    /// paths, or `None` once the watcher is gone.
    pub fn next_change(&self) -> Option<Vec<PathBuf>> {
        loop {
            let batch = self.events.recv().ok()?;
            let mut changed = self.relevant(batch);
            // A burst can outlast one quiet period on a busy machine: fold in every batch
            // that follows within another, so the burst gives one rebuild.
            while let Ok(more) = self.events.recv_timeout(QUIET) {
                changed.extend(self.relevant(more));
            }
            let mut folders = self.folders.lock().expect("no watcher panics");
            changed.extend(self.refresh(&mut folders));
            drop(folders);
            changed.sort();
            changed.dedup();
            if !changed.is_empty() {
                return Some(changed);
            }
        }
    }

    fn relevant(&self, batch: DebounceEventResult) -> Vec<PathBuf> {
        let Ok(events) = batch else { return Vec::new() };
        events
            .into_iter()
            // Reads (the build reading the content) must not count as changes.
            .filter(|event| !matches!(event.kind, EventKind::Access(_)))
            .flat_map(|event| event.event.paths)
            .filter(|path| self.matters(path))
            .collect()
    }

    fn matters(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        // Editor droppings: swap and backup files, lock files, vim's write test.
        let noise = name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913";
        if noise {
            return false;
        }
        // In the book's root only book.toml is watched; the content and theme folders are
        // watched whole.
        let in_root = path.parent().is_some_and(|parent| {
            Some(parent) == self.book_toml.parent() || parent.as_os_str().is_empty()
        });
        !in_root || name == crate::config::BOOK_FILE || path == self.book_toml
    }
}
