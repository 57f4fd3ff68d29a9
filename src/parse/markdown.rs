//! Markdown to HTML segments, with headings, links and code blocks pulled out.
//!
//! Owns `pulldown-cmark`. Code blocks are not turned into HTML here: they become
//! [`Segment::Code`], so that rendering can highlight them and `versus test` can run them
//! without parsing the Markdown again.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::diagnostic::{LineIndex, Position};
use crate::text::{escape_html, slugify};
use crate::urls;

/// A page body: HTML with code blocks kept apart.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub segments: Vec<Segment>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
}

#[derive(Debug, Clone)]
pub enum Segment {
    Html(String),
    Code(CodeBlock),
}

/// A code block as written: its language, fence attributes and text.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub lang: Option<String>,
    /// `key=value` and bare `flag` words after the language, in order.
    pub attrs: Vec<(String, String)>,
    pub code: String,
    /// The position of the opening fence.
    pub position: Position,
}

impl CodeBlock {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link or image as written in the source, before rewriting.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub dest: String,
    pub position: Position,
    pub is_image: bool,
}

/// Renders the Markdown of one source file.
pub struct Markdown<'a> {
    source: &'a Path,
    options: Options,
}

impl<'a> Markdown<'a> {
    pub fn new(source: &'a Path, smart_punctuation: bool) -> Self {
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_DEFINITION_LIST;
        if smart_punctuation {
            options |= Options::ENABLE_SMART_PUNCTUATION;
        }
        Markdown { source, options }
    }

    /// Renders a short piece of Markdown (a note, a pro, a label) without its paragraph.
    pub fn inline(&self, text: &str) -> String {
        let mut links = Vec::new();
        let index = LineIndex::new(text, 1);
        let events = Parser::new_ext(text, self.options)
            .into_offset_iter()
            .filter(|(event, _)| {
                !matches!(
                    event,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                )
            })
            .map(|(event, range)| self.link_event(event, range, &index, &mut links));
        let mut out = String::new();
        html::push_html(&mut out, events);
        out.trim_end().to_string()
    }

    /// The links and images of a short piece of Markdown, as the parser finds them: each
    /// destination as written, the byte offset in `text` where the link starts, and whether
    /// it is an image.
    pub fn inline_links(&self, text: &str) -> Vec<(String, usize, bool)> {
        Parser::new_ext(text, self.options)
            .into_offset_iter()
            .filter_map(|(event, range)| match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    Some((dest_url.to_string(), range.start, false))
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    Some((dest_url.to_string(), range.start, true))
                }
                _ => None,
            })
            .collect()
    }

    /// Renders a page body that starts on file line `first_line`. Heading ids in `reserved`
    /// are left to the template.
    pub fn body(&self, text: &str, first_line: usize, reserved: &[&str]) -> Body {
        let index = LineIndex::new(text, first_line);
        let mut ids: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        let mut body = Body::default();
        let mut pending: Vec<Event> = Vec::new();
        let mut events = Parser::new_ext(text, self.options).into_offset_iter();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let mut inner = Vec::new();
                    for (event, range) in events.by_ref() {
                        if matches!(event, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push(self.link_event(event, range, &index, &mut body.links));
                    }
                    let heading = heading(level as u8, id, &inner, &mut ids);
                    pending.push(Event::Html(CowStr::from(heading_html(&heading, inner))));
                    body.headings.push(heading);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    for (event, _) in events.by_ref() {
                        match event {
                            Event::Text(text) => code.push_str(&text),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    flush(&mut pending, &mut body.segments);
                    body.segments.push(Segment::Code(code_block(
                        kind,
                        code,
                        index.position(range.start),
                    )));
                }
                event => pending.push(self.link_event(event, range, &index, &mut body.links)),
            }
        }
        flush(&mut pending, &mut body.segments);
        body
    }

    /// Records links and images, and points links to Markdown files at the pages built from them.
    fn link_event<'e>(
        &self,
        event: Event<'e>,
        range: Range<usize>,
        index: &LineIndex,
        links: &mut Vec<LinkRef>,
    ) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url =
                    self.record_link(dest_url, false, index.position(range.start), links);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.record_link(dest_url, true, index.position(range.start), links);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            event => event,
        }
    }
}

