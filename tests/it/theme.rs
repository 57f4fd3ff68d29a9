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
