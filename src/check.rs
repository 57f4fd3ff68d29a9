//! `versus check`: the problems only the whole rendered site shows.
//!
//! Runs after render, on the site in memory: every internal link, anchor and local file a
//! page names must exist; every page must be reachable from the navigation; every dimension
//! must be used; every model must be reachable from the guide. External links are listed,
//! never fetched (the site must not depend on the network to build or check).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Position, did_you_mean};
use crate::model::{CellValue, Page, Site};
use crate::parse::markdown::{LinkRef, Segment};
use crate::render::highlight;
use crate::render::{Contents, Output};
use crate::urls::{self, Target};

/// A link to another site, as written.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub path: PathBuf,
    pub position: Position,
    pub url: String,
}

#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Diagnostics,
    pub external: Vec<ExternalLink>,
}

/// What the rendered site holds: its files and the ids of each HTML page.
struct SiteIndex<'a> {
    files: BTreeSet<&'a str>,
    ids: BTreeMap<&'a str, BTreeSet<String>>,
    /// Source path in the content folder (`models/threads.md`) to page.
    sources: BTreeMap<String, &'a Page>,
    /// Sources of the drafts left out of the site.
    drafts: BTreeSet<&'a str>,
}

/// `guide_path` is where the guide would be, for the warning when there is none.
pub fn check(site: &Site, outputs: &[Output], guide_path: &Path) -> Findings {
    let index = SiteIndex::new(site, outputs);
    let mut findings = Findings::default();
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for page in site.pages() {
        let (Some(relative), Some(shown)) = (&page.relative, &page.source) else {
            continue;
        };
        let mut suggestions = Suggestions::default();
        for link in &page.links {
            let source = LinkSource {
                page,
                relative,
                shown,
            };
            let target = check_link(&index, &source, link, &mut suggestions, &mut findings);
            if let Some(target) = target {
                edges.entry(page.dir.as_str()).or_default().insert(target);
            }
        }
    }
    check_code_blocks(site, &mut findings.problems);
    check_orphans(site, &edges, &mut findings.problems);
    check_dimensions(site, &mut findings.problems);
    check_guide(site, guide_path, &mut findings.problems);
    findings
}

impl<'a> SiteIndex<'a> {
    fn new(site: &'a Site, outputs: &'a [Output]) -> Self {
        let files = outputs.iter().map(|o| o.path.as_str()).collect();
        let ids = outputs
            .iter()
            .filter(|o| o.path.ends_with(".html"))
            .filter_map(|o| match &o.contents {
                Contents::Bytes(bytes) => {
                    Some((o.path.as_str(), html_ids(&String::from_utf8_lossy(bytes))))
                }
                Contents::CopyOf(_) => None,
            })
            .collect();
        let mut sources: BTreeMap<String, &Page> = site
            .pages()
            .filter_map(|p| Some((p.relative.as_ref()?.to_string_lossy().replace('\\', "/"), p)))
            .collect();
        // Generated pages can be linked by the name their source would have.
        sources.entry("index.md".to_string()).or_insert(&site.home);
        sources
            .entry("matrix.md".to_string())
            .or_insert(&site.matrix);
        SiteIndex {
            files,
            ids,
            sources,
            drafts: site.drafts.iter().map(String::as_str).collect(),
        }
    }
}

/// The page a link is written on.
struct LinkSource<'a> {
    page: &'a Page,
    relative: &'a Path,
    shown: &'a Path,
}

/// How many "did you mean" searches one page may still make. Each compares a name with every
/// candidate (every id of the target page, every file), so an unbounded number would make a
/// page of many broken links cost the square of its size; past the budget, the help is
/// general.
struct Suggestions {
    left: usize,
}

/// Enough for a writer's real mistakes on one page.
pub const SUGGESTIONS_PER_PAGE: usize = 20;

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            left: SUGGESTIONS_PER_PAGE,
        }
    }
}

impl Suggestions {
    fn near<'c>(
        &mut self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Option<&'c str> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        did_you_mean(wanted, candidates)
    }
}

