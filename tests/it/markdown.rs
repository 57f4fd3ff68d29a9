//! Markdown features and build-time highlighting, as they appear in pages.

use std::collections::BTreeSet;

use crate::harness::{Book, MINIMAL_TOML};

fn page_html(body: &str) -> String {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        format!("---\ntitle: About\n---\n{body}"),
    );
    book.build().success();
    book.read("public/about/index.html")
}

#[test]
fn commonmark_extensions_are_on() {
    let html = page_html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~gone~~\n\n- [x] done\n- [ ] todo\n\n[^1]: The note.\n",
    );
    assert!(html.contains("<table>"), "tables: {html}");
    assert!(html.contains("<del>gone</del>"), "strikethrough: {html}");
    assert!(html.contains("type=\"checkbox\""), "task lists: {html}");
    assert!(
        html.contains("class=\"footnote-definition\""),
        "footnotes: {html}"
    );
}

#[test]
fn headings_get_stable_unique_anchors() {
    let html = page_html("## Pros & cons\n\n## Pros & cons\n\n### Custom {#mine}\n");
    assert!(
        html.contains(
            "<h2 id=\"pros-cons\">Pros &amp; cons <a class=\"anchor\" href=\"#pros-cons\""
        ),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"pros-cons-1\">"), "{html}");
    assert!(html.contains("<h3 id=\"mine\">Custom"), "{html}");
}

#[test]
fn long_pages_get_a_table_of_contents() {
    let long = page_html("## One\n\n## Two\n\n### Two and a half\n");
    assert!(
        long.contains("<nav class=\"toc\" aria-label=\"On this page\">"),
        "{long}"
    );
    assert!(
        long.contains("<li class=\"toc-h3\"><a href=\"#two-and-a-half\">Two and a half</a></li>"),
        "{long}"
    );
    let short = page_html("## Only one\n");
    assert!(!short.contains("class=\"toc\""));
}

#[test]
fn smart_punctuation_is_off_unless_configured() {
    assert!(page_html("\"quoted\" -- dash\n").contains("<p>\"quoted\" -- dash</p>"));
    let book = Book::minimal();
    book.write(
        "book.toml",
        format!("{MINIMAL_TOML}\n[markdown]\nsmart-punctuation = true\n"),
    );
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\n\"quoted\" -- dash\n",
    );
    book.build().success();
    assert!(
        book.read("public/about/index.html")
            .contains("“quoted” – dash")
    );
}

#[test]
fn code_is_highlighted_at_build_time_with_pygments_classes() {
    let html = page_html(
        "```python title=\"Demo\"\nimport asyncio\n\nasync def main():\n    await asyncio.sleep(1)  # wait\n```\n",
    );
    assert!(html.contains("<div class=\"code-block\" data-lang=\"python\"><div class=\"code-title\">Demo</div><div class=\"highlight-python notranslate\"><div class=\"highlight\"><pre><code><span class=\"kn\">import</span> asyncio"), "{html}");
    assert!(html.contains("<span class=\"nf\">main</span>"), "{html}");
    assert!(
        html.contains("<span class=\"c1\"># wait</span>\n"),
        "{html}"
    );
}

#[test]
fn every_required_language_is_highlighted() {
    let cases = [
        (
            "pycon",
            ">>> 1 + 1\n2\n",
            "<span class=\"gp\">&gt;&gt;&gt;</span> <span class=\"mi\">1</span>",
        ),
        ("sh", "echo \"$HOME\"\n", "class=\"nb\""),
        ("console", "$ ls\nfile\n", "<span class=\"gp\">$</span> "),
        (
            "toml",
            "[build]\ntheme = \"x\"\n",
            "<span class=\"nt\">theme</span>",
        ),
        ("yaml", "title: x\n", "<span class=\"nt\">title</span>"),
        ("json", "{\"a\": 1}\n", "<span class=\"m\">1</span>"),
        ("rust", "fn main() {}\n", "<span class=\"nf\">main</span>"),
    ];
    for (lang, code, expected) in cases {
        let html = page_html(&format!("```{lang}\n{code}```\n"));
        assert!(
            html.contains(expected),
            "{lang}: expected {expected} in\n{html}"
        );
    }
}

