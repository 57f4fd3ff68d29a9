//! What versus reads: only regular files, each within a size limit, and every path shown as
//! the terminal that ran the command can open it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Book, Run};

/// Runs `versus ARGS` in the book, failing the test if it is still running after a minute
/// (a FIFO read blocks for ever): a watchdog, not a timing assertion.
fn run_bounded(book: &Book, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(args)
        .current_dir(book.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("versus {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run {
        output: child.wait_with_output().unwrap(),
    }
}

fn mkfifo(path: &std::path::Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
}

#[test]
fn a_book_toml_that_is_a_fifo_is_refused_without_blocking() {
    let book = Book::minimal();
    std::fs::remove_file(book.path().join("book.toml")).unwrap();
    mkfifo(&book.path().join("book.toml"));
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("book.toml:1:1: error: cannot read book.toml: it is not a regular file")
        .stderr_has("  help: ");
}

#[test]
fn a_book_toml_linked_to_an_endless_device_is_refused() {
    let book = Book::minimal();
    std::fs::remove_file(book.path().join("book.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", book.path().join("book.toml")).unwrap();
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("book.toml:1:1: error: cannot read book.toml: it is not a regular file");
}

#[test]
fn a_fifo_in_the_content_folder_is_reported() {
    let book = Book::minimal();
    mkfifo(&book.path().join("content/pipe.md"));
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("content/pipe.md: error: not a regular file")
        .stderr_has("  help: ");
}

#[test]
fn files_past_the_size_limits_are_refused() {
    let book = Book::minimal();
    let big = std::fs::File::create(book.path().join("content/big.md")).unwrap();
    big.set_len(8 * 1024 * 1024 + 1).unwrap();
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line(
            "content/big.md: error: the file is larger than 8 MiB, the limit for a Markdown file",
        )
        .stderr_has("  help: ");
    let book = Book::minimal();
    let toml = std::fs::OpenOptions::new()
        .append(true)
        .open(book.path().join("book.toml"))
        .unwrap();
    toml.set_len(1024 * 1024 + 1).unwrap();
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("book.toml:1:1: error: cannot read book.toml: the file is larger than 1 MiB, the limit for book.toml");
}

#[test]
fn symlinked_content_files_are_reported_not_dropped() {
    let book = Book::minimal();
    book.write("elsewhere.md", "---\ntitle: Elsewhere\n---\n");
    std::os::unix::fs::symlink("../elsewhere.md", book.path().join("content/linked.md")).unwrap();
    std::os::unix::fs::symlink(".", book.path().join("content/loop")).unwrap();
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("content/linked.md: error: a symbolic link; versus does not follow links in the content folder")
        .stderr_line("content/loop: error: a symbolic link; versus does not follow links in the content folder")
        .stderr_has("  help: put the file itself here");
}

#[test]
fn a_newline_in_a_file_name_does_not_split_the_message() {
    let book = Book::minimal();
    book.write("content/two\nlines.md", "---\ntitle: [\n---\n");
    let run = run_bounded(&book, &["build"]);
    run.failure(1);
    assert!(
        run.stderr()
            .lines()
            .any(|l| l.starts_with("content/two\\nlines.md:") && l.contains(": error: ")),
        "{}",
        run.stderr()
    );
}

#[test]
fn paths_are_shown_from_where_the_command_runs() {
    let book = Book::empty();
    let inner = Book::minimal();
    crate::harness::copy_tree(inner.path(), &book.path().join("other/book"));
    book.write("other/book/content/x.md", "---\ntitle: X\nsort: 1\n---\n");
    for command in ["build", "check"] {
        run_bounded(&book, &[command, "other/book"])
            .failure(1)
            .stderr_has("other/book/content/x.md:3:1: error: ");
    }
    std::fs::remove_file(book.path().join("other/book/content/x.md")).unwrap();
    run_bounded(&book, &["build", "other/book"])
        .success()
        .stderr_has("into other/book/public");
}

#[test]
fn a_bad_base_url_flag_is_blamed_on_the_flag() {
    let book = Book::minimal();
    run_bounded(&book, &["build", "--base-url", "example.org"])
        .failure(1)
        .stderr_line(
            "--base-url: error: base-url \"example.org\" is not an http:// or https:// address",
        )
        .stderr_has("  help: ");
}

#[test]
fn a_base_url_that_would_break_every_published_link_is_refused() {
    let book = Book::minimal();
    for (url, says) in [
        (
            "https://x.github.io/book/?q=1#top",
            "has a query or a fragment",
        ),
        ("https:///book/", "has no host"),
        (
            "https://me:secret@x.org/book/",
            "has a user name or password",
        ),
        (
            "https://x.org/a b/",
            "has a space, a backslash, a quote or an angle bracket",
        ),
        ("ftp://x.org/book/", "is not an http:// or https:// address"),
    ] {
        run_bounded(&book, &["build", "--base-url", url])
            .failure(1)
            .stderr_line(&format!("--base-url: error: base-url {url:?} {says}"));
    }
    run_bounded(&book, &["build", "--base-url", "https://x.org:8080/book"]).success();
    assert!(
        book.read("public/sitemap.xml")
            .contains("<loc>https://x.org:8080/book/</loc>")
    );
}

#[test]
fn a_theme_is_named_not_given_as_a_path() {
    let book = Book::minimal();
    let toml = book.read("book.toml");
    book.write(
        "book.toml",
        format!("[build]\ntheme = \"../elsewhere\"\n\n{toml}"),
    );
    run_bounded(&book, &["build"])
        .failure(1)
        .stderr_line("book.toml:2:9: error: theme \"../elsewhere\" is not a folder name");
}
