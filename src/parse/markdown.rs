//! Markdown to events, with headings, links and code blocks pulled out.
//!
//! Owns `pulldown-cmark`. Parsing keeps the events rather than HTML: the HTML of a page is
//! written in one pass when the page it appears on is known ([`to_html`]), so footnotes are
//! numbered once per page and links to other files of the site become relative to that page
//! while they are written. Code blocks become [`Segment::Code`], so that rendering can
//! highlight them and `versus test` can run them without parsing the Markdown again. Parsing
//! makes no HTML of its own: where a heading's anchor link goes is recorded, and the theme
//! supplies the link when the page is written.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html,
};

use crate::diagnostic::{Diagnostic, LineIndex, Position};
use crate::text::slugify;
use crate::urls;

mod fence;
mod lint;

pub use fence::{Feature, MAX_TIMEOUT_SECONDS, PythonVersion, SampleSettings};

/// A page body: Markdown events with code blocks kept apart.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub segments: Vec<Segment>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Likely mistakes that still render (a reference link with no definition), for `check`.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub enum Segment {
    Markup(Markup),
    Code(CodeBlock),
}

/// Parsed Markdown waiting for the page it appears on. Links to files of the site are kept
/// as paths from the site root until then: front-matter Markdown (a note, a pro) appears on
/// pages at different depths.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup {
    /// The events, most of them in a compact form ([`Op`]).
    ops: Vec<Op>,
    /// The text of the compact events, one allocation for all of them.
    text: String,
    /// Indexes (ascending) of the link and image events whose destination is a path from
    /// the site root.
    rooted: Vec<usize>,
    /// Where heading anchors go (ascending): the index of the event each goes before (the
    /// heading's end), and the heading's number in [`Body::headings`].
    anchors: Vec<(usize, usize)>,
}

/// An event as it is kept until its page is rendered. Every page's events are held from
/// parse to render, about a million at 10,000 pages; as `Event`s they took 80 bytes each
/// and an allocation for each text, so the common ones are kept in 12 bytes, with their text
/// in the markup's `text`.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text(Span),
    Code(Span),
    Html(Span),
    InlineHtml(Span),
    SoftBreak,
    HardBreak,
    Start(PlainTag),
    End(TagEnd),
    /// Any other event, as it is.
    Event(Box<Event<'static>>),
}

/// Where an event's text is in [`Markup::text`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    start: u32,
    end: u32,
}

/// The tags without data that start most elements of prose.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PlainTag {
    Paragraph,
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    TableHead,
    TableRow,
    TableCell,
}

impl PlainTag {
    fn of(tag: &Tag) -> Option<PlainTag> {
        Some(match tag {
            Tag::Paragraph => PlainTag::Paragraph,
            Tag::Item => PlainTag::Item,
            Tag::Emphasis => PlainTag::Emphasis,
            Tag::Strong => PlainTag::Strong,
            Tag::Strikethrough => PlainTag::Strikethrough,
            Tag::TableHead => PlainTag::TableHead,
            Tag::TableRow => PlainTag::TableRow,
            Tag::TableCell => PlainTag::TableCell,
            _ => return None,
        })
    }

    fn tag(self) -> Tag<'static> {
        match self {
            PlainTag::Paragraph => Tag::Paragraph,
            PlainTag::Item => Tag::Item,
            PlainTag::Emphasis => Tag::Emphasis,
            PlainTag::Strong => Tag::Strong,
            PlainTag::Strikethrough => Tag::Strikethrough,
            PlainTag::TableHead => Tag::TableHead,
            PlainTag::TableRow => Tag::TableRow,
            PlainTag::TableCell => Tag::TableCell,
        }
    }
}

/// One part of a page body on its way to HTML.
pub enum Piece<'a> {
    Markup(&'a Markup),
    /// HTML made elsewhere (a highlighted code block), written as it is.
    Html(String),
}

impl Markup {
    /// The HTML of this Markdown on a page whose relative path to the site root is `root`,
    /// without heading anchors (short Markdown, such as a note, has no headings of its own).
    pub fn to_html(&self, root: &str) -> String {
        to_html(std::iter::once(Piece::Markup(self)), root, None)
    }

