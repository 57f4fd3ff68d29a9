//! A model page's own front matter: its values, one per dimension, and its pros and cons.
//!
//! Each value keeps the position of its key and of its value, so the model stage can blame
//! an unknown dimension on the key and a level that does not exist on the value.

use std::path::Path;

use super::Inline;
use super::front_matter::{Entry, FrontMatter, scalar_text, type_name};
use super::markdown::Markup;
use super::yaml::{Node, Yaml};
use crate::diagnostic::{Diagnostic, Position};

#[derive(Debug)]
pub struct RawModel {
    pub values: Vec<RawCell>,
    /// Where `values:` is, for problems about the whole set.
    pub values_position: Position,
    pub pros: Vec<Markup>,
    pub cons: Vec<Markup>,
}

/// A model's value on one dimension, before it is checked against the dimension.
#[derive(Debug)]
pub struct RawCell {
    pub key: String,
    /// Where the dimension's key is written.
    pub position: Position,
    /// Where the value (or the `value:` of a value with a note) is written.
    pub value_position: Position,
    pub value: RawValue,
    pub note_html: Option<Markup>,
}

#[derive(Debug)]
pub enum RawValue {
    One {
        text: String,
        html: Markup,
    },
    /// Each item with its position.
    Many(Vec<(String, Position)>),
}

pub(super) fn raw_model(
    shown: &Path,
    fm: &FrontMatter,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> RawModel {
    let entry = fm.entry("values");
    let values_position = entry.map_or(fm.start(), |e| e.key_position);
    let mut values = Vec::new();
    match entry.map(|e| &e.value.value) {
        Some(Yaml::Map(mapping)) => {
            for entry in mapping.iter() {
                if let Some(cell) = raw_cell(shown, entry, inline, problems) {
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
        pros: string_list(shown, fm, "pros", inline, problems),
        cons: string_list(shown, fm, "cons", inline, problems),
    }
}

fn raw_cell(
    shown: &Path,
    entry: &Entry,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawCell> {
    let key = &entry.key;
    let (value, note) = match &entry.value.value {
        Yaml::Map(mapping) => {
            for inner in mapping.iter() {
                if inner.key != "value" && inner.key != "note" {
                    problems.push(
                        Diagnostic::error(
                            shown,
                            inner.key_position,
                            format!("unknown key `{}` in the value of `{key}`", inner.key),
                        )
                        .with_help(
                            "a value with a note is written `{ value: ..., note: \"...\" }`",
                        ),
                    );
                }
            }
            (mapping.get("value"), mapping.get("note"))
        }
        _ => (Some(&entry.value), None),
    };
    let note_html = match note.map(|n| (n, scalar_text(&n.value))) {
        None => None,
        Some((node, Some(note))) => Some(inline.html(node, &note)),
        Some((node, None)) => {
            problems.push(Diagnostic::error(
                shown,
                node.position,
                format!("the note of `{key}` must be text"),
            ));
            None
        }
    };
    let raw = value.and_then(|node| match &node.value {
        Yaml::List(items) => items
            .iter()
            .map(|item| Some((scalar_text(&item.value)?, item.position)))
            .collect::<Option<Vec<_>>>()
            .map(RawValue::Many),
        other => scalar_text(other).map(|text| RawValue::One {
            html: inline.html(node, &text),
            text,
        }),
    });
    let value_position = value.map_or(entry.value.position, |node| node.position);
    let Some(value) = raw else {
        problems.push(
            Diagnostic::error(
                shown,
                value_position,
                format!("`{key}` has no usable value"),
            )
            .with_help("give one of the dimension's levels, a list of them, text, or `n/a`"),
        );
        return None;
    };
    Some(RawCell {
        key: key.clone(),
        position: entry.key_position,
        value_position,
        value,
        note_html,
    })
}

fn string_list(
    shown: &Path,
    fm: &FrontMatter,
    key: &str,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Markup> {
    let Some(node) = fm.get(key) else {
        return Vec::new();
    };
    let Yaml::List(items) = &node.value else {
        problems.push(
            Diagnostic::error(
                shown,
                node.position,
                format!("`{key}` must be a list, not {}", type_name(&node.value)),
            )
            .with_help(format!(
                "write `{key}:` and under it one `- item` line per entry"
            )),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match scalar_text(&item.value) {
            Some(text) => Some(inline.html(item, &text)),
            None => {
                problems.push(not_text(shown, key, item));
                None
            }
        })
        .collect()
}

/// An item of a list of text that YAML read as something else. A `Word: more` item is the
/// usual cause: YAML reads a colon followed by a space as a key and a value.
fn not_text(shown: &Path, key: &str, item: &Node) -> Diagnostic {
    let help = match &item.value {
        Yaml::Map(mapping) => match mapping.iter().next() {
            Some(entry) if mapping.iter().count() == 1 => {
                let written = match scalar_text(&entry.value.value) {
                    Some(value) => format!("{}: {value}", entry.key),
                    None => format!("{}:", entry.key),
                };
                format!(
                    "YAML reads `{written}` as a key and a value; put the item in quotes: `- \"{written}\"`"
                )
            }
            _ => "YAML reads `word: more` as a key and a value; put the item in quotes".to_string(),
        },
        _ => "put the item in quotes to make it text".to_string(),
    };
    Diagnostic::error(
        shown,
        item.position,
        format!(
            "every item of `{key}` must be text, not {}",
            type_name(&item.value)
        ),
    )
    .with_help(help)
}
