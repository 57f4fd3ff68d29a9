//! Stage 4: the whole book as a typed, validated [`Site`].
//!
//! Checks what needs more than one file: each model's values against the declared dimensions,
//! guide answers against the models, and that no two pages claim the same URL. A `Site` that
//! exists is valid: rendering never has to check anything again.

pub mod cell;
pub mod guide;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::config::{Config, DimensionSpec, Versions};
use crate::diagnostic::{Diagnostic, Diagnostics, Position, did_you_mean};
use crate::discover::SourceFile;
use crate::parse::markdown::{Body, LinkRef, Markup};
use crate::parse::{Document, Extra, ParsedBook, RawModel};
use crate::urls;
pub use cell::{Cell, CellValue, Stated};
pub use guide::{Answer, Next, Preset, Question};

/// The validated book.
#[derive(Debug)]
pub struct Site {
    pub title: String,
    pub description: String,
    pub language: String,
    pub authors: Vec<String>,
    pub base_url: Option<String>,
    /// Where a page's source is edited; `{path}` is its path inside the content folder.
    pub edit_url: Option<String>,
    /// Sources (paths inside the content folder) of the drafts left out of this site.
    pub drafts: Vec<String>,
    pub style: crate::config::Style,
    pub home_list: bool,
    /// Every text readers see, in the book's language.
    pub strings: crate::config::Strings,
    pub embed: crate::config::EmbedOptions,
    pub dimensions: Vec<DimensionSpec>,
    /// The versions the book covers, if it declares any.
    pub versions: Option<Versions>,
    /// The version the site is built for: an index into `versions` (0 without versions, where
    /// every cell holds for every version).
    pub at: usize,
    /// In reading order: by `order`, then slug.
    pub models: Vec<Model>,
    pub home: Page,
    pub matrix: Page,
    pub guide: Option<Guide>,
    /// Plain pages other than the home page, by path.
    pub pages: Vec<Page>,
    pub assets: Vec<SourceFile>,
}

impl Site {
    /// Every page of the site: home, matrix, guide, models, then plain pages.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home)
            .chain(std::iter::once(&self.matrix))
            .chain(self.guide.iter().map(|g| &g.page))
            .chain(self.models.iter().map(|m| &m.page))
            .chain(self.pages.iter())
    }
}

/// A page's own content and where it is published.
#[derive(Debug)]
pub struct Page {
    /// Directory path in the site, ending in `/` (empty for the home page).
    pub dir: String,
    /// The source it came from as shown in messages, if any (the matrix and a missing home
    /// page are generated).
    pub source: Option<PathBuf>,
    /// The source's path inside the content folder, to resolve its links.
    pub relative: Option<PathBuf>,
    /// Every link of the page, from its body and its front matter, as written.
    pub links: Vec<LinkRef>,
    pub in_nav: bool,
    /// Marked `draft: true`, and built because drafts were asked for.
    pub draft: bool,
    pub title: String,
    pub summary_html: Markup,
    pub order: i64,
    pub toc: bool,
    pub body: Body,
    /// The versions between which the page lists every value that changed, if it asks to.
    pub changes: Option<Changes>,
}

/// Two declared versions, `from` before `to`, as indexes into the book's versions.
#[derive(Debug, Clone, Copy)]
pub struct Changes {
    pub from: usize,
    pub to: usize,
}

/// One compared option; `cells` has exactly one entry per dimension, in declared order.
impl Page {
    /// A page versus makes itself, with no source and no body.
    pub fn generated(dir: &str, title: &str) -> Page {
        Page {
            dir: dir.to_string(),
            source: None,
            relative: None,
            links: Vec::new(),
            in_nav: true,
            draft: false,
            title: title.to_string(),
            summary_html: Markup::default(),
            order: 0,
            toc: false,
            body: Body::default(),
            changes: None,
        }
    }
}

#[derive(Debug)]
pub struct Model {
    pub slug: String,
    pub page: Page,
    pub cells: Vec<Cell>,
    pub pros: Vec<Markup>,
    pub cons: Vec<Markup>,
}

#[derive(Debug)]
pub struct Guide {
    pub page: Page,
    pub root: Question,
}

pub const MATRIX_DIR: &str = "matrix/";

