//! One pack file: a map from 128-bit keys to strings, read whole at the start of a build and
//! rewritten (to a temporary name, then renamed) at its end only if it changed.
//!
//! One file rather than one per entry: creating a file costs about half a millisecond on the
//! file systems measured here, so 30,000 entries would cost seconds to write, while one
//! sequential file of the same bytes is written in a fraction of that and read in less.
//!
//! Layout, little-endian:
//! - header: `MAGIC` (16 bytes, ends with the format version), the build id (16), and a
//!   checksum of those 32 bytes (8);
//! - entries: key (16), age (2), length (4), a checksum of key, age, length and value (8),
//!   then the value's UTF-8 bytes.
//!
//! Reading stops at the first entry that does not check out: a truncated, damaged or foreign
//! file gives the entries before the damage (or none), and the file is rewritten.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

const MAGIC: &[u8; 16] = b"versus-cache\0\0\0\x01";
/// What every pack versus ever wrote starts with, whatever its format version: the proof
/// that a file is versus's to overwrite or delete.
const SIGNATURE: &[u8] = MAGIC.split_at(15).0;
const HEADER: usize = 40;
const ENTRY_HEADER: usize = 30;
const EXTENSION: &str = ".pack";
const TEMP_MARK: &str = ".pack.tmp-";

/// Entries no build used for this many builds in a row are dropped.
pub const KEEP_BUILDS: u16 = 3;

/// The most value bytes a pack keeps; past it, the entries used longest ago are dropped.
pub const MAX_BYTES: usize = 1 << 30;

/// A persistent map from keys to strings, with the age of each entry in builds.
pub struct Pack {
    file: Option<PathBuf>,
    build_id: u128,
    slots: HashMap<u128, Slot>,
    /// The file on disk differs from what `slots` would write (new, damaged or foreign).
    stale: bool,
}

struct Slot {
    value: Arc<str>,
    /// Builds since one last used it.
    age: u16,
    used: bool,
}

impl Pack {
    /// A pack that lives only as long as the process (`versus build --no-cache`, tests).
    pub fn memory() -> Pack {
        Pack {
            file: None,
            build_id: 0,
            slots: HashMap::new(),
            stale: false,
        }
    }

    /// The pack `name` in `dir`, with whatever of it can be trusted; a missing, damaged or
    /// foreign file gives an empty pack that will be written at the end of the build.
    pub fn open(dir: &Path, name: &str, build_id: u128) -> Pack {
        let file = dir.join(format!("{name}{EXTENSION}"));
        let bytes = fs::read(&file).unwrap_or_default();
        let (slots, intact) = parse(&bytes, build_id);
        Pack {
            file: Some(file),
            build_id,
            slots,
            stale: !intact,
        }
    }

    /// The file the pack is kept in (`None` for one in memory).
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The value under `key`, marked as used by this build.
    pub fn get(&mut self, key: u128) -> Option<Arc<str>> {
        let slot = self.slots.get_mut(&key)?;
        slot.used = true;
        Some(Arc::clone(&slot.value))
    }

    pub fn insert(&mut self, key: u128, value: Arc<str>) {
        self.slots.insert(
            key,
            Slot {
                value,
                age: 0,
                used: true,
            },
        );
        self.stale = true;
    }

    /// Ends a build: ages what it did not use, drops what is too old or over the size bound,
    /// and rewrites the file if anything changed.
    pub fn finish(&mut self) -> io::Result<()> {
        let mut changed = self.stale;
        self.slots.retain(|_, slot| {
            if slot.used {
                slot.used = false;
                slot.age = 0;
            } else {
                slot.age = slot.age.saturating_add(1);
                changed = true;
            }
            slot.age < KEEP_BUILDS
        });
        self.bound(MAX_BYTES);
        self.stale = false;
        match &self.file {
            Some(file) if changed => self.write(file),
            _ => Ok(()),
        }
    }

    /// Keeps at most `limit` value bytes, the most recently used first.
    fn bound(&mut self, limit: usize) {
        let total: usize = self.slots.values().map(|s| s.value.len()).sum();
        if total <= limit {
            return;
        }
        let mut order: Vec<(u16, u128, usize)> = self
            .slots
            .iter()
            .map(|(key, slot)| (slot.age, *key, slot.value.len()))
            .collect();
        order.sort_unstable();
        let mut kept = 0;
        for (_, key, len) in order {
            kept += len;
            if kept > limit {
                self.slots.remove(&key);
            }
        }
    }

