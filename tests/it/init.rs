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

/// The workflow README's Publishing section shows: its YAML block that publishes the book.
fn readme_workflow() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = "```yaml\nname: Publish the book\n";
    let (_, after) = readme
        .split_once(start)
        .expect("README's Publishing section shows the workflow");
    let (rest, _) = after.split_once("```\n").unwrap();
    format!("name: Publish the book\n{rest}")
}

#[test]
fn init_with_github_pages_writes_the_workflow_readme_shows() {
    let book = Book::empty();
    book.run(&["init", "--github-pages"])
        .success()
        .stderr_has("created ./.github/workflows/pages.yml")
        .stderr_has("set `base-url` in book.toml");
    let workflow = book.read(".github/workflows/pages.yml");
    assert_eq!(workflow, readme_workflow());
    for step in [
        "versus check --deny-warnings",
        "versus build --dest public",
        "actions/deploy-pages@",
    ] {
        assert!(workflow.contains(step), "{step}");
    }
    assert!(
        book.exists("content/models/bus.md"),
        "the book is written too"
    );
    book.build().success();
}

#[test]
fn init_writes_no_workflow_unless_asked() {
    let book = Book::empty();
    book.run(&["init"]).success();
    assert!(!book.exists(".github"));
}

#[test]
fn init_with_github_pages_never_overwrites_a_workflow() {
    let book = Book::empty();
    book.write(".github/workflows/pages.yml", "mine\n");
    book.run(&["init", "--github-pages"])
        .failure(1)
        .stderr_line(
            ".github/workflows/pages.yml: error: already exists; versus init does not overwrite files",
        );
    assert_eq!(book.read(".github/workflows/pages.yml"), "mine\n");
    assert!(!book.exists("book.toml"), "nothing was written");
}

#[test]
fn init_with_github_pages_adds_the_workflow_to_an_existing_book() {
    let book = Book::empty();
    book.run(&["init"]).success();
    book.write("content/index.md", "# Mine\n\nMy own words.\n");
    book.run(&["init", "--github-pages"])
        .success()
        .stderr_has("created ./.github/workflows/pages.yml");
    assert_eq!(book.read(".github/workflows/pages.yml"), readme_workflow());
    assert_eq!(
        book.read("content/index.md"),
        "# Mine\n\nMy own words.\n",
        "the book's files are left alone"
    );
    // A second run finds the workflow there and writes nothing.
    book.run(&["init", "--github-pages"]).failure(1).stderr_line(
        ".github/workflows/pages.yml: error: already exists; versus init does not overwrite files",
    );
}

#[test]
fn init_into_a_file_says_it_is_a_file_not_a_folder() {
    let book = Book::empty();
    book.write("gp4", "x\n");
    book.run(&["init", "gp4", "--github-pages"])
        .failure(1)
        .stderr_line("gp4: error: is a file, not a folder; versus init needs a folder here");
    assert_eq!(book.read("gp4"), "x\n");
}

#[test]
fn init_with_github_pages_where_dot_github_is_a_file_says_so() {
    let book = Book::empty();
    book.write(".github", "x\n");
    book.run(&["init", "--github-pages"])
        .failure(1)
        .stderr_line(".github: error: is a file, not a folder; versus init needs a folder here");
    assert!(!book.exists("book.toml"), "nothing was written");
}

#[test]
fn init_with_github_pages_in_a_book_that_has_the_workflow_says_to_compare_it() {
    let book = Book::empty();
    book.run(&["init", "--github-pages"]).success();
    let run = book.run(&["init", "--github-pages"]);
    run.failure(1).stderr_has(
        "help: the workflow is already there: compare it with the one in README (Publishing), or remove it",
    );
    assert!(!run.stderr().contains("empty folder"), "{}", run.stderr());
}

#[test]
fn init_with_github_pages_below_a_repository_root_says_where_the_workflow_must_go() {
    let book = Book::empty();
    std::fs::create_dir_all(book.path().join(".git")).unwrap();
    let run = book.run(&["init", "docs", "--github-pages"]);
    run.success()
        .stderr_has("docs is inside the git repository at ");
    let root = book.path().canonicalize().unwrap();
    run.stderr_has(&format!(
        "GitHub reads workflows only from {}",
        root.join(".github/workflows").display()
    ));
    // At the root itself there is nothing to say.
    let at_root = Book::empty();
    std::fs::create_dir_all(at_root.path().join(".git")).unwrap();
    let run = at_root.run(&["init", "--github-pages"]);
    assert!(
        !run.success().stderr().contains("note:"),
        "{}",
        run.stderr()
    );
}
