//! The build cache (highlighted code kept between runs) and the write stage that rewrites
//! only what changed: the output never depends on the cache, damage is ignored and repaired,
//! concurrent builds share it, and unchanged files are left alone.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::{Book, snapshot};

const CODE: &str = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)  # wait\n";
const PACK: &str = ".versus-cache/highlight.pack";

/// The minimal book with a page of highlighted code.
fn book_with_code() -> Book {
    let book = Book::minimal();
    book.write(
        "content/code.md",
        format!("---\ntitle: Code\n---\n```python\n{CODE}```\n\n```toml\n[a]\nb = 1\n```\n"),
    );
    book
}

/// Runs `versus ARGS` in the book with `env` set, and no cache settings from outside.
fn run_with(book: &Book, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
    command
        .args(args)
        .current_dir(book.path())
        .env_remove(versus::cache::DIR_ENV)
        .env_remove(versus::cache::BUILD_ID_ENV);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("versus runs")
}

#[track_caller]
fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "expected success\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The site a build without the cache makes, into `reference/`.
fn uncached(book: &Book) -> Vec<(PathBuf, Vec<u8>)> {
    ok(run_with(
        book,
        &["build", "--no-cache", "--dest", "reference"],
        &[],
    ));
    snapshot(&book.path().join("reference"))
}

fn site(book: &Book) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(&book.path().join("public"))
}

fn page(book: &Book) -> String {
    book.read("public/code/index.html")
}

#[test]
fn cached_builds_are_byte_identical_to_an_uncached_one() {
    let book = book_with_code();
    let reference = uncached(&book);
    assert!(!book.exists(".versus-cache"), "--no-cache writes no cache");
    ok(run_with(&book, &["build"], &[]));
    assert!(book.exists(PACK), "the first build fills the cache");
    assert_eq!(site(&book), reference, "cold cache");
    ok(run_with(&book, &["build"], &[]));
    assert_eq!(site(&book), reference, "warm cache");
    assert!(page(&book).contains("<span class=\"kn\">import</span>"));
}

/// Writes a pack made by `build_id` where the Python block's HTML is `POISON`.
fn poison(book: &Book, build_id: &str) {
    let dir = book.path().join(".versus-cache");
    let mut pack = versus::cache::Pack::open(
        &dir,
        "highlight",
        versus::cache::key(&[build_id.as_bytes()]),
    );
    let key = versus::render::highlight::cache_key(CODE, Some("python"));
    pack.insert(key, "POISON".into());
    pack.finish().unwrap();
}

#[test]
fn a_cache_from_another_versus_build_is_not_used() {
    let book = book_with_code();
    poison(&book, "old");
    ok(run_with(
        &book,
        &["build"],
        &[(versus::cache::BUILD_ID_ENV, "old")],
    ));
    assert!(
        page(&book).contains("POISON"),
        "the same build id reads the pack (so this test's key is the real one)"
    );
    poison(&book, "old");
    ok(run_with(
        &book,
        &["build"],
        &[(versus::cache::BUILD_ID_ENV, "new")],
    ));
    assert!(!page(&book).contains("POISON"), "a new version ignores it");
    poison(&book, "old");
    ok(run_with(&book, &["build"], &[]));
    assert!(!page(&book).contains("POISON"), "this binary's own id");
    assert_eq!(site(&book), uncached(&book));
}

