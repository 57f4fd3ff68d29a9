//! A model's value on one dimension, checked against the dimension's kind and levels.

use std::path::Path;

use crate::config::{DimensionKind, DimensionSpec};
use crate::diagnostic::{Diagnostic, Position};
use crate::parse::markdown::Markup;
use crate::parse::{RawCell, RawValue};

/// The written form of "this dimension does not apply to this model".
pub const NOT_APPLICABLE: &str = "n/a";

#[derive(Debug, Clone)]
pub struct Cell {
    pub value: CellValue,
    pub note_html: Option<Markup>,
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

/// Checks a raw value against its dimension.
pub fn resolve(shown: &Path, dimension: &DimensionSpec, raw: RawCell) -> Result<Cell, Diagnostic> {
    let RawCell {
        key,
        value_position: position,
        value,
        note_html,
        ..
    } = raw;
    let at = Place { shown, key: &key };
    let value = match (&dimension.kind, value) {
        (_, RawValue::One { text, .. }) if text == NOT_APPLICABLE => CellValue::NotApplicable,
        (DimensionKind::Scale(levels), RawValue::One { text, .. }) => {
            CellValue::Level(level_index(&at, dimension, levels, &text, position)?)
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
            CellValue::Tags(vec![level_index(&at, dimension, levels, &text, position)?])
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
                .map(|(item, position)| level_index(&at, dimension, levels, item, *position))
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
    Ok(Cell { value, note_html })
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
            let help =
                match crate::diagnostic::did_you_mean(text, levels.iter().map(String::as_str)) {
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
