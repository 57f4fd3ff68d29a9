//! Every kind of bad input: the exact `path:line:col: error:` line, a help line, exit 1,
//! and the previous site left as it was.

use crate::harness::{Book, Run, snapshot};

/// Builds a good site first, breaks the book with `breaks`, and checks that the failed
/// build reported problems, exited 1 and left the previous site byte for byte.
fn fails_keeping_the_site(breaks: impl FnOnce(&Book)) -> Run {
    let book = Book::minimal();
    book.build().success();
    let before = snapshot(&book.path().join("public"));
    breaks(&book);
    let run = book.build();
    run.failure(1)
        .stderr_has("  help: ")
        .stderr_has("build failed; the output folder was left as it was");
    assert_eq!(
        snapshot(&book.path().join("public")),
        before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(book.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("versus-staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
    run
}

#[test]
fn malformed_yaml_front_matter() {
    fails_keeping_the_site(|book| {
        book.write("content/models/alpha.md", "---\ntitle: Alpha\nvalues:\n  speed: [fast\n  api: x\n---\n");
    })
    .stderr_line("content/models/alpha.md:5:6: error: invalid front matter: illegal placement of ':' indicator")
    .stderr_line("  help: the `[` on line 4, column 10 is not closed before this; close it with `]`");
}

#[test]
fn front_matter_that_is_never_closed() {
    fails_keeping_the_site(|book| {
        book.write("content/index.md", "---\ntitle: Home\nno end\n");
    })
    .stderr_line("content/index.md:1:1: error: the front matter is never closed");
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    fails_keeping_the_site(|book| {
        book.write("content/index.md", "---\ntitle: Home\nsumary: Hi\n---\n");
    })
    .stderr_line("content/index.md:3:1: error: unknown front matter key `sumary`")
    .stderr_line("  help: did you mean `summary`?");
}

#[test]
fn unknown_dimension_suggests_the_right_one() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/models/beta.md",
            "---\ntitle: Beta\nvalues:\n  sped: slow\n  api: n/a\n---\n",
        );
    })
    .stderr_line("content/models/beta.md:4:3: error: unknown dimension `sped`")
    .stderr_line("  help: did you mean `speed`?");
}

#[test]
fn value_not_among_the_levels() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/models/beta.md",
            "---\ntitle: Beta\nvalues:\n  speed: slowish\n  api: n/a\n---\n",
        );
    })
    .stderr_line("content/models/beta.md:4:10: error: `slowish` is not a level of `speed`")
    .stderr_line(
        "  help: did you mean `slow`? The levels of `speed` are: slow, medium, fast, or n/a",
    );
}

#[test]
fn missing_title() {
    fails_keeping_the_site(|book| {
        book.write("content/about.md", "---\nsummary: no title here\n---\n");
    })
    .stderr_line("content/about.md:2:1: error: the page has no title")
    .stderr_line("  help: add `title: ...` to the front matter");
}

#[test]
fn two_pages_with_the_same_url() {
    fails_keeping_the_site(|book| {
        book.write("content/about.md", "---\ntitle: About\n---\n");
        book.write("content/about/index.md", "---\ntitle: About too\n---\n");
    })
    .stderr_line("content/about.md:1:1: error: this page and content/about/index.md both build about/index.html");
}

#[test]
fn two_pages_with_the_same_slug() {
    fails_keeping_the_site(|book| {
        book.write("content/models/gamma.md", "---\ntitle: Gamma\nslug: alpha\nvalues:\n  speed: slow\n  api: n/a\n---\n");
    })
    .stderr_line("content/models/gamma.md:3:1: error: this page and content/models/alpha.md both build models/alpha/index.html")
    .stderr_line("  help: rename one of the files, or give one a different `slug:`");
}

#[test]
fn model_without_a_value_for_a_dimension() {
    fails_keeping_the_site(|book| {
        book.write("content/models/beta.md", "---\ntitle: Beta\nvalues:\n  speed: slow\n---\n");
    })
    .stderr_line("content/models/beta.md:3:1: error: no value for dimension `api`")
    .stderr_line("  help: every model gives a value for every dimension; write `n/a` where one does not apply");
}

#[test]
fn unknown_theme() {
    fails_keeping_the_site(|book| {
        book.write(
            "themes/fancier/templates/page.html",
            "{% extends \"default/page.html\" %}",
        );
        book.write(
            "book.toml",
            format!(
                "[build]\ntheme = \"fancy\"\n\n{}",
                crate::harness::MINIMAL_TOML
            ),
        );
    })
    .stderr_line("book.toml:2:9: error: unknown theme `fancy`: there is no folder themes/fancy/")
    .stderr_line("  help: did you mean `fancier`?");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    fails_keeping_the_site(|book| {
        book.write("book.toml", format!("[build]\ntheme = \"mine\"\n\n{}", crate::harness::MINIMAL_TOML));
        book.write("themes/mine/templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.content | safe \n{% endblock %}\n");
    })
    .stderr_has("themes/mine/templates/page.html:4:")
    .stderr_has("error: template syntax error");
}

