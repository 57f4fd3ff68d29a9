//! `versus init`: a working book at once, and never an overwritten file.

use crate::harness::Book;

#[test]
fn init_in_an_empty_folder_gives_a_book_that_builds_checks_and_tests() {
    let book = Book::empty();
    book.run(&["init"])
        .success()
        .stderr_has("created ./book.toml");
    for file in [
        "book.toml",
        "content/index.md",
        "content/guide.md",
        "content/models/bicycle.md",
        "content/models/bus.md",
    ] {
        assert!(book.exists(file), "{file}");
    }
    let toml = book.read("book.toml");
    for kind in ["kind = \"scale\"", "kind = \"tags\"", "kind = \"text\""] {
        assert!(
            toml.contains(kind),
            "the scaffold shows every dimension kind: {kind}"
        );
    }
    book.build().success();
    book.run(&["check", "--deny-warnings"]).success();
    let run = book.run(&["test"]);
    run.success();
    assert!(
        run.stdout().ends_with("2 passed, 0 failed, 0 skipped\n"),
        "{}",
        run.stdout()
    );
}

#[test]
fn init_creates_the_named_folder() {
    let book = Book::empty();
    book.run(&["init", "new/book"]).success();
    assert!(book.exists("new/book/content/models/bus.md"));
}

#[test]
fn init_beside_other_files_keeps_them() {
    let book = Book::empty();
    book.write("README.md", "mine\n");
    book.run(&["init"]).success();
    assert_eq!(book.read("README.md"), "mine\n");
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Mine\"\n");
    book.write("content/guide.md", "my guide\n");
    book.run(&["init"])
        .failure(1)
        .stderr_line("book.toml: error: already exists; versus init does not overwrite files")
        .stderr_line(
            "content/guide.md: error: already exists; versus init does not overwrite files",
        )
        .stderr_has("init failed; nothing was written");
    assert_eq!(book.read("book.toml"), "[book]\ntitle = \"Mine\"\n");
    assert!(!book.exists("content/index.md"), "nothing else was written");
}

#[test]
fn init_that_fails_midway_removes_what_it_wrote_and_only_that() {
    let book = Book::empty();
    // Nothing can be created in /proc, not even by root: writing content/ fails after
    // book.toml is written.
    std::os::unix::fs::symlink("/proc/self", book.path().join("content")).unwrap();
    book.run(&["init"])
        .failure(2)
        .stderr_has("content/index.md: error: cannot write:")
        .stderr_has("init failed; nothing was written");
    assert!(!book.exists("book.toml"), "what init wrote is removed");
    assert!(
        book.path().join("content").symlink_metadata().is_ok(),
        "what init did not create is kept"
    );
}

#[test]
fn init_counts_a_dangling_link_as_an_existing_file() {
    let book = Book::empty();
    std::os::unix::fs::symlink("/nonexistent/book.toml", book.path().join("book.toml")).unwrap();
    book.run(&["init"])
        .failure(1)
        .stderr_line("book.toml: error: already exists; versus init does not overwrite files");
    assert!(!book.exists("content"), "nothing was written");
}