#[test]
fn unknown_languages_are_escaped_plain_text() {
    let html = page_html("```klingon\n<qapla'>\n```\n\n```\nno language\n```\n");
    assert!(
        html.contains("<pre><code>&lt;qapla&#39;&gt;\n</code></pre>"),
        "{html}"
    );
    assert!(html.contains("data-lang=\"text\""), "{html}");
}

#[test]
fn adjacent_tabbed_samples_form_one_group_that_reads_in_order_without_javascript() {
    let html = page_html(
        "```python tab=threads\nimport threading\n```\n```text\nout\n```\n```python tab=asyncio\nimport asyncio\n```\n\nAfter.\n\n```python tab=threads\nx = 1\n```\n",
    );
    let group = "<div class=\"tabs\">\n<div class=\"tab-panel\" data-tab=\"threads\">\n<p class=\"tab-label\">threads</p>\n<div class=\"code-block\" data-lang=\"python\">";
    assert!(html.contains(group), "{html}");
    let first = html.find("<div class=\"tabs\">").unwrap();
    let asyncio = html.find("data-tab=\"asyncio\"").unwrap();
    let output = html.find("data-lang=\"text\"").unwrap();
    assert!(
        first < output && output < asyncio,
        "an output block stays in the panel before it"
    );
    assert_eq!(
        html.matches("<div class=\"tabs\">").count(),
        2,
        "prose ends a group"
    );
}

#[test]
fn output_blocks_are_captioned() {
    let html = page_html("```python\nprint(1)\n```\n```output\n1\n```\n");
    assert!(
        html.contains(
            "<div class=\"code-block\" data-lang=\"output\"><div class=\"code-title\">Output</div>"
        ),
        "{html}"
    );
}

fn page_run(body: &str) -> (Book, crate::harness::Run) {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        format!("---\ntitle: About\n---\n{body}"),
    );
    let run = book.build();
    (book, run)
}

#[test]
fn an_unclosed_fence_fails_build_and_check_at_the_fence() {
    let body = "Intro.\n\n```python\nx = 1\n\n## Never a heading\n";
    let (book, run) = page_run(body);
    run.failure(1)
        .stderr_line("content/about.md:6:1: error: this code fence is never closed, so the rest of its container became code");
    assert!(!book.exists("public/about/index.html"));
    book.run(&["check"])
        .failure(1)
        .stderr_has("content/about.md:6:1: error: this code fence is never closed");
}

#[test]
fn misspelt_fence_attributes_are_errors_with_a_suggestion() {
    let (_, run) = page_run("```python timout=2 no_run=\"x\" requires=numpy\nx = 1\n```\n");
    run.failure(1)
        .stderr_line("content/about.md:4:1: error: unknown fence attribute `timout`")
        .stderr_has("help: did you mean `timeout`?")
        .stderr_line("content/about.md:4:1: error: unknown fence attribute `no_run`")
        .stderr_has("help: did you mean `no-run`?");
    assert!(!run.stderr().contains("`requires`"), "{}", run.stderr());
}

#[test]
fn an_output_block_after_prose_is_a_warning_and_not_captioned_as_output() {
    let (book, run) = page_run("```python\nprint(1)\n```\n\nA sentence.\n\n```output\n1\n```\n");
    // build publishes the page and says what looks wrong, as check does.
    run.success().stderr_line("content/about.md:10:1: warning: this output block does not follow a code sample, so nothing checks it and readers cannot tell whose output it is");
    let html = book.read("public/about/index.html");
    assert!(
        !html.contains("<div class=\"code-title\">Output</div>"),
        "{html}"
    );
    book.run(&["check"])
        .success()
        .stderr_line("content/about.md:10:1: warning: this output block does not follow a code sample, so nothing checks it and readers cannot tell whose output it is");
}