/// Checks one link; returns the page directory it leads to, for reachability.
fn check_link(
    index: &SiteIndex,
    from: &LinkSource,
    link: &LinkRef,
    suggestions: &mut Suggestions,
    findings: &mut Findings,
) -> Option<String> {
    let LinkSource {
        page,
        relative,
        shown,
    } = *from;
    let error = |message: String| Diagnostic::error(shown, link.position, message);
    let (file, fragment, leads_to) = match urls::resolve_link(relative, &link.dest) {
        Target::External => {
            findings.external.push(ExternalLink {
                path: shown.to_path_buf(),
                position: link.position,
                url: link.dest.clone(),
            });
            return None;
        }
        Target::Absolute => {
            findings.problems.push(Diagnostic::warning(shown, link.position, format!("`{}` is an absolute path, which breaks under a sub-path and from file://", link.dest))
                .with_help("write the link relative to this file, e.g. `models/threads.md` or `images/a.svg`"));
            return None;
        }
        Target::OutsideContent => {
            findings.problems.push(
                error(format!("`{}` points outside the content folder", link.dest))
                    .with_help("link to pages and files inside the content folder"),
            );
            return None;
        }
        Target::SamePage(fragment) => (urls::output_file(&page.dir), Some(fragment), None),
        Target::Page { source, fragment } => match index.sources.get(&source) {
            Some(target) => (
                urls::output_file(&target.dir),
                fragment,
                Some(target.dir.clone()),
            ),
            None if index.drafts.contains(&source.as_str()) => {
                findings.problems.push(
                    error(format!("broken link: `{source}` is a draft, left out of the site"))
                        .with_help("publish it (remove `draft: true`), or check the book with its drafts: `versus check --drafts`"),
                );
                return None;
            }
            None => {
                let help = match suggestions.near(&source, index.sources.keys().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`? Paths are relative to this file"),
                    None => "link to a Markdown file of the content folder; paths are relative to this file".to_string(),
                };
                findings.problems.push(
                    error(format!("broken link: there is no page `{source}`")).with_help(help),
                );
                return None;
            }
        },
        Target::File { path, fragment } => {
            let leads_to = path.strip_suffix("index.html").map(str::to_string);
            (path, fragment, leads_to)
        }
    };
    if !index.files.contains(file.as_str()) {
        let what = if link.is_image { "image" } else { "file" };
        let help = match suggestions.near(&file, index.files.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Paths are relative to this file"),
            None => "paths are relative to this file; files in the content folder are copied to the site".to_string(),
        };
        findings.problems.push(
            error(format!(
                "broken link: the {what} `{file}` does not exist in the site"
            ))
            .with_help(help),
        );
        return None;
    }
    if let (Some(fragment), Some(ids)) = (fragment, index.ids.get(file.as_str()))
        && !fragment.is_empty()
        // `#?v=3.12&f.purpose=io` is the matrix's and the guide's state, not an id.
        && !fragment.starts_with('?')
        && !ids.contains(&fragment)
    {
        let help = match suggestions.near(&fragment, ids.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `#{near}`?"),
            None => format!("headings get ids from their text; see the ids in {file}"),
        };
        findings.problems.push(
            error(format!(
                "broken anchor: `#{fragment}` is not an id in {file}"
            ))
            .with_help(help),
        );
    }
    leads_to
}

/// Pages kept out of the navigation must be linked from a page readers can reach.
fn check_orphans(
    site: &Site,
    edges: &BTreeMap<&str, BTreeSet<String>>,
    problems: &mut Diagnostics,
) {
    let mut reached: BTreeSet<String> = site
        .pages()
        .filter(|p| p.in_nav)
        .map(|p| p.dir.clone())
        .collect();
    let mut queue: Vec<String> = reached.iter().cloned().collect();
    while let Some(dir) = queue.pop() {
        for next in edges.get(dir.as_str()).into_iter().flatten() {
            if reached.insert(next.clone()) {
                queue.push(next.clone());
            }
        }
    }
    for page in site.pages().filter(|p| !reached.contains(&p.dir)) {
        if let Some(shown) = &page.source {
            problems.push(
                Diagnostic::warning(
                    shown,
                    Position::START,
                    "orphan page: it is not in the navigation and no reachable page links to it",
                )
                .with_help(
                    "link to it from another page, or put it in the navigation with `nav: true`",
                ),
            );
        }
    }
}

/// The Markdown that build accepts but that is likely a mistake: the parse stage's lint
/// warnings, an output block with prose between it and the sample before it, and blocks too
/// big to highlight. `build` shows these too.
pub fn check_code_blocks(site: &Site, problems: &mut Diagnostics) {
    for page in site.pages() {
        let Some(shown) = &page.source else {
            continue;
        };
        problems.extend(page.body.warnings.iter().cloned());
        let mut after_code = false;
        for segment in &page.body.segments {
            let Segment::Code(block) = segment else {
                after_code = false;
                continue;
            };
            if block.lang.as_deref() == Some("output") && !after_code {
                problems.push(
                    Diagnostic::warning(shown, block.position, "this output block does not follow a code sample, so nothing checks it and readers cannot tell whose output it is")
                        .with_help("put the output block right after its sample, with nothing between them, or make it a `text` block"),
                );
            }
            if let Some(reason) = highlight::too_big(&block.code) {
                problems.push(
                    Diagnostic::warning(
                        shown,
                        block.position,
                        format!("this code block is shown without highlighting: {reason}"),
                    )
                    .with_help("split the block, or link to the file instead of including it"),
                );
            }
            after_code = true;
        }
    }
}

fn check_dimensions(site: &Site, problems: &mut Diagnostics) {
    for (index, dimension) in site.dimensions.iter().enumerate() {
        let used = site.models.iter().any(|m| {
            m.cells[index]
                .history()
                .any(|(_, s)| s.value != CellValue::NotApplicable)
        });
        if !used {
            problems.push(
                Diagnostic::warning(
                    crate::config::BOOK_FILE,
                    dimension.position,
                    format!(
                        "dimension `{}` is not used: no model gives it a value",
                        dimension.key
                    ),
                )
                .with_help("give it a value in a model's `values`, or remove the [[dimension]]"),
            );
        }
    }
}

fn check_guide(site: &Site, guide_path: &Path, problems: &mut Diagnostics) {
    let Some(guide) = &site.guide else {
        if !site.models.is_empty() {
            problems.push(
                Diagnostic::warning(
                    guide_path,
                    Position::NONE,
                    "the book has no decision guide, so no model can be reached from one",
                )
                .with_help("add content/guide.md with a `question:` tree; see README"),
            );
        }
        return;
    };
    let mut reachable = Vec::new();
    guide.root.reachable_models(&mut reachable);
    let shown = guide.page.source.clone().unwrap_or_default();
    for (index, model) in site.models.iter().enumerate() {
        if !reachable.contains(&index) {
            problems.push(
                Diagnostic::warning(
                    &shown,
                    Position::START,
                    format!(
                        "model `{}` cannot be reached from the decision guide",
                        model.slug
                    ),
                )
                .with_help(format!(
                    "add an answer that ends with `model: {}`",
                    model.slug
                )),
            );
        }
    }
}

/// Every `id="..."` value in an HTML page.
fn html_ids(html: &str) -> BTreeSet<String> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}
