//! The decision guide: a tree of questions whose answers end at models.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::{DimensionKind, DimensionSpec};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::parse::markdown::Markup;
use crate::parse::{RawFilter, RawNext, RawQuestion};

#[derive(Debug, Clone)]
pub struct Question {
    /// Stable id from the answer path: `q`, `q-2`, `q-2-1`.
    pub id: String,
    pub text_html: Markup,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub label_html: Markup,
    pub why_html: Option<Markup>,
    pub next: Next,
    pub preset: Option<Preset>,
}

/// A workload preset for the matrix, named by a guide answer.
#[derive(Debug, Clone)]
pub struct Preset {
    pub name: String,
    /// (dimension index, level indexes): only facet dimensions, only declared levels.
    pub filters: Vec<(usize, Vec<usize>)>,
}

#[derive(Debug, Clone)]
pub enum Next {
    Question(Question),
    /// Index into `Site::models`.
    Model(usize),
}

impl Question {
    /// Every model index the guide can lead to, in tree order.
    pub fn reachable_models(&self, out: &mut Vec<usize>) {
        for answer in &self.answers {
            match &answer.next {
                Next::Question(q) => q.reachable_models(out),
                Next::Model(index) => out.push(*index),
            }
        }
    }
}

/// Resolves model slugs to model indexes, collecting every unknown one.
/// What answers are checked against.
pub struct Known<'a> {
    pub models: &'a BTreeMap<String, usize>,
    /// Slugs of model files that failed to parse or validate: their problem is already
    /// reported, so the guide is not blamed for naming them.
    pub broken: &'a BTreeSet<String>,
    /// Slugs of the models marked `draft: true` and left out of this site.
    pub drafts: &'a BTreeSet<String>,
    pub dimensions: &'a [DimensionSpec],
}

pub fn resolve(
    shown: &Path,
    raw: RawQuestion,
    id: String,
    known: &Known,
    problems: &mut Vec<Diagnostic>,
) -> Question {
    let answers = raw
        .answers
        .into_iter()
        .enumerate()
        .filter_map(|(i, answer)| {
            let next = match answer.next {
                RawNext::Question(q) => Next::Question(resolve(
                    shown,
                    q,
                    format!("{id}-{}", i + 1),
                    known,
                    problems,
                )),
                RawNext::Model { slug, position } => match known.models.get(&slug) {
                    Some(&index) => Next::Model(index),
                    None if known.broken.contains(&slug) => return None,
                    None if known.drafts.contains(&slug) => {
                        problems.push(
                            Diagnostic::error(
                                shown,
                                position,
                                format!(
                                    "the guide names the model `{slug}`, which is a draft, left out of the site"
                                ),
                            )
                            .with_help(
                                "publish it (remove `draft: true`), check the book with its drafts (`versus check --drafts`), or remove this answer",
                            ),
                        );
                        return None;
                    }
                    None => {
                        let help =
                            match did_you_mean(&slug, known.models.keys().map(String::as_str)) {
                                Some(near) => format!("did you mean `{near}`?"),
                                None => format!(
                                    "the models are: {}",
                                    known.models.keys().cloned().collect::<Vec<_>>().join(", ")
                                ),
                            };
                        problems.push(
                            Diagnostic::error(
                                shown,
                                position,
                                format!("the guide names an unknown model `{slug}`"),
                            )
                            .with_help(help),
                        );
                        return None;
                    }
                },
            };
            let preset = answer.preset.map(|(name, _)| Preset {
                name,
                filters: resolve_filters(shown, answer.filters, known.dimensions, problems),
            });
            Some(Answer {
                label_html: answer.label_html,
                why_html: answer.why_html,
                next,
                preset,
            })
        })
        .collect();
    Question {
        id,
        text_html: raw.text_html,
        answers,
    }
}

/// Checks a preset's filters: facet dimensions only, declared levels only.
fn resolve_filters(
    shown: &Path,
    raw: Vec<RawFilter>,
    dimensions: &[DimensionSpec],
    problems: &mut Vec<Diagnostic>,
) -> Vec<(usize, Vec<usize>)> {
    let facets = || {
        dimensions
            .iter()
            .filter(|d| d.facet)
            .map(|d| d.key.as_str())
    };
    raw.into_iter()
        .filter_map(|filter| {
            let found = dimensions
                .iter()
                .position(|d| d.key == filter.key && d.facet);
            let Some(index) = found else {
                let help = match did_you_mean(&filter.key, facets()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "filters use facet dimensions: {}",
                        facets().collect::<Vec<_>>().join(", ")
                    ),
                };
                problems.push(
                    Diagnostic::error(
                        shown,
                        filter.position,
                        format!("`{}` is not a facet dimension", filter.key),
                    )
                    .with_help(help),
                );
                return None;
            };
            let (DimensionKind::Scale(levels) | DimensionKind::Tags(levels)) =
                &dimensions[index].kind
            else {
                return None;
            };
            let mut indexes = Vec::new();
            for (level, position) in &filter.levels {
                match levels.iter().position(|l| l == level) {
                    Some(i) => indexes.push(i),
                    None => problems.push(
                        Diagnostic::error(
                            shown,
                            *position,
                            format!("`{level}` is not a level of `{}`", filter.key),
                        )
                        .with_help(format!("the levels are: {}", levels.join(", "))),
                    ),
                }
            }
            indexes.sort_unstable();
            Some((index, indexes))
        })
        .collect()
}
