//! Stage 5: the validated [`Site`] to the files of the static site, in memory.
//!
//! Owns the theme (tera) and highlighting (syntect). Produces a sorted list of [`Output`]s;
//! writing them is the next stage's job, so `check` can render without touching the disk.

mod data;
mod embed;
pub mod highlight;
mod search;
pub mod theme;
pub mod views;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Page, Site};
use crate::parse::markdown::{self, CodeBlock, Piece, Segment};
use crate::text::slugify;
use crate::urls;
pub use theme::Theme;

/// One file of the built site.
#[derive(Debug)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A source file copied as it is.
    CopyOf(PathBuf),
}

/// What every page of one build is rendered from.
struct Build<'a> {
    site: &'a Site,
    theme: &'a Theme,
    nav: views::NavPages<'a>,
    /// Highlighted blocks kept from earlier builds (`versus serve`), if any.
    cache: Option<&'a highlight::Cache>,
}

/// Renders every page, the sitemap and the theme's static files.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<Output>, Diagnostics> {
    render_with(site, theme, None)
}

/// [`render`], reusing the highlighted blocks in `cache` and leaving this build's in it
/// (the caller ends the cache's build with [`highlight::Cache::finish_build`]).
pub fn render_with(
    site: &Site,
    theme: &Theme,
    cache: Option<&highlight::Cache>,
) -> Result<Vec<Output>, Diagnostics> {
    let build = Build {
        site,
        theme,
        nav: views::NavPages::of(site),
        cache,
    };
    render_all(&build)
}

