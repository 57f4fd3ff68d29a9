//! `versus check`: one book per kind of problem it finds, plus what it must not do.

use crate::harness::{Book, MINIMAL_TOML};

#[test]
fn a_clean_book_passes_and_writes_nothing() {
    let book = Book::minimal();
    book.run(&["check", "--deny-warnings"])
        .success()
        .stderr_has("checked 6 pages: 0 errors, 0 warnings");
    assert!(!book.exists("public"), "check never writes the site");
}

#[test]
fn broken_links_to_pages_are_errors() {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\nSee [threads](models/thread.md) and [alpha](models/alpha.md).\n",
    );
    book.run(&["check"])
        .failure(1)
        .stderr_line(
            "content/about.md:4:5: error: broken link: there is no page `models/thread.md`",
        )
        .stderr_has("check failed: 1 error, 0 warnings");
}

#[test]
fn missing_anchors_are_errors_with_a_suggestion() {
    let book = Book::minimal();
    book.write("content/models/alpha.md", "---\ntitle: Alpha\nvalues:\n  speed: fast\n  api: x\npros:\n  - quick\n---\n## Details\n\nSee [beta](beta.md#details), [mine](#detials) and [pros](#pros).\n");
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta\nvalues:\n  speed: slow\n  api: n/a\n---\n## Detail\n",
    );
    let run = book.run(&["check"]);
    run.failure(1)
        .stderr_line("content/models/alpha.md:11:5: error: broken anchor: `#details` is not an id in models/beta/index.html")
        .stderr_line("  help: did you mean `#detail`?")
        .stderr_line("content/models/alpha.md:11:30: error: broken anchor: `#detials` is not an id in models/alpha/index.html")
        .stderr_line("  help: did you mean `#details`?")
        .stderr_has("check failed: 2 errors");
    assert!(
        !run.stderr().contains("#pros`"),
        "the template's own ids count as anchors"
    );
}

#[test]
fn links_in_front_matter_notes_are_checked_too() {
    let book = Book::minimal();
    book.write("content/models/beta.md", "---\ntitle: Beta\nvalues:\n  speed: { value: slow, note: \"see [alpha](alpha.md#nowhere)\" }\n  api: n/a\n---\n");
    book.run(&["check"])
        .failure(1)
        .stderr_line("content/models/beta.md:4:36: error: broken anchor: `#nowhere` is not an id in models/alpha/index.html");
}

#[test]
fn missing_images_and_files_are_errors() {
    let book = Book::minimal();
    book.write("content/images/here.svg", "<svg/>");
    book.write("content/about.md", "---\ntitle: About\n---\n![here](images/here.svg) ![gone](images/gone.svg) [file](files/data.csv)\n");
    book.run(&["check"])
        .failure(1)
        .stderr_line("content/about.md:4:26: error: broken link: the image `images/gone.svg` does not exist in the site")
        .stderr_line("content/about.md:4:51: error: broken link: the file `files/data.csv` does not exist in the site");
}

#[test]
fn orphan_pages_are_warnings() {
    let book = Book::minimal();
    book.write("content/hidden.md", "---\ntitle: Hidden\nnav: false\n---\n");
    book.write("content/linked.md", "---\ntitle: Linked\nnav: false\n---\n");
    book.write(
        "content/index.md",
        "---\ntitle: Home\n---\nSee [linked](linked.md).\n",
    );
    let run = book.run(&["check"]);
    run.success()
        .stderr_line("content/hidden.md:1:1: warning: orphan page: it is not in the navigation and no reachable page links to it")
        .stderr_has("checked 8 pages: 0 errors, 1 warning");
    assert!(
        !run.stderr().contains("content/linked.md"),
        "a page linked from a reachable page is not an orphan"
    );
    book.run(&["check", "--deny-warnings"])
        .failure(1)
        .stderr_has("failing because of --deny-warnings");
}

#[test]
fn nested_pages_stay_out_of_the_navigation_unless_asked() {
    let book = Book::minimal();
    book.write("content/docs/deep.md", "---\ntitle: Deep\n---\n");
    book.write(
        "content/docs/listed.md",
        "---\ntitle: Listed\nnav: true\n---\n",
    );
    book.run(&["check"])
        .success()
        .stderr_line("content/docs/deep.md:1:1: warning: orphan page: it is not in the navigation and no reachable page links to it")
        .stderr_line("  help: link to it from another page, or put it in the navigation with `nav: true`");
    book.build().success();
    let home = book.read("public/index.html");
    assert!(
        home.contains(">Listed</a>") && !home.contains(">Deep</a>"),
        "{home}"
    );
}

#[test]
fn unused_dimensions_are_warnings() {
    let book = Book::minimal();
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\nvalues:\n  speed: fast\n  api: n/a\n---\n",
    );
    book.run(&["check"]).success().stderr_line(
        "book.toml:13:7: warning: dimension `api` is not used: no model gives it a value",
    );
}

#[test]
fn models_the_guide_cannot_reach_are_warnings() {
    let book = Book::minimal();
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Speed?\n  answers:\n    - label: Yes\n      model: alpha\n---\n");
    book.run(&["check"])
        .success()
        .stderr_line(
            "content/guide.md:1:1: warning: model `beta` cannot be reached from the decision guide",
        )
        .stderr_line("  help: add an answer that ends with `model: beta`");
}

