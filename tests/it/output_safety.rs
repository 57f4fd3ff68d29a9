//! The output folder: staging, the manifest, and never deleting what versus did not write.

use crate::harness::Book;

#[test]
fn files_versus_did_not_write_survive_a_rebuild() {
    let book = Book::minimal();
    book.build().success();
    book.write("public/CNAME", "docs.example.org\n");
    book.write("public/.git/config", "[core]\n");
    book.write("public/models/extra.txt", "mine\n");
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta 2\nvalues:\n  speed: slow\n  api: n/a\n---\n",
    );
    book.build()
        .success()
        .stderr_has("kept CNAME (not written by versus)");
    assert_eq!(book.read("public/CNAME"), "docs.example.org\n");
    assert_eq!(book.read("public/.git/config"), "[core]\n");
    assert_eq!(book.read("public/models/extra.txt"), "mine\n");
    assert!(
        book.read("public/models/beta/index.html")
            .contains("Beta 2")
    );
    assert!(
        !book.read("public/.versus-manifest").contains("CNAME"),
        "foreign files are not claimed"
    );
}

#[test]
fn pages_removed_from_the_book_disappear_from_the_site() {
    let book = Book::minimal();
    book.write("content/old.md", "---\ntitle: Old\n---\n");
    book.build().success();
    assert!(book.exists("public/old/index.html"));
    std::fs::remove_file(book.path().join("content/old.md")).unwrap();
    book.build().success();
    assert!(!book.exists("public/old"));
}

#[test]
fn refuses_a_folder_it_did_not_create() {
    let book = Book::minimal();
    book.write("public/important.txt", "keep me");
    book.build()
        .failure(1)
        .stderr_line("public: error: refusing to build into a folder versus did not create: it is not empty and has no .versus-manifest");
    assert_eq!(book.read("public/important.txt"), "keep me");
}

#[test]
fn builds_into_an_empty_existing_folder() {
    let book = Book::minimal();
    std::fs::create_dir(book.path().join("public")).unwrap();
    book.build().success();
    assert!(book.exists("public/index.html"));
}

#[test]
fn refuses_the_book_root_and_the_content_folder() {
    let book = Book::minimal();
    book.run(&["build", "--dest", "."])
        .failure(1)
        .stderr_has("refusing to build into this folder: it is the book's root");
    book.run(&["build", "--dest", "content/site"])
        .failure(1)
        .stderr_has("refusing to build into this folder: it is inside the content folder");
    book.write(
        "book.toml",
        format!(
            "{}\n[build]\ncontent = \"src/content\"\noutput = \"src\"\n",
            crate::harness::MINIMAL_TOML
        ),
    );
    std::fs::rename(book.path().join("content"), book.path().join("content2")).unwrap();
    std::fs::create_dir(book.path().join("src")).unwrap();
    std::fs::rename(
        book.path().join("content2"),
        book.path().join("src/content"),
    )
    .unwrap();
    book.build()
        .failure(1)
        .stderr_has("refusing to build into this folder: it contains the content folder");
    assert!(book.exists("src/content/index.md"));
}

#[test]
fn a_file_in_the_way_of_a_new_page_is_not_overwritten() {
    let book = Book::minimal();
    book.build().success();
    book.write("public/about/index.html", "my own page");
    book.write("content/about.md", "---\ntitle: About\n---\n");
    book.build()
        .failure(2)
        .stderr_has("versus did not write this file");
    assert_eq!(book.read("public/about/index.html"), "my own page");
}

#[test]
fn a_content_file_cannot_take_the_place_of_a_generated_file() {
    for (source, generated) in [
        ("content/index.html", "the home page"),
        ("content/404.html", "the page for missing pages"),
        ("content/assets/versus.css", "a file of the theme"),
        ("content/matrix/index.html", "the matrix page"),
        ("content/embed/matrix.html", "a fragment for other docs"),
        ("content/sitemap.xml", "the sitemap"),
        (
            "content/models/alpha/index.html",
            "the page of content/models/alpha.md",
        ),
    ] {
        let book = Book::minimal();
        book.run(&["build", "--base-url", "https://example.org/"])
            .success();
        let before = crate::harness::snapshot(&book.path().join("public"));
        book.write(source, "mine");
        let output = source.trim_start_matches("content/");
        book.run(&["build", "--base-url", "https://example.org/"])
            .failure(1)
            .stderr_line(&format!(
                "{source}: error: this file would be written to {output}, where versus writes {generated}"
            ))
            .stderr_has("  help: rename or move the file");
        assert_eq!(
            crate::harness::snapshot(&book.path().join("public")),
            before,
            "{source}"
        );
        if output != "sitemap.xml" {
            // `check` has no --base-url, so no sitemap.
            book.run(&["check"]).failure(1).stderr_has(&format!(
                "{source}: error: this file would be written to {output}"
            ));
        }
    }
}

#[test]
fn dest_is_resolved_before_it_is_checked() {
    let book = Book::minimal();
    book.write("keep/mine.txt", "mine");
    book.run(&["build", "--dest", "missing/../keep"])
        .failure(1)
        .stderr_line("keep: error: refusing to build into a folder versus did not create: it is not empty and has no .versus-manifest");
    assert!(!book.exists("missing"), "no stray folder is left behind");
    book.run(&["build", "--dest", "x/../content"])
        .failure(1)
        .stderr_line(
            "content: error: refusing to build into this folder: it is the content folder",
        );
    assert!(!book.exists("x"));
    assert!(!book.exists("content/index.html"));
    book.write(
        "book.toml",
        format!(
            "{}\n[build]\noutput = \"gone/../keep\"\n",
            crate::harness::MINIMAL_TOML
        ),
    );
    book.build()
        .failure(1)
        .stderr_has("keep: error: refusing to build");
    assert!(!book.exists("gone"));
}

#[test]
fn an_empty_output_setting_names_book_toml_and_the_key() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{}\n[build]\noutput = \"\"\n", crate::harness::MINIMAL_TOML),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:18:10: error: `output` is empty")
        .stderr_line("  help: name the folder to build into, e.g. output = \"public\"");
}

#[test]
fn an_unwritable_dest_names_the_folder_given() {
    let book = Book::minimal();
    // Nothing can be created in /proc, not even by root.
    book.run(&["build", "--dest", "/proc/self/site"])
        .failure(2)
        .stderr_has("/proc/self/site: error: cannot write the site:")
        .stderr_line("  help: make sure the folder and its parent can be written, or choose another with `--dest DIR`");
    assert!(
        !book
            .run(&["build", "--dest", "/proc/self/site"])
            .stderr()
            .contains("staging")
    );
}