fn render_all(build: &Build) -> Result<Vec<Output>, Diagnostics> {
    let Build { site, theme, .. } = *build;
    let mut outputs = Vec::new();
    let mut problems = Diagnostics::new();
    let mut add = |path: String, rendered: Result<String, Diagnostic>| match rendered {
        Ok(html) => outputs.push(Output {
            path,
            contents: Contents::Bytes(html.into_bytes()),
        }),
        Err(problem) => problems.push(problem),
    };

    // The index holds the text of every page; made before the pages, its spare room is
    // given back while the build holds little else.
    add(
        search::INDEX_FILE.to_string(),
        Ok(exact(search::index_script(site))),
    );
    add(
        urls::output_file(""),
        render_page(build, &site.home, "home.html", |_| {}),
    );
    // Pages render independently (highlighting is most of the work), so all cores share
    // them; collecting keeps their order, and the output stays deterministic.
    let pages: Vec<(String, Result<String, Diagnostic>)> = site
        .pages
        .par_iter()
        .map(|page| {
            (
                urls::output_file(&page.dir),
                render_page(build, page, "page.html", |context| {
                    if let Some(changes) = page.changes {
                        let view =
                            views::changes_between(site, changes.from, changes.to, &page.dir);
                        context.insert("changes", &view);
                    }
                }),
            )
        })
        .collect();
    let models: Vec<(String, Result<String, Diagnostic>)> = site
        .models
        .par_iter()
        .map(|model| {
            let rendered = render_page(build, &model.page, "model.html", |context| {
                let root = urls::root_from(&model.page.dir);
                let (view, notes) = views::model(site, model, &root);
                context.insert("model", &view);
                context.insert("notes", &notes);
            });
            (urls::output_file(&model.page.dir), rendered)
        })
        .collect();
    for (path, rendered) in pages.into_iter().chain(models) {
        add(path, rendered);
    }
    let matrix_dir = &site.matrix.dir;
    let site_link = |from: &str| {
        let from = from.to_string();
        move |model: &crate::model::Model| urls::link(&from, &model.page.dir)
    };
    add(
        urls::output_file(matrix_dir),
        render_page(build, &site.matrix, "matrix.html", |context| {
            matrix_context(
                context,
                site,
                &site_link(matrix_dir),
                &urls::root_from(matrix_dir),
                site.at,
                false,
            );
        }),
    );
    if let Some(guide) = &site.guide {
        let matrix_url = urls::link(&guide.page.dir, matrix_dir);
        add(
            urls::output_file(&guide.page.dir),
            render_page(build, &guide.page, "guide.html", |context| {
                guide_context(
                    context,
                    site,
                    guide,
                    &site_link(&guide.page.dir),
                    &matrix_url,
                    &urls::root_from(&guide.page.dir),
                    false,
                );
            }),
        );
    }
    add(
        "404.html".to_string(),
        render_not_found(site, theme, &build.nav),
    );
    // GitHub Pages, when it publishes a branch, runs Jekyll first unless this file exists;
    // Jekyll would drop files and folders whose names start with `_`.
    add(".nojekyll".to_string(), Ok(String::new()));
    if let Some(base) = &site.base_url {
        add("sitemap.xml".to_string(), render_sitemap(site, theme, base));
    }
    match embed::render(site, theme) {
        Ok(embeds) => outputs.extend(embeds),
        Err(problem) => problems.push(problem),
    }
    if problems.has_errors() {
        return Err(problems);
    }
    outputs.extend(theme.statics.iter().map(|(path, bytes)| Output {
        path: path.clone(),
        contents: Contents::Bytes(bytes.clone()),
    }));
    outputs.extend(site.assets.iter().map(|asset| {
        Output {
            path: asset
                .relative
                .iter()
                .map(|p| p.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            contents: Contents::CopyOf(asset.absolute.clone()),
        }
    }));
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
}

/// What the matrix fragment needs, on the site and in the embed (`root` leads to the site
/// root from where it is shown).
fn matrix_context(
    context: &mut Context,
    site: &Site,
    link: &dyn Fn(&crate::model::Model) -> String,
    root: &str,
    at: usize,
    embed: bool,
) {
    context.insert("matrix", &views::matrix(site, link, root, at));
    context.insert("embed", &embed);
    context.insert("heading", if embed { "h3" } else { "h2" });
}

/// What the guide fragment needs, on the site and in the embed.
fn guide_context(
    context: &mut Context,
    site: &Site,
    guide: &crate::model::Guide,
    link: &dyn Fn(&crate::model::Model) -> String,
    matrix_url: &str,
    root: &str,
    embed: bool,
) {
    context.insert("guide", &views::guide_steps(site, &guide.root, link, root));
    context.insert("matrix_url", matrix_url);
    context.insert("embed", &embed);
}

fn render_page(
    build: &Build,
    page: &Page,
    template: &str,
    extra: impl FnOnce(&mut Context),
) -> Result<String, Diagnostic> {
    let mut context = base_context(build.site, &build.nav, &page.dir);
    context.insert(
        "page",
        &views::page(build.site, page, body_html(build.theme, page, build.cache)?),
    );
    extra(&mut context);
    build.theme.render(template, &context).map(exact)
}

/// A rendered file in an allocation of its own size. Its string grew by doubling, so up to
/// half of it is spare room, and every file is held until the write stage; mimalloc's
/// `realloc` keeps a block shrunk by less than half, so `shrink_to_fit` would free nothing.
fn exact(html: String) -> String {
    if html.capacity() == html.len() {
        html
    } else {
        html.as_str().to_owned()
    }
}

fn base_context(site: &Site, nav: &views::NavPages, dir: &str) -> Context {
    let mut context = Context::new();
    context.insert("site", &views::site(site));
    context.insert("nav", &views::nav(site, nav, dir));
    context.insert("root", &urls::root_from(dir));
    context
}

/// The 404 page is served at any depth, so its links start from the site's published path.
fn render_not_found(
    site: &Site,
    theme: &Theme,
    nav: &views::NavPages,
) -> Result<String, Diagnostic> {
    let root = site
        .base_url
        .as_deref()
        .map_or("/".to_string(), urls::base_path);
    let mut context = Context::new();
    context.insert("site", &views::site(site));
    context.insert("nav", &views::nav(site, nav, "").rooted_at(&root));
    context.insert("root", &root);
    let missing = Page::generated("", &site.strings.text("not-found-title", &[]));
    let mut view = views::page(site, &missing, String::new());
    view.canonical = None;
    view.root = root.clone();
    context.insert("page", &view);
    theme.render("404.html", &context)
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
}

fn render_sitemap(site: &Site, theme: &Theme, base: &str) -> Result<String, Diagnostic> {
    let mut dirs: Vec<&str> = site.pages().map(|page| page.dir.as_str()).collect();
    dirs.sort_unstable();
    let entries: Vec<SitemapEntry> = dirs
        .into_iter()
        .map(|dir| SitemapEntry {
            loc: format!("{base}{dir}"),
        })
        .collect();
    let mut context = Context::new();
    context.insert("entries", &entries);
    theme.render("sitemap.xml", &context)
}

/// What `versus serve` adds to the site it previews, from the theme's `serve/` templates.
pub struct PreviewParts {
    /// The script every served HTML page gets, to reload at the next build.
    pub reload: String,
    /// The overlay over every page while the last build failed.
    pub overlay: Option<String>,
    /// The page for paths the site lacks, when it has no 404 page yet.
    pub not_found: String,
}

/// Renders [`PreviewParts`] with the book's theme when it loaded, each part from the
/// built-in theme when the book's cannot render it: a broken theme may be what failed the
/// build, and the overlay that says so must show all the same. The built-in parts speak the
/// book's language when its `book.toml` loads, English only when even that fails.
/// `diagnostics` are the last build's, if it failed; `events` is the URL of the server's
/// reload events. Also returns why each part the book's theme could not render fell back.
pub fn preview_parts(
    config: Option<&Config>,
    events: &str,
    generation: u64,
    diagnostics: Option<&[String]>,
) -> (PreviewParts, Vec<Diagnostic>) {
    static ENGLISH: std::sync::LazyLock<Theme> = std::sync::LazyLock::new(Theme::built_in);
    let book = config.and_then(|config| Theme::load(config).ok());
    // Assembled only if a part of the book's theme fails.
    let in_language = std::cell::OnceCell::new();
    let fallback = || match config {
        Some(config) => in_language.get_or_init(|| Theme::built_in_with(&config.strings)),
        None => &*ENGLISH,
    };
    let language = config.map_or("en", |config| config.language.as_str());
    let mut fell_back = Vec::new();
    let mut render = |template: &str, context: &Context| {
        if let Some(theme) = &book {
            match theme.render(template, context) {
                Ok(html) => return html,
                Err(problem) => fell_back.push(Diagnostic {
                    severity: crate::diagnostic::Severity::Warning,
                    message: format!(
                        "{}; versus serve shows the built-in {template} instead",
                        problem.message
                    ),
                    ..problem
                }),
            }
        }
        fallback()
            .render(template, context)
            .expect("the built-in theme's serve templates render")
    };
    let parts = preview_contexts(events, generation, diagnostics, language);
    let reload = render("serve/reload.html", &parts.reload);
    let overlay = parts
        .overlay
        .map(|context| render("serve/overlay.html", &context));
    let not_found = render("serve/not-found.html", &parts.not_found);
    (
        PreviewParts {
            reload,
            overlay,
            not_found,
        },
        fell_back,
    )
}

/// What `versus check` finds wrong in the theme's `serve/` templates, which a build never
/// renders: each rendered with sample data, as `versus serve` would.
pub fn check_preview_templates(theme: &Theme, language: &str) -> Vec<Diagnostic> {
    let sample = ["content/index.md:1:1: error: a sample problem".to_string()];
    let parts = preview_contexts("/__versus/events", 1, Some(&sample), language);
    [
        ("serve/reload.html", Some(parts.reload)),
        ("serve/overlay.html", parts.overlay),
        ("serve/not-found.html", Some(parts.not_found)),
    ]
    .into_iter()
    .filter_map(|(template, context)| theme.render(template, &context?).err())
    .collect()
}

/// The contexts of the three `serve/` templates.
struct PreviewContexts {
    reload: Context,
    overlay: Option<Context>,
    not_found: Context,
}

fn preview_contexts(
    events: &str,
    generation: u64,
    diagnostics: Option<&[String]>,
    language: &str,
) -> PreviewContexts {
    let mut reload = Context::new();
    reload.insert("events", events);
    reload.insert("generation", &generation);
    let overlay = diagnostics.map(|diagnostics| {
        let mut context = Context::new();
        context.insert("diagnostics", diagnostics);
        context.insert("language", language);
        context
    });
    let mut not_found = Context::new();
    not_found.insert("language", language);
    PreviewContexts {
        reload,
        overlay,
        not_found,
    }
}

/// The page's body, written by one Markdown writer (one footnote numbering per page) with
/// its code blocks highlighted in place and its headings' anchors from the theme.
fn body_html(
    theme: &Theme,
    page: &Page,
    cache: Option<&highlight::Cache>,
) -> Result<String, Diagnostic> {
    let anchors = page
        .body
        .headings
        .iter()
        .map(|heading| {
            let mut context = Context::new();
            context.insert("id", &heading.id);
            context.insert("level", &heading.level);
            context.insert("text", &heading.text);
            theme.render("fragments/anchor.html", &context)
        })
        .collect::<Result<Vec<String>, Diagnostic>>()?;
    let mut pieces = Vec::new();
    let mut segments = page.body.segments.iter().peekable();
    let mut after_code = false;
    while let Some(segment) = segments.next() {
        match segment {
            Segment::Markup(markup) => {
                pieces.push(Piece::Markup(markup));
                after_code = false;
                continue;
            }
            Segment::Code(block) if block.attr("tab").is_some() => {
                let mut group = vec![block];
                while let Some(Segment::Code(next)) = segments.peek() {
                    group.push(next);
                    segments.next();
                }
                pieces.push(Piece::Html(tab_group_html(theme, &group, cache)?));
            }
            Segment::Code(block) => {
                pieces.push(Piece::Html(code_html(theme, block, after_code, cache)?));
            }
        }
        after_code = true;
    }
    Ok(markdown::to_html(
        pieces.into_iter(),
        &urls::root_from(&page.dir),
        Some(&anchors),
    ))
}

/// One panel of a tab group, for `fragments/tabs.html`.
#[derive(Serialize)]
struct TabPanel<'a> {
    tab: &'a str,
    /// The HTML of its code blocks, each from `fragments/code.html`.
    blocks: Vec<String>,
}

