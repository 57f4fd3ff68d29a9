//! The texts readers see come from catalogues: the book's `language`, its `noun`, its
//! `[strings]` overrides, and a theme's catalogue.

use std::collections::BTreeMap;

use crate::harness::{Book, MINIMAL_TOML};

const ENGLISH: &str = include_str!("../../themes/default/strings/en.toml");

/// Keys whose texts are still written by code another change moves into templates.
fn with_book_settings(book: &Book, settings: &str, tables: &str) {
    book.write(
        "book.toml",
        format!(
            "{}\n{tables}",
            MINIMAL_TOML.replace(
                "title = \"Fixture\"",
                &format!("title = \"Fixture\"\n{settings}")
            )
        ),
    );
}

#[test]
fn a_french_book_shows_french_everywhere() {
    let book = Book::minimal();
    with_book_settings(&book, "language = \"fr\"", "");
    book.write(
        "content/404-test.md",
        "---\ntitle: Notes\n---\n## One\n\n## Two\n\n## Three\n",
    );
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    for french in [
        "<html lang=\"fr\">",
        "<title>Matrice de comparaison · Fixture</title>",
        "<caption id=\"vs-caption\">Comparaison de 2 modèles sur 2 dimensions</caption>",
        "<th scope=\"col\" class=\"vs-model-col\">Modèle</th>",
        "<summary>Filtres</summary>",
        "<button type=\"button\" id=\"vs-transpose\" aria-pressed=\"false\">Transposer</button>",
        "placeholder=\"Rechercher dans les titres, valeurs, notes, avantages et inconvénients\"",
        "<span class=\"vs-levels\">Échelle\u{a0}: slow &lt; medium &lt; fast.</span>",
        "<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>",
        "<span class=\"nav-group\">Modèles</span>",
        "<label for=\"search-input\">Rechercher dans ce site</label>",
        "\"copy\":\"Copier\"",
        "\"matrix-status\":{\"one\":\"{n} modèle sur {total} à l'écran\",\"other\":\"{n} modèles sur {total} à l'écran\"}",
    ] {
        assert!(matrix.contains(french), "{french} in\n{matrix}");
    }
    let model = book.read("public/models/alpha/index.html");
    for french in [
        "<h2 id=\"values-title\">En bref</h2>",
        "<h2 id=\"pros-title\">Avantages</h2>",
        "<caption class=\"visually-hidden\">Alpha\u{a0}: sa valeur sur chaque dimension</caption>",
        "<span class=\"pager-label\">Précédent</span>",
        "généré avec versus",
    ] {
        assert!(model.contains(french), "{french} in\n{model}");
    }
    let missing = book.read("public/404.html");
    assert!(missing.contains("<h1>Page introuvable</h1>"), "{missing}");
    assert!(
        missing.contains("Essayez la <a href=\"/index.html\">page d&#39;accueil</a>, la <a href=\"/matrix/index.html\">matrice de comparaison</a> ou le <a href=\"/guide/index.html\">guide de décision</a>."),
        "{missing}"
    );
    let page = book.read("public/404-test/index.html");
    assert!(
        page.contains("<p class=\"toc-title\">Sur cette page</p>"),
        "{page}"
    );
    let home = book.read("public/index.html");
    assert!(
        home.contains("<h2 id=\"models-heading\">Les modèles en comparaison</h2>"),
        "{home}"
    );
    let index = book.read("public/search-index.js");
    assert!(index.contains("\"h\":\"En bref\""), "{index}");
    assert!(index.contains("\"h\":\"Les dimensions\""), "{index}");
    let rst = book.read("public/embed/matrix.rst");
    assert!(
        rst.starts_with(".. list-table:: Comparaison de 2 modèles sur 2 dimensions\n"),
        "{rst}"
    );
    let guide = book.read("public/embed/guide.html");
    assert!(
        guide.contains("\"guide-start-again\":\"Recommencer\""),
        "{guide}"
    );
}

#[test]
fn the_noun_is_one_setting() {
    let book = Book::minimal();
    with_book_settings(&book, "noun = \"format\"", "");
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    assert!(
        matrix.contains("<caption id=\"vs-caption\">2 formats compared on 2 dimensions</caption>"),
        "{matrix}"
    );
    assert!(
        matrix.contains("<span class=\"nav-group\">Formats</span>"),
        "{matrix}"
    );
    assert!(
        matrix.contains("\"matrix-status\":{\"one\":\"{n} of {total} formats shown\""),
        "{matrix}"
    );
    assert!(
        matrix.contains("\"matrix-none\":\"No format matches.\""),
        "{matrix}"
    );

    with_book_settings(&book, "noun = { one = \"box\", other = \"boxes\" }", "");
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    assert!(
        matrix.contains("<th scope=\"col\" class=\"vs-model-col\">Box</th>"),
        "{matrix}"
    );
    assert!(matrix.contains("2 boxes compared"), "{matrix}");
}

