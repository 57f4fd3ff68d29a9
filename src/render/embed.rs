//! Fragments for other documentation systems, written to `embed/` in the output.
//!
//! `embed/matrix.html` and `embed/guide.html` are the same fragments as the site's matrix and
//! guide pages (no `<html>` or `<head>`, every class and id under `vs-`), with their stylesheet
//! and scripts inline, for a Sphinx `raw` directive. `embed/matrix.rst` and `embed/guide.rst`
//! are reStructuredText (a `list-table` with the notes as footnotes, and nested lists) for
//! builders that cannot take HTML: LaTeX, epub, man, text. `embed/data.json` is the same
//! comparison as data (see [`super::data`]).

use std::fmt::Write as _;

use tera::Context;

use super::{Contents, Output, Theme, data, guide_context, matrix_context, views};
use crate::config::Strings;
use crate::diagnostic::Diagnostic;
use crate::model::{Model, Next, Question, Site};

pub fn render(site: &Site, theme: &Theme) -> Result<Vec<Output>, Diagnostic> {
    let link = |model: &Model| site.embed.model_url.replace("{slug}", &model.slug);
    let at = site.embed.at.unwrap_or(site.at);
    // Links to other pages of the book can only go to the published site.
    let root = site.base_url.clone().unwrap_or_default();
    let asset = |path: &str| theme.static_text(path).unwrap_or_default();
    let mut context = Context::new();
    context.insert("css", &asset("assets/fragment.css"));
    context.insert("embed_js", &asset("assets/embed.js"));
    let mut outputs = Vec::new();
    let mut matrix = context.clone();
    matrix_context(&mut matrix, site, &link, &root, at, true);
    matrix.insert("matrix_js", &asset("assets/matrix.js"));
    let html = theme.render("embed/matrix.html", &matrix)?;
    outputs.push(text_output("embed/matrix.html", html));
    outputs.push(text_output(
        "embed/matrix.rst",
        matrix_rst(site, &link, at, &root),
    ));
    // One document, beside the fragments and in the site's root: its model links are the
    // fragments' and its page links go to the published site.
    let data = data::render(site, &link, at, &root);
    outputs.push(text_output("embed/data.json", data.clone()));
    outputs.push(text_output("data.json", data));
    if let Some(guide) = &site.guide {
        let mut context = context;
        guide_context(
            &mut context,
            site,
            guide,
            &link,
            &site.embed.matrix_url,
            &root,
            true,
        );
        context.insert("guide_js", &asset("assets/guide.js"));
        let html = theme.render("embed/guide.html", &context)?;
        outputs.push(text_output("embed/guide.html", html));
        let mut rst = String::new();
        guide_rst(site, &guide.root, &link, &root, 0, &mut rst);
        outputs.push(text_output("embed/guide.rst", rst));
    }
    Ok(outputs)
}

