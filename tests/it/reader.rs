//! What readers get besides the pages: the search index.

use crate::harness::Book;

/// The index's sections as (page title, heading, url, text).
fn index(book: &Book) -> Vec<(String, String, String, String)> {
    let script = book.read("public/search-index.js");
    let json = script
        .strip_prefix("window.versusSearchIndex = ")
        .and_then(|rest| rest.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("not a plain script defining the index: {script}"));
    let docs: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    docs.iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_string();
            (field("t"), field("h"), field("u"), field("b"))
        })
        .collect()
}

#[test]
fn the_search_index_has_every_section_value_pro_and_con() {
    let book = Book::minimal();
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\norder: 1\nvalues:\n  speed: { value: fast, note: \"only when *warm*\" }\n  api: \"`alpha.run()`\"\npros: [Quick]\ncons: [\"Needs **care**\"]\n---\nIntro &amp; more.\n\n## First part {#first}\n\nBody *one*.\n\n```python\nprint('code is searchable')\n```\n\n### Deeper\n\nBody two.\n\n#### Deepest\n\nStill two.\n",
    );
    book.build().success();
    let docs = index(&book);
    let alpha: Vec<_> = docs.iter().filter(|d| d.0 == "Alpha").collect();
    let expect = |h: &str, u: &str, b: &str| {
        (
            "Alpha".to_string(),
            h.to_string(),
            u.to_string(),
            b.to_string(),
        )
    };
    assert_eq!(
        alpha,
        [
            &expect("", "models/alpha/index.html", "Intro & more."),
            &expect(
                "First part",
                "models/alpha/index.html#first",
                "Body one. print('code is searchable')"
            ),
            &expect(
                "Deeper",
                "models/alpha/index.html#deeper",
                "Body two. Deepest Still two."
            ),
            &expect(
                "At a glance",
                "models/alpha/index.html#values",
                "Speed: fast. API: alpha.run(). only when warm"
            ),
            &expect("Pros", "models/alpha/index.html#pros", "Quick"),
            &expect("Cons", "models/alpha/index.html#cons", "Needs care"),
        ]
    );
    assert!(
        docs.iter()
            .any(|d| d.1 == "The dimensions" && d.3.contains("How fast it is. slow, medium, fast")),
        "the dimensions' help is searchable: {docs:?}"
    );
}

/// The minimal book with the speed dimension's levels written as `levels`.
fn with_levels(levels: &str) -> Book {
    let book = Book::minimal();
    let toml = crate::harness::MINIMAL_TOML.replace(
        "levels = [\"slow\", \"medium\", \"fast\"]",
        &format!("levels = {levels}"),
    );
    book.write("book.toml", toml);
    book
}

#[test]
fn levels_can_have_labels_and_show_their_place_on_the_scale() {
    let book = with_levels(
        "[\"slow\", { key = \"medium\", label = \"So-so\" }, { key = \"fast\", label = \"Very-fast & new\" }]",
    );
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    // Filters and URLs use the key; readers see the label, whole, and where it sits.
    assert!(
        matrix.contains("<input type=\"checkbox\" data-facet=\"speed\" value=\"fast\"> Very-fast &amp; new <span class=\"vs-count\"></span>"),
        "{matrix}"
    );
    assert!(
        matrix.contains("<td data-key=\"speed\" data-rank=\"2\" data-levels=\"fast\"><span class=\"vs-level vs-step\" style=\"--vs-step: 1.00\"><span class=\"vs-steps\" aria-hidden=\"true\">●●●</span> Very-fast &amp; new</span></td>"),
        "{matrix}"
    );
    assert!(
        matrix.contains("<span class=\"vs-steps\" aria-hidden=\"true\">●○○</span> slow</span>"),
        "{matrix}"
    );
    assert!(
        matrix.contains("Scale: slow &lt; So-so &lt; Very-fast &amp; new."),
        "{matrix}"
    );
    let model = book.read("public/models/alpha/index.html");
    assert!(
        model.contains(
            "<span class=\"vs-steps\" aria-hidden=\"true\">●●●</span> Very-fast &amp; new</span>"
        ),
        "{model}"
    );
}

#[test]
fn a_wrong_level_entry_is_reported_where_it_is_written() {
    for (levels, message) in [
        (
            "[\"slow\", { key = \"fast\" }]",
            "a level table needs a string `key` and a string `label`",
        ),
        (
            "[\"slow\", { key = \"fast\", label = \"Fast\", colour = \"red\" }]",
            "unknown key `colour` in a level",
        ),
        (
            "[\"slow\", { key = \"fast\", label = \" \" }]",
            "a level's label cannot be empty",
        ),
        (
            "[\"slow\", 3]",
            "a level is a string or a table, not integer",
        ),
    ] {
        let book = with_levels(levels);
        book.build()
            .failure(1)
            .stderr_line(&format!("book.toml:9:19: error: {message}"))
            .stderr_has("help: write a level as \"any-language\", or as { key = \"any-language\", label = \"Any language\" }");
    }
}
