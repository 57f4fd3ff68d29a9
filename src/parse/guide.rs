//! The decision guide's tree, read from the front matter of `guide.md`.
//!
//! Questions and answers are read in document order, so a cursor can find the line of each
//! key for messages. Which models answers name, and whether preset filters fit the
//! dimensions, is the model stage's business.

use std::path::Path;

use super::front_matter::{FrontMatter, Map, Yaml, scalar_text};
use super::markdown::Markdown;
use crate::diagnostic::{Diagnostic, Position};

#[derive(Debug)]
pub struct RawQuestion {
    pub text_html: String,
    pub position: Position,
    pub answers: Vec<RawAnswer>,
}

#[derive(Debug)]
pub struct RawAnswer {
    pub label_html: String,
    pub why_html: Option<String>,
    pub position: Position,
    pub next: RawNext,
    /// A workload preset for the matrix: its name and the facet filters it sets.
    pub preset: Option<(String, Position)>,
    pub filters: Vec<RawFilter>,
}

/// `dimension: [levels]` in an answer's `filters`.
#[derive(Debug)]
pub struct RawFilter {
    pub key: String,
    pub levels: Vec<String>,
    pub position: Position,
}

#[derive(Debug)]
pub enum RawNext {
    Question(RawQuestion),
    Model { slug: String, position: Position },
}