/// Builds the site from what parsed, adding its problems to those of the parse stage.
pub fn build(config: &Config, parsed: ParsedBook) -> Result<Site, Diagnostics> {
    let ParsedBook {
        documents,
        assets,
        problems: mut all,
        unparsed_models: mut broken_models,
    } = parsed;
    let mut problems = Vec::new();
    let mut models = Vec::new();
    let mut pages = Vec::new();
    let mut home = None;
    let mut matrix = None;
    let mut raw_guide = None;
    let mut claimed: BTreeMap<String, PathBuf> = BTreeMap::new();
    claimed.insert(
        MATRIX_DIR.to_string(),
        PathBuf::from("(the comparison matrix)"),
    );

    let mut drafts = Vec::new();
    let mut draft_models = BTreeSet::new();
    for document in documents {
        if document.meta.draft
            && !config.drafts
            && matches!(document.extra, Extra::Page | Extra::Model(_))
        {
            if matches!(document.extra, Extra::Model(_)) {
                draft_models.insert(slug_of(&page_of(&document, config)));
            }
            drafts.push(
                document
                    .source
                    .relative
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
            continue;
        }
        let mut page = page_of(&document, config);
        if let Some(raw) = &document.meta.changes {
            page.changes = changes_of(&document.source.shown, raw, config, &mut problems);
        }
        if !matches!(document.extra, Extra::Matrix) {
            let at = document
                .meta
                .slug
                .as_ref()
                .map_or(Position::START, |(_, p)| *p);
            claim(&mut claimed, &page, &document.source, at, &mut problems);
        }
        match document.extra {
            Extra::Model(raw) => {
                let shown = document.source.shown.clone();
                let slug = slug_of(&page);
                match model_of(&shown, page, raw, config, &mut problems) {
                    Some(model) => models.push(model),
                    None => {
                        broken_models.insert(slug);
                    }
                }
            }
            Extra::Guide(question) => raw_guide = Some((document.source.shown, page, question)),
            Extra::Matrix => matrix = Some(page),
            Extra::Page if page.dir.is_empty() => home = Some(page),
            Extra::Page => pages.push(page),
        }
    }
    models.sort_by(|a, b| (a.page.order, &a.slug).cmp(&(b.page.order, &b.slug)));
    let slugs: BTreeMap<String, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.slug.clone(), i))
        .collect();
    let guide = raw_guide.map(|(shown, page, question)| Guide {
        page,
        root: guide::resolve(
            &shown,
            question,
            "q".to_string(),
            &guide::Known {
                models: &slugs,
                broken: &broken_models,
                drafts: &draft_models,
                dimensions: &config.dimensions,
            },
            &mut problems,
        ),
    });
    all.extend(problems);
    if all.has_errors() {
        return Err(all);
    }
    Ok(Site {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        authors: config.authors.clone(),
        base_url: config.base_url.clone(),
        edit_url: config.edit_url.clone(),
        drafts,
        style: config.style.clone(),
        home_list: config.home_list,
        strings: config.strings.clone(),
        embed: config.embed.clone(),
        dimensions: config.dimensions.clone(),
        versions: config.versions.clone(),
        at: config.at.unwrap_or(0),
        models,
        home: home.unwrap_or_else(|| Page::generated("", &config.title)),
        matrix: matrix.unwrap_or_else(|| {
            Page::generated(MATRIX_DIR, &config.strings.text("matrix-title", &[]))
        }),
        guide,
        pages,
        assets,
    })
}

fn page_of(document: &Document, config: &Config) -> Page {
    let mut dir = match document.extra {
        Extra::Matrix => MATRIX_DIR.to_string(),
        _ => urls::page_dir(&document.source.relative),
    };
    if let Some((slug, _)) = &document.meta.slug {
        dir = replace_last_segment(&dir, slug);
    }
    let listed_by_default = !matches!(document.extra, Extra::Page) || dir.matches('/').count() <= 1;
    let toc = document
        .meta
        .toc
        .unwrap_or(document.body.headings.len() >= config.markdown.toc_min_headings);
    Page {
        dir,
        source: Some(document.source.shown.clone()),
        relative: Some(document.source.relative.clone()),
        links: document
            .front_links
            .iter()
            .chain(&document.body.links)
            .cloned()
            .collect(),
        // Listing every nested page on every page would grow the site with the square of
        // its size; sections link to their own pages instead.
        in_nav: document.meta.nav.unwrap_or(listed_by_default),
        draft: document.meta.draft,
        title: document.meta.title.clone(),
        summary_html: document.meta.summary_html.clone(),
        order: document.meta.order,
        toc,
        body: document.body.clone(),
        changes: None,
    }
}