    fn push(&mut self, event: Event<'_>, rooted: bool) {
        if rooted {
            self.rooted.push(self.ops.len());
        }
        let op = match event {
            Event::Text(text) => Op::Text(self.keep(&text)),
            Event::Code(text) => Op::Code(self.keep(&text)),
            Event::Html(text) => Op::Html(self.keep(&text)),
            Event::InlineHtml(text) => Op::InlineHtml(self.keep(&text)),
            Event::SoftBreak => Op::SoftBreak,
            Event::HardBreak => Op::HardBreak,
            Event::End(end) => Op::End(end),
            Event::Start(tag) => match PlainTag::of(&tag) {
                Some(plain) => Op::Start(plain),
                None => Op::Event(Box::new(Event::Start(tag).into_static())),
            },
            event => Op::Event(Box::new(event.into_static())),
        };
        self.ops.push(op);
    }

    fn keep(&mut self, text: &str) -> Span {
        let offset = |len: usize| u32::try_from(len).expect("a Markdown file is under 4 GiB");
        let start = offset(self.text.len());
        self.text.push_str(text);
        Span {
            start,
            end: offset(self.text.len()),
        }
    }

    /// The events, as the parser gave them.
    fn events(&self) -> impl Iterator<Item = Event<'_>> {
        let text =
            |span: &Span| CowStr::Borrowed(&self.text[span.start as usize..span.end as usize]);
        self.ops.iter().map(move |op| match op {
            Op::Text(span) => Event::Text(text(span)),
            Op::Code(span) => Event::Code(text(span)),
            Op::Html(span) => Event::Html(text(span)),
            Op::InlineHtml(span) => Event::InlineHtml(text(span)),
            Op::SoftBreak => Event::SoftBreak,
            Op::HardBreak => Event::HardBreak,
            Op::Start(plain) => Event::Start(plain.tag()),
            Op::End(end) => Event::End(*end),
            Op::Event(event) => (**event).clone(),
        })
    }

    fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    fn append(&mut self, other: Markup) {
        let offset = self.ops.len();
        for event in other.events() {
            self.push(event, false);
        }
        self.rooted.extend(other.rooted.iter().map(|i| i + offset));
        self.anchors.extend(
            other
                .anchors
                .iter()
                .map(|&(i, heading)| (i + offset, heading)),
        );
    }
}

