//! Stage 3: read each source file into a typed [`Document`].
//!
//! Checks what can be checked from one file alone (UTF-8, YAML syntax, known keys, types) and
//! renders every Markdown string once. Checks that need the whole book, such as dimension
//! levels or guide targets, belong to the model stage.

pub mod front_matter;
mod guide;
pub mod markdown;
mod model_page;
mod yaml;

pub use guide::{RawAnswer, RawFilter, RawNext, RawQuestion};
pub use model_page::{RawCell, RawChange, RawForm, RawModel, RawStated, RawValue};

use std::cell::RefCell;
use std::collections::BTreeSet;

use rayon::prelude::*;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Position};
use crate::discover::{SourceFile, SourceKind};
use front_matter::{FrontMatter, scalar_text, type_name};
use markdown::{Body, LinkRef, Markdown, Markup};
use yaml::{Node, Yaml};

/// One Markdown source file, parsed.
#[derive(Debug)]
pub struct Document {
    pub source: SourceFile,
    pub meta: PageMeta,
    pub body: Body,
    /// Links written in front matter values (notes, pros, summaries).
    pub front_links: Vec<LinkRef>,
    pub extra: Extra,
}

/// Front matter keys common to every kind of page.
#[derive(Debug)]
pub struct PageMeta {
    pub title: String,
    pub summary_html: Markup,
    pub order: i64,
    /// The slug and the position of its `slug:` line.
    pub slug: Option<(String, Position)>,
    pub toc: Option<bool>,
    /// `nav:` as written; without it, top-level pages are in the navigation, nested ones not.
    pub nav: Option<bool>,
    /// `draft: true`: left out of `build` unless drafts are asked for.
    pub draft: bool,
    /// `changes:`: the page lists what changed between two versions.
    pub changes: Option<RawChanges>,
}

/// `changes: { from: VERSION, to: VERSION }` as written, each part optional.
#[derive(Debug, Clone)]
pub struct RawChanges {
    /// Where `changes:` is written.
    pub position: Position,
    pub from: Option<(String, Position)>,
    pub to: Option<(String, Position)>,
}

/// What a document has beyond a plain page.
#[derive(Debug)]
pub enum Extra {
    Page,
    Matrix,
    Model(RawModel),
    Guide(RawQuestion),
}

const PAGE_KEYS: &[&str] = &[
    "title", "summary", "order", "slug", "toc", "nav", "changes", "draft",
];
const MATRIX_KEYS: &[&str] = &["title", "summary", "toc"];
const MODEL_KEYS: &[&str] = &[
    "title", "summary", "order", "slug", "toc", "values", "pros", "cons", "draft",
];
const GUIDE_KEYS: &[&str] = &["title", "summary", "toc", "question"];
/// Ids the model template uses for its own sections.
const MODEL_RESERVED_IDS: &[&str] = &["values", "pros", "cons", "notes"];

/// The parse stage's result: what parsed, and the problems of what did not.
///
/// Files that fail are left out rather than stopping the run, so the model stage can still
/// check the rest and a writer sees every problem at once.
#[derive(Debug)]
pub struct ParsedBook {
    pub documents: Vec<Document>,
    pub assets: Vec<SourceFile>,
    pub problems: Diagnostics,
    /// Slugs of model files that failed to parse, so the guide is not blamed for naming them.
    pub unparsed_models: BTreeSet<String>,
}

/// A file's kind and stem (to name a model that failed), and what parsing it gave.
type ParseOutcome = (
    SourceKind,
    Option<String>,
    Result<Document, Vec<Diagnostic>>,
);

/// Parses every Markdown file; other files are passed through as assets.
pub fn parse_all(files: Vec<SourceFile>, config: &Config) -> ParsedBook {
    let mut book = ParsedBook {
        documents: Vec::new(),
        assets: Vec::new(),
        problems: Diagnostics::new(),
        unparsed_models: BTreeSet::new(),
    };
    let (assets, markdown): (Vec<SourceFile>, Vec<SourceFile>) =
        files.into_iter().partition(|f| f.kind == SourceKind::Asset);
    book.assets = assets;
    // Files parse independently, so all cores share the work; collecting keeps path order.
    let parsed: Vec<ParseOutcome> = markdown
        .into_par_iter()
        .map(|file| {
            let stem = file
                .relative
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            (file.kind, stem, parse_document(file, config))
        })
        .collect();
    for (kind, stem, result) in parsed {
        match result {
            Ok(document) => book.documents.push(document),
            Err(errors) => {
                book.problems.extend(errors);
                if let (SourceKind::Model, Some(stem)) = (kind, stem) {
                    book.unparsed_models.insert(stem);
                }
            }
        }
    }
    book
}

