//! The decision guide: a tree of questions whose answers end at models.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::parse::{RawNext, RawQuestion};

#[derive(Debug, Clone)]
pub struct Question {
    /// Stable id from the answer path: `q`, `q-2`, `q-2-1`.
    pub id: String,
    pub text_html: String,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub label_html: String,
    pub why_html: Option<String>,
    pub next: Next,
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
/// Slugs in `unparsed` belong to model files that failed to parse: their problem is already
/// reported, so the guide is not blamed for naming them.
pub fn resolve(
    shown: &Path,
    raw: RawQuestion,
    id: String,
    models: &BTreeMap<String, usize>,
    unparsed: &BTreeSet<String>,
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
                    models,
                    unparsed,
                    problems,
                )),
                RawNext::Model { slug, position } => match models.get(&slug) {
                    Some(&index) => Next::Model(index),
                    None if unparsed.contains(&slug) => return None,
                    None => {
                        let help = match did_you_mean(&slug, models.keys().map(String::as_str)) {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => format!(
                                "the models are: {}",
                                models.keys().cloned().collect::<Vec<_>>().join(", ")
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
            Some(Answer {
                label_html: answer.label_html,
                why_html: answer.why_html,
                next,
            })
        })
        .collect();
    Question {
        id,
        text_html: raw.text_html,
        answers,
    }
}
