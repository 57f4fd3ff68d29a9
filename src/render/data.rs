//! `data.json`: the comparison as data, for tools that lay it out their own way (the Sphinx
//! extension builds docutils tables from it and translates its strings), written beside the
//! fragments in `embed/` and, the same document, in the site's root.
//!
//! Dimensions, models and their values (as at one version), each value's history, notes and
//! sources, and the guide tree, with inline text as the same HTML the fragments show. The
//! layout is a stable interface, described by the JSON Schema the theme publishes at
//! `schema/data.schema.json`: `format` changes only when a field changes meaning or goes
//! away; new fields may appear, so readers ignore what they do not know. README.md ("The
//! data for reuse") documents every field.

use serde::Serialize;

use super::views::{self, DimensionView};
use crate::config::DimensionKind;
use crate::model::{CellValue, Model, Next, Question, Site, Stated};

/// The version of the layout below.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Data<'a> {
    format: u32,
    title: &'a str,
    language: &'a str,
    /// The versions the book covers, if it declares any.
    #[serde(skip_serializing_if = "Option::is_none")]
    versions: Option<VersionsData<'a>>,
    /// The version `values` are true for, if the book declares versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<&'a str>,
    dimensions: Vec<DimensionData<'a>>,
    models: Vec<ModelData<'a>>,
    /// Numbered from 1, in the order the matrix shows them (model by model).
    notes: Vec<String>,
    guide: Option<QuestionData<'a>>,
}

#[derive(Serialize)]
struct VersionsData<'a> {
    /// Oldest first.
    list: &'a [String],
    current: &'a str,
}

/// A dimension as book.toml declares it (the fragments' URL tokens stay out of the data).
#[derive(Serialize)]
struct DimensionData<'a> {
    key: &'a str,
    label: &'a str,
    help: &'a str,
    kind: &'static str,
    facet: bool,
    levels: &'a [String],
}

impl<'a> From<DimensionView<'a>> for DimensionData<'a> {
    fn from(view: DimensionView<'a>) -> Self {
        DimensionData {
            key: view.key,
            label: view.label,
            help: view.help,
            kind: view.kind,
            facet: view.facet,
            levels: view.levels,
        }
    }
}

#[derive(Serialize)]
struct ModelData<'a> {
    slug: &'a str,
    title: &'a str,
    summary: String,
    /// Where the model's page is for readers of the fragments (`model-url` under [embed]).
    url: String,
    /// The model's page in the site, relative to the site's root.
    page: &'a str,
    /// One per dimension, in the dimensions' order.
    values: Vec<ValueData<'a>>,
}

/// Exactly one of `na`, `levels` (scale and tags) or `html` (text) says what the value is.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    na: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    levels: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
}

#[derive(Serialize)]
struct ValueData<'a> {
    #[serde(flatten)]
    shown: Shown<'a>,
    /// The number of its note in `notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Every value the cell had, oldest first; absent when it is the same in every version.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<HistoryData<'a>>>,
}

#[derive(Serialize)]
struct HistoryData<'a> {
    /// The version it holds from, until the next entry's.
    since: &'a str,
    #[serde(flatten)]
    shown: Shown<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct QuestionData<'a> {
    id: &'a str,
    html: String,
    answers: Vec<AnswerData<'a>>,
}

/// Ends at a `model` (its slug) or leads to a `question`.
#[derive(Serialize)]
struct AnswerData<'a> {
    html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    /// The name of the workload preset this answer gives the matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    preset: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<QuestionData<'a>>,
}

/// The JSON text, with the values at version `at`, model links made by `link` and page
/// links resolved against `root` (the path from where the JSON is read to the site root).
pub fn render(site: &Site, link: &dyn Fn(&Model) -> String, at: usize, root: &str) -> String {
    let mut notes = Vec::new();
    let models = site
        .models
        .iter()
        .map(|model| ModelData {
            slug: &model.slug,
            title: &model.page.title,
            summary: model.page.summary_html.to_html(root),
            url: link(model),
            page: &model.page.dir,
            values: values(site, model, at, &mut notes, root),
        })
        .collect();
    let data = Data {
        format: FORMAT,
        title: &site.title,
        language: &site.language,
        versions: site.versions.as_ref().map(|v| VersionsData {
            list: v.names(),
            current: v.name(v.current()),
        }),
        at: site.versions.as_ref().map(|v| v.name(at)),
        dimensions: views::dimensions(site)
            .into_iter()
            .map(Into::into)
            .collect(),
        models,
        notes,
        guide: site.guide.as_ref().map(|g| question(site, &g.root, root)),
    };
    serde_json::to_string_pretty(&data).expect("plain data always serializes") + "\n"
}

fn values<'a>(
    site: &'a Site,
    model: &'a Model,
    at: usize,
    notes: &mut Vec<String>,
    root: &str,
) -> Vec<ValueData<'a>> {
    site.dimensions
        .iter()
        .zip(&model.cells)
        .map(|(dimension, cell)| {
            let stated = cell.at(at);
            let note = stated.note_html.as_ref().map(|html| {
                notes.push(html.to_html(root));
                notes.len()
            });
            let history = match &site.versions {
                Some(versions) if !cell.is_constant() => Some(
                    cell.history()
                        .map(|(since, stated)| HistoryData {
                            since: versions.name(since),
                            shown: shown(&dimension.kind, stated, root),
                            note: stated.note_html.as_ref().map(|n| n.to_html(root)),
                            source: stated.source.as_deref(),
                        })
                        .collect(),
                ),
                _ => None,
            };
            ValueData {
                shown: shown(&dimension.kind, stated, root),
                note,
                source: stated.source.as_deref(),
                history,
            }
        })
        .collect()
}

fn shown<'a>(kind: &'a DimensionKind, stated: &Stated, root: &str) -> Shown<'a> {
    let names: &[String] = match kind {
        DimensionKind::Scale(names) | DimensionKind::Tags(names) => names,
        DimensionKind::Text => &[],
    };
    let levels = |indexes: &[usize]| indexes.iter().map(|&i| names[i].as_str()).collect();
    let (na, levels, html) = match &stated.value {
        CellValue::NotApplicable => (true, Vec::new(), None),
        CellValue::Level(i) => (false, levels(&[*i]), None),
        CellValue::Tags(tags) => (false, levels(tags), None),
        CellValue::Text(html) => (false, Vec::new(), Some(html.to_html(root))),
    };
    Shown { na, levels, html }
}

fn question<'a>(site: &'a Site, question: &'a Question, root: &str) -> QuestionData<'a> {
    QuestionData {
        id: &question.id,
        html: question.text_html.to_html(root),
        answers: question
            .answers
            .iter()
            .map(|answer| {
                let (model, next) = match &answer.next {
                    Next::Model(index) => (Some(site.models[*index].slug.as_str()), None),
                    Next::Question(next) => (None, Some(self::question(site, next, root))),
                };
                AnswerData {
                    html: answer.label_html.to_html(root),
                    why: answer.why_html.as_ref().map(|why| why.to_html(root)),
                    model,
                    preset: answer.preset.as_ref().map(|p| p.name.as_str()),
                    question: next,
                }
            })
            .collect(),
    }
}
