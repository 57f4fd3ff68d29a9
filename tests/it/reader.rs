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

#[test]
fn pages_link_to_the_previous_and_next_page_in_navigation_order() {
    let book = Book::minimal();
    book.write("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    book.build().success();
    let pager = |file: &str| {
        let html = book.read(file);
        let start = html
            .find("<nav class=\"pager\"")
            .map(|i| &html[i..])
            .unwrap_or("");
        start[..start.find("</nav>").map_or(0, |e| e + 6)].to_string()
    };
    assert_eq!(
        pager("public/index.html"),
        "<nav class=\"pager\" aria-label=\"Previous and next page\">\n<a class=\"pager-next\" rel=\"next\" href=\"matrix/index.html\"><span class=\"pager-label\">Next</span> Comparison matrix</a>\n</nav>"
    );
    assert_eq!(
        pager("public/models/alpha/index.html"),
        "<nav class=\"pager\" aria-label=\"Previous and next page\">\n<a class=\"pager-prev\" rel=\"prev\" href=\"../../guide/index.html\"><span class=\"pager-label\">Previous</span> Guide</a>\n<a class=\"pager-next\" rel=\"next\" href=\"../../models/beta/index.html\"><span class=\"pager-label\">Next</span> Beta</a>\n</nav>"
    );
    assert!(
        pager("public/about/index.html")
            .contains("rel=\"prev\" href=\"../models/beta/index.html\"")
    );
    assert!(
        !pager("public/about/index.html").contains("rel=\"next\""),
        "the last page has no next"
    );
    assert_eq!(
        pager("public/404.html"),
        "",
        "the 404 page is in no sequence"
    );
}

#[test]
fn an_edit_link_names_the_source_when_the_book_gives_edit_url() {
    let book = Book::minimal();
    book.build().success();
    assert!(
        !book
            .read("public/models/alpha/index.html")
            .contains("Edit this page")
    );

    let toml = crate::harness::MINIMAL_TOML.replace(
        "title = \"Fixture\"",
        "title = \"Fixture\"\nedit-url = \"https://example.org/book/edit/main/{path}\"\n[build]\ncontent = \"docs/\"",
    );
    book.write("book.toml", toml);
    for file in ["index.md", "guide.md", "models/alpha.md", "models/beta.md"] {
        let text = book.read(&format!("content/{file}"));
        book.write(&format!("docs/{file}"), text);
    }
    book.build().success();
    assert!(
        book.read("public/models/alpha/index.html")
            .contains("<p class=\"edit-link\"><a href=\"https://example.org/book/edit/main/docs/models/alpha.md\">Edit this page</a></p>"),
    );
    assert!(
        !book
            .read("public/matrix/index.html")
            .contains("Edit this page"),
        "a generated page has no source to edit"
    );

    book.write(
        "book.toml",
        crate::harness::MINIMAL_TOML.replace(
            "title = \"Fixture\"",
            "title = \"Fixture\"\nedit-url = \"https://example.org/edit/\"",
        ),
    );
    book.build()
        .failure(1)
        .stderr_line("book.toml:3:12: error: `edit-url` must contain {path}");
}

/// The minimal book with a draft page and a draft model, linked from the home page.
fn with_drafts() -> Book {
    let book = Book::minimal();
    book.write(
        "content/plans.md",
        "---\ntitle: Plans\ndraft: true\n---\nNot yet.\n",
    );
    book.write(
        "content/models/gamma.md",
        "---\ntitle: Gamma\ndraft: true\nvalues:\n  speed: slow\n  api: n/a\n---\nSoon.\n",
    );
    book.write(
        "content/index.md",
        "---\ntitle: Home\n---\nSee [the plans](plans.md) and [gamma](models/gamma.md).\n",
    );
    book
}

#[test]
fn drafts_are_left_out_of_the_build() {
    let book = with_drafts();
    book.build().success().stderr_has("built 6 pages");
    assert!(!book.exists("public/plans/index.html"));
    assert!(!book.exists("public/models/gamma/index.html"));
    let matrix = book.read("public/matrix/index.html");
    assert!(
        !matrix.contains("Gamma") && !matrix.contains("Plans"),
        "{matrix}"
    );
    assert!(!book.read("public/search-index.js").contains("Not yet"));
}

#[test]
fn links_to_drafts_are_errors_in_check_unless_drafts_are_checked_too() {
    let book = with_drafts();
    book.run(&["check", "."])
        .failure(1)
        .stderr_line("content/index.md:4:5: error: broken link: `plans.md` is a draft, left out of the site")
        .stderr_line("content/index.md:4:31: error: broken link: `models/gamma.md` is a draft, left out of the site")
        .stderr_has("help: publish it (remove `draft: true`), or check the book with its drafts: `versus check --drafts`");
    book.run(&["check", ".", "--drafts"]).success();
}

#[test]
fn draft_must_be_true_or_false() {
    let book = Book::minimal();
    book.write("content/plans.md", "---\ntitle: Plans\ndraft: soon\n---\n");
    book.build().failure(1).stderr_has("content/plans.md:3:");
}

#[test]
fn every_build_writes_nojekyll_for_github_pages() {
    let book = Book::minimal();
    book.build().success();
    assert_eq!(book.read("public/.nojekyll"), "");
    book.build().success();
    assert!(book.exists("public/.nojekyll"), "a rebuild keeps it");
}

/// The minimal book with `style` as its `[style]` table.
fn with_style(style: &str) -> Book {
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{}\n[style]\n{style}\n", crate::harness::MINIMAL_TOML),
    );
    book.write(
        "content/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    book
}

#[test]
fn a_book_sets_its_logo_favicon_colours_and_fonts() {
    let book = with_style(
        "logo = \"images/logo.svg\"\nfavicon = \"images/logo.svg\"\naccent = [\"#6929c4\", \"#be95ff\"]\nlink = \"#0b5\"\nfont = '\"Iowan Old Style\", Georgia, serif'\ncode-font = \"Iosevka, monospace\"",
    );
    book.build().success();
    let html = book.read("public/models/alpha/index.html");
    assert!(
        html.contains("<link rel=\"icon\" href=\"../../images/logo.svg\">"),
        "{html}"
    );
    assert!(
        html.contains("<style>:root { --accent: light-dark(#6929c4, #be95ff); --link: #0b5; --font: \"Iowan Old Style\", Georgia, serif; --code-font: Iosevka, monospace; }</style>"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"site-title\" href=\"../../index.html\"><img class=\"site-logo\" src=\"../../images/logo.svg\" alt=\"\">Fixture</a>"),
        "{html}"
    );
    let plain = Book::minimal();
    plain.build().success();
    assert!(
        !plain.read("public/index.html").contains("<style>"),
        "no style element without [style]"
    );
}

#[test]
fn a_wrong_style_value_is_reported_where_it_is_written() {
    for (style, message) in [
        (
            "logo = \"images/missing.svg\"",
            "`logo` names `images/missing.svg`, which is not a file of the content folder",
        ),
        (
            "favicon = \"../book.toml\"",
            "`favicon` names `../book.toml`, which is not a file of the content folder",
        ),
        (
            "accent = \"red; } body { display: none\"",
            "`accent` must be a colour like \"#3d6fb3\", or [light, dark]",
        ),
        (
            "link = [\"#000\", \"#fff\", \"#888\"]",
            "`link` must be a colour like \"#3d6fb3\", or [light, dark]",
        ),
        (
            "font = \"x; } </style><script>\"",
            "`font` must be a CSS font-family list",
        ),
    ] {
        let book = with_style(style);
        let key_len = style.find('=').unwrap() + 3;
        book.build()
            .failure(1)
            .stderr_line(&format!("book.toml:18:{key_len}: error: {message}"));
    }
}

#[test]
fn the_home_page_lists_the_options_compared_unless_home_list_is_false() {
    let book = Book::minimal();
    book.build().success();
    let home = book.read("public/index.html");
    assert!(
        home.contains("<h2 id=\"models-heading\">The models compared</h2>"),
        "{home}"
    );
    book.write(
        "book.toml",
        crate::harness::MINIMAL_TOML.replace(
            "title = \"Fixture\"",
            "title = \"Fixture\"\nhome-list = false",
        ),
    );
    book.build().success();
    let home = book.read("public/index.html");
    assert!(!home.contains("models-heading"), "{home}");
}
