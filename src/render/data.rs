//! `embed/data.json`: the comparison as data, for tools that lay it out their own way (the
//! Sphinx extension builds docutils tables from it and translates its strings).
//!
//! Kept small on purpose: dimensions, models and their values, notes and the guide tree,
//! with inline text as the same HTML the fragments show. `format` changes only when a field
//! changes meaning or goes away; new fields may appear, so readers ignore what they do not
//! know. README.md ("Inclusion in other docs") documents every field.

use serde::Serialize;

use super::views::{self, DimensionView};
use crate::config::DimensionKind;
use crate::model::{CellValue, Model, Next, Question, Site};

/// The version of the layout below.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Data<'a> {
    format: u32,
    title: &'a str,
    language: &'a str,
    dimensions: Vec<DimensionData<'a>>,
    models: Vec<ModelData<'a>>,
    /// Numbered from 1, in the order the matrix shows them (model by model).
    notes: Vec<String>,
    guide: Option<QuestionData<'a>>,
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
    url: String,
    /// One per dimension, in the dimensions' order.
    values: Vec<ValueData<'a>>,
}

/// Exactly one of `na`, `levels` (scale and tags) or `html` (text) says what the value is.
#[derive(Serialize)]
struct ValueData<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    na: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    levels: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    /// The number of its note in `notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<usize>,
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

/// The JSON text, with model links made by `link` and page links resolved against `root`
/// (the path from where the JSON is read to the site root).
pub fn render(site: &Site, link: &dyn Fn(&Model) -> String, root: &str) -> String {
    let mut notes = Vec::new();
    let models = site
        .models
        .iter()
        .map(|model| ModelData {
            slug: &model.slug,
            title: &model.page.title,
            summary: model.page.summary_html.to_html(root),
            url: link(model),
            values: values(site, model, &mut notes, root),
        })
        .collect();
    let data = Data {
        format: FORMAT,
        title: &site.title,
        language: &site.language,
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
    notes: &mut Vec<String>,
    root: &str,
) -> Vec<ValueData<'a>> {
    site.dimensions
        .iter()
        .zip(&model.cells)
        .map(|(dimension, cell)| {
            let note = cell.note_html.as_ref().map(|html| {
                notes.push(html.to_html(root));
                notes.len()
            });
            let names: &[String] = match &dimension.kind {
                DimensionKind::Scale(names) | DimensionKind::Tags(names) => names,
                DimensionKind::Text => &[],
            };
            let levels = |indexes: &[usize]| indexes.iter().map(|&i| names[i].as_str()).collect();
            let (na, levels, html) = match &cell.value {
                CellValue::NotApplicable => (true, Vec::new(), None),
                CellValue::Level(i) => (false, levels(&[*i]), None),
                CellValue::Tags(tags) => (false, levels(tags), None),
                CellValue::Text(html) => (false, Vec::new(), Some(html.to_html(root))),
            };
            ValueData {
                na,
                levels,
                html,
                note,
            }
        })
        .collect()
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
