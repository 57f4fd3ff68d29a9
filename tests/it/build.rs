//! `versus build` on valid books: the pages, the matrix, the guide, links and determinism.

use std::path::Path;

use crate::harness::{Book, snapshot};

#[test]
fn builds_every_page_of_a_minimal_book() {
    let book = Book::minimal();
    book.build().success().stderr_has("built 6 pages");
    for file in [
        "public/index.html",
        "public/matrix/index.html",
        "public/models/alpha/index.html",
        "public/models/beta/index.html",
        "public/guide/index.html",
        "public/404.html",
        "public/assets/versus.css",
        "public/assets/highlight.css",
        "public/assets/versus.js",
    ] {
        assert!(book.exists(file), "{file} is missing");
    }
    assert!(
        !book.exists("public/sitemap.xml"),
        "no sitemap without a base-url"
    );
}

#[test]
fn matrix_is_a_complete_accessible_table() {
    let book = Book::minimal();
    book.write("content/models/alpha.md", "---\ntitle: Alpha\norder: 1\nvalues:\n  speed: { value: fast, note: \"only when *warm*\" }\n  api: \"`alpha.run()`\"\n---\n");
    book.build().success();
    let html = book.read("public/matrix/index.html");
    assert!(
        html.contains("<caption id=\"vs-caption\">2 models compared on 2 dimensions</caption>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"col\" data-key=\"speed\" data-kind=\"scale\" data-levels=\"slow medium fast\" data-facet>Speed</th>"), "{html}");
    let alpha = html.find("data-model=\"alpha\"").unwrap();
    let beta = html.find("data-model=\"beta\"").unwrap();
    assert!(alpha < beta, "rows follow `order`");
    assert!(html.contains("<th scope=\"row\" class=\"vs-model-col\"><a href=\"../models/alpha/index.html\">Alpha</a></th>"), "{html}");
    assert!(html.contains("<td data-key=\"speed\" data-rank=\"2\" data-levels=\"fast\"><span class=\"vs-level vs-step\" style=\"--vs-step: 1.00\"><span class=\"vs-steps\" aria-hidden=\"true\">●●●</span> fast</span><sup class=\"vs-note-ref\"><a href=\"#vs-note-1\" id=\"vs-ref-1\""), "{html}");
    assert!(
        html.contains(
            "<li id=\"vs-note-1\">only when <em>warm</em> <a class=\"vs-note-back\" href=\"#vs-ref-1\""
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<td data-key=\"api\" data-rank=\"-1\"><span class=\"vs-not-applicable\">n/a</span></td>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<td data-key=\"api\" data-rank=\"0\"><code>alpha.run()</code></td>"),
        "{html}"
    );
}

#[test]
fn model_page_has_values_pros_cons_and_body() {
    let book = Book::minimal();
    book.build().success();
    let html = book.read("public/models/alpha/index.html");
    assert!(
        html.contains("<th scope=\"row\">Speed</th>\n<td><span class=\"vs-level vs-step\" style=\"--vs-step: 1.00\"><span class=\"vs-steps\" aria-hidden=\"true\">●●●</span> fast</span></td>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"pros-title\">Pros</h2>\n<ul>\n<li>quick</li>"),
        "{html}"
    );
    assert!(html.contains("<li>new</li>"), "{html}");
    assert!(html.contains("<p>Alpha body.</p>"), "{html}");
    assert!(
        html.contains("<a href=\"../../models/alpha/index.html\" aria-current=\"page\">Alpha</a>"),
        "nav marks the current page"
    );
}

#[test]
fn guide_renders_as_nested_lists_without_javascript() {
    let book = Book::minimal();
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need speed?\n  answers:\n    - label: Yes\n      question:\n        text: Really?\n        answers:\n          - label: Very\n            why: It is fast.\n            model: alpha\n    - label: No\n      model: beta\n---\n");
    book.build().success();
    let html = book.read("public/guide/index.html");
    let nested = "<li class=\"vs-answer\"><span class=\"vs-answer-label\">Yes</span>\n<div class=\"vs-question\" id=\"vs-q-1\">";
    assert!(html.contains(nested), "{html}");
    assert!(html.contains("<span class=\"vs-answer-label\">Very</span> <span class=\"vs-why\">It is fast.</span> <span class=\"vs-result\">→ <a href=\"../models/alpha/index.html\" data-model=\"alpha\">Alpha</a></span>"), "{html}");
    let inner = html.find("Really?").unwrap();
    let outer_close = html.rfind("</ul>").unwrap();
    assert!(
        inner < outer_close,
        "the follow-up question sits inside the first list"
    );
}

