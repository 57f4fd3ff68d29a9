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
    run_in(book.path(), args, env)
}

/// [`run_with`] in the folder `dir`.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
    command
        .args(args)
        .current_dir(dir)
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
        ("garbage after the signature", {
            let mut bytes = good[..15].to_vec();
            bytes.extend(b"\x00\xffnot a pack at all".repeat(50));
            bytes
        }),
        ("header only, of another format version", {
            let mut bytes = good[..40].to_vec();
            bytes[15] = 0x7f;
            bytes
        }),
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

/// Files in a cache folder that versus did not write: git's pack, cargo's tag, the user's
/// own `highlight.pack` and `CACHEDIR.TAG`, a file that only looks like a temporary one.
const NOT_VERSUS: [(&str, &[u8]); 5] = [
    ("pack-05d4.pack", b"PACK\x00\x00\x00\x02\x00\x00\x00\x01 git objects"),
    ("pack-05d4.idx", b"\xfftOc\x00\x00\x00\x02"),
    (
        "CACHEDIR.TAG",
        b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n",
    ),
    ("highlight.pack", b"user data\n"),
    ("notes.pack.tmp-1-2", b"my notes, named oddly\n"),
];

#[test]
fn clean_removes_only_what_versus_can_prove_it_wrote() {
    let book = book_with_code();
    // A folder of someone else's files and versus's: only versus's go, and the folder stays.
    ok(run_with(&book, &["build", "--cache-dir", "shared"], &[]));
    let shared = book.path().join("shared");
    let pack = fs::read(shared.join("highlight.pack")).unwrap();
    fs::rename(shared.join("highlight.pack"), shared.join("other.pack")).unwrap();
    fs::write(shared.join("CACHEDIR.TAG.pack.tmp-77-0"), b"Signature: 8a4").unwrap();
    fs::write(shared.join("highlight.pack.tmp-77-1"), &pack[..20]).unwrap();
    fs::write(shared.join("highlight.pack.tmp-77-2"), b"").unwrap();
    fs::remove_file(shared.join("CACHEDIR.TAG")).unwrap();
    for (name, bytes) in NOT_VERSUS {
        fs::write(shared.join(name), bytes).unwrap();
    }
    fs::create_dir(shared.join("sub.pack")).unwrap();
    let cleaned = ok(run_with(&book, &["clean", "--cache-dir", "shared"], &[]));
    let stderr = String::from_utf8_lossy(&cleaned.stderr);
    assert!(stderr.contains("removed 4 cache files"), "{stderr}");
    for (name, bytes) in NOT_VERSUS {
        assert_eq!(fs::read(shared.join(name)).unwrap(), bytes, "{name} kept");
        assert!(
            stderr.contains(&format!("kept {name} (not written by versus)")),
            "{name} reported\n{stderr}"
        );
    }
    assert!(shared.join("sub.pack").is_dir());
    let mut left: Vec<String> = fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    let mut expected: Vec<String> = NOT_VERSUS.iter().map(|(n, _)| n.to_string()).collect();
    expected.push("sub.pack".into());
    expected.sort();
    assert_eq!(
        left, expected,
        "versus's pack, tag and temporary files went"
    );

    // Only the user's own tag and highlight.pack: nothing is removed, the folder stays.
    book.write(
        "theirs/CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    book.write("theirs/highlight.pack", "user data\n");
    let cleaned = ok(run_with(&book, &["clean", "--cache-dir", "theirs"], &[]));
    assert!(String::from_utf8_lossy(&cleaned.stderr).contains("removed 0 cache files"));
    assert_eq!(book.read("theirs/highlight.pack"), "user data\n");
    assert!(book.exists("theirs/CACHEDIR.TAG"));

    // An empty folder versus did not fill is left too.
    fs::create_dir(book.path().join("empty")).unwrap();
    ok(run_with(&book, &["clean", "--cache-dir", "empty"], &[]));
    assert!(book.exists("empty"));
}

#[test]
fn clean_leaves_a_git_pack_folder_whole() {
    let book = Book::empty();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(book.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status();
        status.is_ok_and(|s| s.success())
    };
    book.write("f", "hi\n");
    if !git(&["init", "-q"]) {
        eprintln!("skipped: no git");
        return;
    }
    assert!(git(&["add", "f"]));
    assert!(git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "m"
    ]));
    assert!(git(&["gc", "-q"]));
    let packs = book.path().join(".git/objects/pack");
    let before = snapshot(&packs);
    assert!(
        before
            .iter()
            .any(|(p, _)| p.extension().is_some_and(|e| e == "pack"))
    );
    ok(run_with(
        &book,
        &["clean", ".", "--cache-dir", ".git/objects/pack"],
        &[],
    ));
    assert_eq!(snapshot(&packs), before);
    assert!(git(&["fsck", "--strict"]), "the repository is intact");
}