/// Writes the pieces of one page with one HTML writer, so footnotes are numbered once per
/// page; links kept from the site root start from `root`, the page's path to the site root.
/// `anchors` holds the HTML of each heading's anchor link, in the order of
/// [`Body::headings`]; without it headings get none.
pub fn to_html<'a>(
    pieces: impl Iterator<Item = Piece<'a>>,
    root: &str,
    anchors: Option<&'a [String]>,
) -> String {
    let events = pieces.flat_map(|piece| -> Box<dyn Iterator<Item = Event<'a>> + 'a> {
        match piece {
            Piece::Html(html) => Box::new(std::iter::once(Event::Html(CowStr::from(html)))),
            Piece::Markup(markup) => {
                let root = root.to_string();
                let mut rooted = markup.rooted.iter().peekable();
                let mut spots = markup.anchors.iter().peekable();
                Box::new(markup.events().enumerate().flat_map(move |(i, event)| {
                    let anchor = spots
                        .next_if(|(at, _)| *at == i)
                        .and_then(|&(_, heading)| Some(anchors?[heading].as_str()))
                        .map(|html| Event::Html(CowStr::Borrowed(html)));
                    let event = if rooted.next_if_eq(&&i).is_some() {
                        from_root(event, &root)
                    } else {
                        event
                    };
                    anchor.into_iter().chain(std::iter::once(event))
                }))
            }
        }
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A link or image event with `root` put before its destination.
fn from_root<'e>(event: Event<'e>, root: &str) -> Event<'e> {
    let reroot = |dest: CowStr<'e>| CowStr::from(format!("{root}{dest}"));
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: reroot(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: reroot(dest_url),
            title,
            id,
        }),
        event => event,
    }
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
    /// What the fence's attributes ask of `versus test`, parsed from `attrs`.
    pub sample: SampleSettings,
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
            | Options::ENABLE_SUBSCRIPT
            | Options::ENABLE_SUPERSCRIPT
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_DEFINITION_LIST;
        if smart_punctuation {
            options |= Options::ENABLE_SMART_PUNCTUATION;
        }
        Markdown { source, options }
    }

    /// Parses a short piece of Markdown (a note, a pro, a label), without its paragraph.
    pub fn inline(&self, text: &str) -> Markup {
        let mut links = Vec::new();
        let index = LineIndex::new(text, 1);
        let mut markup = Markup::default();
        for (event, range) in Parser::new_ext(text, self.options).into_offset_iter() {
            if !matches!(
                event,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            ) {
                let event = self.fragment_on_own_page(event);
                self.push_event(&mut markup, event, range, &index, &mut links);
            }
        }
        markup
    }

    /// A link to a fragment alone (`#what-to-wear`) in front matter names a section of the
    /// page built from this file: a note also appears on the matrix and in the embeds, where
    /// the fragment alone would point nowhere.
    fn fragment_on_own_page<'e>(&self, event: Event<'e>) -> Event<'e> {
        let own_file = self.source.file_name().and_then(|name| name.to_str());
        match (event, own_file) {
            (
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
                Some(own_file),
            ) if dest_url.starts_with('#') => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(format!("{own_file}{dest_url}")),
                title,
                id,
            }),
            (event, _) => event,
        }
    }

    /// The links and images of a short piece of Markdown, as the parser finds them: each
    /// destination as written (an email autolink as `mailto:`), the byte offset in `text`
    /// where the link starts, and whether it is an image.
    pub fn inline_links(&self, text: &str) -> Vec<(String, usize, bool)> {
        Parser::new_ext(text, self.options)
            .into_offset_iter()
            .filter_map(|(event, range)| match event {
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    dest_url,
                    ..
                }) => Some((format!("mailto:{dest_url}"), range.start, false)),
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

    /// Parses a page body that starts on file line `first_line` of the file shown as `shown`.
    /// Heading ids in `reserved` are left to the template. Mistakes that would pass silently
    /// (an unclosed fence, an unknown fence attribute) are returned as errors.
    pub fn body(
        &self,
        shown: &Path,
        text: &str,
        first_line: usize,
        reserved: &[&str],
    ) -> (Body, Vec<Diagnostic>) {
        let index = LineIndex::new(text, first_line);
        let mut ids = HeadingIds::new(reserved);
        let mut body = Body::default();
        let mut problems = Vec::new();
        let mut markup = Markup::default();
        let mut broken = Vec::new();
        let note_broken = |link: BrokenLink| {
            if matches!(
                link.link_type,
                LinkType::Reference
                    | LinkType::ReferenceUnknown
                    | LinkType::Collapsed
                    | LinkType::CollapsedUnknown
            ) {
                broken.push((link.span.start, link.reference.to_string()));
            }
            None
        };
        let mut events =
            Parser::new_with_broken_link_callback(text, self.options, Some(note_broken))
                .into_offset_iter();
        let mut footnotes = lint::Footnotes::default();
        while let Some((event, range)) = events.next() {
            see_footnote(&mut footnotes, &event, text, range.start);
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let mut inner = Markup::default();
                    for (event, range) in events.by_ref() {
                        if matches!(event, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        see_footnote(&mut footnotes, &event, text, range.start);
                        self.push_event(&mut inner, event, range, &index, &mut body.links);
                    }
                    let explicit = id.as_ref().map(|id| id.to_string());
                    let heading = ids.heading(level as u8, id, inner.events());
                    if let Some(explicit) = explicit.filter(|id| *id != heading.id) {
                        let position = index.position(range.start);
                        problems.push(lint::repeated_id(shown, position, &explicit, reserved));
                    }
                    let start = Tag::Heading {
                        level,
                        id: Some(CowStr::from(heading.id.clone())),
                        classes,
                        attrs,
                    };
                    markup.push(Event::Start(start), false);
                    markup.append(inner);
                    let end = markup.ops.len();
                    markup.anchors.push((end, body.headings.len()));
                    markup.push(Event::End(TagEnd::Heading(level)), false);
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
                    let position = index.position(range.start);
                    if let CodeBlockKind::Fenced(info) = &kind {
                        let source = &text[range.clone()];
                        problems.extend(lint::fence(shown, position, info, source));
                    }
                    let (block, invalid) = code_block(shown, kind, code, position);
                    problems.extend(lint::attributes(shown, &block));
                    problems.extend(invalid);
                    if !markup.is_empty() {
                        body.segments
                            .push(Segment::Markup(std::mem::take(&mut markup)));
                    }
                    body.segments.push(Segment::Code(block));
                }
                event => self.push_event(&mut markup, event, range, &index, &mut body.links),
            }
        }
        if !markup.is_empty() {
            body.segments.push(Segment::Markup(markup));
        }
        drop(events);
        let undefined_footnotes = footnotes
            .undefined_references()
            .into_iter()
            .map(|(label, offset)| lint::undefined_footnote(shown, index.position(offset), &label));
        let unused = footnotes
            .unused()
            .map(|(label, offset)| lint::unused_footnote(shown, index.position(offset), &label));
        let undefined = broken.into_iter().map(|(offset, reference)| {
            lint::undefined_reference(shown, index.position(offset), &reference)
        });
        body.warnings = unused.chain(undefined_footnotes).chain(undefined).collect();
        (body, problems)
    }

    /// Adds an event, recording links and images and pointing links to files of the site at
    /// their place from the site root (links to Markdown files at the pages built from them).
    fn push_event(
        &self,
        markup: &mut Markup,
        event: Event<'_>,
        range: Range<usize>,
        index: &LineIndex,
        links: &mut Vec<LinkRef>,
    ) {
        let position = index.position(range.start);
        let (event, rooted) = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, rooted) =
                    self.record_link(link_type, dest_url, false, position, links);
                let tag = Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                (Event::Start(tag), rooted)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, rooted) =
                    self.record_link(link_type, dest_url, true, position, links);
                let tag = Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                (Event::Start(tag), rooted)
            }
            event => (event, false),
        };
        markup.push(event, rooted);
    }

    /// Records a link as written; returns the URL to put in the HTML and whether it is a
    /// path from the site root.
    fn record_link<'e>(
        &self,
        link_type: LinkType,
        dest_url: CowStr<'e>,
        is_image: bool,
        position: Position,
        links: &mut Vec<LinkRef>,
    ) -> (CowStr<'e>, bool) {
        // An email autolink's destination has no scheme; the HTML writer adds `mailto:`.
        if link_type == LinkType::Email {
            links.push(LinkRef {
                dest: format!("mailto:{dest_url}"),
                position,
                is_image,
            });
            return (dest_url, false);
        }
        links.push(LinkRef {
            dest: dest_url.to_string(),
            position,
            is_image,
        });
        match urls::rewrite_markdown_link(self.source, &dest_url) {
            Some(url) => (CowStr::from(url), true),
            None => (dest_url, false),
        }
    }
}

