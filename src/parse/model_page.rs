//! A model page's own front matter: its values, one per dimension, and its pros and cons.
//!
//! Each value keeps the position of its key and of its value, so the model stage can blame
//! an unknown dimension on the key and a level that does not exist on the value.

use std::path::Path;

use super::Inline;
use super::front_matter::{Entry, FrontMatter, scalar_text, type_name};
use super::markdown::Markup;
use super::yaml::{Map, Node, Yaml};
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
    pub form: RawForm,
}

/// One value for every version, or a history of values.
#[derive(Debug)]
pub enum RawForm {
    Constant(Box<RawStated>),
    History {
        /// Where `history:` is written.
        position: Position,
        changes: Vec<RawChange>,
    },
}

/// A value as written, with its note and source.
#[derive(Debug)]
pub struct RawStated {
    /// Where the value (or the `value:` of a value with a note) is written.
    pub value_position: Position,
    pub value: RawValue,
    pub note_html: Option<Markup>,
    /// The address that supports the value, with where it is written.
    pub source: Option<(String, Position)>,
}

/// One entry of a history: the version it holds from (none: the first version) and its value.
#[derive(Debug)]
pub struct RawChange {
    /// Where the entry starts.
    pub position: Position,
    pub since: Option<(String, Position)>,
    pub stated: RawStated,
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
    let form = match &entry.value.value {
        Yaml::Map(mapping) if mapping.get("history").is_some() => {
            raw_history(shown, key, mapping, inline, problems)?
        }
        _ => RawForm::Constant(Box::new(raw_stated(
            shown,
            key,
            &entry.value,
            &[],
            inline,
            problems,
        )?)),
    };
    Some(RawCell {
        key: key.clone(),
        position: entry.key_position,
        form,
    })
}

fn raw_history(
    shown: &Path,
    key: &str,
    mapping: &Map,
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawForm> {
    let history = mapping.entry("history")?;
    if let Some(other) = mapping.iter().find(|e| e.key != "history") {
        problems.push(
            Diagnostic::error(
                shown,
                other.key_position,
                format!("`{key}` has a history, so `{}` belongs in one of its entries", other.key),
            )
            .with_help("each entry of `history:` has its own `value`, `note` and `source`, and `since` after the first"),
        );
        return None;
    }
    let items = match &history.value.value {
        Yaml::List(items) if !items.is_empty() => items,
        other => {
            let what = match other {
                Yaml::List(_) => "is empty".to_string(),
                other => format!("must be a list, not {}", type_name(other)),
            };
            problems.push(
                Diagnostic::error(
                    shown,
                    history.value.position,
                    format!("the history of `{key}` {what}"),
                )
                .with_help("write one `- value: ...` entry per change, oldest first, each after the first with `since: VERSION`"),
            );
            return None;
        }
    };
    let mut changes = Vec::new();
    let mut broken = false;
    for item in items {
        let since = match &item.value {
            Yaml::Map(entry) => entry.get("since").map(|node| match scalar_text(&node.value) {
                Some(text) => Some((text, node.position)),
                None => {
                    problems.push(Diagnostic::error(
                        shown,
                        node.position,
                        format!("`since` in the history of `{key}` must name a version"),
                    ).with_help("write the version as it is listed under [versions] in book.toml, e.g. `since: \"3.14\"`"));
                    None
                }
            }),
            other => {
                problems.push(
                    Diagnostic::error(
                        shown,
                        item.position,
                        format!("an entry of the history of `{key}` must be a mapping, not {}", type_name(other)),
                    )
                    .with_help("write `- since: VERSION` and under it `value: ...` (and `note`, `source`)"),
                );
                broken = true;
                continue;
            }
        };
        let since = match since {
            Some(Some(since)) => Some(since),
            Some(None) => {
                broken = true;
                continue;
            }
            None => None,
        };
        match raw_stated(shown, key, item, &["since"], inline, problems) {
            Some(stated) => changes.push(RawChange {
                position: item.position,
                since,
                stated,
            }),
            None => broken = true,
        }
    }
    (!broken).then_some(RawForm::History {
        position: history.key_position,
        changes,
    })
}

/// A value: a scalar or list, or a mapping with `value`, `note`, `source` and the keys in
/// `also` (the history's `since`).
fn raw_stated(
    shown: &Path,
    key: &str,
    node: &Node,
    also: &[&str],
    inline: &Inline,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawStated> {
    let (value, note, source) = match &node.value {
        Yaml::Map(mapping) => {
            for inner in mapping.iter() {
                let known = ["value", "note", "source"].contains(&inner.key.as_str())
                    || also.contains(&inner.key.as_str());
                if !known {
                    problems.push(
                        Diagnostic::error(
                            shown,
                            inner.key_position,
                            format!("unknown key `{}` in the value of `{key}`", inner.key),
                        )
                        .with_help(
                            "a value with a note is written `{ value: ..., note: \"...\", source: \"https://...\" }`",
                        ),
                    );
                }
            }
            (
                mapping.get("value"),
                mapping.get("note"),
                mapping.get("source"),
            )
        }
        _ => (Some(node), None, None),
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
    let source = match source.map(|n| (n, scalar_text(&n.value))) {
        None => None,
        Some((node, Some(url))) if url.starts_with("https://") || url.starts_with("http://") => {
            Some((url, node.position))
        }
        Some((node, _)) => {
            problems.push(
                Diagnostic::error(
                    shown,
                    node.position,
                    format!("the source of `{key}` must be an absolute http(s) address"),
                )
                .with_help("give the page that supports the value, e.g. `source: \"https://docs.python.org/3/whatsnew/3.14.html\"`"),
            );
            return None;
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
    let value_position = value.map_or(node.position, |node| node.position);
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
    Some(RawStated {
        value_position,
        value,
        note_html,
        source,
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
