//! Versions declared in book.toml, values with history, and builds for one version.

use crate::harness::{Book, MINIMAL_TOML};

const VERSIONS: &str = "\n[versions]\nlist = [\"1.0\", \"2.0\", \"3.0\"]\ncurrent = \"3.0\"\n";

/// The minimal book with three declared versions.
fn versioned() -> Book {
    let book = Book::minimal();
    book.write("book.toml", format!("{MINIMAL_TOML}{VERSIONS}"));
    book
}

#[test]
fn a_book_with_versions_builds() {
    versioned().build().success();
}

#[test]
fn a_version_listed_twice_is_an_error_at_its_place() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!(
            "{MINIMAL_TOML}\n[versions]\nlist = [\"1.0\", \"2.0\", \"1.0\"]\ncurrent = \"2.0\"\n"
        ),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:18:23: error: version \"1.0\" is listed twice")
        .stderr_line("  help: list each version once, oldest first");
}

#[test]
fn an_unknown_current_version_is_an_error_with_a_suggestion() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[versions]\nlist = [\"3.13\", \"3.14\"]\ncurrent = \"3.15\"\n"),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:19:11: error: `current` under [versions] names \"3.15\", which is not a declared version")
        .stderr_has("  help: ")
        .stderr_has("3.13, 3.14");
}

#[test]
fn an_empty_version_list_is_an_error() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[versions]\nlist = []\ncurrent = \"1\"\n"),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:18:8: error: `list` under [versions] is empty");
}

#[test]
fn embed_at_must_name_a_declared_version() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}{VERSIONS}\n[embed]\nat = \"2.5\"\n"),
    );
    book.build().failure(1).stderr_line(
        "book.toml:22:6: error: `at` under [embed] names \"2.5\", which is not a declared version",
    );
}

#[test]
fn at_on_the_command_line_must_name_a_declared_version() {
    versioned()
        .run(&["build", "--at", "4.0"])
        .failure(1)
        .stderr_line("--at: error: --at names \"4.0\", which is not a declared version")
        .stderr_has("the versions declared under [versions] are: 1.0, 2.0, 3.0");
}

#[test]
fn at_without_declared_versions_is_an_error() {
    Book::minimal()
        .run(&["build", "--at", "1.0"])
        .failure(1)
        .stderr_has("but the book declares no versions");
}

/// Alpha's speed changes twice: slow in 1.0, medium from 2.0, fast from 3.0.
const ALPHA_WITH_HISTORY: &str = "---\ntitle: Alpha\norder: 1\nvalues:\n  speed:\n    history:\n      - value: slow\n        note: At first it crawled.\n      - since: \"2.0\"\n        value: medium\n        source: https://example.org/2.0\n      - since: \"3.0\"\n        value: fast\n        note: Rewritten in 3.0.\n        source: https://example.org/3.0\n  api: \"`alpha.run()`\"\n---\nAlpha body.\n";

/// A versioned book whose alpha has `speed` written as `history` (YAML under `speed:`).
fn with_speed_history(history: &str) -> Book {
    let book = versioned();
    book.write(
        "content/models/alpha.md",
        format!("---\ntitle: Alpha\nvalues:\n  speed:\n{history}  api: x\n---\n"),
    );
    book
}

#[test]
fn a_cell_with_history_shows_the_current_value() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.build().success();
    assert_eq!(alpha_speed(&book.read("public/matrix/index.html")), "fast");
}

#[test]
fn a_history_names_only_declared_versions() {
    with_speed_history("    history:\n      - value: slow\n      - since: \"2.1\"\n        value: fast\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:7:16: error: `2.1` in the history of `speed` is not a declared version")
        .stderr_line("  help: did you mean `2.0`? The versions declared in book.toml are: 1.0, 2.0, 3.0");
}

#[test]
fn two_values_from_the_same_version_overlap() {
    with_speed_history("    history:\n      - value: slow\n      - since: \"2.0\"\n        value: medium\n      - since: \"2.0\"\n        value: fast\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:9:16: error: two values of `speed` hold from 2.0");
}

#[test]
fn a_history_out_of_order_is_an_error() {
    with_speed_history("    history:\n      - value: slow\n      - since: \"3.0\"\n        value: fast\n      - since: \"2.0\"\n        value: medium\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:9:16: error: 2.0 is before 3.0, the version of the value above it")
        .stderr_line("  help: list a history's values oldest first, each from a later version; the versions in order are: 1.0, 2.0, 3.0");
}