#[test]
fn changed_code_options_and_themes_change_the_output_with_a_warm_cache() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    let changes: [&dyn Fn(&Book); 3] = [
        &|book| {
            book.write(
                "content/code.md",
                format!("---\ntitle: Code\n---\n```python\n{CODE}x = 2\n```\n"),
            );
        },
        &|book| {
            book.write(
                "content/code.md",
                format!("---\ntitle: Code\n---\n```pycon\n{CODE}```\n"),
            );
        },
        &|book| {
            book.write(
                "book.toml",
                format!(
                    "{}\n[build]\ntheme = \"mine\"\n",
                    crate::harness::MINIMAL_TOML
                ),
            );
            book.write(
                "themes/mine/templates/page.html",
                "MINE {{ page.content | safe }}",
            );
        },
    ];
    for change in changes {
        let before = site(&book);
        change(&book);
        ok(run_with(&book, &["build"], &[]));
        assert_ne!(site(&book), before);
        assert_eq!(site(&book), uncached(&book));
    }
    ok(run_with(
        &book,
        &["build", "--base-url", "https://example.org/"],
        &[],
    ));
    assert!(
        book.exists("public/sitemap.xml"),
        "an option changes the output"
    );
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let book = book_with_code();
    let reference = uncached(&book);
    ok(run_with(&book, &["build"], &[]));
    let good = fs::read(book.path().join(PACK)).unwrap();
    let damages: [(&str, Vec<u8>); 4] = [
        ("truncated", good[..good.len() - 7].to_vec()),
        ("garbage", b"\x00\xffnot a pack at all".repeat(50)),
        ("empty", Vec::new()),
        ("flipped", {
            let mut bytes = good.clone();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x20;
            bytes
        }),
    ];
    for (what, bytes) in damages {
        fs::write(book.path().join(PACK), &bytes).unwrap();
        ok(run_with(&book, &["build"], &[]));
        assert_eq!(site(&book), reference, "{what}");
        assert_eq!(
            fs::read(book.path().join(PACK)).unwrap(),
            good,
            "{what}: rewritten whole"
        );
    }
    poison(&book, "someone else");
    ok(run_with(&book, &["build"], &[]));
    assert_eq!(site(&book), reference, "foreign");
    assert_eq!(fs::read(book.path().join(PACK)).unwrap(), good, "foreign");
}

#[test]
fn two_builds_at_once_share_the_cache_and_both_succeed() {
    let book = book_with_code();
    let reference = uncached(&book);
    for dests in [["a", "b"], ["same", "same"]] {
        let _ = fs::remove_dir_all(book.path().join(".versus-cache"));
        let spawned: Vec<_> = dests
            .iter()
            .map(|dest| {
                Command::new(env!("CARGO_BIN_EXE_versus"))
                    .args(["build", "--dest", dest])
                    .current_dir(book.path())
                    .env_remove(versus::cache::DIR_ENV)
                    .env_remove(versus::cache::BUILD_ID_ENV)
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in spawned {
            ok(child.wait_with_output().unwrap());
        }
        for dest in dests {
            assert_eq!(snapshot(&book.path().join(dest)), reference, "{dest}");
        }
        ok(run_with(&book, &["build", "--dest", "after"], &[]));
        assert_eq!(snapshot(&book.path().join("after")), reference);
    }
}

#[test]
fn cache_dir_flag_environment_and_clean() {
    let book = book_with_code();
    let elsewhere = Book::empty();
    let env_dir = elsewhere.path().join("from-env");
    let env_dir = env_dir.to_str().unwrap();
    ok(run_with(
        &book,
        &["build"],
        &[(versus::cache::DIR_ENV, env_dir)],
    ));
    assert!(Path::new(env_dir).join("highlight.pack").is_file());
    assert!(!book.exists(".versus-cache"));
    ok(run_with(
        &book,
        &["build", "--cache-dir", "mine"],
        &[(versus::cache::DIR_ENV, env_dir)],
    ));
    assert!(book.exists("mine/highlight.pack"), "the flag wins");
    assert!(book.exists("mine/CACHEDIR.TAG"));
    book.write("mine/notes.txt", "not the cache's");
    let cleaned = run_with(&book, &["clean", "--cache-dir", "mine"], &[]);
    ok(cleaned);
    assert!(!book.exists("mine/highlight.pack"));
    assert_eq!(
        book.read("mine/notes.txt"),
        "not the cache's",
        "clean removes only its own"
    );
    ok(run_with(&book, &["build"], &[]));
    ok(run_with(&book, &["clean"], &[]));
    assert!(
        !book.exists(".versus-cache"),
        "an emptied default folder goes"
    );
}

fn stamp(path: &Path) -> (u64, i64, i64) {
    let meta = fs::metadata(path).unwrap();
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

/// Every file of the site with its inode and modification time.
fn stamps(dir: &Path) -> Vec<(PathBuf, (u64, i64, i64))> {
    snapshot(dir)
        .into_iter()
        .map(|(path, _)| {
            let stamp = stamp(&dir.join(&path));
            (path, stamp)
        })
        .collect()
}

#[test]
fn a_build_that_changes_nothing_touches_nothing() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    let public = book.path().join("public");
    let before = stamps(&public);
    let folder = stamp(&public);
    for _ in 0..2 {
        ok(run_with(&book, &["build"], &[]));
        assert_eq!(stamps(&public), before);
        assert_eq!(stamp(&public), folder, "not even the folder is swapped");
    }
}

#[test]
fn only_changed_files_are_rewritten_and_the_rest_keep_inode_and_mtime() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    let public = book.path().join("public");
    // Twice: the first change makes the spare tree, the second renews it.
    for round in ["# one", "# two", "# three"] {
        let before = stamps(&public);
        book.write(
            "content/code.md",
            format!("---\ntitle: Code\n---\n```python\n{CODE}{round}\n```\n"),
        );
        ok(run_with(&book, &["build"], &[]));
        let after = stamps(&public);
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(b, _)| b.0.to_string_lossy().into_owned())
            .collect();
        // The search index holds the page's code as text, so it changes with it.
        assert_eq!(
            changed,
            [".versus-manifest", "code/index.html", "search-index.js"],
            "{round}"
        );
        assert!(page(&book).contains(round));
        assert_eq!(site(&book), uncached(&book), "{round}");
    }
}