#[test]
fn external_links_are_listed_not_fetched() {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\n[docs](https://docs.python.org/3/) and [mail](mailto:a@b.org)\n",
    );
    let run = book.run(&["check", "--deny-warnings"]);
    run.success();
    assert!(
        run.stdout()
            .contains("  content/about.md:4:1: https://docs.python.org/3/\n"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout()
            .contains("  content/about.md:4:40: mailto:a@b.org\n"),
        "{}",
        run.stdout()
    );
}

#[test]
fn absolute_paths_are_warnings() {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\n[matrix](/matrix/)\n",
    );
    book.run(&["check"])
        .success()
        .stderr_has("content/about.md:4:1: warning: `/matrix/` is an absolute path");
}

#[test]
fn check_reports_what_build_reports() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[build]\ntheme = \"nope\"\n"),
    );
    book.run(&["check"])
        .failure(1)
        .stderr_has("error: unknown theme `nope`");
}

#[test]
fn the_shipped_book_passes_with_warnings_denied() {
    let root = env!("CARGO_MANIFEST_DIR");
    let book = Book::empty();
    book.run(&["check", root, "--deny-warnings"]).success();
}

#[test]
fn did_you_mean_is_searched_for_a_bounded_number_of_broken_links_per_page() {
    let book = Book::minimal();
    let mut body = String::from("## Target heading\n\n");
    for i in 0..30 {
        body.push_str(&format!("[x](#target-headin{i})\n"));
    }
    book.write(
        "content/about.md",
        format!("---\ntitle: About\n---\n{body}"),
    );
    let run = book.run(&["check"]);
    run.failure(1);
    let stderr = run.stderr();
    assert_eq!(stderr.matches("broken anchor").count(), 30, "{stderr}");
    assert_eq!(
        stderr.matches("did you mean `#target-heading`?").count(),
        20,
        "{stderr}"
    );
}

#[test]
fn huge_code_blocks_are_shown_plain_with_a_warning() {
    let book = Book::minimal();
    let line = format!("x = '{}'\n", "a".repeat(5000));
    book.write(
        "content/about.md",
        format!("---\ntitle: About\n---\n```python\n{line}```\n"),
    );
    book.build().success();
    let html = book.read("public/about/index.html");
    assert!(html.contains("<pre><code>x = &#39;aaa"), "plain text");
    book.run(&["check"])
        .success()
        .stderr_line("content/about.md:4:1: warning: this code block is shown without highlighting: a line has 5006 bytes, more than the 4096 that are highlighted");
}

#[test]
fn a_link_to_the_matrix_in_a_state_is_not_an_anchor() {
    let book = Book::minimal();
    book.write(
        "content/index.md",
        "---\ntitle: Home\n---\nThe [slow ones](matrix/index.html#?f.speed=slow) and [a typo](matrix/index.html#nowhere).\n",
    );
    let run = book.run(&["check"]);
    run.failure(1)
        .stderr_has("broken anchor: `#nowhere`")
        .stderr_has("check failed: 1 error");
    assert!(!run.stderr().contains("#?f.speed"), "{}", run.stderr());
}

#[test]
fn a_broken_serve_template_of_the_book_theme_is_reported() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!(
            "[build]\ntheme = \"mine\"\n\n{}",
            crate::harness::MINIMAL_TOML
        ),
    );
    book.write(
        "themes/mine/templates/serve/overlay.html",
        "<div id=\"versus-overlay\">{{ nope }}</div>",
    );
    book.write(
        "themes/mine/templates/serve/not-found.html",
        "<!DOCTYPE html><html lang=\"{{ language }}\"><h1>{{ t(k=\"serve-not-found\") }}</h1>",
    );
    book.run(&["check"])
        .failure(1)
        .stderr_has(
            "themes/mine/templates/serve/overlay.html:1:29: error: template error: Variable `nope` is not defined",
        );
}

#[test]
fn an_alias_inside_its_own_anchor_is_called_recursive() {
    let book = Book::minimal();
    book.write("content/guide.md", "---\ntitle: Guide\nquestion: &q\n  text: Need speed?\n  answers:\n    - label: Yes\n      question: *q\n    - label: No\n      model: beta\n---\n");
    let run = book.run(&["check"]);
    run.failure(1)
        .stderr_line("content/guide.md:7:17: error: invalid front matter: this alias refers to itself (it is inside the value its anchor is on)")
        .stderr_line("  help: an alias copies a finished value; move `*name` out of the value `&name` is on, or write the value out");
    assert!(
        !run.stderr().contains("names no anchor"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_guide_naming_a_draft_model_says_it_is_a_draft() {
    let book = Book::minimal();
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta\ndraft: true\nvalues:\n  speed: slow\n  api: n/a\n---\n",
    );
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need speed?\n  answers:\n    - label: Yes\n      model: alpha\n    - label: No\n      model: beta\n---\n");
    let run = book.run(&["check"]);
    run.failure(1)
        .stderr_line("content/guide.md:9:14: error: the guide names the model `beta`, which is a draft, left out of the site")
        .stderr_line("  help: publish it (remove `draft: true`), check the book with its drafts (`versus check --drafts`), or remove this answer");
    assert!(!run.stderr().contains("unknown model"), "{}", run.stderr());
    book.run(&["check", "--drafts"]).success();
}