#[test]
fn a_level_that_does_not_exist_in_a_history_is_blamed_on_it() {
    with_speed_history(
        "    history:\n      - value: slow\n      - since: \"2.0\"\n        value: quick\n",
    )
    .build()
    .failure(1)
    .stderr_line("content/models/alpha.md:8:16: error: `quick` is not a level of `speed`");
}

#[test]
fn a_history_starts_at_the_first_version() {
    with_speed_history("    history:\n      - since: \"2.0\"\n        value: slow\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:6:16: error: the history of `speed` starts at 2.0, after the book's first version");
}

#[test]
fn a_later_value_says_since_when() {
    with_speed_history("    history:\n      - value: slow\n      - value: fast\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:7:9: error: this value of `speed` does not say since which version it holds");
}

#[test]
fn a_history_needs_declared_versions() {
    let book = Book::minimal();
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\nvalues:\n  speed:\n    history:\n      - value: slow\n  api: x\n---\n",
    );
    book.build()
        .failure(1)
        .stderr_line("content/models/alpha.md:5:5: error: `speed` has a history, but the book declares no versions");
}

#[test]
fn a_history_and_a_value_together_is_an_error() {
    with_speed_history("    value: fast\n    history:\n      - value: slow\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:5:5: error: `speed` has a history, so `value` belongs in one of its entries");
}

#[test]
fn an_empty_history_is_an_error() {
    with_speed_history("    history: []\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:5:14: error: the history of `speed` is empty");
}

#[test]
fn a_source_is_an_absolute_address() {
    with_speed_history("    value: fast\n    source: whatsnew.html\n")
        .build()
        .failure(1)
        .stderr_line("content/models/alpha.md:6:13: error: the source of `speed` must be an absolute http(s) address");
}

/// The value in alpha's `speed` cell of a rendered matrix (HTML or reST list-table).
fn alpha_speed(matrix_html: &str) -> String {
    let row = matrix_html
        .split("<tr data-model=\"alpha\"")
        .nth(1)
        .expect("alpha's row");
    let cell = row.split("<td data-key=\"speed\"").nth(1).unwrap();
    let level = cell.split("data-levels=\"").nth(1).unwrap();
    level[..level.find('"').unwrap()].to_string()
}

#[test]
fn build_at_a_version_makes_the_site_and_fragments_true_for_it() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.run(&["build", "--at", "2.0"]).success();
    assert_eq!(
        alpha_speed(&book.read("public/matrix/index.html")),
        "medium"
    );
    assert_eq!(
        alpha_speed(&book.read("public/embed/matrix.html")),
        "medium"
    );
    let rst = book.read("public/embed/matrix.rst");
    assert!(rst.contains("as of version 2.0"), "{rst}");
    assert!(rst.contains("     - medium"), "{rst}");
    let page = book.read("public/models/alpha/index.html");
    assert!(
        page.contains("This site describes version 2.0; the current version is 3.0."),
        "{page}"
    );
    book.run(&["build", "--at", "1.0"]).success();
    assert_eq!(alpha_speed(&book.read("public/matrix/index.html")), "slow");
}

#[test]
fn embed_at_makes_only_the_fragments_true_for_its_version() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}{VERSIONS}\n[embed]\nat = \"1.0\"\n"),
    );
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.build().success();
    assert_eq!(alpha_speed(&book.read("public/matrix/index.html")), "fast");
    assert_eq!(alpha_speed(&book.read("public/embed/matrix.html")), "slow");
    assert!(
        !book
            .read("public/matrix/index.html")
            .contains("This site describes version")
    );
    // --at decides for the whole build, fragments included.
    book.run(&["build", "--at", "2.0"]).success();
    assert_eq!(
        alpha_speed(&book.read("public/embed/matrix.html")),
        "medium"
    );
}