/// Adjacent code blocks written for each option of a comparison (`tab="threads"`) become one
/// group: each `tab` block opens a panel, and blocks without `tab` (an output block) join
/// the panel before them. Without JavaScript the panels read one after another.
fn tab_group_html(
    theme: &Theme,
    blocks: &[&CodeBlock],
    cache: Option<&highlight::Cache>,
) -> Result<String, Diagnostic> {
    let mut panels: Vec<TabPanel> = Vec::new();
    for block in blocks {
        let html = code_html(theme, block, true, cache)?;
        match (block.attr("tab"), panels.last_mut()) {
            (Some(tab), _) => panels.push(TabPanel {
                tab,
                blocks: vec![html],
            }),
            (None, Some(panel)) => panel.blocks.push(html),
            // A group starts at a block with `tab` (see `body_html`).
            (None, None) => unreachable!("a tab group starts with a `tab` block"),
        }
    }
    let mut context = Context::new();
    context.insert("panels", &panels);
    theme.render("fragments/tabs.html", &context)
}

/// A code block in the markup Pygments produces, inside a wrapper the theme's script uses
/// (`fragments/code.html`). `after_code` says whether the block comes right after another
/// one (nothing between): an output block there is that sample's output.
pub fn code_html(
    theme: &Theme,
    block: &CodeBlock,
    after_code: bool,
    cache: Option<&highlight::Cache>,
) -> Result<String, Diagnostic> {
    let lang = block.lang.as_deref();
    let highlighted: String = match cache {
        Some(cache) => cache.highlight(&block.code, lang).to_string(),
        None => highlight::highlight(&block.code, lang),
    };
    let mut context = Context::new();
    context.insert("lang", &lang.map_or_else(|| "text".to_string(), slugify));
    context.insert("is_output", &(lang == Some("output")));
    context.insert("title", &block.attr("title"));
    context.insert("after_code", &after_code);
    context.insert("code", &highlighted);
    theme.render("fragments/code.html", &context)
}