#[test]
fn footnotes_are_numbered_once_per_page_across_code_blocks_and_headings() {
    let html = page_html(
        "## Title[^h]\n\nOne[^a].\n\n```python\nx = 1\n```\n\nAgain[^a] and two[^b].\n\n[^a]: A.\n[^b]: B.\n[^h]: H.\n",
    );
    let numbers: Vec<&str> = html
        .match_indices("<sup class=\"footnote-reference\"><a href=\"#")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let start = rest.find('>').unwrap() + 1;
            &rest[start..start + rest[start..].find('<').unwrap()]
        })
        .collect();
    assert_eq!(numbers, ["1", "2", "2", "3"], "{html}");
}

#[test]
fn a_writers_text_is_never_taken_for_a_placeholder() {
    let html = page_html("Write `@versus-root/x` and @versus-root/y.\n\n[b](sub/b.txt)\n");
    assert!(html.contains("<code>@versus-root/x</code>"), "{html}");
    assert!(html.contains("@versus-root/y."), "{html}");
    assert!(html.contains("href=\"../sub/b.txt\""), "{html}");
}

#[test]
fn links_keep_what_the_writer_meant() {
    let html =
        page_html("<foo@bar.example.com> [empty]() [next](?page=2) [zip](files/f.zip?raw=1#top)\n");
    assert!(
        html.contains("<a href=\"mailto:foo@bar.example.com\">foo@bar.example.com</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"\">empty</a>"), "{html}");
    assert!(html.contains("<a href=\"?page=2\">next</a>"), "{html}");
    assert!(
        html.contains("<a href=\"../files/f.zip?raw=1#top\">zip</a>"),
        "{html}"
    );
}

#[test]
fn heading_classes_and_attributes_are_kept() {
    let html = page_html("## Setup {#setup .wide data-x=1}\n");
    assert!(
        html.contains("<h2 id=\"setup\" class=\"wide\" data-x=\"1\">Setup <a class=\"anchor\""),
        "{html}"
    );
}

#[test]
fn subscript_and_superscript_are_on_and_strikethrough_takes_two_tildes() {
    let html = page_html("A ~low~ and ^high^ word, ~~gone~~, H~2~O as written\n");
    assert!(
        html.contains("A <sub>low</sub> and <sup>high</sup> word"),
        "{html}"
    );
    assert!(html.contains("<del>gone</del>"), "{html}");
    assert!(html.contains("H~2~O as written"), "{html}");
}

#[test]
fn front_matter_links_start_from_each_page_they_appear_on() {
    let book = Book::minimal();
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\norder: 1\nsummary: \"See [beta](beta.md), `@versus-root/z`\"\nvalues:\n  speed: { value: fast, note: \"[b](beta.md)\" }\n  api: \"`x`\"\n---\nBody.\n",
    );
    book.build().success();
    let model = book.read("public/models/alpha/index.html");
    assert!(
        model.contains("href=\"../../models/beta/index.html\""),
        "{model}"
    );
    assert!(model.contains("<code>@versus-root/z</code>"), "{model}");
    let matrix = book.read("public/matrix/index.html");
    assert!(
        matrix.contains("href=\"../models/beta/index.html\">b</a>"),
        "{matrix}"
    );
}

/// One example of the CommonMark spec: its number, Markdown and expected HTML.
struct SpecExample {
    number: usize,
    markdown: String,
    html: String,
}

fn spec_examples() -> Vec<SpecExample> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark/spec.txt"
    );
    let spec = std::fs::read_to_string(path).unwrap();
    let fence = "`".repeat(32);
    let mut examples = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line != format!("{fence} example") {
            continue;
        }
        let markdown: Vec<&str> = lines.by_ref().take_while(|l| *l != ".").collect();
        let html: Vec<&str> = lines.by_ref().take_while(|l| *l != fence).collect();
        let join = |lines: Vec<&str>| {
            lines
                .iter()
                .map(|l| format!("{}\n", l.replace('→', "\t")))
                .collect::<String>()
        };
        examples.push(SpecExample {
            number: examples.len() + 1,
            markdown: join(markdown),
            html: join(html),
        });
    }
    examples
}

