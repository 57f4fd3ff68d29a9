//! Stage 3: read each source file into a typed [`Document`].
//!
//! Checks what can be checked from one file alone (UTF-8, YAML syntax, known keys, types) and
//! renders every Markdown string once. Checks that need the whole book, such as dimension
//! levels or guide targets, belong to the model stage.

pub mod front_matter;
mod guide;
pub mod markdown;

pub use guide::{RawAnswer, RawFilter, RawNext, RawQuestion};

use std::collections::BTreeSet;

use rayon::prelude::*;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Position};
use crate::discover::{SourceFile, SourceKind};
use front_matter::{FrontMatter, Yaml, scalar_text, type_name};
use markdown::{Body, LinkRef, Markdown};

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
    pub summary_html: String,
    pub order: i64,
    pub slug: Option<(String, Position)>,
    pub toc: Option<bool>,
    /// `nav:` as written; without it, top-level pages are in the navigation, nested ones not.
    pub nav: Option<bool>,
}

/// What a document has beyond a plain page.
#[derive(Debug)]
pub enum Extra {
    Page,
    Matrix,
    Model(RawModel),
    Guide(RawQuestion),
}

#[derive(Debug)]
pub struct RawModel {
    pub values: Vec<RawCell>,
    /// Where `values:` is, for problems about the whole set.
    pub values_position: Position,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
}

/// A model's value on one dimension, before it is checked against the dimension.
#[derive(Debug)]
pub struct RawCell {
    pub key: String,
    pub position: Position,
    pub value: RawValue,
    pub note_html: Option<String>,
}

#[derive(Debug)]
pub enum RawValue {
    One { text: String, html: String },
    Many(Vec<String>),
}

const PAGE_KEYS: &[&str] = &["title", "summary", "order", "slug", "toc", "nav"];
const MATRIX_KEYS: &[&str] = &["title", "summary", "toc"];
const MODEL_KEYS: &[&str] = &[
    "title", "summary", "order", "slug", "toc", "values", "pros", "cons",
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
    let bytes = std::fs::read(&source.absolute).map_err(|err| {
        vec![Diagnostic::error(
            &shown,
            Position::START,
            format!("cannot read: {err}"),
        )]
    })?;
    let text = decode(&shown, bytes).map_err(|d| vec![d])?;
    let split = front_matter::split(&shown, &text).map_err(|d| vec![d])?;
    let fm = FrontMatter::parse(&shown, split.yaml).map_err(|d| vec![d])?;
    let md = Markdown::new(&source.relative, config.markdown.smart_punctuation);
    let mut problems = Vec::new();

    let (allowed, what) = match source.kind {
        SourceKind::Model => (MODEL_KEYS, "a model page"),
        SourceKind::Guide => (GUIDE_KEYS, "the guide"),
        SourceKind::Matrix => (MATRIX_KEYS, "the matrix page"),
        _ => (PAGE_KEYS, "a page"),
    };
    problems.extend(fm.unknown_keys(&shown, allowed, what));
    let meta = page_meta(&shown, &fm, &md, split.yaml.is_some(), &mut problems);
    let extra = match source.kind {
        SourceKind::Model => Extra::Model(raw_model(&shown, &fm, &md, &mut problems)),
        SourceKind::Guide => match guide::raw_guide(&shown, &fm, &md, &mut problems) {
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
    let body = md.body(split.body, split.body_line, reserved);
    let front_links = fm
        .markdown_links()
        .into_iter()
        .map(|(dest, position, is_image)| LinkRef {
            dest,
            position,
            is_image,
        })
        .collect();
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

/// Reads the file as UTF-8, pointing at the first byte that is not.
fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
        let position = LineIndex::new(&prefix, 1).position(prefix.len());
        Diagnostic::error(shown, position, "the file is not valid UTF-8")
            .with_help("save the file as UTF-8 (most editors have an \"encoding\" setting)")
    })
}

