//! A model's value on one dimension, checked against the dimension's kind and levels.

use std::path::Path;

use crate::config::{DimensionKind, DimensionSpec, Versions};
use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::parse::markdown::Markup;
use crate::parse::{RawCell, RawChange, RawForm, RawStated, RawValue};

/// The written form of "this dimension does not apply to this model".
pub const NOT_APPLICABLE: &str = "n/a";

/// A model's value on one dimension across the book's versions: the value that holds from
/// the first version, then each change with the version it holds from. The changes are in
/// strictly increasing order of versions after the first, so every version has exactly one
/// value; only [`resolve`] builds a cell, which keeps it that way.
#[derive(Debug, Clone)]
pub struct Cell {
    first: Stated,
    changes: Vec<(usize, Stated)>,
}

/// One value with what supports it.
#[derive(Debug, Clone)]
pub struct Stated {
    pub value: CellValue,
    pub note_html: Option<Markup>,
    /// An absolute address that supports the value.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    NotApplicable,
    /// Index into the scale's levels, so ordering follows the declared scale.
    Level(usize),
    /// Indexes into the dimension's levels, in declared order.
    Tags(Vec<usize>),
    /// The writer's Markdown.
    Text(Markup),
}

impl Cell {
    /// The value that holds at version `version` (an index into the declared versions).
    pub fn at(&self, version: usize) -> &Stated {
        self.changes
            .iter()
            .rev()
            .find(|(since, _)| *since <= version)
            .map_or(&self.first, |(_, stated)| stated)
    }

    /// Every value with the version it holds from (the first from version 0), oldest first.
    pub fn history(&self) -> impl Iterator<Item = (usize, &Stated)> {
        std::iter::once((0, &self.first)).chain(self.changes.iter().map(|(v, s)| (*v, s)))
    }

