//! The search index: every page cut into sections at its headings, written at build time as
//! a plain script (`search-index.js`) that the theme's search loads with a script tag, so
//! search works from `file://` (where a fetch of a data file is refused) and from a server.
//!
//! A model page also gets sections for its values (the matrix's row for it, with notes),
//! its pros and its cons; the matrix page one for the dimensions' help; the guide one for
//! its questions and answers. Matching and ranking happen in the browser (search.js).

use serde::Serialize;

use crate::model::{Page, Site};
use crate::parse::markdown::Segment;
use crate::text::html_to_text;

use super::views::{self, GuideStep};

/// The file the theme's search script loads, relative to the site root.
pub const INDEX_FILE: &str = "search-index.js";

/// One searchable section. Short keys keep the index small.
#[derive(Serialize, Debug, PartialEq)]
struct Doc {
    /// The page's title.
    t: String,
    /// The section's heading; empty for the text before a page's first heading.
    h: String,
    /// Relative to the site root, with the section's `#id`.
    u: String,
    /// Plain text.
    b: String,
}

/// The index as a script that defines `window.versusSearchIndex`.
pub fn index_script(site: &Site) -> String {
    let mut script = Script::default();
    for page in site.pages() {
        page_sections(page)
            .into_iter()
            .for_each(|doc| script.push(doc));
        if page.dir == site.matrix.dir {
            script.push(dimensions_doc(site));
        }
    }
    for model in &site.models {
        model_docs(site, model)
            .into_iter()
            .for_each(|doc| script.push(doc));
    }
    if let Some(guide) = &site.guide {
        let steps = views::guide_steps(site, &guide.root, &|_| String::new(), "");
        let heading = site.strings.text("guide-questions", &[]);
        script.push(guide_doc(&guide.page, &heading, &steps));
    }
    script.finish()
}

/// The script written as the sections are made. The index holds the text of every page
/// (55 MB at 10,000 pages), so neither the sections nor a second copy of the JSON are kept
/// while it is written; the bytes are those `serde_json::to_string` gives for the list.
struct Script {
    bytes: Vec<u8>,
    empty: bool,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            bytes: b"window.versusSearchIndex = [".to_vec(),
            empty: true,
        }
    }
}

impl Script {
    fn push(&mut self, doc: Doc) {
        if !std::mem::take(&mut self.empty) {
            self.bytes.push(b',');
        }
        serde_json::to_writer(&mut self.bytes, &doc).expect("strings always serialize");
    }

    fn finish(mut self) -> String {
        self.bytes.extend_from_slice(b"];\n");
        String::from_utf8(self.bytes).expect("serde_json writes UTF-8")
    }
}

fn url(page: &Page, id: &str) -> String {
    let file = crate::urls::output_file(&page.dir);
    if id.is_empty() {
        file
    } else {
        format!("{file}#{id}")
    }
}

fn doc(page: &Page, heading: &str, id: &str, body: String) -> Doc {
    Doc {
        t: page.title.clone(),
        h: heading.to_string(),
        u: url(page, id),
        b: collapse_spaces(&body),
    }
}

/// The page's body cut at its `h2` and `h3` headings; code is searchable text too.
fn page_sections(page: &Page) -> Vec<Doc> {
    let mut splitter = Splitter::default();
    // Links do not matter to the text, so the HTML is made as if at the site root.
    splitter
        .text
        .push_str(&html_to_text(&page.summary_html.to_html("")));
    splitter.text.push(' ');
    for segment in &page.body.segments {
        match segment {
            Segment::Markup(markup) => splitter.feed(&markup.to_html("")),
            Segment::Code(block) => {
                splitter.text.push(' ');
                splitter.text.push_str(&block.code);
                splitter.text.push(' ');
            }
        }
    }
    splitter.finish();
    splitter
        .sections
        .into_iter()
        .map(|(heading, id, body)| doc(page, &heading, &id, body))
        .collect()
}

