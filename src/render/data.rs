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
use crate::urls;

/// The version of the layout below.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Data<'a> {
    format: u32,
    title: &'a str,
    language: &'a str,
    dimensions: Vec<DimensionView<'a>>,
    models: Vec<ModelData<'a>>,
    /// Numbered from 1, in the order the matrix shows them (model by model).
    notes: Vec<String>,
    guide: Option<QuestionData<'a>>,
}

#[derive(Serialize)]
struct ModelData<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
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
    html: Option<&'a str>,
    /// The number of its note in `notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<usize>,
}

#[derive(Serialize)]
struct QuestionData<'a> {
    id: &'a str,
    html: &'a str,
    answers: Vec<AnswerData<'a>>,
}

/// Ends at a `model` (its slug) or leads to a `question`.
#[derive(Serialize)]
struct AnswerData<'a> {
    html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    /// The name of the workload preset this answer gives the matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    preset: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<QuestionData<'a>>,
}

/// The JSON text, with model links made by `link` and page links resolved against `root`.
pub fn render(site: &Site, link: &dyn Fn(&Model) -> String, root: &str) -> String {
    let mut notes = Vec::new();
    let models = site
        .models
        .iter()
        .map(|model| ModelData {
            slug: &model.slug,
            title: &model.page.title,
            summary: &model.page.summary_html,
            url: link(model),
            values: values(site, model, &mut notes),
        })
        .collect();
    let data = Data {
        format: FORMAT,
        title: &site.title,
        language: &site.language,
        dimensions: views::dimensions(site),
        models,
        notes,
        guide: site.guide.as_ref().map(|g| question(site, &g.root)),
    };
    let json = serde_json::to_string_pretty(&data).expect("plain data always serializes");
    // Links inside inline HTML start at the site root, which only the published site has.
    json.replace(urls::ROOT_MARKER, root) + "\n"
}

fn values<'a>(site: &'a Site, model: &'a Model, notes: &mut Vec<String>) -> Vec<ValueData<'a>> {
    site.dimensions
        .iter()
        .zip(&model.cells)
        .map(|(dimension, cell)| {
            let note = cell.note_html.as_ref().map(|html| {
                notes.push(html.clone());
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
                CellValue::Text(html) => (false, Vec::new(), Some(html.as_str())),
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

fn question<'a>(site: &'a Site, question: &'a Question) -> QuestionData<'a> {
    QuestionData {
        id: &question.id,
        html: &question.text_html,
        answers: question
            .answers
            .iter()
            .map(|answer| {
                let (model, next) = match &answer.next {
                    Next::Model(index) => (Some(site.models[*index].slug.as_str()), None),
                    Next::Question(next) => (None, Some(self::question(site, next))),
                };
                AnswerData {
                    html: &answer.label_html,
                    why: answer.why_html.as_deref(),
                    model,
                    preset: answer.preset.as_ref().map(|p| p.name.as_str()),
                    question: next,
                }
            })
            .collect(),
    }
}