#[test]
fn book_toml_overrides_any_string_and_a_hostile_one_stays_inert() {
    let book = Book::minimal();
    with_book_settings(
        &book,
        "",
        "[strings]\nmatrix-transpose = \"Flip it\"\ncopy = \"</script><script>alert(1)</script><!--\"\nmatrix-sort = \"<b>{column}</b> & co\"\n",
    );
    book.build().success();
    let matrix = book.read("public/matrix/index.html");
    assert!(matrix.contains(">Flip it</button>"), "{matrix}");
    assert!(!matrix.contains("<script>alert"), "{matrix}");
    assert!(!matrix.contains("<b>"), "{matrix}");
    assert!(
        matrix.contains("\"copy\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!--\""),
        "{matrix}"
    );
    assert!(
        matrix.contains("\"matrix-sort\":\"\\u003cb\\u003e{column}\\u003c/b\\u003e \\u0026 co\""),
        "{matrix}"
    );
    // Each JSON script ends where it should: once per page, once per fragment.
    assert_eq!(
        matrix.matches("</script>").count(),
        matrix.matches("<script").count()
    );
}

#[test]
fn bad_overrides_are_errors_at_their_place_in_book_toml() {
    let book = Book::minimal();
    with_book_settings(
        &book,
        "",
        "[strings]\nmatrix-transpos = \"Flip\"\nmatrix-sort = \"Sort on {col}\"\nmenu = [\"Menu\"]\nsearch-results = { one = \"1\" }\n",
    );
    // After the settings line with_book_settings adds, MINIMAL_TOML and an empty line.
    let line = MINIMAL_TOML.lines().count() + 4;
    book.build()
        .failure(1)
        .stderr_line(&format!(
            "book.toml:{line}:1: error: unknown string `matrix-transpos`"
        ))
        .stderr_has("did you mean `matrix-transpose`?")
        .stderr_line(&format!(
            "book.toml:{}:15: error: `matrix-sort` has the placeholder {{col}}, which it is never given",
            line + 1
        ))
        .stderr_has("`matrix-sort` can use {Noun}, {Nouns}, {column}, {noun}, {nouns}")
        .stderr_has(&format!("book.toml:{}:8: error: `menu`: a string is a text or a table of plural forms, not an array", line + 2))
        .stderr_has(&format!("book.toml:{}:18: error: `search-results`: a table of plural forms needs `other`", line + 3));
    assert!(!book.exists("public"), "a failed build writes nothing");
}

#[test]
fn a_language_without_a_catalogue_warns_and_shows_english() {
    let book = Book::minimal();
    with_book_settings(&book, "language = \"de\"", "");
    book.build()
        .success()
        .stderr_has("book.toml:3:12: warning: there is no catalogue of strings for language \"de\": readers see English");
    let matrix = book.read("public/matrix/index.html");
    assert!(matrix.contains("<html lang=\"de\">"));
    assert!(matrix.contains("<summary>Filters</summary>"));
}

#[test]
fn build_language_overrides_the_books_language_for_one_build() {
    let book = Book::minimal();
    with_book_settings(
        &book,
        "noun = \"format\"",
        "[strings]\nmatrix-transpose = \"Flip it\"\n",
    );
    book.build().success();
    let english = book.read("public/embed/matrix.html");
    assert!(english.contains(">Flip it</button>"), "{english}");
    let english_data = book.read("public/embed/data.json");

    book.run(&["build", "--language", "fr"]).success();
    let matrix = book.read("public/embed/matrix.html");
    for french in [
        "<summary>Filtres</summary>",
        // The book's noun and [strings] are English, so a French build leaves them out.
        "<button type=\"button\" id=\"vs-transpose\" aria-pressed=\"false\">Transposer</button>",
        "<caption id=\"vs-caption\">Comparaison de 2 modèles sur 2 dimensions</caption>",
        "\"matrix-status\":{\"one\":\"{n} modèle sur {total} à l'écran\"",
    ] {
        assert!(matrix.contains(french), "{french} in\n{matrix}");
    }
    assert!(!matrix.contains("Flip it"), "{matrix}");
    let page = book.read("public/matrix/index.html");
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(
        book.read("public/embed/guide.html")
            .contains("\"guide-start-again\":\"Recommencer\""),
    );
    // The book's own strings are the same in every language: only `language` differs.
    assert_eq!(
        book.read("public/embed/data.json"),
        english_data.replace("\"language\": \"en\"", "\"language\": \"fr\""),
    );
    assert_ne!(english_data, book.read("public/embed/data.json"));

    // A regional tag of the book's own language keeps its noun and [strings].
    book.run(&["build", "--language", "en-GB"]).success();
    let matrix = book.read("public/embed/matrix.html");
    assert!(matrix.contains(">Flip it</button>"), "{matrix}");
    assert!(matrix.contains("2 formats compared"), "{matrix}");
}