/// Cuts every piece of `html` from `start` to the end of `end` found after it, keeping
/// what `keep` returns for the piece.
fn replace_between(html: &str, start: &str, end: &str, keep: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        let after = i + start.len();
        let Some(j) = rest[after..].find(end) else {
            break;
        };
        let stop = after + j + end.len();
        out.push_str(&keep(&rest[i..stop]));
        rest = &rest[stop..];
    }
    out.push_str(rest);
    out
}

/// versus's page body, with the by-design differences listed in README ("Markdown") undone:
/// heading ids and anchors, highlighted code in its wrapper, links rebased to the page; and
/// `"` escaped or not in text, which pulldown-cmark leaves as it is (the same to a browser).
fn undo_by_design(html: &str) -> String {
    let html = replace_between(html, " <a class=\"anchor\"", "</a>", |_| String::new());
    let mut html = html;
    for level in 1..=6 {
        html = replace_between(&html, &format!("<h{level} id=\""), "\"", |_| {
            format!("<h{level}")
        });
    }
    let html = replace_between(&html, "<div class=\"code-block\"", "<pre><code>", |_| {
        "<pre><code>".to_string()
    });
    let html = replace_between(
        &html,
        "<pre><code>",
        "</code></pre></div></div></div>",
        |code| {
            let code = replace_between(code, "<span class=\"", "\">", |_| String::new());
            code.replace("</span>", "")
                .replace("&#39;", "'")
                .replace("</code></pre></div></div></div>", "</code></pre>")
        },
    );
    // The highlighted block is written whole, so the writer's line break before a block that
    // opens a list item is not there.
    html.replace("<li><pre><code>", "<li>\n<pre><code>")
        .replace("=\"../../spec/", "=\"")
        .replace("&quot;", "\"")
}

/// The spec's HTML without the code classes versus writes elsewhere (`data-lang`).
fn without_code_classes(html: &str) -> String {
    replace_between(html, "<pre><code class=\"", "\">", |_| {
        "<pre><code>".to_string()
    })
    .replace("&quot;", "\"")
}

/// Examples the Markdown lint rejects: unclosed fences, unknown fence attributes.
const REJECTED_BY_LINT: &[usize] = &[126, 127, 128, 139, 143, 146, 237];
/// Examples that render differently once the by-design differences are undone, pinned so
/// that a change is noticed: 175 is pulldown-cmark's line break inside raw HTML in a list
/// item (`<li><div>`), 484 a link to a `.md` file, which versus points at its page.
const DIFFERENT: &[usize] = &[175, 484];