#[test]
fn file_that_is_not_utf8() {
    fails_keeping_the_site(|book| {
        book.write("content/about.md", b"---\ntitle: About\n---\nna\xefve\n");
    })
    .stderr_line("content/about.md:4:3: error: the file is not valid UTF-8");
}

#[test]
fn guide_answer_naming_an_unknown_model() {
    fails_keeping_the_site(|book| {
        book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Speed?\n  answers:\n    - label: Yes\n      model: alpah\n    - label: No\n      model: beta\n---\n");
    })
    .stderr_line("content/guide.md:7:14: error: the guide names an unknown model `alpah`")
    .stderr_line("  help: did you mean `alpha`?");
}

#[test]
fn broken_book_toml() {
    fails_keeping_the_site(|book| {
        book.write("book.toml", "[book]\ntitle = \"Fixture\n");
    })
    .stderr_has("book.toml:2:17: error: invalid basic string");
}

#[test]
fn unknown_key_in_book_toml() {
    fails_keeping_the_site(|book| {
        book.write(
            "book.toml",
            format!("{}\n[build]\nthem = \"x\"\n", crate::harness::MINIMAL_TOML),
        );
    })
    .stderr_has("error: unknown field `them`");
}

#[test]
fn every_problem_of_a_run_is_reported_at_once() {
    let run = fails_keeping_the_site(|book| {
        book.write(
            "content/models/alpha.md",
            "---\ntitle: Alpha\nvalues:\n  speed: quick\n  api: x\n---\n",
        );
        book.write(
            "content/models/beta.md",
            "---\ntitle: Beta\nvalues:\n  speed: slow\n  apii: n/a\n---\n",
        );
        book.write("content/about.md", "---\ntitel: About\n---\n");
    });
    run.stderr_has("content/about.md:2:1: error: unknown front matter key `titel`")
        .stderr_has("content/models/alpha.md:4:10: error: `quick` is not a level of `speed`")
        .stderr_has("content/models/beta.md:5:3: error: unknown dimension `apii`")
        .stderr_has("build failed; the output folder was left as it was: 4 errors");
    run.stderr_has("content/about.md:2:1: error: the page has no title");
}

#[test]
fn missing_book_toml_says_where_it_looked() {
    let book = Book::empty();
    book.build()
        .failure(1)
        .stderr_has("book.toml:1:1: error: cannot read book.toml");
}

#[test]
fn presets_must_filter_facet_dimensions_by_their_levels() {
    fails_keeping_the_site(|book| {
        book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Speed?\n  answers:\n    - label: Yes\n      model: alpha\n      preset: Fast\n      filters:\n        sped: [fast]\n    - label: No\n      model: beta\n      preset: Slow\n      filters:\n        speed: [crawling]\n---\n");
    })
    .stderr_line("content/guide.md:10:9: error: `sped` is not a facet dimension")
    .stderr_line("  help: did you mean `speed`?")
    .stderr_line("content/guide.md:15:17: error: `crawling` is not a level of `speed`");
}

#[test]
fn a_text_dimension_cannot_be_a_facet() {
    fails_keeping_the_site(|book| {
        book.write(
            "book.toml",
            crate::harness::MINIMAL_TOML
                .replace("kind = \"text\"", "kind = \"text\"\nfacet = true"),
        );
    })
    .stderr_line("book.toml:13:7: error: dimension \"api\" is text, so it cannot be a facet");
}

// Positions come from the YAML parser's spans: each problem points at the node at fault.

#[test]
fn a_guide_answer_written_model_first_is_reported_on_its_own_line() {
    fails_keeping_the_site(|book| {
        book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need speed?\n  answers:\n    - model: alphx\n      label: Yes\n    - label: No\n      model: beta\n---\n");
    })
    .stderr_line("content/guide.md:6:14: error: the guide names an unknown model `alphx`")
    .stderr_line("  help: did you mean `alpha`?");
}

#[test]
fn a_list_item_read_as_a_mapping_is_blamed_on_the_item() {
    fails_keeping_the_site(|book| {
        book.write("content/models/alpha.md", "---\ntitle: Alpha\nvalues:\n  speed: fast\n  api: x\npros:\n  - quick\n  - Fast: compact\n---\n");
    })
    .stderr_line("content/models/alpha.md:8:5: error: every item of `pros` must be text, not a mapping")
    .stderr_line("  help: YAML reads `Fast: compact` as a key and a value; put the item in quotes: `- \"Fast: compact\"`");
}

#[test]
fn a_key_written_twice_is_reported_at_the_second() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/about.md",
            "---\ntitle: About\nslug: a\nslug: b\n---\n",
        );
    })
    .stderr_line("content/about.md:4:1: error: the key `slug` is written twice in this mapping")
    .stderr_line("  help: keep one `slug:`; the first is on line 3");
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/about.md",
            "---\ntitle: \"About\nsummary: x\norder: 2\n---\nBody.\n",
        );
    })
    .stderr_line("content/about.md:2:8: error: invalid front matter: this quoted value is never closed")
    .stderr_line("  help: end it with the same quote mark on the same line, or indent the lines it continues on");
}

