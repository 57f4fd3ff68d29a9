//! What templates see: plain serializable views built from the [`Site`], one function each.
//!
//! Templates never see the model types, so the template contract is this file. All URLs in a
//! view are relative to the page being rendered.

use serde::Serialize;

use crate::config::DimensionKind;
use crate::model::{Cell, CellValue, Model, Next, Page, Question, Site};
use crate::text::escape_html;
use crate::urls;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub authors: &'a [String],
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub summary: String,
    pub content: String,
    pub toc: Vec<TocEntry<'a>>,
    /// Relative prefix from this page to the site root (`../../`).
    pub root: String,
    pub canonical: Option<String>,
}

#[derive(Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct DimensionView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    /// `scale`, `tags` or `text`.
    pub kind: &'static str,
    pub facet: bool,
    pub levels: &'a [String],
    /// The levels as the matrix script and its URLs name them ([`urls::fragment_token`]).
    pub tokens: Vec<String>,
}

#[derive(Serialize)]
pub struct ValueView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub html: String,
    /// The levels this value holds, as [`urls::fragment_token`]s, for filtering (empty for
    /// text).
    pub levels: Vec<String>,
    /// Position on the dimension's scale, for sorting; -1 for n/a, 0 for text.
    pub rank: i64,
    pub note: Option<NoteRef>,
}

#[derive(Serialize, Clone)]
pub struct NoteRef {
    pub number: usize,
    pub html: String,
}

#[derive(Serialize)]
pub struct ModelView<'a> {
    pub slug: &'a str,
    pub values: Vec<ValueView<'a>>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
}

#[derive(Serialize)]
pub struct RowView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: String,
    pub url: String,
    pub cells: Vec<ValueView<'a>>,
    /// Lowercase plain text of the title, summary, values, notes, pros and cons, for the
    /// matrix's free-text filter.
    pub search: String,
}

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub dimensions: Vec<DimensionView<'a>>,
    pub rows: Vec<RowView<'a>>,
    pub notes: Vec<NoteRef>,
    pub presets: Vec<PresetView>,
}

/// A workload preset from the guide: one click sets these filters.
#[derive(Serialize)]
pub struct PresetView {
    pub id: String,
    pub name: String,
    /// Plain text: why the guide recommends this.
    pub why: String,
    /// The matrix state it sets, in the URL-fragment form the matrix script reads.
    pub state: String,
}

/// The guide tree flattened into open/close steps, so templates need no recursion.
#[derive(Serialize)]
pub struct GuideStep {
    /// `question`, `answer`, `end-answer` or `end-question`.
    pub kind: &'static str,
    pub id: String,
    pub html: String,
    pub why: Option<String>,
    pub model_title: Option<String>,
    pub model_url: Option<String>,
    pub model_slug: Option<String>,
}

pub fn site(site: &Site) -> SiteView<'_> {
    SiteView {
        title: &site.title,
        description: &site.description,
        language: &site.language,
        authors: &site.authors,
    }
}

/// The site's navigation, grouped: home, the models in order, matrix, guide, other pages.
#[derive(Serialize)]
pub struct NavView {
    pub home: NavItem,
    pub models: Vec<NavItem>,
    pub matrix: NavItem,
    pub guide: Option<NavItem>,
    pub pages: Vec<NavItem>,
}

impl NavView {
    /// Makes every link start from `prefix` instead of being relative, for pages served at
    /// any depth (the 404 page).
    pub fn rooted_at(mut self, prefix: &str) -> Self {
        let items = std::iter::once(&mut self.home)
            .chain(self.models.iter_mut())
            .chain(std::iter::once(&mut self.matrix))
            .chain(self.guide.iter_mut())
            .chain(self.pages.iter_mut());
        for item in items {
            item.url = format!("{prefix}{}", item.url);
            item.current = false;
        }
        self
    }
}

/// The pages the navigation lists, in order: computed once per build, not once per page.
pub struct NavPages<'a>(Vec<&'a Page>);

impl<'a> NavPages<'a> {
    pub fn of(site: &'a Site) -> Self {
        let mut pages: Vec<&Page> = site.pages.iter().filter(|p| p.in_nav).collect();
        pages.sort_by(|a, b| (a.order, &a.dir).cmp(&(b.order, &b.dir)));
        NavPages(pages)
    }
}