fn page_meta(
    shown: &Path,
    fm: &FrontMatter,
    md: &Markdown,
    has_front_matter: bool,
    problems: &mut Vec<Diagnostic>,
) -> PageMeta {
    let title = match fm.get("title").map(|v| (scalar_text(v), v)) {
        Some((Some(title), _)) if !title.trim().is_empty() => title,
        Some((_, value)) => {
            problems.push(key_error(
                shown,
                fm,
                "title",
                format!("the title is {}, not text", type_name(value)),
            ));
            String::new()
        }
        None => {
            let position = if has_front_matter {
                Position::new(2, 1)
            } else {
                Position::START
            };
            let help = if has_front_matter {
                "add `title: ...` to the front matter"
            } else {
                "start the file with front matter: `---`, `title: ...`, `---`"
            };
            problems
                .push(Diagnostic::error(shown, position, "the page has no title").with_help(help));
            String::new()
        }
    };
    let order = match fm.get("order") {
        None => 0,
        Some(Yaml::Number(n)) if n.parse::<i64>().is_ok() => n.parse().unwrap_or_default(),
        Some(value) => {
            problems.push(key_error(
                shown,
                fm,
                "order",
                format!("`order` must be a whole number, not {}", type_name(value)),
            ));
            0
        }
    };
    let slug = fm.get("slug").and_then(|value| {
        let position = fm.find_key("slug", 0).map_or(Position::START, |(_, p)| p);
        match scalar_text(value) {
            Some(slug) if crate::text::slugify(&slug) == slug => Some((slug, position)),
            _ => {
                problems.push(
                    Diagnostic::error(
                        shown,
                        position,
                        "`slug` must be lowercase letters, digits and hyphens",
                    )
                    .with_help("e.g. `slug: free-threading`"),
                );
                None
            }
        }
    });
    let toc = optional_bool(shown, fm, "toc", problems);
    let nav = optional_bool(shown, fm, "nav", problems);
    let summary_html = match fm.get("summary") {
        None => String::new(),
        Some(value) => match scalar_text(value) {
            Some(summary) => md.inline(&summary),
            None => {
                problems.push(key_error(
                    shown,
                    fm,
                    "summary",
                    "`summary` must be text".to_string(),
                ));
                String::new()
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
    }
}

fn optional_bool(
    shown: &Path,
    fm: &FrontMatter,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<bool> {
    match fm.get(key) {
        None => None,
        Some(Yaml::Bool(b)) => Some(*b),
        Some(value) => {
            let message = format!("`{key}` must be true or false, not {}", type_name(value));
            problems.push(key_error(shown, fm, key, message));
            None
        }
    }
}

pub(super) fn key_error(shown: &Path, fm: &FrontMatter, key: &str, message: String) -> Diagnostic {
    let position = fm.find_key(key, 0).map_or(Position::START, |(_, p)| p);
    Diagnostic::error(shown, position, message)
}

fn raw_model(
    shown: &Path,
    fm: &FrontMatter,
    md: &Markdown,
    problems: &mut Vec<Diagnostic>,
) -> RawModel {
    let (values_line, values_position) =
        fm.find_key("values", 0).unwrap_or((0, Position::new(2, 1)));
    let mut values = Vec::new();
    match fm.get("values") {
        Some(Yaml::Map(mapping)) => {
            let mut cursor = values_line;
            for (key, value) in mapping.iter() {
                let key = key.to_string();
                let (line, position) = fm
                    .find_key(&key, cursor)
                    .unwrap_or((cursor, values_position));
                cursor = line;
                if let Some(cell) = raw_cell(shown, key, position, value, md, problems) {
                    values.push(cell);
                }
            }
        }
        Some(value) => problems.push(
            Diagnostic::error(
                shown,
                values_position,
                format!(
                    "`values` must be a mapping of dimension keys to values, not {}",
                    type_name(value)
                ),
            )
            .with_help("write `values:` and under it one `dimension: value` line per dimension"),
        ),
        None => {}
    }
    RawModel {
        values,
        values_position,
        pros: string_list(shown, fm, "pros", md, problems),
        cons: string_list(shown, fm, "cons", md, problems),
    }
}

fn raw_cell(
    shown: &Path,
    key: String,
    position: Position,
    value: &Yaml,
    md: &Markdown,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawCell> {
    let (value, note) = match value {
        Yaml::Map(mapping) => {
            for inner in mapping.keys() {
                if inner != "value" && inner != "note" {
                    problems.push(
                        Diagnostic::error(
                            shown,
                            position,
                            format!("unknown key `{inner}` in the value of `{key}`"),
                        )
                        .with_help(
                            "a value with a note is written `{ value: ..., note: \"...\" }`",
                        ),
                    );
                }
            }
            (mapping.get("value"), mapping.get("note"))
        }
        other => (Some(other), None),
    };
    let note_html = match note.map(scalar_text) {
        None => None,
        Some(Some(note)) => Some(md.inline(&note)),
        Some(None) => {
            problems.push(Diagnostic::error(
                shown,
                position,
                format!("the note of `{key}` must be text"),
            ));
            None
        }
    };
    let value = match value {
        Some(Yaml::List(items)) => {
            let texts: Option<Vec<String>> = items.iter().map(scalar_text).collect();
            texts.map(RawValue::Many)
        }
        Some(value) => scalar_text(value).map(|text| RawValue::One {
            html: md.inline(&text),
            text,
        }),
        None => None,
    };
    let Some(value) = value else {
        problems.push(
            Diagnostic::error(shown, position, format!("`{key}` has no usable value"))
                .with_help("give one of the dimension's levels, a list of them, text, or `n/a`"),
        );
        return None;
    };
    Some(RawCell {
        key,
        position,
        value,
        note_html,
    })
}

fn string_list(
    shown: &Path,
    fm: &FrontMatter,
    key: &str,
    md: &Markdown,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    match fm.get(key) {
        None => Vec::new(),
        Some(Yaml::List(items)) => items
            .iter()
            .filter_map(|item| match scalar_text(item) {
                Some(text) => Some(md.inline(&text)),
                None => {
                    problems.push(key_error(
                        shown,
                        fm,
                        key,
                        format!(
                            "every item of `{key}` must be text, not {}",
                            type_name(item)
                        ),
                    ));
                    None
                }
            })
            .collect(),
        Some(value) => {
            problems.push(
                key_error(
                    shown,
                    fm,
                    key,
                    format!("`{key}` must be a list, not {}", type_name(value)),
                )
                .with_help(format!(
                    "write `{key}:` and under it one `- item` line per entry"
                )),
            );
            Vec::new()
        }
    }
}