    /// Whether the value is the same in every version.
    pub fn is_constant(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Checks a raw cell against its dimension and the declared versions.
pub fn resolve(
    shown: &Path,
    dimension: &DimensionSpec,
    versions: Option<&Versions>,
    raw: RawCell,
) -> Result<Cell, Diagnostic> {
    let RawCell { key, form, .. } = raw;
    let at = Place { shown, key: &key };
    match form {
        RawForm::Constant(stated) => Ok(Cell {
            first: resolve_stated(&at, dimension, *stated)?,
            changes: Vec::new(),
        }),
        RawForm::History { position, changes } => {
            let Some(versions) = versions else {
                return Err(Diagnostic::error(
                    shown,
                    position,
                    format!("`{key}` has a history, but the book declares no versions"),
                )
                .with_help("list the versions under [versions] in book.toml: list = [\"3.13\", \"3.14\"] and current = \"3.14\""));
            };
            resolve_history(&at, dimension, versions, changes)
        }
    }
}

fn resolve_history(
    at: &Place,
    dimension: &DimensionSpec,
    versions: &Versions,
    raw: Vec<RawChange>,
) -> Result<Cell, Diagnostic> {
    let mut first = None;
    let mut changes: Vec<(usize, Stated)> = Vec::new();
    for change in raw {
        let since = match &change.since {
            Some((name, position)) => {
                Some((since_index(at, versions, name, *position)?, *position))
            }
            None => None,
        };
        let stated = resolve_stated(at, dimension, change.stated)?;
        match (first.is_none(), since) {
            (true, None | Some((0, _))) => first = Some(stated),
            (true, Some((_, position))) => {
                return Err(Diagnostic::error(
                    at.shown,
                    position,
                    format!("the history of `{}` starts at {}, after the book's first version", at.key, versions.name(since.map_or(0, |s| s.0))),
                )
                .with_help(format!(
                    "the first value holds from {}: drop its `since`, or first give the value for the earlier versions (`n/a` if it did not apply)",
                    versions.name(0)
                )));
            }
            (false, None) => {
                return Err(Diagnostic::error(
                    at.shown,
                    change.position,
                    format!(
                        "this value of `{}` does not say since which version it holds",
                        at.key
                    ),
                )
                .with_help("every value of a history after the first says `since: VERSION`"));
            }
            (false, Some((index, position))) => {
                let previous = changes.last().map_or(0, |(v, _)| *v);
                if index <= previous {
                    let message = if index == previous {
                        format!(
                            "two values of `{}` hold from {}",
                            at.key,
                            versions.name(index)
                        )
                    } else {
                        format!(
                            "{} is before {}, the version of the value above it",
                            versions.name(index),
                            versions.name(previous)
                        )
                    };
                    return Err(Diagnostic::error(at.shown, position, message).with_help(format!(
                        "list a history's values oldest first, each from a later version; the versions in order are: {}",
                        versions.listed()
                    )));
                }
                let before = changes.last().map_or(first.as_ref(), |(_, s)| Some(s));
                if before.is_some_and(|before| before.value == stated.value)
                    && stated.note_html.is_none()
                {
                    return Err(Diagnostic::error(
                        at.shown,
                        position,
                        format!(
                            "the value of `{}` at {} is the one before it, so nothing changes here",
                            at.key,
                            versions.name(index)
                        ),
                    )
                    .with_help(
                        "drop this entry, or give it a `note` saying what changed in that version",
                    ));
                }
                changes.push((index, stated));
            }
        }
    }
    // The parse stage only makes a history with at least one entry.
    let first = first.expect("a history has a first value");
    Ok(Cell { first, changes })
}

fn since_index(
    at: &Place,
    versions: &Versions,
    name: &str,
    position: Position,
) -> Result<usize, Diagnostic> {
    versions.index(name).ok_or_else(|| {
        let help = match did_you_mean(name, versions.names().iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean `{near}`? The versions declared in book.toml are: {}",
                versions.listed()
            ),
            None => format!(
                "the versions declared in book.toml are: {}",
                versions.listed()
            ),
        };
        Diagnostic::error(
            at.shown,
            position,
            format!(
                "`{name}` in the history of `{}` is not a declared version",
                at.key
            ),
        )
        .with_help(help)
    })
}

/// Checks one value against its dimension.
fn resolve_stated(
    at: &Place,
    dimension: &DimensionSpec,
    raw: RawStated,
) -> Result<Stated, Diagnostic> {
    let RawStated {
        value_position: position,
        value,
        note_html,
        source,
    } = raw;
    let (shown, key) = (at.shown, at.key);
    let value = match (&dimension.kind, value) {
        (_, RawValue::One { text, .. }) if text == NOT_APPLICABLE => CellValue::NotApplicable,
        (DimensionKind::Scale(levels), RawValue::One { text, .. }) => {
            CellValue::Level(level_index(at, dimension, levels, &text, position)?)
        }
        (DimensionKind::Scale(levels), RawValue::Many(_)) => {
            return Err(Diagnostic::error(
                shown,
                position,
                format!("`{}` takes one level, not a list", key),
            )
            .with_help(format!(
                "pick one of: {}; explain nuances in a note",
                levels.join(", ")
            )));
        }
        (DimensionKind::Tags(levels), RawValue::One { text, .. }) => {
            CellValue::Tags(vec![level_index(at, dimension, levels, &text, position)?])
        }
        (DimensionKind::Tags(levels), RawValue::Many(items)) => {
            if items.is_empty() {
                return Err(Diagnostic::error(
                    shown,
                    position,
                    format!("`{}` has an empty list", key),
                )
                .with_help(format!(
                    "list at least one of: {}, or write `n/a`",
                    levels.join(", ")
                )));
            }
            let mut tags = items
                .iter()
                .map(|(item, position)| level_index(at, dimension, levels, item, *position))
                .collect::<Result<Vec<_>, _>>()?;
            tags.sort_unstable();
            tags.dedup();
            CellValue::Tags(tags)
        }
        (DimensionKind::Text, RawValue::One { html, .. }) => CellValue::Text(html),
        (DimensionKind::Text, RawValue::Many(_)) => {
            return Err(Diagnostic::error(
                shown,
                position,
                format!("`{}` is text, not a list", key),
            )
            .with_help("write the value as one line of text (Markdown allowed)"));
        }
    };
    Ok(Stated {
        value,
        note_html,
        source: source.map(|(url, _)| url),
    })
}

/// Whose value it is, for messages.
struct Place<'a> {
    shown: &'a Path,
    key: &'a str,
}

fn level_index(
    at: &Place,
    dimension: &DimensionSpec,
    levels: &[String],
    text: &str,
    position: Position,
) -> Result<usize, Diagnostic> {
    levels
        .iter()
        .position(|level| level == text)
        .ok_or_else(|| {
            let help = match did_you_mean(text, levels.iter().map(String::as_str)) {
                Some(near) => format!(
                    "did you mean `{near}`? The levels of `{}` are: {}, or n/a",
                    dimension.key,
                    levels.join(", ")
                ),
                None => format!(
                    "the levels of `{}` are: {}, or n/a (declared in book.toml)",
                    dimension.key,
                    levels.join(", ")
                ),
            };
            Diagnostic::error(
                at.shown,
                position,
                format!("`{text}` is not a level of `{}`", at.key),
            )
            .with_help(help)
        })
}