pub fn nav(site: &Site, pages: &NavPages, from: &str) -> NavView {
    let item = |page: &Page| NavItem {
        title: page.title.clone(),
        url: urls::link(from, &page.dir),
        current: page.dir == from,
    };
    NavView {
        home: item(&site.home),
        models: site.models.iter().map(|m| item(&m.page)).collect(),
        matrix: item(&site.matrix),
        guide: site.guide.as_ref().map(|g| item(&g.page)),
        pages: pages.0.iter().map(|p| item(p)).collect(),
    }
}

pub fn page<'a>(site: &Site, page: &'a Page, content: String) -> PageView<'a> {
    let toc = if page.toc {
        page.body
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                id: &h.id,
                text: &h.text,
            })
            .collect()
    } else {
        Vec::new()
    };
    let root = urls::root_from(&page.dir);
    PageView {
        title: &page.title,
        summary: page.summary_html.to_html(&root),
        content,
        toc,
        root,
        canonical: site
            .base_url
            .as_ref()
            .map(|base| format!("{base}{}", page.dir)),
    }
}

pub fn dimensions(site: &Site) -> Vec<DimensionView<'_>> {
    site.dimensions
        .iter()
        .map(|d| {
            let (kind, levels): (&'static str, &[String]) = match &d.kind {
                DimensionKind::Scale(levels) => ("scale", levels),
                DimensionKind::Tags(levels) => ("tags", levels),
                DimensionKind::Text => ("text", &[]),
            };
            DimensionView {
                key: &d.key,
                label: &d.label,
                help: &d.help,
                kind,
                facet: d.facet,
                levels,
                tokens: levels.iter().map(|l| urls::fragment_token(l)).collect(),
            }
        })
        .collect()
}

/// A model's values on a page `root` away from the site root; each note is numbered after
/// those already in `notes`.
fn values<'a>(
    site: &'a Site,
    model: &'a Model,
    root: &str,
    notes: &mut Vec<NoteRef>,
) -> Vec<ValueView<'a>> {
    site.dimensions
        .iter()
        .zip(&model.cells)
        .map(|(dimension, cell)| {
            let note = cell.note_html.as_ref().map(|markup| {
                let note = NoteRef {
                    number: notes.len() + 1,
                    html: markup.to_html(root),
                };
                notes.push(note.clone());
                note
            });
            let (html, levels, rank) = cell_display(&dimension.kind, cell, root);
            ValueView {
                key: &dimension.key,
                label: &dimension.label,
                help: &dimension.help,
                html,
                levels,
                rank,
                note,
            }
        })
        .collect()
}

fn cell_display(kind: &DimensionKind, cell: &Cell, root: &str) -> (String, Vec<String>, i64) {
    match (&cell.value, kind) {
        (CellValue::NotApplicable, _) => (
            "<span class=\"vs-not-applicable\">n/a</span>".to_string(),
            Vec::new(),
            -1,
        ),
        (CellValue::Level(i), DimensionKind::Scale(levels)) => (
            escape_html(&levels[*i]),
            vec![urls::fragment_token(&levels[*i])],
            *i as i64,
        ),
        (CellValue::Tags(tags), DimensionKind::Tags(levels)) => {
            let names: Vec<&str> = tags.iter().map(|&i| levels[i].as_str()).collect();
            let rank = tags.first().map_or(0, |&i| i as i64);
            let tokens = names.iter().map(|n| urls::fragment_token(n)).collect();
            (escape_html(&names.join(", ")), tokens, rank)
        }
        (CellValue::Text(markup), _) => (markup.to_html(root), Vec::new(), 0),
        // The model stage only builds levels and tags for their own kinds.
        _ => (String::new(), Vec::new(), 0),
    }
}

/// A model, on its own page `root` away from the site root.
pub fn model<'a>(site: &'a Site, model: &'a Model, root: &str) -> (ModelView<'a>, Vec<NoteRef>) {
    let mut notes = Vec::new();
    let values = values(site, model, root, &mut notes);
    let html = |items: &[crate::parse::markdown::Markup]| {
        items.iter().map(|item| item.to_html(root)).collect()
    };
    (
        ModelView {
            slug: &model.slug,
            values,
            pros: html(&model.pros),
            cons: html(&model.cons),
        },
        notes,
    )
}

