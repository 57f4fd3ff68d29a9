//! What templates see: plain serializable views built from the [`Site`], one function each.
//!
//! Templates never see the model types, so the template contract is this file. All URLs in a
//! view are relative to the page being rendered.

use serde::Serialize;

use crate::config::{DimensionKind, DimensionSpec};
use crate::model::{Cell, CellValue, Model, Next, Page, Question, Site, Stated};
use crate::text::escape_html;
use crate::urls;

#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The version the site is built for, if the book declares versions.
    pub version: Option<VersionView<'a>>,
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub authors: &'a [String],
    pub style: &'a crate::config::Style,
    /// Whether the style sets any colour or font (then `base.html` writes them).
    pub styled: bool,
    /// `home-list`: whether the home page lists the options compared.
    pub home_list: bool,
}

#[derive(Serialize, Clone)]
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
    /// Where to edit the page's source, when the book names it (`edit-url`).
    pub edit_url: Option<String>,
    /// A draft, built because drafts were asked for (`versus serve`).
    pub draft: bool,
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
    /// Level keys (what filters and URLs use) and, in the same order, what readers see.
    pub levels: &'a [String],
    /// The levels as the matrix script and its URLs name them ([`urls::fragment_token`]).
    pub tokens: Vec<String>,
    pub labels: &'a [String],
}

#[derive(Serialize)]
pub struct ValueView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    #[serde(flatten)]
    pub value: ShownValue,
    /// The levels this value holds, as [`urls::fragment_token`]s, for filtering (empty for
    /// text).
    pub levels: Vec<String>,
    /// Their labels, as readers see them.
    pub shown: Vec<&'a str>,
    /// Where a scale value sits on its scale, for a visual cue.
    pub scale: Option<ScaleStep>,
    /// Position on the dimension's scale, for sorting; -1 for n/a, 0 for text.
    pub rank: i64,
    pub note: Option<NoteRef>,
    /// How the value changed up to the version shown, newest first.
    pub changes: Vec<ChangeView>,
    /// Every value of a cell that changes, oldest first, for the version selectors (the
    /// templates render each like the value itself); empty for a value that holds for every
    /// version.
    pub history: Vec<HistoryEntryView<'a>>,
}

/// A value of a cell's history, with what `fragments/value.html` needs to show it.
#[derive(Serialize)]
pub struct HistoryEntryView<'a> {
    /// The index of the version it holds from, in the declared versions.
    pub since: usize,
    #[serde(flatten)]
    pub value: ShownValue,
    /// As [`urls::fragment_token`]s, like the cell's own.
    pub levels: Vec<String>,
    pub shown: Vec<&'a str>,
    pub scale: Option<ScaleStep>,
    pub rank: i64,
}

/// A value as a template shows it: its HTML, or that the dimension does not apply to the
/// model (`n/a`), which the theme words (`fragments/value.html`).
#[derive(Serialize, Clone, PartialEq, Debug)]
pub struct ShownValue {
    /// Empty when `na`.
    pub html: String,
    pub na: bool,
}

impl ShownValue {
    /// The value as plain text, for search.
    pub fn text(&self) -> String {
        if self.na {
            crate::model::cell::NOT_APPLICABLE.to_string()
        } else {
            crate::text::html_to_text(&self.html)
        }
    }
}