fn parse_document(source: SourceFile, config: &Config) -> Result<Document, Vec<Diagnostic>> {
    let shown = source.shown.clone();
    let bytes = crate::input::read_limited(&source.absolute, crate::input::MARKDOWN_LIMIT)
        .map_err(|err| {
            vec![
                Diagnostic::error(&shown, Position::START, format!("cannot read: {err}"))
                    .with_help(err.help()),
            ]
        })?;
    let text = decode(&shown, bytes).map_err(|d| vec![d])?;
    let split = front_matter::split(&shown, &text).map_err(|d| vec![d])?;
    let fm = FrontMatter::parse(&shown, split.yaml).map_err(|d| vec![d])?;
    let md = Markdown::new(&source.relative, config.markdown.smart_punctuation);
    let inline = Inline::new(&md, &fm);
    let mut problems = Vec::new();

    let (allowed, what) = match source.kind {
        SourceKind::Model => (MODEL_KEYS, "a model page"),
        SourceKind::Guide => (GUIDE_KEYS, "the guide"),
        SourceKind::Matrix => (MATRIX_KEYS, "the matrix page"),
        _ => (PAGE_KEYS, "a page"),
    };
    problems.extend(fm.unknown_keys(&shown, allowed, what));
    let meta = page_meta(&shown, &fm, &inline, split.yaml.is_some(), &mut problems);
    let extra = match source.kind {
        SourceKind::Model => {
            Extra::Model(model_page::raw_model(&shown, &fm, &inline, &mut problems))
        }
        SourceKind::Guide => match guide::raw_guide(&shown, &fm, &inline, &mut problems) {
            Some(question) => Extra::Guide(question),
            None => Extra::Page,
        },
        SourceKind::Matrix => Extra::Matrix,
        _ => Extra::Page,
    };
    let reserved = if source.kind == SourceKind::Model {
        MODEL_RESERVED_IDS
    } else {
        &[]
    };
    let (body, lints) = md.body(&shown, split.body, split.body_line, reserved);
    problems.extend(lints);
    let front_links = inline.links();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Document {
        source,
        meta,
        body,
        front_links,
        extra,
    })
}

/// Reads the file as UTF-8, pointing at the first byte that is not. A byte order mark is
/// dropped: editors do not show it, so positions are counted without it.
fn decode(shown: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
        let position = LineIndex::new(&prefix, 1).position(prefix.len());
        Diagnostic::error(shown, position, "the file is not valid UTF-8")
            .with_help("save the file as UTF-8 (most editors have an \"encoding\" setting)")
    })
}

/// Renders the front matter's Markdown strings (summaries, notes, pros, labels) and keeps
/// their links, placed in the file through the string's node.
pub(super) struct Inline<'a> {
    md: &'a Markdown<'a>,
    fm: &'a FrontMatter<'a>,
    links: RefCell<Vec<LinkRef>>,
}

impl<'a> Inline<'a> {
    fn new(md: &'a Markdown<'a>, fm: &'a FrontMatter<'a>) -> Self {
        Inline {
            md,
            fm,
            links: RefCell::new(Vec::new()),
        }
    }

    /// Renders `text`, the value of `node`, and records its links.
    pub(super) fn html(&self, node: &Node, text: &str) -> Markup {
        let found = self.md.inline_links(text);
        let offsets: Vec<usize> = found.iter().map(|(_, offset, _)| *offset).collect();
        let positions = self.fm.positions_in(node, &offsets);
        self.links
            .borrow_mut()
            .extend(
                found
                    .into_iter()
                    .zip(positions)
                    .map(|((dest, _, is_image), position)| LinkRef {
                        dest,
                        position,
                        is_image,
                    }),
            );
        self.md.inline(text)
    }

    /// The links found, each once: a value copied by an alias is rendered at every copy, but
    /// its links are written once.
    fn links(&self) -> Vec<LinkRef> {
        let mut links = self.links.take();
        links.sort_by(|a, b| (a.position, &a.dest).cmp(&(b.position, &b.dest)));
        links.dedup_by(|a, b| a.position == b.position && a.dest == b.dest);
        links
    }
}