impl Markdown<'_> {
    /// Records a link as written and returns the URL to put in the HTML.
    fn record_link<'e>(
        &self,
        dest_url: CowStr<'e>,
        is_image: bool,
        position: Position,
        links: &mut Vec<LinkRef>,
    ) -> CowStr<'e> {
        links.push(LinkRef {
            dest: dest_url.to_string(),
            position,
            is_image,
        });
        match urls::rewrite_markdown_link(self.source, &dest_url) {
            Some(url) => CowStr::from(url),
            None => dest_url,
        }
    }
}

fn flush(pending: &mut Vec<Event>, segments: &mut Vec<Segment>) {
    if pending.is_empty() {
        return;
    }
    let mut out = String::new();
    html::push_html(&mut out, pending.drain(..));
    segments.push(Segment::Html(out));
}

fn heading(level: u8, id: Option<CowStr>, inner: &[Event], ids: &mut BTreeSet<String>) -> Heading {
    let text: String = inner
        .iter()
        .filter_map(|event| match event {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = id.map_or_else(|| slugify(&text), |id| id.to_string());
    let mut unique = base.clone();
    let mut n = 1;
    while !ids.insert(unique.clone()) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    Heading {
        level,
        id: unique,
        text,
    }
}

fn heading_html(heading: &Heading, inner: Vec<Event>) -> String {
    let mut content = String::new();
    html::push_html(&mut content, inner.into_iter());
    let id = escape_html(&heading.id);
    format!(
        "<h{level} id=\"{id}\">{content} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
        level = heading.level
    )
}

fn code_block(kind: CodeBlockKind, code: String, position: Position) -> CodeBlock {
    let (lang, attrs) = match kind {
        CodeBlockKind::Fenced(info) => parse_info(&info),
        CodeBlockKind::Indented => (None, Vec::new()),
    };
    CodeBlock {
        lang,
        attrs,
        code,
        position,
    }
}

/// Splits a fence's info string, `python title="Pool demo" no-run`, into language and attributes.
pub fn parse_info(info: &str) -> (Option<String>, Vec<(String, String)>) {
    let mut words = split_words(info).into_iter();
    let lang = words.next().filter(|w| !w.contains('='));
    let attrs = words
        .map(|word| match word.split_once('=') {
            Some((key, value)) => (key.to_string(), value.to_string()),
            None => (word, String::new()),
        })
        .collect();
    (lang, attrs)
}

/// Splits on spaces outside double quotes, dropping the quotes.
fn split_words(info: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in info.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_give_language_and_attributes() {
        let (lang, attrs) = parse_info(r#"python title="A pool" no-run"#);
        assert_eq!(lang.as_deref(), Some("python"));
        assert_eq!(
            attrs,
            vec![
                ("title".into(), "A pool".into()),
                ("no-run".into(), String::new())
            ]
        );
    }

    #[test]
    fn headings_get_unique_ids_and_code_is_kept_apart() {
        let md = Markdown::new(Path::new("a.md"), false);
        let body = md.body("# Intro\n\n## Intro\n\n```python\nx = 1\n```\n", 5, &[]);
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1"]);
        let Segment::Code(code) = &body.segments[1] else {
            panic!("no code segment")
        };
        assert_eq!(code.code, "x = 1\n");
        assert_eq!(code.position, Position::new(9, 1));
    }

    #[test]
    fn inline_drops_the_paragraph() {
        let md = Markdown::new(Path::new("models/a.md"), false);
        assert_eq!(
            md.inline("see [b](b.md)"),
            "see <a href=\"@versus-root/models/b/index.html\">b</a>"
        );
    }
}