#[test]
fn build_language_without_a_catalogue_is_an_error_naming_the_flag() {
    let book = Book::minimal();
    book.build().success();
    let before = crate::harness::snapshot(&book.path().join("public"));
    book.run(&["build", "--language", "ja"])
        .failure(1)
        .stderr_line("--language: error: there is no catalogue of strings for language \"ja\"")
        .stderr_has("help: versus ships en, fr");
    book.run(&["build", "--language", "fr_FR"])
        .failure(1)
        .stderr_line("--language: error: \"fr_FR\" is not a language tag")
        .stderr_has("help: write it with hyphens: --language \"fr-FR\"");
    assert_eq!(
        crate::harness::snapshot(&book.path().join("public")),
        before,
        "the previous site is left as it was"
    );
    // In book.toml the same language is only a warning: readers see English.
    with_book_settings(&book, "language = \"ja\"", "");
    book.build()
        .success()
        .stderr_has("warning: there is no catalogue");
}

#[test]
fn versus_languages_lists_the_shipped_catalogues() {
    let run = Book::empty().run(&["languages"]);
    run.success();
    assert_eq!(run.stdout(), "en\nfr\n");
    let shipped: Vec<String> = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/strings"),
    )
    .unwrap()
    .map(|entry| {
        let name = entry.unwrap().file_name().into_string().unwrap();
        name.trim_end_matches(".toml").to_string()
    })
    .collect();
    let mut shipped = shipped;
    shipped.sort();
    assert_eq!(
        run.stdout().lines().collect::<Vec<_>>(),
        shipped,
        "every catalogue in the theme is built in"
    );
}

#[test]
fn a_theme_adds_a_language_key_by_key() {
    let book = Book::minimal();
    with_book_settings(&book, "language = \"de\"", "[build]\ntheme = \"mine\"\n");
    book.write(
        "themes/mine/strings/de.toml",
        "matrix-filters = \"Filter\"\nnoun = { one = \"Modell\", other = \"Modelle\" }\n",
    );
    let run = book.build();
    run.success();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let matrix = book.read("public/matrix/index.html");
    assert!(matrix.contains("<summary>Filter</summary>"), "{matrix}");
    assert!(
        matrix.contains("2 Modelle compared"),
        "the rest is English: {matrix}"
    );

    book.write(
        "themes/mine/strings/de.toml",
        "matrix-filter = \"Filter\"\n",
    );
    book.build()
        .failure(1)
        .stderr_line("themes/mine/strings/de.toml:1:1: error: unknown string `matrix-filter`");
}

#[test]
fn a_template_asking_for_an_unknown_string_names_the_template() {
    let book = Book::minimal();
    with_book_settings(&book, "", "[build]\ntheme = \"mine\"\n");
    book.write(
        "themes/mine/templates/toc.html",
        "{{ t(k=\"no-such-string\") }}",
    );
    book.build()
        .failure(1)
        .stderr_has("themes/mine/templates/toc.html:1:")
        .stderr_has("there is no string `no-such-string`");
    book.write(
        "themes/mine/templates/toc.html",
        "{{ t(k=\"matrix-sort\") }}",
    );
    book.build()
        .failure(1)
        .stderr_has("themes/mine/templates/toc.html:1:")
        .stderr_has("the string `matrix-sort` needs the argument `column`");
}