fn model_docs(site: &Site, model: &crate::model::Model) -> Vec<Doc> {
    let (view, notes) = views::model(site, model, "");
    let mut values = String::new();
    for value in &view.values {
        values.push_str(&format!("{}: {}. ", value.label, value.value.text()));
    }
    for note in &notes {
        values.push_str(&html_to_text(&note.html));
        values.push(' ');
    }
    let list = |items: &[crate::parse::markdown::Markup]| {
        items
            .iter()
            .map(|item| html_to_text(&item.to_html("")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let page = &model.page;
    let heading = |key| site.strings.text(key, &[]);
    let mut docs = vec![doc(page, &heading("values-title"), "values", values)];
    if !model.pros.is_empty() {
        docs.push(doc(page, &heading("pros"), "pros", list(&model.pros)));
    }
    if !model.cons.is_empty() {
        docs.push(doc(page, &heading("cons"), "cons", list(&model.cons)));
    }
    docs
}

fn dimensions_doc(site: &Site) -> Doc {
    let mut text = String::new();
    for dimension in views::dimensions(site) {
        text.push_str(&format!(
            "{}: {} {} ",
            dimension.label,
            dimension.help,
            dimension.levels.join(", ")
        ));
    }
    let heading = site.strings.text("dimensions-title", &[]);
    doc(&site.matrix, &heading, "vs-dimensions-title", text)
}

fn guide_doc(page: &Page, heading: &str, steps: &[GuideStep]) -> Doc {
    let mut text = String::new();
    for step in steps {
        text.push_str(&html_to_text(&step.html));
        text.push(' ');
        if let Some(why) = &step.why {
            text.push_str(&html_to_text(why));
            text.push(' ');
        }
        if let Some(model) = &step.model_title {
            text.push_str(model);
            text.push(' ');
        }
    }
    doc(page, heading, "", text)
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Walks the HTML versus rendered from Markdown, tag by tag, starting a section at every
/// `<h2 id>` and `<h3 id>`. The heading's own anchor link (`#`) is left out.
#[derive(Default)]
struct Splitter {
    /// Finished sections: heading, id, raw text.
    sections: Vec<(String, String, String)>,
    heading: String,
    id: String,
    text: String,
    /// Inside a heading that starts a section: its level and the text so far.
    in_heading: Option<(char, String)>,
    in_anchor: bool,
}

/// Tags that do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "del", "em", "i", "kbd", "mark", "s", "small", "span", "strong",
    "sub", "sup",
];

impl Splitter {
    fn feed(&mut self, html: &str) {
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            self.push_text(&rest[..start]);
            let Some(len) = rest[start..].find('>') else {
                rest = &rest[start..];
                break;
            };
            self.tag(&rest[start + 1..start + len]);
            rest = &rest[start + len + 1..];
        }
        self.push_text(rest);
    }

    fn push_text(&mut self, raw: &str) {
        if self.in_anchor || raw.is_empty() {
            return;
        }
        let text = html_to_text(raw);
        match &mut self.in_heading {
            Some((_, heading)) => heading.push_str(&text),
            None => self.text.push_str(&text),
        }
    }

    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "a" && !closing && attr(tag, "class") == Some("anchor") {
            self.in_anchor = true;
            return;
        }
        if name == "a" && closing && self.in_anchor {
            self.in_anchor = false;
            return;
        }
        let level = match name.as_str() {
            "h2" => Some('2'),
            "h3" => Some('3'),
            _ => None,
        };
        match (level, closing, attr(tag, "id")) {
            (Some(level), false, Some(id)) => {
                self.finish();
                self.id = id.to_string();
                self.in_heading = Some((level, String::new()));
            }
            (Some(level), true, _) if matches!(&self.in_heading, Some((l, _)) if *l == level) => {
                if let Some((_, heading)) = self.in_heading.take() {
                    self.heading = collapse_spaces(&heading);
                }
            }
            _ if !INLINE.contains(&name.as_str()) => self.push_text(" "),
            _ => {}
        }
    }

    /// Closes the current section.
    fn finish(&mut self) {
        let text = std::mem::take(&mut self.text);
        let heading = std::mem::take(&mut self.heading);
        let id = std::mem::take(&mut self.id);
        if !text.trim().is_empty() || !heading.is_empty() || self.sections.is_empty() {
            self.sections.push((heading, id, text));
        }
    }
}

/// The value of `name="value"` in a start tag as versus writes them (double quotes).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(html: &str) -> Vec<(String, String, String)> {
        let mut splitter = Splitter::default();
        splitter.feed(html);
        splitter.finish();
        splitter
            .sections
            .into_iter()
            .map(|(h, id, text)| (h, id, collapse_spaces(&text)))
            .collect()
    }

    #[test]
    fn the_script_is_the_json_of_the_whole_list() {
        let doc = |t: &str| Doc {
            t: t.into(),
            h: "A \"heading\"".into(),
            u: "a/index.html#x".into(),
            b: "text </script> ü".into(),
        };
        for docs in [vec![], vec![doc("one")], vec![doc("one"), doc("two")]] {
            let json = serde_json::to_string(&docs).unwrap();
            let mut script = Script::default();
            docs.into_iter().for_each(|doc| script.push(doc));
            assert_eq!(
                script.finish(),
                format!("window.versusSearchIndex = {json};\n")
            );
        }
    }

    #[test]
    fn sections_start_at_h2_and_h3_and_leave_out_the_anchor() {
        let html = "<p>Intro <em>text</em></p>\n<h2 id=\"one\">First &amp; <code>main</code> <a class=\"anchor\" href=\"#one\" aria-label=\"Link\">#</a></h2>\n<p>Body one</p><ul><li>a</li><li>b</li></ul>\n<h4 id=\"deep\">Deep</h4><p>more</p><h3 id=\"two\">Second</h3><p>x &lt; y</p>";
        assert_eq!(
            split(html),
            vec![
                ("".into(), "".into(), "Intro text".into()),
                (
                    "First & main".into(),
                    "one".into(),
                    "Body one a b Deep more".into()
                ),
                ("Second".into(), "two".into(), "x < y".into()),
            ]
        );
    }
}
