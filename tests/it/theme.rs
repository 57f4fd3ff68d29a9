//! Themes: the embedded default, and a book's own files overriding it one by one.

use crate::harness::{Book, MINIMAL_TOML};

fn with_theme(book: &Book) {
    book.write(
        "book.toml",
        format!("[build]\ntheme = \"mine\"\n\n{MINIMAL_TOML}"),
    );
}

#[test]
fn a_book_template_overrides_one_file_and_can_extend_the_default() {
    let book = Book::minimal();
    with_theme(&book);
    book.write(
        "themes/mine/templates/model.html",
        "{% extends \"default/model.html\" %}\n{% block body_class %}page model mine{% endblock %}\n",
    );
    book.build().success();
    let model = book.read("public/models/alpha/index.html");
    assert!(
        model.contains("<body class=\"page model mine\">"),
        "{model}"
    );
    assert!(
        model.contains("<h2 id=\"values-title\">At a glance</h2>"),
        "the rest of the default template stays"
    );
    let home = book.read("public/index.html");
    assert!(
        home.contains("<body class=\"page home\">"),
        "other templates are the default ones"
    );
}

#[test]
fn editor_swap_and_backup_files_in_a_theme_are_ignored() {
    let book = Book::minimal();
    with_theme(&book);
    // What vim and emacs leave next to a template while it is being edited.
    book.write(
        "themes/mine/templates/.toc.html.swp",
        b"b0VIM 9.0\0\0{% broken",
    )
    .write("themes/mine/templates/toc.html~", "{% broken")
    .write(
        "themes/mine/templates/toc.html",
        "<p class=\"mine\">toc</p>\n",
    );
    book.build().success();
    assert!(
        book.read("public/models/alpha/index.html")
            .contains("<p class=\"mine\">toc</p>")
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_a_theme_is_an_error_not_a_silent_skip() {
    let book = Book::minimal();
    with_theme(&book);
    book.write("shared/toc.html", "<p>shared</p>\n");
    std::fs::create_dir_all(book.path().join("themes/mine/templates")).unwrap();
    std::os::unix::fs::symlink(
        book.path().join("shared/toc.html"),
        book.path().join("themes/mine/templates/toc.html"),
    )
    .unwrap();
    book.build()
        .failure(1)
        .stderr_line(
            "themes/mine/templates/toc.html: error: a symbolic link; versus does not follow links in a theme",
        )
        .stderr_has("help: put the file itself here (a copy)");
}

#[test]
fn a_book_static_file_replaces_the_default_one() {
    let book = Book::minimal();
    with_theme(&book);
    book.write(
        "themes/mine/static/assets/versus.css",
        "body { color: red; }\n",
    );
    book.write("themes/mine/static/assets/extra.js", "// extra\n");
    book.build().success();
    assert_eq!(
        book.read("public/assets/versus.css"),
        "body { color: red; }\n"
    );
    assert_eq!(book.read("public/assets/extra.js"), "// extra\n");
    assert!(
        book.read("public/assets/highlight.css")
            .contains(".highlight .kn")
    );
}

#[test]
fn the_default_theme_is_embedded_so_versus_works_from_any_folder() {
    let book = Book::minimal();
    assert!(!book.exists("themes"));
    book.build().success();
    assert!(
        book.read("public/assets/versus.css")
            .contains("--bg: light-dark(#ffffff, #0d1117);")
    );
}

#[test]
fn a_template_error_at_render_time_points_at_the_template() {
    let book = Book::minimal();
    with_theme(&book);
    book.write("themes/mine/templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nonexistent.deeper }}\n{% endblock %}\n");
    book.write("content/about.md", "---\ntitle: About\n---\n");
    book.build()
        .failure(1)
        .stderr_has("themes/mine/templates/page.html:3:")
        .stderr_has("error: template error");
}

#[test]
fn an_unknown_filter_test_function_or_template_names_the_book_template_using_it() {
    let book = Book::minimal();
    with_theme(&book);
    book.write("themes/mine/templates/toc.html", "<p>fine</p>\n");
    for (template, says) in [
        (
            "{{ level | nosuchfilter }}",
            "Unknown filter `nosuchfilter`",
        ),
        ("{{ nosuchfn() }}", "Unknown function `nosuchfn`"),
        (
            "{% if id is nosuchtest %}x{% endif %}",
            "Unknown test `nosuchtest`",
        ),
        (
            "{% include \"nope.html\" %}",
            "Unknown template `nope.html`",
        ),
    ] {
        book.write("themes/mine/templates/fragments/anchor.html", template);
        book.build().failure(1).stderr_line(&format!(
            "themes/mine/templates/fragments/anchor.html: error: template error: {says}"
        ));
    }
}

/// A page with a heading, a footnote, a tab group (with an output block) and a titled block.
const MARKUP_PAGE: &str = "---\ntitle: About\n---\n## Set up\n\nText[^1].\n\n```python tab=threads\nx = 1\n```\n\n```output\n1\n```\n\n```python tab=processes\ny = 2\n```\n\nProse.\n\n```python title=\"Demo\"\nz = 3\n```\n\n[^1]: A footnote.\n";

#[test]
fn the_default_fragments_write_anchors_code_blocks_and_tab_groups() {
    let book = Book::minimal();
    book.write("content/about.md", MARKUP_PAGE);
    book.build().success();
    let about = book.read("public/about/index.html");
    assert!(
        about.contains("<h2 id=\"set-up\">Set up <a class=\"anchor\" href=\"#set-up\" aria-label=\"Link to this section\">#</a></h2>"),
        "{about}"
    );
    assert!(
        about.contains("<div class=\"tabs\">\n<div class=\"tab-panel\" data-tab=\"threads\">\n<p class=\"tab-label\">threads</p>\n<div class=\"code-block\" data-lang=\"python\"><div class=\"highlight-python notranslate\"><div class=\"highlight\"><pre><code>x <span class=\"o\">=</span> <span class=\"mi\">1</span>\n</code></pre></div></div></div>\n<div class=\"code-block\" data-lang=\"output\"><div class=\"code-title\">Output</div>"),
        "{about}"
    );
    assert!(
        about.contains("</div>\n<div class=\"tab-panel\" data-tab=\"processes\">"),
        "{about}"
    );
    assert!(
        about.contains(
            "<div class=\"code-block\" data-lang=\"python\"><div class=\"code-title\">Demo</div>"
        ),
        "{about}"
    );
    let beta = book.read("public/models/beta/index.html");
    assert!(
        beta.contains("<td><span class=\"vs-not-applicable\">n/a</span></td>"),
        "{beta}"
    );
}

#[test]
fn a_book_theme_rewrites_anchors_code_blocks_tab_groups_and_values() {
    let book = Book::minimal();
    with_theme(&book);
    book.write("content/about.md", MARKUP_PAGE);
    book.write(
        "themes/mine/templates/fragments/anchor.html",
        "<a class=\"mine-anchor\" data-level=\"{{ level }}\" data-text=\"{{ text }}\" href=\"#{{ id }}\">¶</a>",
    );
    book.write(
        "themes/mine/templates/fragments/code.html",
        "<figure class=\"mine-code\" data-lang=\"{{ lang }}\">{% if title %}<figcaption>{{ title }}</figcaption>{% elif is_output and after_code %}<figcaption>Result</figcaption>{% endif %}<pre>{{ code | safe }}</pre></figure>\n",
    );
    book.write(
        "themes/mine/templates/fragments/tabs.html",
        "<div class=\"mine-tabs\">{% for panel in panels %}<section data-tab=\"{{ panel.tab }}\" data-blocks=\"{{ panel.blocks | length }}\">{% for block in panel.blocks %}{{ block | safe }}{% endfor %}</section>{% endfor %}</div>\n",
    );
    book.write(
        "themes/mine/templates/fragments/value.html",
        "{% if cell.na %}<em class=\"mine-na\">does not apply</em>{% else %}<b>{{ cell.html | safe }}</b>{% endif %}",
    );
    book.build().success();
    let about = book.read("public/about/index.html");
    assert!(
        about.contains("<h2 id=\"set-up\">Set up<a class=\"mine-anchor\" data-level=\"2\" data-text=\"Set up\" href=\"#set-up\">¶</a></h2>"),
        "{about}"
    );
    assert!(!about.contains("class=\"anchor\""), "{about}");
    assert!(
        about.contains("<div class=\"mine-tabs\"><section data-tab=\"threads\" data-blocks=\"2\"><figure class=\"mine-code\" data-lang=\"python\"><pre>x <span class=\"o\">=</span>"),
        "{about}"
    );
    assert!(
        about.contains("<figure class=\"mine-code\" data-lang=\"output\"><figcaption>Result</figcaption><pre>1\n</pre></figure>\n</section><section data-tab=\"processes\" data-blocks=\"1\">"),
        "{about}"
    );
    assert!(
        about.contains(
            "<figure class=\"mine-code\" data-lang=\"python\"><figcaption>Demo</figcaption>"
        ),
        "{about}"
    );
    assert!(!about.contains("class=\"code-block\""), "{about}");
    // The page is still written by one Markdown writer: the footnote is numbered and listed.
    assert!(
        about.contains("<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>"),
        "{about}"
    );
    assert!(about.contains("A footnote."), "{about}");
    let beta = book.read("public/models/beta/index.html");
    assert!(
        beta.contains("<td><em class=\"mine-na\">does not apply</em></td>"),
        "{beta}"
    );
    assert!(beta.contains("<td><b>slow</b></td>"), "{beta}");
    let matrix = book.read("public/matrix/index.html");
    assert!(matrix.contains("<em class=\"mine-na\">does not apply</em>"));
    assert!(!matrix.contains("vs-not-applicable"), "{matrix}");
    let embed = book.read("public/embed/matrix.html");
    assert!(embed.contains("<em class=\"mine-na\">does not apply</em>"));
}

#[test]
fn an_undefined_value_marked_safe_is_an_error_like_an_undefined_value() {
    let book = Book::minimal();
    with_theme(&book);
    book.write(
        "themes/mine/templates/fragments/anchor.html",
        "<a href=\"#{{ id }}\">\n{{ idd | safe }}</a>",
    );
    book.write("content/about.md", "---\ntitle: About\n---\n## Set up\n");
    book.build()
        .failure(1)
        .stderr_has("themes/mine/templates/fragments/anchor.html:2:")
        .stderr_has("error: template error: `safe` was given an undefined value");
}