fn page_meta(
    shown: &Path,
    fm: &FrontMatter,
    inline: &Inline,
    has_front_matter: bool,
    problems: &mut Vec<Diagnostic>,
) -> PageMeta {
    let title = match fm.get("title") {
        Some(node) => match scalar_text(&node.value) {
            Some(title) if !title.trim().is_empty() => title,
            _ => {
                problems.push(Diagnostic::error(
                    shown,
                    node.position,
                    format!("the title is {}, not text", type_name(&node.value)),
                ));
                String::new()
            }
        },
        None => {
            let help = if has_front_matter {
                "add `title: ...` to the front matter"
            } else {
                "start the file with front matter: `---`, `title: ...`, `---`"
            };
            problems.push(
                Diagnostic::error(shown, fm.start(), "the page has no title").with_help(help),
            );
            String::new()
        }
    };
    let order = match fm.get("order") {
        None => 0,
        Some(node) => match yaml::integer(&node.value) {
            Some(order) => order,
            None => {
                let what = match &node.value {
                    Yaml::Number(n) => format!("`{n}`"),
                    value => type_name(value).to_string(),
                };
                problems.push(Diagnostic::error(
                    shown,
                    node.position,
                    format!("`order` must be a whole number, not {what}"),
                ));
                0
            }
        },
    };
    let slug = fm
        .entry("slug")
        .and_then(|entry| match scalar_text(&entry.value.value) {
            Some(slug) if crate::text::slugify(&slug) == slug => Some((slug, entry.key_position)),
            _ => {
                problems.push(
                    Diagnostic::error(
                        shown,
                        entry.value.position,
                        "`slug` must be lowercase letters, digits and hyphens",
                    )
                    .with_help("e.g. `slug: free-threading`"),
                );
                None
            }
        });
    let toc = optional_bool(shown, fm, "toc", problems);
    let nav = optional_bool(shown, fm, "nav", problems);
    let draft = optional_bool(shown, fm, "draft", problems).unwrap_or(false);
    let summary_html = match fm.get("summary") {
        None => Markup::default(),
        Some(node) => match scalar_text(&node.value) {
            Some(summary) => inline.html(node, &summary),
            None => {
                problems.push(Diagnostic::error(
                    shown,
                    node.position,
                    "`summary` must be text",
                ));
                Markup::default()
            }
        },
    };
    PageMeta {
        title,
        summary_html,
        order,
        slug,
        toc,
        nav,
        changes: raw_changes(shown, fm, problems),
        draft,
    }
}

/// `changes:`, a mapping with an optional `from` and `to`, each a version's name.
fn raw_changes(
    shown: &Path,
    fm: &FrontMatter,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawChanges> {
    let entry = fm.entry("changes")?;
    let help = "write `changes: { from: \"2015\", to: \"3.14\" }`; either may be left out (the first and the current version)";
    let Yaml::Map(mapping) = &entry.value.value else {
        problems.push(
            Diagnostic::error(
                shown,
                entry.value.position,
                format!(
                    "`changes` must be a mapping, not {}",
                    type_name(&entry.value.value)
                ),
            )
            .with_help(help),
        );
        return None;
    };
    let mut version = |key: &str| {
        let node = mapping.get(key)?;
        match scalar_text(&node.value) {
            Some(name) => Some((name, node.position)),
            None => {
                problems.push(
                    Diagnostic::error(
                        shown,
                        node.position,
                        format!("`{key}` in `changes` must name a version"),
                    )
                    .with_help(help),
                );
                None
            }
        }
    };
    let (from, to) = (version("from"), version("to"));
    for inner in mapping.iter().filter(|e| e.key != "from" && e.key != "to") {
        problems.push(
            Diagnostic::error(
                shown,
                inner.key_position,
                format!("unknown key `{}` in `changes`", inner.key),
            )
            .with_help(help),
        );
    }
    Some(RawChanges {
        position: entry.key_position,
        from,
        to,
    })
}

fn optional_bool(
    shown: &Path,
    fm: &FrontMatter,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<bool> {
    let node = fm.get(key)?;
    match &node.value {
        Yaml::Bool(b) => Some(*b),
        value => {
            let message = format!("`{key}` must be true or false, not {}", type_name(value));
            problems.push(Diagnostic::error(shown, node.position, message));
            None
        }
    }
}