#[test]
fn a_model_page_says_what_changed_in_which_version() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.build().success();
    let page = book.read("public/models/alpha/index.html");
    let speed = page.split("<tr data-key=\"speed\">").nth(1).unwrap();
    let speed = &speed[..speed.find("</tr>").unwrap()];
    let changed: Vec<&str> = speed
        .lines()
        .filter(|l| l.starts_with("<p class=\"versionchanged\">"))
        .collect();
    assert_eq!(
        changed,
        [
            "<p class=\"versionchanged\"><span class=\"versionmodified\">Changed in version 3.0:</span> from medium to fast. <a href=\"https://example.org/3.0\">Source</a></p>",
            "<p class=\"versionchanged\"><span class=\"versionmodified\">Changed in version 2.0:</span> from slow to medium. <a href=\"https://example.org/2.0\">Source</a></p></td>",
        ]
    );
    // The value shown keeps its own note, with its source.
    assert!(page.contains("Rewritten in 3.0. <a href=\"https://example.org/3.0\">Source</a>"));
    // Built for 2.0, the page knows nothing of 3.0.
    book.run(&["build", "--at", "2.0"]).success();
    let page = book.read("public/models/alpha/index.html");
    assert!(page.contains("Changed in version 2.0:</span> from slow to medium."));
    assert!(!page.contains("3.0:"), "{page}");
}

#[test]
fn the_static_matrix_lists_a_cells_history_in_its_note() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    let note = matrix.split("<li id=\"vs-note-1\">").nth(1).unwrap();
    let note = &note[..note.find("</li>").unwrap()];
    assert!(note.starts_with("Rewritten in 3.0. <a class=\"vs-source\" href=\"https://example.org/3.0\">Source</a> <span class=\"vs-changed\"><span class=\"vs-changed-label\">Changed in version 3.0:</span> from medium to fast."), "{note}");
    assert!(
        note.contains("Changed in version 2.0:</span> from slow to medium."),
        "{note}"
    );
    let rst = book.read("public/embed/matrix.rst");
    assert!(rst.contains("Rewritten in 3.0. `Source <https://example.org/3.0>`__ Changed in version 3.0: from medium to fast."), "{rst}");
}

#[test]
fn data_json_holds_every_value_with_its_history_in_the_site_and_the_embed() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.run(&["build", "--at", "2.0"]).success();
    let text = book.read("public/data.json");
    assert_eq!(book.read("public/embed/data.json"), text);
    assert!(book.exists("public/schema/data.schema.json"));
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        data["versions"]["list"],
        serde_json::json!(["1.0", "2.0", "3.0"])
    );
    assert_eq!(data["versions"]["current"], "3.0");
    assert_eq!(data["at"], "2.0");
    let alpha = &data["models"][0];
    assert_eq!(alpha["slug"], "alpha");
    assert_eq!(alpha["page"], "models/alpha/");
    assert_eq!(
        alpha["values"][0],
        serde_json::json!({
            "levels": ["medium"],
            "source": "https://example.org/2.0",
            "history": [
                {"since": "1.0", "levels": ["slow"], "note": "At first it crawled."},
                {"since": "2.0", "levels": ["medium"], "source": "https://example.org/2.0"},
                {"since": "3.0", "levels": ["fast"], "note": "Rewritten in 3.0.", "source": "https://example.org/3.0"},
            ]
        })
    );
    // A value the same in every version has no history.
    assert_eq!(alpha["values"][1].get("history"), None);
}

#[test]
fn a_changes_page_lists_every_value_that_changed_between_two_versions() {
    let book = versioned();
    book.write("content/models/alpha.md", ALPHA_WITH_HISTORY);
    book.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges: { from: \"1.0\" }\n---\nWhy it matters.\n",
    );
    book.build().success();
    let page = book.read("public/changes/index.html");
    assert!(page.contains("<p>Why it matters.</p>"), "the prose stays");
    let section = &page[page.find("<section class=\"changes\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("Every value that changed from 1.0 to 3.0"));
    assert!(
        section.contains("<a href=\"../matrix/index.html#?v=1.0\">The matrix as it was in 1.0</a>")
    );
    assert!(section.contains("<a href=\"../models/alpha/index.html\">Alpha</a>"));
    assert!(section.contains("<dt>Speed: slow → fast</dt>"));
    assert!(section.contains("Changed in version 2.0:</span> from slow to medium. <a href=\"https://example.org/2.0\">Source</a></dd>"));
    assert!(section.contains("Changed in version 3.0:</span> from medium to fast. Rewritten in 3.0. <a href=\"https://example.org/3.0\">Source</a></dd>"));
    assert!(!section.contains("Beta"), "beta never changed");
    // Built for 2.0, the page stops at 2.0.
    book.run(&["build", "--at", "2.0"]).success();
    let page = book.read("public/changes/index.html");
    assert!(page.contains("<dt>Speed: slow → medium</dt>"));
    assert!(!page.contains("Changed in version 3.0"));
}

#[test]
fn changes_between_unknown_or_backward_versions_are_errors() {
    let book = versioned();
    book.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges: { from: \"3.0\", to: \"2.0\" }\n---\n",
    );
    book.build()
        .failure(1)
        .stderr_line("content/changes.md:3:29: error: `changes` runs from 3.0 to 2.0, which is not forward in time");
    book.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges:\n  from: \"0.9\"\n---\n",
    );
    book.build()
        .failure(1)
        .stderr_line("content/changes.md:4:9: error: `0.9` is not a declared version");
    let unversioned = Book::minimal();
    unversioned.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges: {}\n---\n",
    );
    unversioned.build().failure(1).stderr_line(
        "content/changes.md:3:1: error: the page lists changes, but the book declares no versions",
    );
}