/// A value that changed in a version, and what it was before, as Python's docs say
/// "Changed in version 3.14".
#[derive(Serialize, Clone)]
pub struct ChangeView {
    pub version: String,
    pub html: ShownValue,
    pub was: ShownValue,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// A level's place on an ordered scale: the `position`th (from 0) of `count`.
#[derive(Serialize)]
pub struct ScaleStep {
    pub position: usize,
    pub count: usize,
    /// From 0 (the first level) to 1 (the last), with two decimals.
    pub fraction: String,
}

#[derive(Serialize, Clone)]
pub struct NoteRef {
    pub number: usize,
    /// The value's note; empty when the value has only a source or a history.
    pub html: String,
    pub source: Option<String>,
    /// The value's changes, for the notes of the matrix, which has no room for them.
    pub changes: Vec<ChangeView>,
}

#[derive(Serialize)]
pub struct ModelView<'a> {
    pub slug: &'a str,
    /// Whether any value has a history, so the page offers a version selector.
    pub has_history: bool,
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
    /// The version the values are true for, if the book declares versions.
    pub version: Option<VersionView<'a>>,
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

/// A version the values are shown at, and the book's current one.
#[derive(Serialize)]
pub struct VersionView<'a> {
    pub name: &'a str,
    /// Its index in `all`.
    pub index: usize,
    pub current: &'a str,
    pub is_current: bool,
    /// Every declared version, oldest first, for a version selector.
    pub all: &'a [String],
}

pub fn version(site: &Site, at: usize) -> Option<VersionView<'_>> {
    site.versions.as_ref().map(|versions| VersionView {
        name: versions.name(at),
        index: at,
        all: versions.names(),
        current: versions.name(versions.current()),
        is_current: at == versions.current(),
    })
}

pub fn site(site: &Site) -> SiteView<'_> {
    SiteView {
        version: version(site, site.at),
        title: &site.title,
        description: &site.description,
        language: &site.language,
        authors: &site.authors,
        style: &site.style,
        styled: site.style.has_properties(),
        home_list: site.home_list,
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
    /// The pages before and after this one in the navigation's reading order.
    pub prev: Option<NavItem>,
    pub next: Option<NavItem>,
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
        self.prev = None;
        self.next = None;
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
    let mut view = NavView {
        home: item(&site.home),
        models: site.models.iter().map(|m| item(&m.page)).collect(),
        matrix: item(&site.matrix),
        guide: site.guide.as_ref().map(|g| item(&g.page)),
        pages: pages.0.iter().map(|p| item(p)).collect(),
        prev: None,
        next: None,
    };
    // Reading order is the navigation's order, as listed in nav.html.
    let order: Vec<&NavItem> = std::iter::once(&view.home)
        .chain(std::iter::once(&view.matrix))
        .chain(view.guide.iter())
        .chain(view.models.iter())
        .chain(view.pages.iter())
        .collect();
    if let Some(at) = order.iter().position(|item| item.current) {
        let prev = at.checked_sub(1).map(|i| order[i].clone());
        let next = order.get(at + 1).map(|item| (*item).clone());
        (view.prev, view.next) = (prev, next);
    }
    view
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
        edit_url: site
            .edit_url
            .as_ref()
            .zip(page.relative.as_ref())
            .map(|(url, path)| url.replace("{path}", &path.to_string_lossy().replace('\\', "/"))),
        draft: page.draft,
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
                labels: &d.labels,
            }
        })
        .collect()
}

/// A model's values at version `at`, on a page `root` away from the site root; each note is
/// numbered after those already in `notes`.
fn values<'a>(
    site: &'a Site,
    model: &'a Model,
    at: usize,
    root: &str,
    notes: &mut Vec<NoteRef>,
) -> Vec<ValueView<'a>> {
    site.dimensions
        .iter()
        .zip(&model.cells)
        .map(|(dimension, cell)| {
            let stated = cell.at(at);
            let changes = changes(site, dimension, cell, at, root);
            let note =
                (stated.note_html.is_some() || stated.source.is_some() || !changes.is_empty())
                    .then(|| {
                        let note = NoteRef {
                            number: notes.len() + 1,
                            html: stated
                                .note_html
                                .as_ref()
                                .map(|m| m.to_html(root))
                                .unwrap_or_default(),
                            source: stated.source.clone(),
                            changes: changes.clone(),
                        };
                        notes.push(note.clone());
                        note
                    });
            let (value, levels, shown, rank) = cell_display(dimension, stated, root);
            let history = if cell.is_constant() {
                Vec::new()
            } else {
                cell.history()
                    .map(|(since, stated)| {
                        let (value, levels, shown, rank) = cell_display(dimension, stated, root);
                        HistoryEntryView {
                            since,
                            value,
                            levels,
                            shown,
                            scale: scale_step(dimension, stated),
                            rank,
                        }
                    })
                    .collect()
            };
            let scale = scale_step(dimension, stated);
            ValueView {
                key: &dimension.key,
                label: &dimension.label,
                help: &dimension.help,
                value,
                levels,
                shown,
                scale,
                rank,
                note,
                changes,
                history,
            }
        })
        .collect()
}