fn see_footnote(footnotes: &mut lint::Footnotes, event: &Event, source: &str, offset: usize) {
    match event {
        Event::FootnoteReference(label) => footnotes.used(label),
        Event::Start(Tag::FootnoteDefinition(label)) => footnotes.defined(label, offset),
        // A reference to a footnote nobody defined stays text, its `[` an event of its own.
        Event::Text(text) if text.as_ref() == "[" => {
            if let Some(label) = lint::footnote_label(source, offset) {
                footnotes.undefined(label, offset);
            }
        }
        _ => {}
    }
}

/// Unique heading ids for one page. Each base id remembers the last suffix it gave, so a
/// page of many identical headings costs time linear in their number.
struct HeadingIds {
    taken: BTreeSet<String>,
    next_suffix: BTreeMap<String, usize>,
    /// How many candidate ids were tried, for the test that keeps this linear.
    probes: usize,
}

impl HeadingIds {
    fn new(reserved: &[&str]) -> Self {
        HeadingIds {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next_suffix: BTreeMap::new(),
            probes: 0,
        }
    }

    fn heading<'e>(
        &mut self,
        level: u8,
        id: Option<CowStr>,
        inner: impl Iterator<Item = Event<'e>>,
    ) -> Heading {
        let mut text = String::new();
        for event in inner {
            if let Event::Text(t) | Event::Code(t) = event {
                text.push_str(&t);
            }
        }
        let base = id.map_or_else(|| slugify(&text), |id| id.to_string());
        Heading {
            level,
            id: self.unique(base),
            text,
        }
    }

    fn unique(&mut self, base: String) -> String {
        self.probes += 1;
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            self.probes += 1;
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// A code block, and the problems of its fence's sample settings.
fn code_block(
    shown: &Path,
    kind: CodeBlockKind,
    code: String,
    position: Position,
) -> (CodeBlock, Vec<Diagnostic>) {
    let (lang, attrs) = match kind {
        CodeBlockKind::Fenced(info) => parse_info(&info),
        CodeBlockKind::Indented => (None, Vec::new()),
    };
    let (sample, problems) = fence::settings(shown, position, &attrs);
    let block = CodeBlock {
        lang,
        attrs,
        code,
        position,
        sample,
    };
    (block, problems)
}

/// Splits a fence's info string, `python title="Pool demo" no-run`, into language and attributes.
pub fn parse_info(info: &str) -> (Option<String>, Vec<(String, String)>) {
    let mut words = split_words(info).into_iter().peekable();
    let lang = words.next_if(|w| !w.contains('='));
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

    fn body(text: &str) -> (Body, Vec<Diagnostic>) {
        Markdown::new(Path::new("a.md"), false).body(Path::new("content/a.md"), text, 5, &[])
    }

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
        let (lang, attrs) = parse_info("title=x");
        assert_eq!(lang, None);
        assert_eq!(attrs, vec![("title".into(), "x".into())]);
    }

    #[test]
    fn headings_get_unique_ids_and_code_is_kept_apart() {
        let (body, problems) = body("# Intro\n\n## Intro\n\n```python\nx = 1\n```\n");
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1"]);
        let Segment::Code(code) = &body.segments[1] else {
            panic!("no code segment")
        };
        assert_eq!(code.code, "x = 1\n");
        assert_eq!(code.position, Position::new(9, 1));
    }

    #[test]
    fn anchors_go_at_the_end_of_their_headings_in_every_piece() {
        let (body, _) = body("# A\n\nText.\n\n```\nx\n```\n\n## B *b*\n");
        let pieces = || {
            body.segments.iter().map(|segment| match segment {
                Segment::Markup(markup) => Piece::Markup(markup),
                Segment::Code(_) => Piece::Html("<pre>code</pre>\n".to_string()),
            })
        };
        let anchors = ["<i>1</i>".to_string(), "<i>2</i>".to_string()];
        assert_eq!(
            to_html(pieces(), "", Some(&anchors)),
            "<h1 id=\"a\">A<i>1</i></h1>\n<p>Text.</p>\n<pre>code</pre>\n<h2 id=\"b-b\">B <em>b</em><i>2</i></h2>\n"
        );
        assert_eq!(
            to_html(pieces(), "", None),
            "<h1 id=\"a\">A</h1>\n<p>Text.</p>\n<pre>code</pre>\n<h2 id=\"b-b\">B <em>b</em></h2>\n"
        );
    }

    #[test]
    fn identical_headings_cost_a_constant_number_of_probes_each() {
        let mut ids = HeadingIds::new(&["a-3"]);
        for _ in 0..1000 {
            ids.unique("a".to_string());
        }
        // One probe for the base, one per suffix tried; `a-3` is taken once.
        assert!(ids.probes <= 2 * 1000 + 1, "{} probes", ids.probes);
        assert!(ids.taken.contains("a-1000"));
        assert_eq!(ids.unique("a-1".to_string()), "a-1-1");
    }

    #[test]
    fn inline_drops_the_paragraph_and_links_start_from_the_page() {
        let md = Markdown::new(Path::new("models/a.md"), false);
        let markup = md.inline("see [b](b.md)");
        assert_eq!(
            markup.to_html("../../"),
            "see <a href=\"../../models/b/index.html\">b</a>"
        );
        assert_eq!(
            markup.to_html(""),
            "see <a href=\"models/b/index.html\">b</a>"
        );
    }

    #[test]
    fn markup_gives_back_every_event_as_the_parser_gave_it() {
        let text = "Some *em* **strong** ~~del~~ `code` <b>html</b> [ext](https://x.org \"t\") \
                    ![i](https://x.org/i.png)\nsoft\\\nhard[^1]\n\n- [x] item\n- two\n\n\
                    | a | b |\n|:-|-:|\n| c | d |\n\n> quote\n\n<div>\nblock\n</div>\n\n\
                    ---\n\n[^1]: Note.\n";
        let md = Markdown::new(Path::new("a.md"), false);
        let events = Parser::new_ext(text, md.options).filter(|event| {
            !matches!(
                event,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        let mut expected = String::new();
        html::push_html(&mut expected, events);
        for part in [
            "<em>",
            "<del>",
            "<code>",
            "<b>",
            "title=\"t\"",
            "<img",
            "<br />",
            "footnote",
            "checkbox",
            "<th style=\"text-align: right\">",
            "<blockquote>",
            "<div>",
            "<hr />",
        ] {
            assert!(expected.contains(part), "{part} missing from {expected}");
        }
        assert_eq!(md.inline(text).to_html(""), expected);
    }

    #[test]
    fn fences_that_are_never_closed_are_errors() {
        let (_, problems) = body("Intro.\n\n````python\nx = 1\n```\n\nMore.\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].position, Position::new(7, 1));
        assert!(problems[0].message.contains("never closed"));
        let (_, problems) = body("> ```\n> x\n> ```\n\n- ```\n  y\n  ```\n\n~~~\n~~~~\n");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn repeated_heading_ids_and_undefined_references_are_reported() {
        let md = Markdown::new(Path::new("a.md"), false);
        let text = "# A {#x}\n\n# B {#x}\n\n# C {#notes}\n\n[t][nope], [u][] and [shortcut]\n\n[^unused]: U.\n";
        let (body, problems) = md.body(Path::new("a.md"), text, 1, &["notes"]);
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.position.line, &p.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.contains("`x` is already used"));
        assert_eq!(found[1].0, 5);
        let warnings: Vec<_> = body
            .warnings
            .iter()
            .map(|w| (w.position, &w.message))
            .collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert_eq!(warnings[0].0, Position::new(9, 1));
        assert!(warnings[0].1.contains("`[^unused]` is never referred to"));
        assert_eq!(warnings[1].0, Position::new(7, 1));
        assert!(warnings[1].1.contains("`[nope]`"), "{warnings:?}");
        assert!(warnings[2].1.contains("`[u]`"), "{warnings:?}");
    }

    #[test]
    fn references_to_footnotes_nobody_defined_are_reported_where_they_are() {
        let md = Markdown::new(Path::new("a.md"), false);
        let text = "Said[^gone], said[^kept] and \\[^escaped], `[^code]`.\n\n# Head[^also]\n\n[^kept]: Kept.\n";
        let (body, problems) = md.body(Path::new("a.md"), text, 1, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        let warnings: Vec<_> = body
            .warnings
            .iter()
            .map(|w| (w.position, w.message.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    Position::new(1, 5),
                    "no footnote `[^gone]` is defined, so the reference is shown as text"
                ),
                (
                    Position::new(3, 7),
                    "no footnote `[^also]` is defined, so the reference is shown as text"
                ),
            ]
        );
    }

    #[test]
    fn unknown_fence_attributes_get_a_suggestion() {
        let (_, problems) = body("```python timout=2 no_run=\"x\" title=a title=b tab\nx\n```\n");
        let messages: Vec<String> = problems
            .iter()
            .map(|p| format!("{} / {}", p.message, p.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            messages,
            [
                "unknown fence attribute `timout` / did you mean `timeout`?",
                "unknown fence attribute `no_run` / did you mean `no-run`?",
                "the fence attribute `title` is given twice / keep one of them",
                "the fence attribute `tab` needs a value / write it `tab=...`, quoted if it has spaces",
            ]
        );
    }
}
