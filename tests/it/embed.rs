//! public/embed/: fragments for other documentation systems.

use crate::harness::{Book, MINIMAL_TOML};

fn built_with(extra_toml: &str) -> Book {
    let book = Book::minimal();
    book.write("book.toml", format!("{MINIMAL_TOML}{extra_toml}"));
    book.write("content/models/beta.md", "---\ntitle: Beta\norder: 2\nvalues:\n  speed: { value: slow, note: \"see `beta.wait()` and [alpha](alpha.md)\" }\n  api: n/a\n---\n");
    book.build().success();
    book
}

#[test]
fn html_fragments_are_self_contained_and_prefixed() {
    let book = built_with("\n[build]\nbase-url = \"https://site.example/c/\"\n");
    for name in ["matrix", "guide"] {
        let html = book.read(&format!("public/embed/{name}.html"));
        for document_level in [
            "<html",
            "<head",
            "<body",
            "<!DOCTYPE",
            "<link",
            "<script src",
        ] {
            assert!(!html.contains(document_level), "{name}: {document_level}");
        }
        let markup = strip_between(
            &strip_between(&html, "<script>", "</script>"),
            "<style>",
            "</style>",
        );
        for id in markup
            .match_indices(" id=\"")
            .map(|(i, m)| markup[i + m.len()..].split('"').next().unwrap())
        {
            assert!(id.starts_with("vs-"), "{name}: id {id} is not prefixed");
        }
        for classes in markup
            .match_indices(" class=\"")
            .map(|(i, m)| markup[i + m.len()..].split('"').next().unwrap())
        {
            for class in classes.split_whitespace() {
                assert!(
                    class.starts_with("vs-"),
                    "{name}: class {class} is not prefixed"
                );
            }
        }
        assert!(
            html.contains("<style>") && html.contains(".vs-root {"),
            "{name}: the stylesheet is inline"
        );
        let scripts: Vec<&str> = html
            .split("<script>")
            .skip(1)
            .map(|s| s.split("</script>").next().unwrap())
            .collect();
        assert_eq!(
            scripts.len(),
            2,
            "{name}: its own script and the theme follower"
        );
        for script in scripts {
            let code = script
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                code.trim_start().starts_with("(() => {") && code.trim_end().ends_with("})();"),
                "{name}: a script defines globals"
            );
        }
    }
}

#[test]
fn fragment_links_follow_the_configured_pattern() {
    let book = built_with(
        "\n[embed]\nmodel-url = \"https://docs.python.org/3/howto/concurrency-{slug}.html\"\n",
    );
    let matrix = book.read("public/embed/matrix.html");
    assert!(
        matrix.contains(
            "<a href=\"https://docs.python.org/3/howto/concurrency-alpha.html\">Alpha</a>"
        ),
        "{matrix}"
    );
    let guide = book.read("public/embed/guide.html");
    assert!(
        guide.contains(
            "href=\"https://docs.python.org/3/howto/concurrency-beta.html\" data-model=\"beta\""
        ),
        "{guide}"
    );
    let default = built_with("\n[build]\nbase-url = \"https://site.example/c/\"\n");
    assert!(
        default
            .read("public/embed/matrix.html")
            .contains("<a href=\"https://site.example/c/models/alpha/\">Alpha</a>")
    );
    assert!(
        default
            .read("public/embed/matrix.html")
            .contains("<a href=\"https://site.example/c/models/alpha/index.html\">alpha</a>"),
        "links inside notes reach the published site"
    );
}

#[test]
fn a_model_url_without_slug_is_an_error() {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[embed]\nmodel-url = \"https://x.org/page.html\"\n"),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:18:13: error: `model-url` must contain {slug}");
}

#[test]
fn rest_tables_carry_the_notes_as_footnotes() {
    let book = built_with("\n[build]\nbase-url = \"https://site.example/c/\"\n");
    let rst = book.read("public/embed/matrix.rst");
    let expected = ".. list-table:: 2 models compared on 2 dimensions\n   :header-rows: 1\n   :stub-columns: 1\n\n   * - Dimension\n     - `Alpha <https://site.example/c/models/alpha/>`__\n     - `Beta <https://site.example/c/models/beta/>`__\n   * - Speed\n     - fast\n     - slow [#vs-note-1]_\n   * - API\n     - ``alpha.run()``\n     - n/a\n\n.. [#vs-note-1] see ``beta.wait()`` and `alpha <https://site.example/c/models/alpha/index.html>`__\n";
    assert!(rst.starts_with(expected), "{rst}");
    assert!(rst.contains("**Speed**\n   How fast it is.\n"), "{rst}");
    let guide = book.read("public/embed/guide.rst");
    assert_eq!(
        guide,
        "* **Need speed?**\n\n  * Yes: `Alpha <https://site.example/c/models/alpha/>`__.\n\n  * No: `Beta <https://site.example/c/models/beta/>`__.\n\n"
    );
}

/// `text` without every `open`...`close` span.
fn strip_between(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find(close)
            .map_or("", |end| &rest[start + end + close.len()..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn data_json_holds_the_comparison_as_data() {
    let book = built_with("\n[build]\nbase-url = \"https://site.example/c/\"\n");
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need *speed*?\n  answers:\n    - label: Yes\n      why: Alpha is fast.\n      model: alpha\n      preset: Fast ones\n      filters:\n        speed: [fast]\n    - label: No\n      question:\n        text: Sure?\n        answers:\n          - label: Yes\n            model: beta\n---\n");
    book.build().success();
    let data = book.read("public/embed/data.json");
    let expected = r#"{
  "format": 1,
  "title": "Fixture",
  "language": "en",
  "dimensions": [
    {
      "key": "speed",
      "label": "Speed",
      "help": "How fast it is.",
      "kind": "scale",
      "facet": true,
      "levels": [
        "slow",
        "medium",
        "fast"
      ]
    },
    {
      "key": "api",
      "label": "API",
      "help": "",
      "kind": "text",
      "facet": false,
      "levels": []
    }
  ],
  "models": [
    {
      "slug": "alpha",
      "title": "Alpha",
      "summary": "",
      "url": "https://site.example/c/models/alpha/",
      "page": "models/alpha/",
      "values": [
        {
          "levels": [
            "fast"
          ]
        },
        {
          "html": "<code>alpha.run()</code>"
        }
      ]
    },
    {
      "slug": "beta",
      "title": "Beta",
      "summary": "",
      "url": "https://site.example/c/models/beta/",
      "page": "models/beta/",
      "values": [
        {
          "levels": [
            "slow"
          ],
          "note": 1
        },
        {
          "na": true
        }
      ]
    }
  ],
  "notes": [
    "see <code>beta.wait()</code> and <a href=\"https://site.example/c/models/alpha/index.html\">alpha</a>"
  ],
  "guide": {
    "id": "q",
    "html": "Need <em>speed</em>?",
    "answers": [
      {
        "html": "Yes",
        "why": "Alpha is fast.",
        "model": "alpha",
        "preset": "Fast ones"
      },
      {
        "html": "No",
        "question": {
          "id": "q-2",
          "html": "Sure?",
          "answers": [
            {
              "html": "Yes",
              "model": "beta"
            }
          ]
        }
      }
    ]
  }
}
"#;
    assert_eq!(data, expected);
}