/// Where a scale value sits on its scale; `None` for other kinds.
fn scale_step(dimension: &DimensionSpec, stated: &Stated) -> Option<ScaleStep> {
    match (&dimension.kind, &stated.value) {
        (DimensionKind::Scale(all), CellValue::Level(i)) => Some(ScaleStep {
            position: *i,
            count: all.len(),
            fraction: format!("{:.2}", *i as f64 / (all.len().max(2) - 1) as f64),
        }),
        _ => None,
    }
}

/// How a cell changed up to version `at`, newest first. The change to the value shown keeps
/// no note: that note is the value's own.
fn changes(
    site: &Site,
    dimension: &DimensionSpec,
    cell: &Cell,
    at: usize,
    root: &str,
) -> Vec<ChangeView> {
    let Some(versions) = &site.versions else {
        return Vec::new();
    };
    let history: Vec<(usize, &Stated)> = cell.history().filter(|(v, _)| *v <= at).collect();
    let last = history.len().saturating_sub(1);
    history
        .windows(2)
        .enumerate()
        .rev()
        .map(|(i, pair)| {
            let ((_, before), (since, after)) = (pair[0], pair[1]);
            ChangeView {
                version: versions.name(since).to_string(),
                html: cell_display(dimension, after, root).0,
                was: cell_display(dimension, before, root).0,
                note: if i + 1 == last {
                    None
                } else {
                    after.note_html.as_ref().map(|m| m.to_html(root))
                },
                source: after.source.clone(),
            }
        })
        .collect()
}

/// A value as shown (levels by their labels), the levels it holds as
/// [`urls::fragment_token`]s, their labels, and its rank for sorting.
type Display<'a> = (ShownValue, Vec<String>, Vec<&'a str>, i64);

fn cell_display<'a>(dimension: &'a DimensionSpec, cell: &Stated, root: &str) -> Display<'a> {
    let label = |i: usize| dimension.labels[i].as_str();
    let html = |html: String| ShownValue { html, na: false };
    match (&cell.value, &dimension.kind) {
        (CellValue::NotApplicable, _) => (
            ShownValue {
                html: String::new(),
                na: true,
            },
            Vec::new(),
            Vec::new(),
            -1,
        ),
        (CellValue::Level(i), DimensionKind::Scale(levels)) => (
            html(escape_html(label(*i))),
            vec![urls::fragment_token(&levels[*i])],
            vec![label(*i)],
            *i as i64,
        ),
        (CellValue::Tags(tags), DimensionKind::Tags(levels)) => {
            let names: Vec<&str> = tags.iter().map(|&i| levels[i].as_str()).collect();
            let shown: Vec<&str> = tags.iter().map(|&i| label(i)).collect();
            let rank = tags.first().map_or(0, |&i| i as i64);
            let tokens = names.iter().map(|n| urls::fragment_token(n)).collect();
            (html(escape_html(&shown.join(", "))), tokens, shown, rank)
        }
        (CellValue::Text(markup), _) => (html(markup.to_html(root)), Vec::new(), Vec::new(), 0),
        // The model stage only builds levels and tags for their own kinds.
        _ => (html(String::new()), Vec::new(), Vec::new(), 0),
    }
}

/// A model, on its own page `root` away from the site root.
pub fn model<'a>(site: &'a Site, model: &'a Model, root: &str) -> (ModelView<'a>, Vec<NoteRef>) {
    let mut notes = Vec::new();
    let values = values(site, model, site.at, root, &mut notes);
    let html = |items: &[crate::parse::markdown::Markup]| {
        items.iter().map(|item| item.to_html(root)).collect()
    };
    (
        ModelView {
            slug: &model.slug,
            has_history: values.iter().any(|v| !v.history.is_empty()),
            values,
            pros: html(&model.pros),
            cons: html(&model.cons),
        },
        notes,
    )
}