fn text_output(path: &str, text: String) -> Output {
    Output {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

/// The matrix as a `list-table` in the 2015 survey's layout (a row per dimension, a column
/// per model, which fits narrow text and paper), notes as auto-numbered footnotes, then the
/// dimensions explained.
fn matrix_rst(site: &Site, link: &dyn Fn(&Model) -> String, at: usize, root: &str) -> String {
    let view = views::matrix(site, link, root, at);
    let mut out = String::new();
    let strings = &site.strings;
    let as_of = view
        .version
        .as_ref()
        .map(|v| rst_text(strings, "matrix-as-of", &[("version", escape_rst(v.name))]))
        .unwrap_or_default();
    let caption = rst_text(
        strings,
        "matrix-caption",
        &[
            ("n", view.rows.len().to_string()),
            (
                "dimensions",
                rst_text(
                    strings,
                    "matrix-dimension-count",
                    &[("n", view.dimensions.len().to_string())],
                ),
            ),
        ],
    );
    let _ = writeln!(out, ".. list-table:: {caption}{as_of}");
    let _ = writeln!(
        out,
        "   :header-rows: 1\n   :stub-columns: 1\n\n   * - {}",
        rst_text(strings, "matrix-dimension-column", &[])
    );
    for row in &view.rows {
        let _ = writeln!(
            out,
            "     - `{} <{}>`__",
            escape_link_text(row.title),
            row.url
        );
    }
    for (index, dimension) in view.dimensions.iter().enumerate() {
        let _ = writeln!(out, "   * - {}", escape_rst(dimension.label));
        for row in &view.rows {
            let cell = &row.cells[index];
            let mut text = value_rst(strings, &cell.value);
            if let Some(note) = &cell.note {
                let _ = write!(text, " [#vs-note-{}]_", note.number);
            }
            let _ = writeln!(out, "     - {}", text.trim());
        }
    }
    out.push('\n');
    for note in &view.notes {
        let _ = writeln!(
            out,
            ".. [#vs-note-{}] {}",
            note.number,
            note_rst(strings, note).trim()
        );
    }
    out.push('\n');
    for dimension in &view.dimensions {
        let _ = writeln!(
            out,
            "**{}**\n   {}\n",
            escape_rst(dimension.label),
            escape_rst(dimension.help)
        );
    }
    out
}

/// A note with its source and the value's changes, as Python's docs word them.
fn note_rst(strings: &Strings, note: &views::NoteRef) -> String {
    let source = |url: &Option<String>| {
        url.as_ref()
            .map(|url| {
                let label = escape_link_text(&strings.text("source", &[]));
                format!(" `{label} <{url}>`__")
            })
            .unwrap_or_default()
    };
    let mut text = format!("{}{}", inline_rst(&note.html), source(&note.source));
    for change in &note.changes {
        let version = escape_rst(&change.version);
        let _ = write!(
            text,
            " {}",
            rst_text(strings, "changed-in", &[("version", version)])
        );
        // A change of note alone (the same value, newly explained) says only the note.
        if change.was != change.html {
            let was = value_rst(strings, &change.was).trim().to_string();
            let now = value_rst(strings, &change.html).trim().to_string();
            let changed = rst_text(strings, "changed-from-to", &[("was", was), ("now", now)]);
            let _ = write!(text, " {changed}");
        }
        if let Some(note) = &change.note {
            let _ = write!(text, " {}", inline_rst(note).trim());
        }
        text.push_str(&source(&change.source));
    }
    text
}

/// A value in reStructuredText, where `n/a` is plain text.
fn value_rst(strings: &Strings, value: &views::ShownValue) -> String {
    if value.na {
        rst_text(strings, "not-applicable", &[])
    } else {
        inline_rst(&value.html)
    }
}

/// The guide tree as nested bullet lists, two spaces deeper per level.
fn guide_rst(
    site: &Site,
    question: &Question,
    link: &dyn Fn(&Model) -> String,
    root: &str,
    depth: usize,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{indent}* **{}**\n",
        inline_rst(&question.text_html.to_html(root))
    );
    for answer in &question.answers {
        let label = inline_rst(&answer.label_html.to_html(root));
        let why = answer
            .why_html
            .as_ref()
            .map(|why| format!(" {}", inline_rst(&why.to_html(root))))
            .unwrap_or_default();
        match &answer.next {
            Next::Model(index) => {
                let model = &site.models[*index];
                let _ = writeln!(
                    out,
                    "{indent}  * {label}: `{} <{}>`__.{why}\n",
                    escape_link_text(&model.page.title),
                    link(model)
                );
            }
            Next::Question(next) => {
                let _ = writeln!(out, "{indent}  * {label}{why}\n");
                guide_rst(site, next, link, root, depth + 2, out);
            }
        }
    }
}

/// Converts the inline HTML versus renders from Markdown (text, `code`, `em`, `strong`,
/// links) to reStructuredText. reST cannot nest markup, so inside a link only text remains.
fn inline_rst(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut link: Option<(String, String)> = None;
    let mut in_code = false;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_text(&mut out, &mut link, in_code, rest);
            break;
        };
        push_text(&mut out, &mut link, in_code, &rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |i| start + i + 1);
        let tag = &rest[start..end];
        rest = &rest[end..];
        let markup = match tag {
            "<code>" | "</code>" if link.is_none() => {
                in_code = tag == "<code>";
                "``"
            }
            "<em>" | "</em>" if link.is_none() => "*",
            "<strong>" | "</strong>" if link.is_none() => "**",
            "</a>" => {
                if let Some((href, text)) = link.take() {
                    let _ = write!(out, "`{} <{}>`__", escape_link_text(text.trim()), href);
                }
                ""
            }
            _ if tag.starts_with("<a ") => {
                let href = tag
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .unwrap_or("");
                link = Some((crate::text::html_to_text(href), String::new()));
                ""
            }
            _ => "",
        };
        out.push_str(markup);
    }
    out
}

/// Text goes into the pending link, as is into a literal, or escaped.
fn push_text(out: &mut String, link: &mut Option<(String, String)>, in_code: bool, html: &str) {
    let text = crate::text::html_to_text(html);
    match link {
        Some((_, link_text)) => link_text.push_str(&text),
        None if in_code => out.push_str(&text),
        None => out.push_str(&escape_rst(&text)),
    }
}

/// The text of `key` as reST: the catalogue's text escaped, `args` (reST already) as they are.
fn rst_text(strings: &Strings, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, &str)> = args
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    strings.text_as(key, &args, escape_rst)
}

/// Escapes the characters that start reST inline markup.
fn escape_rst(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '`' | '|' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_link_text(text: &str) -> String {
    text.replace('`', "\\`").replace('<', "\\<")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_becomes_rest() {
        let html = "<code>a_b</code> and <em>c</em>, see <a href=\"https://x.org/\">the <code>docs</code></a> *";
        assert_eq!(
            inline_rst(html),
            "``a_b`` and *c*, see `the docs <https://x.org/>`__ \\*"
        );
    }
}