#[test]
fn keys_in_flow_style_are_found() {
    fails_keeping_the_site(|book| {
        book.write("content/index.md", "---\n{title: Home, sumary: Hi}\n---\n");
    })
    .stderr_line("content/index.md:2:15: error: unknown front matter key `sumary`");
}

#[test]
fn an_empty_guide_is_reported_at_its_start() {
    fails_keeping_the_site(|book| {
        book.write("content/guide.md", "Just text.\n");
    })
    .stderr_line("content/guide.md:1:1: error: the guide has no `question`");
}

#[test]
fn unusual_line_breaks_do_not_shift_positions() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/about.md",
            "---\ntitle: About\nsummary: a\u{85}b\u{2028}c\u{2029}d\nsumary: x\n---\n",
        );
        book.write(
            "content/other.md",
            "---\r\ntitle: Other\r\nnav: true\r\nsumary: x\r\n---\r\n",
        );
        book.write(
            "content/cr.md",
            "---\ntitle: CR\rnav: true\nsumary: x\n---\n",
        );
    })
    .stderr_line("content/about.md:4:1: error: unknown front matter key `sumary`")
    .stderr_line("content/other.md:4:1: error: unknown front matter key `sumary`")
    .stderr_line("content/cr.md:3:1: error: unknown front matter key `sumary`");
}

#[test]
fn a_byte_order_mark_does_not_hide_the_front_matter() {
    fails_keeping_the_site(|book| {
        book.write(
            "content/about.md",
            "\u{feff}---\ntitle: About\nsumary: x\n---\n",
        );
    })
    .stderr_line("content/about.md:3:1: error: unknown front matter key `sumary`");
}

#[test]
fn aliases_that_expand_past_the_limit_are_refused() {
    let mut yaml = String::from("---\ntitle: Bomb\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("l{level}: &a{level} [{items}]\n"));
    }
    yaml.push_str("---\n");
    fails_keeping_the_site(|book| {
        book.write("content/about.md", &yaml);
    })
    .stderr_has("content/about.md:7:")
    .stderr_has("error: the front matter holds more than 100000 values, counting each copy an alias makes")
    .stderr_line("  help: an alias (`*name`) copies everything under its anchor; repeat less, or write the values out");
}

#[test]
fn front_matter_links_come_from_the_markdown_parser() {
    let book = Book::minimal();
    // Code is not a link. A link is pointed at exactly through quotes, escapes and folded
    // lines; after an escape that stands for a line break, at the start of the value.
    book.write("content/about.md", "---\ntitle: About\nnav: true\nsummary: \"`[x](gone.md)` and \\\"[y](gone2.md)\\\"\"\n---\n");
    book.write("content/models/alpha.md", "---\ntitle: Alpha\nvalues:\n  speed: fast\n  api: \"one\\ntwo [w](gone4.md)\"\npros:\n  - quick\n  - >\n    folded and\n    with [z](gone3.md)\n---\n");
    let run = book.run(&["check"]);
    run.failure(1)
        .stderr_line("content/about.md:4:32: error: broken link: there is no page `gone2.md`")
        .stderr_line(
            "content/models/alpha.md:10:10: error: broken link: there is no page `models/gone3.md`",
        )
        .stderr_line(
            "content/models/alpha.md:5:8: error: broken link: there is no page `models/gone4.md`",
        );
    assert!(
        !run.stderr().contains("`gone.md`"),
        "a link inside code was checked"
    );
}

#[test]
fn values_of_the_wrong_shape_are_blamed_on_the_value() {
    fails_keeping_the_site(|book| {
        book.write(
            "book.toml",
            format!("{}\n[[dimension]]\nkey = \"os\"\nlabel = \"OS\"\nkind = \"tags\"\nlevels = [\"linux\", \"mac\"]\n", crate::harness::MINIMAL_TOML),
        );
        book.write(
            "content/models/beta.md",
            "---\ntitle: Beta\nvalues:\n  speed: [fast, slow]\n  api: n/a\n  os: [linux, windoze]\n---\n",
        );
    })
    .stderr_line("content/models/beta.md:4:10: error: `speed` takes one level, not a list")
    .stderr_line("content/models/beta.md:6:15: error: `windoze` is not a level of `os`");
}

#[test]
fn answers_may_share_a_question_through_an_alias() {
    let book = Book::minimal();
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need speed?\n  answers:\n    - label: Yes\n      question: &more\n        text: Really sure?\n        answers:\n          - label: Yes\n            model: alpha\n          - label: No\n            model: beta\n    - label: No\n      question: *more\n---\n");
    book.build().success();
    let guide = book.read("public/guide/index.html");
    assert_eq!(guide.matches("Really sure?").count(), 2, "{guide}");
}