/// Runs `versus ARGS` expecting the environment failure (exit 2) whose message has `needle`.
#[track_caller]
fn refused(dir: &Path, args: &[&str], env: &[(&str, &str)], needles: &[&str]) {
    let output = run_in(dir, args, env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: no {needle:?} in\n{stderr}"
        );
    }
}

#[test]
fn build_refuses_a_cache_folder_in_the_book_content_or_output() {
    // The book one level down, so that `..` is a folder of the test's own.
    let outer = Book::empty();
    let root = outer.path().join("book");
    crate::harness::copy_tree(book_with_code().path(), &root);
    ok(run_in(&root, &["build", "--no-cache"], &[]));
    let site_before = snapshot(&root.join("public"));
    let help = "help: choose a cache folder outside the book's content and output with `--cache-dir DIR` or $VERSUS_CACHE_DIR";
    for (dir, why) in [
        ("content", "it is the content folder"),
        ("content/cache", "it is inside the content folder"),
        ("public", "it is the output folder"),
        ("public/cache", "it is inside the output folder"),
        (".", "it is the book's root"),
        ("..", "it holds the book"),
    ] {
        let message = format!("refusing to keep the build cache in this folder: {why}");
        refused(
            &root,
            &["build", "--cache-dir", dir],
            &[],
            &[&message, help],
        );
        let env_dir = root.join(dir);
        refused(
            &root,
            &["build"],
            &[(versus::cache::DIR_ENV, env_dir.to_str().unwrap())],
            &[&message, help],
        );
    }
    for written in [
        "content/CACHEDIR.TAG",
        "content/highlight.pack",
        "content/cache",
        "public/cache",
        "CACHEDIR.TAG",
        "highlight.pack",
        "../CACHEDIR.TAG",
        "../highlight.pack",
    ] {
        assert!(!root.join(written).exists(), "{written}");
    }
    assert_eq!(
        snapshot(&root.join("public")),
        site_before,
        "the site was left as it was"
    );
    // The default folder, named or not, and one beside the content are fine.
    ok(run_in(
        &root,
        &["build", "--cache-dir", ".versus-cache"],
        &[],
    ));
    ok(run_in(&root, &["build", "--cache-dir", "elsewhere"], &[]));
    assert_eq!(snapshot(&root.join("public")), site_before);
}

#[test]
fn build_and_serve_never_overwrite_a_pack_versus_did_not_write() {
    let book = book_with_code();
    for (what, bytes) in [
        ("the user's file", b"user data\n".to_vec()),
        ("an empty file", Vec::new()),
    ] {
        book.write("tgt3/highlight.pack", &bytes);
        refused(
            book.path(),
            &["build", "--cache-dir", "tgt3"],
            &[],
            &[
                "tgt3/highlight.pack: error: refusing to overwrite this file: versus did not write it",
                "help: move it away or delete it yourself",
            ],
        );
        assert_eq!(
            fs::read(book.path().join("tgt3/highlight.pack")).unwrap(),
            bytes,
            "{what}"
        );
        assert!(!book.exists("tgt3/CACHEDIR.TAG"), "{what}");
    }
    assert!(!book.exists("public"), "no site was built");

    let mut server = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["serve", "--port", "0", "--cache-dir", "tgt3"])
        .current_dir(book.path())
        .env_remove(versus::cache::DIR_ENV)
        .env_remove(versus::cache::BUILD_ID_ENV)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines() {
            if lines.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    while let Ok(line) = received.recv_timeout(std::time::Duration::from_secs(60)) {
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("build failed") {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        seen.contains("tgt3/highlight.pack: error: refusing to overwrite this file"),
        "serve refuses the same way:\n{seen}"
    );
    assert!(book.read("tgt3/highlight.pack").is_empty());
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