    fn write(&self, file: &Path) -> io::Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        if !may_overwrite(file)? {
            return Err(io::Error::other(format!(
                "{} is not a versus cache file; it was left as it was",
                file.display()
            )));
        }
        super::prepare(dir)?;
        let mut keys: Vec<&u128> = self.slots.keys().collect();
        keys.sort_unstable();
        with_temp(file, |out| {
            let mut out = BufWriter::with_capacity(1 << 20, out);
            out.write_all(&header(self.build_id))?;
            for key in keys {
                let slot = &self.slots[key];
                let head = entry_head(*key, slot.age, slot.value.as_bytes());
                out.write_all(&head)?;
                out.write_all(slot.value.as_bytes())?;
            }
            out.flush()
        })
    }
}

/// Whether versus may replace `file` with a pack: it does not exist, or it is a regular file
/// that starts like every pack versus writes (not a link, a folder or anyone else's file).
pub fn may_overwrite(file: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(file) {
        Ok(meta) => Ok(meta.is_file() && is_pack(&read_start(file, SIGNATURE.len())?)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(err) => Err(err),
    }
}

/// Whether a regular file named `name` in the cache folder, starting with `start` (its first
/// [`START_LEN`] bytes), is one versus wrote: a pack, or a temporary file of versus's naming
/// holding the beginning of a pack or of the folder's tag.
pub fn is_ours(name: &str, start: &[u8], tag_text: &str) -> bool {
    if name.ends_with(EXTENSION) {
        return is_pack(start);
    }
    is_temp_name(name)
        && (SIGNATURE.starts_with(start)
            || is_pack(start)
            || tag_text.as_bytes().starts_with(start))
}

/// How many bytes of a file [`is_ours`] needs to see.
pub const START_LEN: usize = 256;

fn is_pack(start: &[u8]) -> bool {
    start.starts_with(SIGNATURE)
}

/// `NAME.pack.tmp-PID-COUNT`, as [`with_temp`] names its files.
fn is_temp_name(name: &str) -> bool {
    let Some((_, suffix)) = name.split_once(TEMP_MARK) else {
        return false;
    };
    let mut numbers = suffix.split('-');
    let is_number = |part: Option<&str>| {
        part.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    is_number(numbers.next()) && is_number(numbers.next()) && numbers.next().is_none()
}

/// The first `len` bytes of `file` (fewer if it is shorter).
pub fn read_start(file: &Path, len: usize) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::with_capacity(len);
    fs::File::open(file)?
        .take(len as u64)
        .read_to_end(&mut start)?;
    Ok(start)
}

/// Writes `bytes` to `file` through a temporary file renamed over it, so a reader (another
/// build) sees the old file or the new one, never half of one.
pub fn write_atomically(file: &Path, bytes: &[u8]) -> io::Result<()> {
    with_temp(file, |out| out.write_all(bytes))
}

fn with_temp(file: &Path, fill: impl FnOnce(&mut fs::File) -> io::Result<()>) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temp = file.with_file_name(format!(
        "{}{TEMP_MARK}{}-{}",
        name.trim_end_matches(EXTENSION),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    // `create_new`: never truncate, nor remove on failure, a file that happens to have the
    // temporary name.
    let mut out = fs::File::create_new(&temp)?;
    let result = fill(&mut out).and_then(|()| fs::rename(&temp, file));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn header(build_id: u128) -> [u8; HEADER] {
    let mut head = [0; HEADER];
    head[..16].copy_from_slice(MAGIC);
    head[16..32].copy_from_slice(&build_id.to_le_bytes());
    let sum = xxhash_rust::xxh3::xxh3_64(&head[..32]);
    head[32..].copy_from_slice(&sum.to_le_bytes());
    head
}

fn entry_head(key: u128, age: u16, value: &[u8]) -> [u8; ENTRY_HEADER] {
    let mut head = [0; ENTRY_HEADER];
    head[..16].copy_from_slice(&key.to_le_bytes());
    head[16..18].copy_from_slice(&age.to_le_bytes());
    head[18..22].copy_from_slice(&(value.len() as u32).to_le_bytes());
    let sum = checksum(&head[..22], value);
    head[22..].copy_from_slice(&sum.to_le_bytes());
    head
}

fn checksum(head: &[u8], value: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(head);
    hasher.update(value);
    hasher.digest()
}

/// The entries of a pack file that check out, and whether the whole file did.
fn parse(bytes: &[u8], build_id: u128) -> (HashMap<u128, Slot>, bool) {
    let mut slots = HashMap::new();
    if bytes.len() < HEADER || bytes[..HEADER] != header(build_id) {
        return (slots, false);
    }
    let mut rest = &bytes[HEADER..];
    while !rest.is_empty() {
        let Some((key, slot, after)) = parse_entry(rest) else {
            return (slots, false);
        };
        slots.insert(key, slot);
        rest = after;
    }
    (slots, true)
}

fn parse_entry(bytes: &[u8]) -> Option<(u128, Slot, &[u8])> {
    let head = bytes.get(..ENTRY_HEADER)?;
    let key = u128::from_le_bytes(head[..16].try_into().ok()?);
    let age = u16::from_le_bytes(head[16..18].try_into().ok()?);
    let len = u32::from_le_bytes(head[18..22].try_into().ok()?) as usize;
    let sum = u64::from_le_bytes(head[22..30].try_into().ok()?);
    let value = bytes.get(ENTRY_HEADER..ENTRY_HEADER.checked_add(len)?)?;
    if checksum(&head[..22], value) != sum {
        return None;
    }
    let value = std::str::from_utf8(value).ok()?;
    let slot = Slot {
        value: value.into(),
        age,
        used: false,
    };
    Some((key, slot, &bytes[ENTRY_HEADER + len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder per test (the tests' own, removed when dropped).
    struct TestDir(PathBuf);

    impl TestDir {
        fn new(name: &str) -> TestDir {
            let dir =
                std::env::temp_dir().join(format!("versus-pack-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TestDir(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn pack_with(dir: &Path, entries: &[(u128, &str)]) -> PathBuf {
        let mut pack = Pack::open(dir, "t", 7);
        for (key, value) in entries {
            pack.insert(*key, (*value).into());
        }
        pack.finish().unwrap();
        dir.join("t.pack")
    }

    #[test]
    fn a_written_pack_reads_back() {
        let dir = TestDir::new("reads-back");
        pack_with(dir.path(), &[(1, "one"), (2, "two")]);
        let mut pack = Pack::open(dir.path(), "t", 7);
        assert_eq!(pack.get(1).as_deref(), Some("one"));
        assert_eq!(pack.get(2).as_deref(), Some("two"));
        assert!(!pack.stale);
    }

    #[test]
    fn another_build_id_reads_nothing() {
        let dir = TestDir::new("build-id");
        pack_with(dir.path(), &[(1, "one")]);
        let pack = Pack::open(dir.path(), "t", 8);
        assert!(pack.is_empty() && pack.stale);
    }

    #[test]
    fn a_truncated_pack_keeps_the_entries_before_the_cut() {
        let dir = TestDir::new("truncated");
        let file = pack_with(dir.path(), &[(1, "one"), (2, "two")]);
        let bytes = fs::read(&file).unwrap();
        fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        let mut pack = Pack::open(dir.path(), "t", 7);
        assert_eq!(pack.len(), 1);
        assert_eq!(pack.get(1).as_deref(), Some("one"));
        assert!(pack.stale);
    }

    #[test]
    fn a_flipped_byte_is_caught_by_the_checksum() {
        let dir = TestDir::new("flipped");
        let file = pack_with(dir.path(), &[(1, "one")]);
        let mut bytes = fs::read(&file).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&file, bytes).unwrap();
        assert!(Pack::open(dir.path(), "t", 7).is_empty());
    }

    #[test]
    fn a_file_versus_did_not_write_is_never_overwritten() {
        let dir = TestDir::new("foreign");
        let mut pack = Pack::open(dir.path(), "t", 7);
        pack.insert(1, "one".into());
        // Appears while the build runs.
        fs::write(dir.path().join("t.pack"), "user data").unwrap();
        assert!(pack.finish().is_err());
        assert_eq!(fs::read(dir.path().join("t.pack")).unwrap(), b"user data");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no tag, no temporary file left");
    }

    #[test]
    fn only_versus_named_temporary_files_with_versus_bytes_are_ours() {
        let tag = "Signature: x\n";
        assert!(is_ours("h.pack.tmp-12-0", b"", tag));
        assert!(is_ours("h.pack.tmp-12-0", &MAGIC[..4], tag));
        assert!(is_ours("h.pack.tmp-12-0", b"Signature", tag));
        assert!(!is_ours("h.pack.tmp-12-0", b"notes", tag));
        assert!(!is_ours("h.pack.tmp-12", b"", tag));
        assert!(!is_ours("h.pack.tmp-12-0-1", b"", tag));
        assert!(!is_ours("h.pack.tmp-a-0", b"", tag));
        assert!(is_ours("h.pack", MAGIC, tag));
        assert!(!is_ours("h.pack", b"", tag));
        assert!(!is_ours("h.pack", b"PACK\0\0\0\x02", tag));
    }

    #[test]
    fn unused_entries_age_out_and_the_size_is_bounded() {
        let mut pack = Pack::memory();
        pack.insert(1, "one".into());
        pack.insert(2, "two".into());
        pack.finish().unwrap();
        for _ in 0..KEEP_BUILDS {
            assert!(pack.get(1).is_some());
            pack.finish().unwrap();
        }
        assert!(pack.get(2).is_none(), "unused for {KEEP_BUILDS} builds");
        pack.insert(3, "three".into());
        pack.finish().unwrap();
        pack.get(3);
        pack.bound(5);
        assert_eq!(pack.len(), 1, "the entry used last is kept");
        assert!(pack.get(3).is_some());
    }
}