/// The English catalogue's texts, each as the runs of text between its placeholders.
fn english() -> BTreeMap<String, Vec<String>> {
    let table: toml::Table = toml::from_str(ENGLISH).unwrap();
    let noun = |text: &str| {
        text.replace("{nouns}", "models")
            .replace("{noun}", "model")
            .replace("{Nouns}", "Models")
            .replace("{Noun}", "Model")
    };
    table
        .into_iter()
        .filter(|(key, _)| key != "noun")
        .map(|(key, value)| {
            let forms: Vec<String> = match value {
                toml::Value::String(text) => vec![text],
                toml::Value::Table(forms) => forms
                    .values()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                other => panic!("{key}: {other:?}"),
            };
            let mut runs = Vec::new();
            for form in forms {
                let form = noun(&form);
                let mut rest = form.as_str();
                while let Some(open) = rest.find('{') {
                    runs.push(rest[..open].to_string());
                    rest = &rest[rest[open..].find('}').unwrap() + open + 1..];
                }
                runs.push(rest.to_string());
            }
            // Punctuation alone (the `)` after a count) says nothing of a language.
            runs.retain(|run| run.chars().filter(|c| c.is_alphabetic()).count() > 1);
            (key, runs)
        })
        .collect()
}

/// A `[strings]` table giving every key a marker in place of its text, keeping its
/// placeholders.
fn markers() -> String {
    let table: toml::Table = toml::from_str(ENGLISH).unwrap();
    let mut out = String::from("[strings]\n");
    for (key, value) in table {
        if key == "noun" {
            out.push_str("noun = \"⟦noun⟧\"\n");
            continue;
        }
        let text = match &value {
            toml::Value::String(text) => text.clone(),
            toml::Value::Table(forms) => forms["other"].as_str().unwrap().to_string(),
            _ => unreachable!(),
        };
        let mut marker = format!("⟦{key}⟧");
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').unwrap() + open;
            let name = &rest[open + 1..close];
            if !["noun", "nouns", "Noun", "Nouns"].contains(&name) {
                marker.push_str(&format!(" {{{name}}}"));
            }
            rest = &rest[close + 1..];
        }
        match value {
            toml::Value::Table(_) => out.push_str(&format!(
                "{key} = {{ one = \"{marker}\", other = \"{marker}\" }}\n"
            )),
            _ => out.push_str(&format!("{key} = \"{marker}\"\n")),
        }
    }
    out
}