/// The matrix at version `at` on a page `root` away from the site root, with model links
/// made by `link`.
pub fn matrix<'a>(
    site: &'a Site,
    link: &dyn Fn(&Model) -> String,
    root: &str,
    at: usize,
) -> MatrixView<'a> {
    let mut notes = Vec::new();
    let rows = site
        .models
        .iter()
        .map(|model| {
            let cells = values(site, model, at, root, &mut notes);
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
        version: version(site, at),
        dimensions: dimensions(site),
        rows,
        notes,
        presets,
    }
}

fn search_text(model: &Model, summary: &str, cells: &[ValueView]) -> String {
    let mut parts = vec![model.page.title.clone(), summary.to_string()];
    for cell in cells {
        // All parts are HTML until the end, and `n/a` is HTML as it is.
        parts.push(if cell.value.na {
            crate::model::cell::NOT_APPLICABLE.to_string()
        } else {
            cell.value.html.clone()
        });
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
/// What changed between two versions, model by model, for a page with `changes:`.
#[derive(Serialize)]
pub struct ChangesView<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// The matrix as it was at `from`, as a link that selects that version.
    pub matrix_from: String,
    pub models: Vec<ModelChangesView<'a>>,
}

#[derive(Serialize)]
pub struct ModelChangesView<'a> {
    pub title: &'a str,
    pub url: String,
    pub values: Vec<ValueChangesView<'a>>,
}

/// One value that changed between the two versions: what it was and is, and each change in
/// between, oldest first, with its note and source.
#[derive(Serialize)]
pub struct ValueChangesView<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub was: ShownValue,
    pub now: ShownValue,
    pub steps: Vec<ChangeView>,
}

/// The changes between `from` and `to` (no later than the version the site is built for),
/// with links relative to the page in `dir`.
pub fn changes_between<'a>(
    site: &'a Site,
    from: usize,
    to: usize,
    dir: &str,
) -> Option<ChangesView<'a>> {
    let versions = site.versions.as_ref()?;
    let to = to.min(site.at);
    let root = urls::root_from(dir);
    let models = site
        .models
        .iter()
        .map(|model| ModelChangesView {
            title: &model.page.title,
            url: urls::link(dir, &model.page.dir),
            values: site
                .dimensions
                .iter()
                .zip(&model.cells)
                .filter_map(|(dimension, cell)| {
                    let history: Vec<(usize, &Stated)> = cell.history().collect();
                    let steps: Vec<ChangeView> = history
                        .windows(2)
                        .filter(|pair| pair[1].0 > from && pair[1].0 <= to)
                        .map(|pair| ChangeView {
                            version: versions.name(pair[1].0).to_string(),
                            html: cell_display(dimension, pair[1].1, &root).0,
                            was: cell_display(dimension, pair[0].1, &root).0,
                            note: pair[1].1.note_html.as_ref().map(|m| m.to_html(&root)),
                            source: pair[1].1.source.clone(),
                        })
                        .collect();
                    (!steps.is_empty()).then(|| ValueChangesView {
                        key: &dimension.key,
                        label: &dimension.label,
                        was: cell_display(dimension, cell.at(from), &root).0,
                        now: cell_display(dimension, cell.at(to), &root).0,
                        steps,
                    })
                })
                .collect(),
        })
        .filter(|model| !model.values.is_empty())
        .collect();
    Some(ChangesView {
        from: versions.name(from),
        to: versions.name(to),
        matrix_from: format!(
            "{}#?v={}",
            urls::link(dir, &site.matrix.dir),
            // The matrix script decodes the name; any `&`, `#` or `%` in it stays one token.
            urls::fragment_token(versions.name(from))
        ),
        models,
    })
}