/// The matrix on a page `root` away from the site root, with model links made by `link`.
pub fn matrix<'a>(site: &'a Site, link: &dyn Fn(&Model) -> String, root: &str) -> MatrixView<'a> {
    let mut notes = Vec::new();
    let rows = site
        .models
        .iter()
        .map(|model| {
            let cells = values(site, model, root, &mut notes);
            let summary = model.page.summary_html.to_html(root);
            let search = search_text(model, &summary, &cells);
            RowView {
                slug: &model.slug,
                title: &model.page.title,
                summary,
                url: link(model),
                cells,
                search,
            }
        })
        .collect();
    let mut presets = Vec::new();
    if let Some(guide) = &site.guide {
        collect_presets(site, &guide.root, &mut presets);
    }
    MatrixView {
        dimensions: dimensions(site),
        rows,
        notes,
        presets,
    }
}

fn search_text(model: &Model, summary: &str, cells: &[ValueView]) -> String {
    let mut parts = vec![model.page.title.clone(), summary.to_string()];
    for cell in cells {
        parts.push(cell.html.clone());
        parts.extend(cell.note.iter().map(|n| n.html.clone()));
    }
    parts.extend(model.pros.iter().chain(&model.cons).map(|m| m.to_html("")));
    crate::text::html_to_text(&parts.join(" ")).to_lowercase()
}

/// Presets in guide order; the state string is `f.<dimension>=<level>,<level>&...`.
fn collect_presets(site: &Site, question: &Question, out: &mut Vec<PresetView>) {
    for answer in &question.answers {
        if let Some(preset) = &answer.preset {
            let state = preset
                .filters
                .iter()
                .map(|(dimension, levels)| {
                    let dimension = &site.dimensions[*dimension];
                    let names: Vec<String> = levels
                        .iter()
                        .map(|&i| urls::fragment_token(level_name(&dimension.kind, i)))
                        .collect();
                    format!("f.{}={}", dimension.key, names.join(","))
                })
                .collect::<Vec<_>>()
                .join("&");
            out.push(PresetView {
                id: crate::text::slugify(&preset.name),
                name: preset.name.clone(),
                why: answer
                    .why_html
                    .as_ref()
                    .map(|why| crate::text::html_to_text(&why.to_html("")))
                    .unwrap_or_default(),
                state,
            });
        }
        if let Next::Question(next) = &answer.next {
            collect_presets(site, next, out);
        }
    }
}

fn level_name(kind: &DimensionKind, index: usize) -> &str {
    match kind {
        DimensionKind::Scale(levels) | DimensionKind::Tags(levels) => &levels[index],
        DimensionKind::Text => "",
    }
}

/// The guide as open/close steps on a page `root` away from the site root, with model links
/// made by `link`.
pub fn guide_steps(
    site: &Site,
    question: &Question,
    link: &dyn Fn(&Model) -> String,
    root: &str,
) -> Vec<GuideStep> {
    let mut steps = Vec::new();
    push_question(site, question, link, root, &mut steps);
    steps
}

fn push_question(
    site: &Site,
    question: &Question,
    link: &dyn Fn(&Model) -> String,
    root: &str,
    steps: &mut Vec<GuideStep>,
) {
    steps.push(step(
        "question",
        question.id.clone(),
        question.text_html.to_html(root),
    ));
    for answer in &question.answers {
        let mut open = step("answer", String::new(), answer.label_html.to_html(root));
        open.why = answer.why_html.as_ref().map(|why| why.to_html(root));
        if let Next::Model(index) = &answer.next {
            let model = &site.models[*index];
            open.model_title = Some(model.page.title.clone());
            open.model_url = Some(link(model));
            open.model_slug = Some(model.slug.clone());
        }
        steps.push(open);
        if let Next::Question(next) = &answer.next {
            push_question(site, next, link, root, steps);
        }
        steps.push(step("end-answer", String::new(), String::new()));
    }
    steps.push(step("end-question", String::new(), String::new()));
}

fn step(kind: &'static str, id: String, html: String) -> GuideStep {
    GuideStep {
        kind,
        id,
        html,
        why: None,
        model_title: None,
        model_url: None,
        model_slug: None,
    }
}