/// Text nodes and the attributes readers meet (labels, placeholders), outside scripts and
/// styles; the JSON of the scripts' strings separately.
fn reader_texts(html: &str) -> (Vec<String>, String) {
    let mut texts = Vec::new();
    let mut json = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        texts.push(rest[..open].to_string());
        let close = open + rest[open..].find('>').unwrap();
        let tag = &rest[open..=close];
        for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
            if let Some(start) = tag.find(attribute) {
                let value = &tag[start + attribute.len()..];
                texts.push(value[..value.find('"').unwrap()].to_string());
            }
        }
        rest = &rest[close + 1..];
        for element in ["script", "style"] {
            if tag.starts_with(&format!("<{element}")) {
                let end = rest.find(&format!("</{element}>")).unwrap();
                if tag.contains("application/json") {
                    json.push_str(&rest[..end]);
                }
                rest = &rest[end..];
            }
        }
    }
    texts.push(rest.to_string());
    let texts = texts
        .into_iter()
        .map(|t| {
            t.trim()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .filter(|t| !t.is_empty())
        .collect();
    (texts, json)
}

#[test]
fn no_text_readers_see_is_left_in_templates_or_code() {
    let book = Book::fixture("browser");
    let toml = book.read("book.toml");
    book.write("book.toml", format!("{toml}\n{}", markers()));
    book.write(
        "content/changes.md",
        "---\ntitle: Changes\nchanges: { from: \"1.0\" }\n---\n## One\n\n## Two\n\n## Three\n",
    );
    let english = english();
    for at in ["2.0", "1.0"] {
        book.run(&["build", ".", "--at", at]).success();
        let mut files: Vec<String> = Vec::new();
        for entry in walk(&book.path().join("public")) {
            let relative = entry
                .strip_prefix(book.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if relative.ends_with(".html")
                || relative.ends_with(".rst")
                || relative.ends_with("search-index.js")
            {
                files.push(relative);
            }
        }
        assert!(files.len() > 10, "{files:?}");
        for file in &files {
            let content = book.read(file);
            let (texts, json) = if file.ends_with(".html") {
                reader_texts(&content)
            } else {
                (vec![content.clone()], String::new())
            };
            for (key, runs) in &english {
                for run in runs {
                    let run = run.trim();
                    // Runs of a few words are distinctive; a single word (Menu, Notes) only
                    // when it is the whole of a text.
                    let found = if run.contains(' ') && run.len() > 8 {
                        texts.iter().find(|t| t.contains(run))
                    } else {
                        texts.iter().find(|t| *t == run)
                    };
                    assert!(
                        found.is_none(),
                        "{file}: {found:?} is English from `{key}` ({run:?}), at {at}"
                    );
                    assert!(
                        !(run.len() > 3 && json.contains(&format!("\"{run}\""))),
                        "{file}: the scripts' strings have English from `{key}`"
                    );
                }
            }
        }
        let matrix = book.read("public/matrix/index.html");
        assert!(matrix.contains("⟦matrix-caption⟧"), "{matrix}");
        if at == "1.0" {
            assert!(matrix.contains("⟦version-notice⟧"), "{matrix}");
            assert!(
                book.read("public/changes/index.html")
                    .contains("⟦changes-title⟧")
            );
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_malformed_language_tag_is_an_error_and_case_does_not_matter() {
    let book = Book::minimal();
    with_book_settings(&book, "language = \"fr_CA\"\n", "");
    book.build()
        .failure(1)
        .stderr_has("error: `language` is not a language tag: \"fr_CA\"")
        .stderr_has("help: write it with hyphens: language = \"fr-CA\"");
    with_book_settings(&book, "language = \"../../secret\"\n", "");
    book.build()
        .failure(1)
        .stderr_has("error: `language` is not a language tag: \"../../secret\"");
    with_book_settings(&book, "language = \"FR\"\n", "");
    book.build().success();
    assert!(
        book.read("public/models/alpha/index.html")
            .contains("Avantages")
    );
}

#[test]
fn a_regional_theme_catalogue_sits_on_its_language_not_on_english() {
    let book = Book::minimal();
    let toml = book.read("book.toml");
    book.write(
        "book.toml",
        toml.replacen("[book]\n", "[book]\nlanguage = \"fr-CA\"\n", 1)
            + "\n[build]\ntheme = \"mine\"\n",
    );
    book.write(
        "themes/mine/strings/fr-CA.toml",
        "skip-link = \"Passer au contenu\"\n",
    );
    book.build().success();
    let page = book.read("public/models/alpha/index.html");
    assert!(page.contains("Passer au contenu"), "the regional text");
    assert!(
        page.contains("Avantages"),
        "the rest from the shipped French"
    );
    // The theme's own French sits between the shipped French and its regional texts.
    book.write(
        "themes/mine/strings/fr.toml",
        "skip-link = \"Aller directement au contenu\"\npros = \"Points forts\"\n",
    );
    book.build().success();
    let page = book.read("public/models/alpha/index.html");
    assert!(page.contains("Passer au contenu"), "the regional text wins");
    assert!(page.contains("Points forts"), "the theme's French");
}

#[test]
fn nouns_and_texts_that_would_read_wrong_are_refused() {
    let book = Book::minimal();
    with_book_settings(&book, "noun = { one = \"\", other = \"\" }\n", "");
    book.build()
        .failure(1)
        .stderr_has("`noun` has an empty form");
    with_book_settings(
        &book,
        "noun = \"widget\"\n",
        "[strings]\nnoun = \"gadget\"\n",
    );
    book.build()
        .failure(1)
        .stderr_has("the noun is set twice: as `noun` in [book] and in [strings]");
    with_book_settings(
        &book,
        "",
        "[strings]\nmatrix-caption = \"{{n}} {nouns} on {dimensions}} {\"\n",
    );
    book.build()
        .failure(1)
        .stderr_has("`matrix-caption` has a `{` that is not part of a placeholder");
}

#[test]
fn one_dimension_is_not_dimensions() {
    let book = Book::minimal();
    let toml = book.read("book.toml");
    let one = toml[..toml.rfind("[[dimension]]").unwrap()].to_string();
    book.write("book.toml", one);
    for model in ["alpha", "beta"] {
        let page = book.read(&format!("content/models/{model}.md"));
        let kept: String = page
            .lines()
            .filter(|l| !l.trim_start().starts_with("api:"))
            .map(|l| format!("{l}\n"))
            .collect();
        book.write(&format!("content/models/{model}.md"), kept);
    }
    book.build().success();
    assert!(
        book.read("public/matrix/index.html")
            .contains("2 models compared on 1 dimension<"),
        "{}",
        book.read("public/matrix/index.html")
    );
}