#[test]
fn a_failed_build_after_incremental_ones_leaves_the_site_as_it_was() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    book.write("content/code.md", "---\ntitle: Code 2\n---\nchanged\n");
    ok(run_with(&book, &["build"], &[]));
    let before = site(&book);
    let public = book.path().join("public");
    let before_stamps = stamps(&public);
    book.write("content/models/alpha.md", "---\ntitle: [broken\n---\n");
    let failed = run_with(&book, &["build"], &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(site(&book), before);
    assert_eq!(stamps(&public), before_stamps);
}

#[test]
fn a_damaged_spare_tree_is_rebuilt() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    book.write("content/code.md", "---\ntitle: Code 2\n---\nchanged\n");
    ok(run_with(&book, &["build"], &[]));
    let spare = book.path().join(".public.versus-spare");
    assert!(
        spare.join(".versus-manifest").is_file(),
        "the previous tree is kept"
    );
    // An interrupted renewal leaves a spare without its manifest, and stray bytes.
    fs::remove_file(spare.join(".versus-manifest")).unwrap();
    fs::remove_file(spare.join("index.html")).unwrap();
    fs::write(spare.join("index.html"), "half").unwrap();
    book.write("content/code.md", "---\ntitle: Code 3\n---\nagain\n");
    ok(run_with(&book, &["build"], &[]));
    assert_eq!(site(&book), uncached(&book));
}

#[test]
fn serve_reads_the_cache_from_its_first_build() {
    let book = book_with_code();
    ok(run_with(&book, &["build"], &[]));
    // Poison the block in the pack this binary wrote, under the build id in its header.
    let header = fs::read(book.path().join(PACK)).unwrap();
    let build_id = u128::from_le_bytes(header[16..32].try_into().unwrap());
    let mut pack =
        versus::cache::Pack::open(&book.path().join(".versus-cache"), "highlight", build_id);
    pack.insert(
        versus::render::highlight::cache_key(CODE, Some("python")),
        "POISON".into(),
    );
    pack.finish().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["serve", "--port", "0", "--dest", "preview"])
        .current_dir(book.path())
        .env_remove(versus::cache::DIR_ENV)
        .env_remove(versus::cache::BUILD_ID_ENV)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let built = book.path().join("preview/code/index.html");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !built.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        fs::read_to_string(&built).unwrap().contains("POISON"),
        "the first build of serve took the block from the cache"
    );
}
