//! The decision guide's tree, read from the front matter of `guide.md`.
//!
//! Every part of the tree keeps the position of the node it came from, so messages point at
//! the answer, the value or the key at fault whatever order the keys are written in. Which
//! models answers name, and whether preset filters fit the dimensions, is the model stage's
//! business.

use std::path::Path;

use super::Inline;
use super::front_matter::{FrontMatter, scalar_text};
use super::markdown::Markup;
use super::yaml::{Map, Node, Yaml};
use crate::diagnostic::{Diagnostic, Position};

#[derive(Debug)]
pub struct RawQuestion {
    pub text_html: Markup,
    pub position: Position,
    pub answers: Vec<RawAnswer>,
}

#[derive(Debug)]
pub struct RawAnswer {
    pub label_html: Markup,
    pub why_html: Option<Markup>,
    /// Where the answer's list item starts.
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
    /// Each level with the position of its value.
    pub levels: Vec<(String, Position)>,
    /// Where the dimension's key is written.
    pub position: Position,
}

#[derive(Debug)]
pub enum RawNext {
    Question(RawQuestion),
    /// The model's slug and the position of the `model:` value.
    Model {
        slug: String,
        position: Position,
    },
}

pub(super) fn raw_guide(
    shown: &Path,
    fm: &FrontMatter,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawQuestion> {
    let Some(question) = fm.get("question") else {
        problems.push(Diagnostic::error(shown, fm.start(), "the guide has no `question`")
            .with_help("the guide's front matter holds a tree: `question:` with `text:` and `answers:`; see README"));
        return None;
    };
    raw_question(shown, question, inline, problems)
}

fn raw_question(
    shown: &Path,
    node: &Node,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawQuestion> {
    let Yaml::Map(mapping) = &node.value else {
        problems.push(
            Diagnostic::error(
                shown,
                node.position,
                "a question must be a mapping with `text` and `answers`",
            )
            .with_help("e.g. `question:` then, indented, `text: ...` and `answers:`"),
        );
        return None;
    };
    check_keys(shown, mapping, &["text", "answers"], problems);
    let text = mapping
        .get("text")
        .and_then(|text| Some((text, scalar_text(&text.value)?)));
    let Some((text_node, text)) = text else {
        let position = mapping.get("text").map_or(node.position, |t| t.position);
        problems.push(
            Diagnostic::error(shown, position, "a question needs `text`")
                .with_help("e.g. `text: Is the work CPU-bound?`"),
        );
        return None;
    };
    let answers = match mapping.get("answers") {
        Some(Node {
            value: Yaml::List(items),
            ..
        }) if !items.is_empty() => items
            .iter()
            .filter_map(|item| raw_answer(shown, item, inline, problems))
            .collect(),
        other => {
            problems.push(
                Diagnostic::error(
                    shown,
                    other.map_or(node.position, |a| a.position),
                    "a question needs a non-empty list of `answers`",
                )
                .with_help("write `answers:` and under it one `- label: ...` item per answer"),
            );
            Vec::new()
        }
    };
    Some(RawQuestion {
        text_html: inline.html(text_node, &text),
        position: node.position,
        answers,
    })
}

fn raw_answer(
    shown: &Path,
    node: &Node,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawAnswer> {
    let position = node.position;
    let Yaml::Map(mapping) = &node.value else {
        problems.push(
            Diagnostic::error(
                shown,
                position,
                "an answer must be a mapping with `label` and `model` or `question`",
            )
            .with_help("e.g. `- label: Yes` and, under it, `model: threads`"),
        );
        return None;
    };
    check_keys(
        shown,
        mapping,
        &["label", "why", "model", "question", "preset", "filters"],
        problems,
    );
    let preset = mapping
        .get("preset")
        .and_then(|node| Some((scalar_text(&node.value)?, node.position)));
    let filters = raw_filters(shown, mapping.get("filters"), problems);
    let next = match (mapping.get("model"), mapping.get("question")) {
        (Some(model), None) => scalar_text(&model.value).map(|slug| RawNext::Model {
            slug,
            position: model.position,
        }),
        (None, Some(question)) => {
            raw_question(shown, question, inline, problems).map(RawNext::Question)
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
    let label = mapping
        .get("label")
        .and_then(|node| Some((node, scalar_text(&node.value)?)));
    let Some((label_node, label)) = label else {
        problems.push(
            Diagnostic::error(shown, position, "an answer needs a `label`")
                .with_help("e.g. `- label: CPU-bound pure Python`"),
        );
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
    let why_html = mapping
        .get("why")
        .and_then(|node| Some(inline.html(node, &scalar_text(&node.value)?)));
    Some(RawAnswer {
        preset,
        filters,
        label_html: inline.html(label_node, &label),
        why_html,
        position,
        next: next?,
    })
}

/// Reads `filters: { dimension: level or [levels] }`.
fn raw_filters(
    shown: &Path,
    node: Option<&Node>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<RawFilter> {
    let Some(node) = node else {
        return Vec::new();
    };
    let Yaml::Map(map) = &node.value else {
        problems.push(
            Diagnostic::error(
                shown,
                node.position,
                "`filters` must map dimension keys to levels",
            )
            .with_help("e.g. `filters: { purpose: [cpu-bound], parallelism: [yes] }`"),
        );
        return Vec::new();
    };
    map.iter()
        .filter_map(|entry| {
            let level = |node: &Node| Some((scalar_text(&node.value)?, node.position));
            let levels = match &entry.value.value {
                Yaml::List(items) => items.iter().map(level).collect::<Option<Vec<_>>>(),
                _ => level(&entry.value).map(|level| vec![level]),
            };
            match levels {
                Some(levels) if !levels.is_empty() => Some(RawFilter {
                    key: entry.key.clone(),
                    levels,
                    position: entry.key_position,
                }),
                _ => {
                    problems.push(Diagnostic::error(
                        shown,
                        entry.value.position,
                        format!("the filter on `{}` needs one or more levels", entry.key),
                    ));
                    None
                }
            }
        })
        .collect()
}

fn check_keys(shown: &Path, mapping: &Map, allowed: &[&str], problems: &mut Vec<Diagnostic>) {
    for entry in mapping.iter() {
        let key = entry.key.as_str();
        if !allowed.contains(&key) {
            let help = match crate::diagnostic::did_you_mean(key, allowed.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("allowed here: {}", allowed.join(", ")),
            };
            problems.push(
                Diagnostic::error(shown, entry.key_position, format!("unknown key `{key}`"))
                    .with_help(help),
            );
        }
    }
}