#[test]
fn plain_pages_get_pretty_urls() {
    let book = Book::minimal();
    book.write("content/about.md", "---\ntitle: About\n---\nA.\n");
    book.write(
        "content/deep/er/page.md",
        "---\ntitle: Deep\n---\n[home](../../index.md) and [alpha](../../models/alpha.md#pros)\n",
    );
    book.write("content/deep/index.md", "---\ntitle: Deep index\n---\n");
    book.build().success();
    assert!(book.exists("public/about/index.html"));
    assert!(book.exists("public/deep/index.html"));
    let html = book.read("public/deep/er/page/index.html");
    assert!(
        html.contains("<a href=\"../../../index.html\">home</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../../../models/alpha/index.html#pros\">alpha</a>"),
        "{html}"
    );
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"../../../assets/versus.css\">"),
        "{html}"
    );
}

#[test]
fn local_assets_are_copied() {
    let book = Book::minimal();
    book.write(
        "content/images/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    book.write("content/.hidden.md", "not a page");
    book.build().success();
    assert_eq!(
        book.read("public/images/diagram.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert!(!book.exists("public/.hidden.md") && !book.exists("public/.hidden/index.html"));
}

#[test]
fn content_well_known_is_published_as_it_is() {
    let book = Book::minimal();
    book.write(
        "content/.well-known/security.txt",
        "Contact: mailto:security@example.org\n",
    )
    .write("content/.well-known/notes.md", "# kept as it is\n")
    .write("content/.well-known/.swp", "swap")
    .write("content/sub/.well-known/x.txt", "only the top one");
    book.build().success();
    assert_eq!(
        book.read("public/.well-known/security.txt"),
        "Contact: mailto:security@example.org\n"
    );
    assert_eq!(
        book.read("public/.well-known/notes.md"),
        "# kept as it is\n",
        "Markdown there is not turned into a page"
    );
    assert!(!book.exists("public/.well-known/notes/index.html"));
    assert!(!book.exists("public/.well-known/.swp"));
    assert!(!book.exists("public/sub/.well-known/x.txt"));
}

#[test]
fn base_url_gives_sitemap_and_canonical_links_only() {
    let book = Book::minimal();
    book.run(&[
        "build",
        "--base-url",
        "https://docs.example.org/3/howto/concurrency",
    ])
    .success();
    let sitemap = book.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<url><loc>https://docs.example.org/3/howto/concurrency/</loc></url>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(
            "<url><loc>https://docs.example.org/3/howto/concurrency/models/alpha/</loc></url>"
        ),
        "{sitemap}"
    );
    let page = book.read("public/models/alpha/index.html");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://docs.example.org/3/howto/concurrency/models/alpha/\">"));
    let not_found = book.read("public/404.html");
    assert!(
        not_found.contains("href=\"/3/howto/concurrency/assets/versus.css\""),
        "404 links start at the published path: {not_found}"
    );
}

#[test]
fn build_takes_a_book_folder_and_a_destination() {
    let book = Book::minimal();
    let elsewhere = Book::empty();
    let dest = elsewhere.path().join("site");
    elsewhere
        .run(&[
            "build",
            book.path().to_str().unwrap(),
            "--dest",
            dest.to_str().unwrap(),
        ])
        .success();
    assert!(dest.join("matrix/index.html").is_file());
    assert!(!book.exists("public"), "--dest replaces the default output");
}

#[test]
fn two_builds_are_byte_identical() {
    let book = Book::minimal();
    book.run(&["build", "--dest", "one"]).success();
    book.run(&["build", "--dest", "two"]).success();
    let one = snapshot(&book.path().join("one"));
    let two = snapshot(&book.path().join("two"));
    assert!(one.len() > 8);
    assert_eq!(one, two);
}

/// Every relative link and asset of every page points at a file of the site, so the site
/// works from file:// and under any sub-path; nothing is loaded from another host.
#[test]
fn shipped_book_links_resolve_and_stay_on_the_site() {
    let out = Book::empty();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = out.path().join("site");
    out.run(&[
        "build",
        root.to_str().unwrap(),
        "--dest",
        dest.to_str().unwrap(),
    ])
    .success();
    let mut checked = 0;
    for (path, bytes) in snapshot(&dest) {
        // 404.html links from the published root; embed/ holds fragments for other sites.
        if path.extension().is_none_or(|e| e != "html")
            || path == Path::new("404.html")
            || path.starts_with("embed")
        {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for url in attribute_values(&html, "src=\"")
            .into_iter()
            .chain(attribute_values(&html, "href=\""))
        {
            if url.starts_with('#')
                || url.starts_with("https://") && !is_loaded_resource(&html, &url)
            {
                continue;
            }
            assert!(
                !url.starts_with('/') && !url.contains("://"),
                "{}: {url} is not relative",
                path.display()
            );
            let file = url.split('#').next().unwrap();
            let target = dest.join(path.parent().unwrap()).join(file);
            assert!(
                target.is_file(),
                "{}: {url} does not resolve to a file",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

fn attribute_values(html: &str, prefix: &str) -> Vec<String> {
    html.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &html[i + prefix.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Absolute links are fine in prose (`<a href>`), never for things a page loads.
fn is_loaded_resource(html: &str, url: &str) -> bool {
    [
        "src=\"",
        "<link rel=\"stylesheet\" href=\"",
        "<script src=\"",
    ]
    .iter()
    .any(|prefix| html.contains(&format!("{prefix}{url}\"")))
}

#[test]
fn every_dimension_kind_renders_in_the_matrix() {
    let book = Book::fixture("dimension-kinds");
    book.build().success();
    let html = book.read("public/matrix/index.html");
    let two = html.find("data-model=\"two\"").unwrap();
    let one = html.find("data-model=\"one\"").unwrap();
    assert!(two < one, "rows follow `order`, not file names");
    assert!(
        html.contains("<td data-key=\"suits\" data-rank=\"0\" data-levels=\"cpu io\"><span class=\"vs-level\">cpu</span>, <span class=\"vs-level\">io</span></td>"),
        "tags keep the declared order: {html}"
    );
    assert!(
        html.contains("<td data-key=\"suits\" data-rank=\"2\" data-levels=\"gpu\"><span class=\"vs-level\">gpu</span></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td data-key=\"cost\" data-rank=\"2\" data-levels=\"high\"><span class=\"vs-level vs-step\" style=\"--vs-step: 1.00\"><span class=\"vs-steps\" aria-hidden=\"true\">●●●</span> high</span><sup"),
        "{html}"
    );
    assert!(
        html.contains(
            "<li id=\"vs-note-1\">unless <a href=\"../models/two/index.html#details\">cached</a>"
        ),
        "note links are rewritten for the matrix page: {html}"
    );
    assert!(html.contains("<dd>What it costs. <span class=\"vs-levels\">Scale: low &lt; medium &lt; high.</span></dd>"), "{html}");
    assert!(
        !book.exists("public/guide/index.html"),
        "no guide page without content/guide.md"
    );
}

#[test]
fn guide_presets_become_matrix_buttons() {
    let book = Book::minimal();
    book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Speed?\n  answers:\n    - label: Yes\n      why: It is fast.\n      model: alpha\n      preset: Need for speed\n      filters:\n        speed: [fast, medium]\n    - label: No\n      model: beta\n---\n");
    book.build().success();
    let html = book.read("public/matrix/index.html");
    assert!(html.contains("<button type=\"button\" class=\"vs-preset\" aria-pressed=\"false\" data-preset=\"need-for-speed\" data-state=\"f.speed=medium,fast\" data-why=\"It is fast.\">Need for speed</button>"), "{html}");
    assert!(
        html.contains("<div class=\"vs-controls\" id=\"vs-controls\" hidden>"),
        "controls stay hidden without JavaScript"
    );
}

#[test]
fn the_matrix_page_loads_under_18_kb_of_javascript() {
    let book = Book::minimal();
    book.build().success();
    let html = book.read("public/matrix/index.html");
    let scripts: Vec<String> = html
        .match_indices("<script src=\"")
        .map(|(i, m)| html[i + m.len()..].split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(scripts, ["../assets/versus.js", "../assets/matrix.js"]);
    let size = |script: &str| book.read(&format!("public/matrix/{script}")).len();
    let inline: usize = html
        .match_indices("<script>")
        .map(|(i, _)| html[i..].find("</script>").unwrap())
        .sum();
    // The matrix's own script: 15 KB until it validated every part of its URL fragment and
    // built the transposed table from nodes, with labels as text, rather than an HTML string.
    let matrix = size(scripts[1].as_str());
    assert!(matrix < 16_000, "the matrix's script is {matrix} bytes");
    // What every page loads: theme, menu, copy, tabs, and the loader of search.js, which
    // only a search loads.
    let every_page = size(scripts[0].as_str()) + inline;
    assert!(
        every_page < 8_000,
        "every page loads {every_page} bytes of JavaScript"
    );
}

#[test]
fn the_script_texts_are_written_once_per_page_and_in_each_embed() {
    let book = Book::minimal();
    book.build().success();
    for path in [
        "public/matrix/index.html",
        "public/guide/index.html",
        "public/index.html",
        "public/embed/matrix.html",
        "public/embed/guide.html",
    ] {
        let html = book.read(path);
        assert_eq!(
            html.matches("class=\"vs-strings\"").count(),
            1,
            "{path}: {html}"
        );
    }
    // On the site the page's copy (in <head>) is the one; an embed carries its own.
    let matrix = book.read("public/matrix/index.html");
    let head = &matrix[..matrix.find("</head>").unwrap()];
    assert!(head.contains("class=\"vs-strings\""), "{head}");
}