/// Checks a page's `changes:` against the declared versions.
fn changes_of(
    shown: &std::path::Path,
    raw: &crate::parse::RawChanges,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Option<Changes> {
    let Some(versions) = &config.versions else {
        problems.push(
            Diagnostic::error(shown, raw.position, "the page lists changes, but the book declares no versions")
                .with_help("list the versions under [versions] in book.toml: list = [\"3.13\", \"3.14\"] and current = \"3.14\""),
        );
        return None;
    };
    let mut index = |part: &Option<(String, Position)>, default: usize| match part {
        None => Some(default),
        Some((name, position)) => {
            let found = versions.index(name);
            if found.is_none() {
                problems.push(
                    Diagnostic::error(
                        shown,
                        *position,
                        format!("`{name}` is not a declared version"),
                    )
                    .with_help(format!(
                        "the versions declared in book.toml are: {}",
                        versions.listed()
                    )),
                );
            }
            found
        }
    };
    let from = index(&raw.from, 0)?;
    let to = index(&raw.to, versions.current())?;
    if from >= to {
        let position = raw
            .to
            .as_ref()
            .or(raw.from.as_ref())
            .map_or(raw.position, |(_, p)| *p);
        problems.push(
            Diagnostic::error(
                shown,
                position,
                format!(
                    "`changes` runs from {} to {}, which is not forward in time",
                    versions.name(from),
                    versions.name(to)
                ),
            )
            .with_help(format!(
                "`from` comes before `to`; the versions in order are: {}",
                versions.listed()
            )),
        );
        return None;
    }
    // A build `--at` an older version stops the list there; one before `from` would run it
    // backwards. One at `from` has nothing to list, and says so: a book built at its first
    // version keeps its page of changes since that version.
    if let Some(at) = config.at.filter(|&at| from > at) {
        let position = raw.from.as_ref().map_or(raw.position, |(_, p)| *p);
        problems.push(
            Diagnostic::error(
                shown,
                position,
                format!(
                    "`changes` runs from {}, but the site is built `--at {}`, which comes before it",
                    versions.name(from),
                    versions.name(at)
                ),
            )
            .with_help(format!(
                "build `--at` {} or a later version, or leave this page out of that build (`draft: true`)",
                versions.name(from)
            )),
        );
        return None;
    }
    Some(Changes { from, to })
}

fn replace_last_segment(dir: &str, slug: &str) -> String {
    let mut parts: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    match parts.last_mut() {
        Some(last) => *last = slug.to_string(),
        None => parts.push(slug.to_string()),
    }
    urls::dir_of(&parts)
}

fn claim(
    claimed: &mut BTreeMap<String, PathBuf>,
    page: &Page,
    source: &SourceFile,
    at: Position,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some(first) = claimed.get(&page.dir) {
        problems.push(
            Diagnostic::error(
                &source.shown,
                at,
                format!(
                    "this page and {} both build {}",
                    first.display(),
                    urls::output_file(&page.dir)
                ),
            )
            .with_help("rename one of the files, or give one a different `slug:`"),
        );
    } else {
        claimed.insert(page.dir.clone(), source.shown.clone());
    }
}

fn model_of(
    shown: &std::path::Path,
    page: Page,
    raw: RawModel,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Option<Model> {
    let dimensions = &config.dimensions;
    let mut cells: Vec<Option<Cell>> = vec![None; dimensions.len()];
    let keys = || dimensions.iter().map(|d| d.key.as_str());
    let before = problems.len();
    for raw_cell in raw.values {
        let Some(index) = dimensions.iter().position(|d| d.key == raw_cell.key) else {
            let help = match did_you_mean(&raw_cell.key, keys()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the dimensions declared in book.toml are: {}",
                    keys().collect::<Vec<_>>().join(", ")
                ),
            };
            problems.push(
                Diagnostic::error(
                    shown,
                    raw_cell.position,
                    format!("unknown dimension `{}`", raw_cell.key),
                )
                .with_help(help),
            );
            continue;
        };
        match cell::resolve(
            shown,
            &dimensions[index],
            config.versions.as_ref(),
            raw_cell,
        ) {
            Ok(cell) => cells[index] = Some(cell),
            Err(problem) => problems.push(problem),
        }
    }
    let missing: Vec<&str> = dimensions
        .iter()
        .zip(&cells)
        .filter(|(_, cell)| cell.is_none())
        .map(|(d, _)| d.key.as_str())
        .collect();
    if !missing.is_empty() && problems.len() == before {
        problems.push(
            Diagnostic::error(shown, raw.values_position, format!("no value for {}", list_keys(&missing)))
                .with_help("every model gives a value for every dimension; write `n/a` where one does not apply"),
        );
    }
    if problems.len() != before {
        return None;
    }
    Some(Model {
        slug: slug_of(&page),
        page,
        cells: cells.into_iter().flatten().collect(),
        pros: raw.pros,
        cons: raw.cons,
    })
}

/// A model's slug: the last segment of its directory.
fn slug_of(page: &Page) -> String {
    page.dir
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn list_keys(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let noun = if keys.len() == 1 {
        "dimension"
    } else {
        "dimensions"
    };
    format!("{noun} {}", quoted.join(", "))
}