#[test]
fn a_change_of_note_alone_says_only_the_note() {
    let book = with_speed_history(
        "    history:\n      - value: fast\n      - since: \"2.0\"\n        value: fast\n        note: Now documented.\n",
    );
    book.build().success();
    let page = book.read("public/models/alpha/index.html");
    assert!(
        page.contains("<span class=\"versionmodified\">Changed in version 2.0:</span></p>"),
        "{page}"
    );
}

/// The shipped survey built for one version, into a temporary folder.
fn shipped_at(at: &str) -> (Book, std::path::PathBuf) {
    let out = Book::empty();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = out.path().join("site");
    out.run(&[
        "build",
        root.to_str().unwrap(),
        "--dest",
        dest.to_str().unwrap(),
        "--at",
        at,
    ])
    .success();
    (out, dest)
}

/// The processes row's default start method in a rendered matrix.
fn start_method(matrix: &str) -> String {
    let row = matrix.split("<tr data-model=\"processes\"").nth(1).unwrap();
    let cell = row.split("<td data-key=\"start-method\"").nth(1).unwrap();
    let value = cell.split("<span class=\"vs-value\">").nth(1).unwrap();
    value[..value.find("</span>").unwrap()].to_string()
}

#[test]
fn the_shipped_survey_at_3_12_has_no_forkserver_default() {
    let (_out, site) = shipped_at("3.12");
    let read = |path: &str| std::fs::read_to_string(site.join(path)).unwrap();
    for matrix in [read("matrix/index.html"), read("embed/matrix.html")] {
        assert_eq!(
            start_method(&matrix),
            "<em>fork</em> on Linux, <em>spawn</em> on macOS and Windows"
        );
    }
    assert!(read("embed/matrix.rst").contains("as of version 3.12"));
    let data: serde_json::Value = serde_json::from_str(&read("data.json")).unwrap();
    assert_eq!(data["at"], "3.12");
    let (_out, site) = shipped_at("3.14");
    let matrix = std::fs::read_to_string(site.join("matrix/index.html")).unwrap();
    assert_eq!(
        start_method(&matrix),
        "<em>forkserver</em> on Linux, <em>spawn</em> on macOS and Windows"
    );
}

#[test]
fn a_change_from_n_a_is_worded_by_the_value_fragment() {
    let book = versioned();
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta\nvalues:\n  speed: slow\n  api:\n    history:\n      - value: n/a\n      - since: \"2.0\"\n        value: \"`beta.go()`\"\n---\n",
    );
    book.write(
        "content/changes.md",
        "---\ntitle: Changes\nchanges: { from: \"1.0\", to: \"3.0\" }\n---\n",
    );
    book.build().success();
    let changed = "Changed in version 2.0:</span> from <span class=\"vs-not-applicable\">n/a</span> to <code>beta.go()</code>.";
    assert!(book.read("public/models/beta/index.html").contains(changed));
    assert!(book.read("public/matrix/index.html").contains(changed));
    let changes = book.read("public/changes/index.html");
    assert!(
        changes.contains(
            "<dt>API: <span class=\"vs-not-applicable\">n/a</span> → <code>beta.go()</code></dt>"
        ),
        "{changes}"
    );

    book.write(
        "book.toml",
        format!("[build]\ntheme = \"mine\"\n\n{MINIMAL_TOML}{VERSIONS}"),
    );
    book.write(
        "themes/mine/templates/fragments/value.html",
        "{% if cell.na %}<i>none</i>{% else %}{{ cell.html | safe }}{% endif %}",
    );
    book.build().success();
    let changed = "Changed in version 2.0:</span> from <i>none</i> to <code>beta.go()</code>.";
    assert!(book.read("public/models/beta/index.html").contains(changed));
    assert!(book.read("public/matrix/index.html").contains(changed));
    assert!(
        book.read("public/changes/index.html")
            .contains("<dt>API: <i>none</i> → <code>beta.go()</code></dt>")
    );
}