#[test]
fn commonmark_spec_examples_render_as_the_spec_says() {
    let examples = spec_examples();
    assert_eq!(examples.len(), 652);
    let book = Book::minimal();
    for example in &examples {
        book.write(
            &format!("content/spec/{}.md", example.number),
            format!(
                "---\ntitle: Example {}\ntoc: false\n---\n{}",
                example.number, example.markdown
            ),
        );
    }
    let first = book.build();
    let rejected: BTreeSet<usize> = first
        .stderr()
        .lines()
        .filter(|l| l.contains(": error: "))
        .filter_map(|l| {
            l.strip_prefix("content/spec/")?
                .split('.')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert_eq!(
        rejected.iter().copied().collect::<Vec<_>>(),
        REJECTED_BY_LINT,
        "{}",
        first.stderr()
    );
    for number in &rejected {
        std::fs::remove_file(book.path().join(format!("content/spec/{number}.md"))).unwrap();
    }
    book.build().success();
    let mut different = Vec::new();
    let mut report = String::new();
    for example in examples.iter().filter(|e| !rejected.contains(&e.number)) {
        let page = book.read(&format!("public/spec/{}/index.html", example.number));
        let start = page.find("</h1>\n").unwrap() + "</h1>\n".len();
        let end = page.find("</article>").unwrap();
        let ours = undo_by_design(&page[start..end]);
        let expected = without_code_classes(&example.html);
        if ours.trim() != expected.trim() {
            different.push(example.number);
            report.push_str(&format!(
                "--- example {}\n{}--- expected\n{}--- versus\n{}\n",
                example.number, example.markdown, expected, ours
            ));
        }
    }
    assert_eq!(different, DIFFERENT, "{report}");
}

#[test]
fn a_reference_link_without_definition_is_a_warning_and_a_repeated_id_an_error() {
    let (book, run) = page_run("See [the docs][docs].\n\n[doc]: https://x.org/\n");
    run.success();
    book.run(&["check"])
        .success()
        .stderr_line("content/about.md:4:5: warning: no link definition for `[docs]`, so the link is shown as text");
    let (_, run) = page_run("## One {#same}\n\n## Two {#same}\n");
    run.failure(1).stderr_line(
        "content/about.md:6:1: error: the heading id `same` is already used on this page",
    );
}

#[test]
fn a_reference_to_a_footnote_never_defined_is_a_warning_at_its_bracket() {
    let (book, run) = page_run("Said so[^gone] and so[^kept].\n\n[^kept]: Kept.\n");
    run.success()
        .stderr_line("content/about.md:4:8: warning: no footnote `[^gone]` is defined, so the reference is shown as text");
    book.run(&["check", "--deny-warnings"])
        .failure(1)
        .stderr_line("content/about.md:4:8: warning: no footnote `[^gone]` is defined, so the reference is shown as text")
        .stderr_has("help: define it on a line of its own, `[^gone]: The note.`, or write `\\[^gone]` for the text");
}

#[test]
fn an_email_autolink_in_front_matter_is_a_mailto_link_and_not_a_broken_file() {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\nsummary: \"Write to <me@example.org>\"\n---\nBody.\n",
    );
    book.run(&["check"]).success();
    book.build().success();
    let html = book.read("public/about/index.html");
    assert!(
        html.contains("<a href=\"mailto:me@example.org\">me@example.org</a>"),
        "{html}"
    );
}

#[test]
fn a_fragment_alone_in_a_note_leads_to_the_model_page_from_everywhere_it_is_shown() {
    let book = Book::minimal();
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\norder: 1\nvalues:\n  speed: { value: fast, note: \"see [when](#when-warm)\" }\n  api: n/a\n---\n## When warm\n\nText.\n",
    );
    book.build().success();
    let link = "href=\"../models/alpha/index.html#when-warm\"";
    assert!(book.read("public/matrix/index.html").contains(link));
    assert!(
        book.read("public/models/alpha/index.html")
            .contains("href=\"../../models/alpha/index.html#when-warm\"")
    );
    book.write(
        "content/models/alpha.md",
        "---\ntitle: Alpha\norder: 1\nvalues:\n  speed: { value: fast, note: \"see [when](#nowhere)\" }\n  api: n/a\n---\n## When warm\n\nText.\n",
    );
    book.run(&["check"])
        .failure(1)
        .stderr_has("content/models/alpha.md:5:")
        .stderr_has("error: broken anchor: `#nowhere` is not an id in models/alpha/index.html");
}

#[test]
fn check_build_and_test_refuse_the_same_sample_settings() {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\n```python timeout=abc\nx = 1\n```\n\n```python timeout=0\nx = 1\n```\n\n```python timeout=99999999999999999999\nx = 1\n```\n\n```python python=abc\nx = 1\n```\n\n```python requires=gil\nx = 1\n```\n\n```python no-run\nx = 1\n```\n",
    );
    let expected = [
        "content/about.md:4:1: error: `timeout=abc` is not a number of seconds",
        "content/about.md:8:1: error: `timeout=0` is not a number of seconds",
        "content/about.md:12:1: error: `timeout=99999999999999999999` is more than a day",
        "content/about.md:16:1: error: `python=abc` is not a Python version",
        "content/about.md:20:1: error: `requires=gil` names an unknown interpreter feature",
        "content/about.md:24:1: error: `no-run` needs a reason",
    ];
    for command in [&["check", "--deny-warnings"][..], &["build"], &["test"]] {
        let run = book.run(command);
        run.failure(1);
        for line in expected {
            run.stderr_line(line);
        }
    }
    assert!(!book.exists("public"), "a failed build writes nothing");
    // At the limit, a timeout is taken.
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\n```python timeout=86400 no-run=\"an illustration\"\nx = 1\n```\n",
    );
    book.run(&["check", "--deny-warnings"]).success();
}