pub(super) fn raw_guide(
    shown: &Path,
    fm: &FrontMatter,
    md: &Markdown,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawQuestion> {
    let Some(question) = fm.get("question") else {
        problems.push(Diagnostic::error(shown, Position::new(2, 1), "the guide has no `question`")
            .with_help("the guide's front matter holds a tree: `question:` with `text:` and `answers:`; see README"));
        return None;
    };
    let mut cursor = fm.find_key("question", 0).map_or(0, |(line, _)| line);
    raw_question(shown, fm, question, md, &mut cursor, problems)
}

/// Reads one question and its answers, in document order so `cursor` can find each key's line.
fn raw_question(
    shown: &Path,
    fm: &FrontMatter,
    value: &Yaml,
    md: &Markdown,
    cursor: &mut usize,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawQuestion> {
    let here = fm
        .find_key("text", *cursor)
        .map_or(Position::START, |(_, p)| p);
    let Yaml::Map(mapping) = value else {
        problems.push(Diagnostic::error(
            shown,
            here,
            "a question must be a mapping with `text` and `answers`",
        ));
        return None;
    };
    check_keys(shown, mapping, &["text", "answers"], here, problems);
    let text = mapping.get("text").and_then(scalar_text);
    let (line, position) = fm.find_key("text", *cursor).unwrap_or((*cursor, here));
    *cursor = line;
    let Some(text) = text else {
        problems.push(
            Diagnostic::error(shown, position, "a question needs `text`")
                .with_help("e.g. `text: Is the work CPU-bound?`"),
        );
        return None;
    };
    let answers = match mapping.get("answers") {
        Some(Yaml::List(items)) if !items.is_empty() => items
            .iter()
            .filter_map(|item| raw_answer(shown, fm, item, md, cursor, problems))
            .collect(),
        _ => {
            problems.push(Diagnostic::error(
                shown,
                position,
                "a question needs a non-empty list of `answers`",
            ));
            Vec::new()
        }
    };
    Some(RawQuestion {
        text_html: md.inline(&text),
        position,
        answers,
    })
}

fn raw_answer(
    shown: &Path,
    fm: &FrontMatter,
    value: &Yaml,
    md: &Markdown,
    cursor: &mut usize,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawAnswer> {
    let (line, position) = fm
        .find_key("label", *cursor)
        .unwrap_or((*cursor, Position::START));
    *cursor = line;
    let Yaml::Map(mapping) = value else {
        problems.push(Diagnostic::error(
            shown,
            position,
            "an answer must be a mapping with `label` and `model` or `question`",
        ));
        return None;
    };
    check_keys(
        shown,
        mapping,
        &["label", "why", "model", "question", "preset", "filters"],
        position,
        problems,
    );
    let label = mapping.get("label").and_then(scalar_text);
    let label_line = *cursor;
    let preset = mapping.get("preset").and_then(scalar_text).map(|name| {
        let at = fm
            .find_key("preset", label_line)
            .map_or(position, |(_, p)| p);
        (name, at)
    });
    let filters = raw_filters(
        shown,
        fm,
        mapping.get("filters"),
        label_line,
        position,
        problems,
    );
    let why = mapping.get("why").and_then(scalar_text);
    let next = match (mapping.get("model"), mapping.get("question")) {
        (Some(model), None) => {
            let (line, model_position) =
                fm.find_key("model", *cursor).unwrap_or((*cursor, position));
            *cursor = line;
            scalar_text(model).map(|slug| RawNext::Model {
                slug,
                position: model_position,
            })
        }
        (None, Some(question)) => {
            raw_question(shown, fm, question, md, cursor, problems).map(RawNext::Question)
        }
        _ => {
            problems.push(
                Diagnostic::error(
                    shown,
                    position,
                    "an answer needs exactly one of `model` or `question`",
                )
                .with_help(
                    "`model: threads` ends the path at a model; `question:` asks another question",
                ),
            );
            None
        }
    };
    let Some(label) = label else {
        problems.push(Diagnostic::error(
            shown,
            position,
            "an answer needs a `label`",
        ));
        return None;
    };
    if preset.is_some() == filters.is_empty() {
        problems.push(
            Diagnostic::error(
                shown,
                position,
                "an answer with a `preset` needs `filters`, and `filters` need a `preset` name",
            )
            .with_help(
                "e.g. `preset: CPU-bound pure Python` and `filters: { purpose: [cpu-bound] }`",
            ),
        );
    }
    Some(RawAnswer {
        preset,
        filters,
        label_html: md.inline(&label),
        why_html: why.map(|why| md.inline(&why)),
        position,
        next: next?,
    })
}

/// Reads `filters: { dimension: level or [levels] }`.
fn raw_filters(
    shown: &Path,
    fm: &FrontMatter,
    value: Option<&Yaml>,
    from_line: usize,
    position: Position,
    problems: &mut Vec<Diagnostic>,
) -> Vec<RawFilter> {
    let Some(value) = value else {
        return Vec::new();
    };
    let Yaml::Map(map) = value else {
        problems.push(
            Diagnostic::error(
                shown,
                position,
                "`filters` must map dimension keys to levels",
            )
            .with_help("e.g. `filters: { purpose: [cpu-bound], parallelism: [yes] }`"),
        );
        return Vec::new();
    };
    map.iter()
        .filter_map(|(key, levels)| {
            let at = fm.find_key(key, from_line).map_or(position, |(_, p)| p);
            let levels = match levels {
                Yaml::List(items) => items.iter().map(scalar_text).collect::<Option<Vec<_>>>(),
                other => scalar_text(other).map(|level| vec![level]),
            };
            match levels {
                Some(levels) if !levels.is_empty() => Some(RawFilter {
                    key: key.to_string(),
                    levels,
                    position: at,
                }),
                _ => {
                    problems.push(Diagnostic::error(
                        shown,
                        at,
                        format!("the filter on `{key}` needs one or more levels"),
                    ));
                    None
                }
            }
        })
        .collect()
}

fn check_keys(
    shown: &Path,
    mapping: &Map,
    allowed: &[&str],
    position: Position,
    problems: &mut Vec<Diagnostic>,
) {
    for key in mapping.keys() {
        if !allowed.contains(&key) {
            let help = match crate::diagnostic::did_you_mean(key, allowed.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("allowed here: {}", allowed.join(", ")),
            };
            problems.push(
                Diagnostic::error(shown, position, format!("unknown key `{key}`")).with_help(help),
            );
        }
    }
}