#[test]
fn changes_from_a_version_after_the_build_are_an_error() {
    let book = versioned();
    book.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges: { from: \"2.0\" }\n---\n",
    );
    book.run(&["build", "--at", "1.0"])
        .failure(1)
        .stderr_line("content/changes.md:3:18: error: `changes` runs from 2.0, but the site is built `--at 1.0`, which comes before it")
        .stderr_line("  help: build `--at` 2.0 or a later version, or leave this page out of that build (`draft: true`)");
    assert!(!book.exists("public/changes"), "nothing is written");
    // Built at the version it starts from, the page has nothing to list and says so.
    book.run(&["build", "--at", "2.0"]).success();
    let page = book.read("public/changes/index.html");
    assert!(
        page.contains("Every value that changed from 2.0 to 2.0"),
        "{page}"
    );
    assert!(page.contains("No value changed"), "{page}");
    book.run(&["build", "--at", "3.0"]).success();
}

#[test]
fn a_version_name_with_a_line_break_is_an_error_at_its_place() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[versions]\nlist = [\"1.0\", \"2\\n0\"]\ncurrent = \"1.0\"\n"),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:18:16: error: version \"2\\n0\" has a line break or other control character")
        .stderr_line("  help: a version name is shown on one line (in captions, selectors and messages); write it without control characters, e.g. \"3.14\"");
}

#[test]
fn versions_listed_newest_first_are_blamed_on_book_toml() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!(
            "{MINIMAL_TOML}\n[versions]\nlist = [\"3.0\", \"2.0\", \"1.0\"]\ncurrent = \"3.0\"\n"
        ),
    );
    let run = book.build();
    run.failure(1)
        .stderr_line("book.toml:18:8: error: `list` under [versions] is newest first; versus reads it oldest first")
        .stderr_line("  help: list the versions oldest first: list = [\"1.0\", \"2.0\", \"3.0\"]");
    assert!(!run.stderr().contains("content/"), "{}", run.stderr());
    // Names with no order versus could know are taken as written.
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[versions]\nlist = [\"2015\", \"3.14\"]\ncurrent = \"3.14\"\n"),
    );
    book.build().success();
}

#[test]
fn a_history_entry_repeating_the_value_before_it_needs_a_note() {
    let book = with_speed_history(
        "    history:\n      - value: fast\n      - since: \"2.0\"\n        value: fast\n",
    );
    book.run(&["check"])
        .failure(1)
        .stderr_line("content/models/alpha.md:7:16: error: the value of `speed` at 2.0 is the one before it, so nothing changes here")
        .stderr_line("  help: drop this entry, or give it a `note` saying what changed in that version");
    book.build().failure(1);
    // After a real change too.
    let book = with_speed_history(
        "    history:\n      - value: slow\n      - since: \"2.0\"\n        value: fast\n      - since: \"3.0\"\n        value: fast\n        source: https://example.org/3.0\n",
    );
    book.run(&["check"])
        .failure(1)
        .stderr_line("content/models/alpha.md:9:16: error: the value of `speed` at 3.0 is the one before it, so nothing changes here");
}

#[test]
fn a_version_name_in_a_link_to_the_matrix_is_percent_encoded() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[versions]\nlist = [\"1 & 0#%\", \"2.0\"]\ncurrent = \"2.0\"\n"),
    );
    book.write("content/models/alpha.md", "---\ntitle: Alpha\nvalues:\n  speed:\n    history:\n      - value: slow\n      - since: \"2.0\"\n        value: fast\n  api: x\n---\n");
    book.write(
        "content/changes.md",
        "---\ntitle: What changed\nchanges: { from: \"1 & 0#%\" }\n---\n",
    );
    book.build().success();
    let page = book.read("public/changes/index.html");
    assert!(
        page.contains("href=\"../matrix/index.html#?v=1%20%26%200%23%25\""),
        "{page}"
    );
}
