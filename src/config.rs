//! Stage 1: read `book.toml` into a validated [`Config`].
//!
//! Owns the `toml` crate. Everything later stages need from the book's settings, including the
//! declared comparison dimensions, is resolved here once; no other stage reads `book.toml`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Position};
use crate::input::{BOOK_TOML_LIMIT, ReadError, normalize_lexically, read_limited};

pub mod strings;
mod style;
pub use strings::Strings;
pub use style::Style;

pub const BOOK_FILE: &str = "book.toml";

/// The book's settings, resolved and checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub language: String,
    pub authors: Vec<String>,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    /// `None` means the theme embedded in the binary.
    pub theme: Option<ThemeName>,
    /// Absolute URL the site is published at, ending in `/`; only for sitemap and canonical links.
    pub base_url: Option<String>,
    /// Where a page's source is edited, with `{path}` standing for the source's path inside
    /// the content folder (`edit-url` says it relative to the book, the content folder
    /// included).
    pub edit_url: Option<String>,
    /// Whether pages marked `draft: true` are part of the site.
    pub drafts: bool,
    /// The book's own look: logo, favicon, colours, fonts.
    pub style: Style,
    /// Whether the home page ends with its list of the options compared.
    pub home_list: bool,
    pub markdown: MarkdownOptions,
    pub samples: SampleOptions,
    pub embed: EmbedOptions,
    pub dimensions: Vec<DimensionSpec>,
    /// The versions the book covers, if it declares any.
    pub versions: Option<Versions>,
    /// The version the site is built for (`--at`, else the current one); `None` without
    /// declared versions.
    pub at: Option<usize>,
    /// Every text readers see, in the book's language.
    pub strings: Strings,
    /// What is likely wrong but does not stop the build (a language without a catalogue).
    pub warnings: Vec<Diagnostic>,
}

/// The versions a book covers, declared once in `[versions]`: distinct names, in order,
/// one of them current. A version is referred to by its index in this list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    names: Vec<String>,
    current: usize,
}

impl Versions {
    /// The versions in declared order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The index of the version the book calls current.
    pub fn current(&self) -> usize {
        self.current
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub fn name(&self, index: usize) -> &str {
        &self.names[index]
    }

    /// The declared names, for help lines.
    pub fn listed(&self) -> String {
        self.names.join(", ")
    }
}

/// Where links in the fragments for other docs (public/embed/) point.
#[derive(Debug, Clone)]
pub struct EmbedOptions {
    /// A model's page, with `{slug}` in it.
    pub model_url: String,
    /// The page that shows the matrix; empty means the page the fragment is on.
    pub matrix_url: String,
    /// The version the fragments are true for (`at` under [embed]); `None` follows the site.
    pub at: Option<usize>,
}

/// How `versus test` runs the book's Python samples.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// The interpreter, as a command name or path.
    pub python: String,
    /// How long a sample may run, unless its fence says otherwise.
    pub timeout_seconds: u64,
}

/// A theme named in book.toml, with where it was named for messages.
#[derive(Debug, Clone)]
pub struct ThemeName {
    pub name: String,
    pub position: Position,
}

#[derive(Debug, Clone, Default)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    /// A page gets a table of contents when it has at least this many headings.
    pub toc_min_headings: usize,
}

/// A comparison dimension as declared in `book.toml`.
#[derive(Debug, Clone)]
pub struct DimensionSpec {
    pub key: String,
    /// Where the key is declared in book.toml.
    pub position: Position,
    pub label: String,
    pub help: String,
    pub kind: DimensionKind,
    /// How each level is shown to readers, in the order of the kind's levels (the level's
    /// key unless `book.toml` gives a label); empty for text.
    pub labels: Vec<String>,
    pub facet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DimensionKind {
    /// One level out of an ordered list (smallest < medium < biggest).
    Scale(Vec<String>),
    /// Any number of tags out of a fixed list.
    Tags(Vec<String>),
    /// Free inline Markdown, such as a module name.
    Text,
}

/// Overrides given on the command line, which win over `book.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    /// `--at VERSION`: build the site and the fragments as true for this declared version.
    pub at: Option<String>,
    /// Build pages marked `draft: true` too (`check --drafts`, `serve`).
    pub drafts: bool,
    /// `--language LANG`: the site's language and catalogue of strings instead of
    /// `[book] language` (the Sphinx extension passes the documentation's).
    pub language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    book: RawBookSection,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    test: RawTest,
    #[serde(default)]
    embed: RawEmbed,
    versions: Option<RawVersions>,
    #[serde(default)]
    style: style::RawStyle,
    #[serde(default, rename = "dimension")]
    dimensions: Vec<RawDimension>,
    #[serde(default)]
    strings: strings::RawStrings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBookSection {
    title: String,
    #[serde(default)]
    description: String,
    language: Option<Spanned<String>>,
    /// What the book compares: a word, or `{ one = "box", other = "boxes" }`.
    noun: Option<Spanned<toml::Value>>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default, rename = "edit-url")]
    edit_url: Option<Spanned<String>>,
    #[serde(default = "default_true", rename = "home-list")]
    home_list: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    content: Option<Spanned<String>>,
    output: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMarkdown {
    #[serde(default)]
    smart_punctuation: bool,
    #[serde(default = "default_toc_min_headings")]
    toc_min_headings: usize,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        RawMarkdown {
            smart_punctuation: false,
            toc_min_headings: default_toc_min_headings(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEmbed {
    model_url: Option<Spanned<String>>,
    matrix_url: Option<String>,
    at: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersions {
    list: Spanned<Vec<Spanned<String>>>,
    current: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    #[serde(default = "default_python")]
    python: String,
    #[serde(default = "default_timeout")]
    timeout: u64,
}

impl Default for RawTest {
    fn default() -> Self {
        RawTest {
            python: default_python(),
            timeout: default_timeout(),
        }
    }
}

fn default_python() -> String {
    "python3".to_string()
}

fn default_timeout() -> u64 {
    30
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    key: Spanned<String>,
    label: String,
    #[serde(default)]
    help: String,
    kind: Spanned<String>,
    #[serde(default)]
    /// Each a key (`"any-language"`) or a table (`{ key = "any-language", label = "Any
    /// language" }`); read as TOML values so a wrong entry gets its own message.
    levels: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    #[serde(default)]
    facet: bool,
}

fn default_true() -> bool {
    true
}

fn default_toc_min_headings() -> usize {
    3
}

/// Reads and checks `<root>/book.toml`.
pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, Diagnostics> {
    let path = root.join(BOOK_FILE);
    let bytes = read_limited(&path, BOOK_TOML_LIMIT).map_err(|err| {
        let help = match err {
            ReadError::Io(_) => format!(
                "run versus in a book's root folder, or name it: `versus build DIR` (looked in {})",
                root.display()
            ),
            _ => err.help().to_string(),
        };
        Diagnostic::error(
            BOOK_FILE,
            Position::START,
            format!("cannot read book.toml: {err}"),
        )
        .with_help(help)
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let at = LineIndex::new(
            std::str::from_utf8(&err.as_bytes()[..err.utf8_error().valid_up_to()]).unwrap_or(""),
            1,
        )
        .position(err.utf8_error().valid_up_to());
        Diagnostic::error(BOOK_FILE, at, "book.toml is not UTF-8 text")
            .with_help("save book.toml as UTF-8")
    })?;
    let index = LineIndex::new(&text, 1);
    let raw: RawBook = toml::from_str(&text).map_err(|err| {
        let position = err
            .span()
            .map_or(Position::START, |s| index.position(s.start));
        Diagnostic::error(BOOK_FILE, position, err.message().trim().to_string()).with_help(
            "book.toml has the tables [book], [build], [markdown], [test], [embed], [versions], [strings] and [[dimension]]; see README",
        )
    })?;
    resolve(root, raw, &index, overrides)
}

fn resolve(
    root: &Path,
    raw: RawBook,
    index: &LineIndex,
    overrides: &Overrides,
) -> Result<Config, Diagnostics> {
    let mut problems = Diagnostics::new();
    let dimensions = resolve_dimensions(raw.dimensions, index, &mut problems);
    let versions = raw
        .versions
        .and_then(|v| resolve_versions(v, index, &mut problems));
    let at = resolve_at(versions.as_ref(), overrides, &mut problems);
    let embed_at = raw.embed.at.as_ref().and_then(|name| {
        let position = index.position(name.span().start);
        version_named(
            versions.as_ref(),
            name.get_ref(),
            "`at` under [embed]",
            BOOK_FILE,
            position,
            &mut problems,
        )
    });
    if let Some(url) = &raw.embed.model_url
        && !url.get_ref().contains("{slug}")
    {
        problems.push(
            Diagnostic::error(
                BOOK_FILE,
                index.position(url.span().start),
                "`model-url` must contain {slug}",
            )
            .with_help(
                "e.g. model-url = \"https://docs.python.org/3/howto/concurrency/{slug}.html\"",
            ),
        );
    }
    if let Some(name) = &raw.build.theme
        && !is_theme_name(name.get_ref())
    {
        problems.push(
            Diagnostic::error(
                BOOK_FILE,
                index.position(name.span().start),
                format!("theme {:?} is not a folder name", name.get_ref()),
            )
            .with_help("a theme is a folder of themes/, named by its name alone: theme = \"mine\" for themes/mine/"),
        );
    }
    let base_url = match (&overrides.base_url, raw.build.base_url) {
        (Some(url), _) => check_base_url(url, FLAG_BASE_URL, Position::NONE, &mut problems),
        (None, Some(url)) => {
            let position = index.position(url.span().start);
            check_base_url(url.get_ref(), BOOK_FILE, position, &mut problems)
        }
        (None, None) => None,
    };
    let content = folder_setting(raw.build.content, "content", index, &mut problems);
    let output = folder_setting(raw.build.output, "output", index, &mut problems);
    let content = normalize_lexically(&content.unwrap_or_else(|| PathBuf::from("content")));
    let edit_url = raw.book.edit_url.as_ref().and_then(|url| {
        if url.get_ref().contains("{path}") {
            let content = content.to_string_lossy().replace('\\', "/");
            let content = content.trim_end_matches('/');
            Some(url.get_ref().replace("{path}", &format!("{content}/{{path}}")))
        } else {
            problems.push(
                Diagnostic::error(BOOK_FILE, index.position(url.span().start), "`edit-url` must contain {path}")
                    .with_help("{path} is the page's source file, from the book's folder: edit-url = \"https://github.com/you/book/edit/main/{path}\""),
            );
            None
        }
    });
    let style = style::resolve(raw.style, &root.join(&content), index, &mut problems);
    let own_language = raw
        .book
        .language
        .as_ref()
        .map_or(Some("en".to_string()), |tag| {
            let message = format!("`language` is not a language tag: {:?}", tag.get_ref());
            let at = index.position(tag.span().start);
            language_tag(
                tag.get_ref(),
                (BOOK_FILE, at, "language = "),
                message,
                &mut problems,
            )
        })
        .unwrap_or_else(|| "en".to_string());
    let language = overrides
        .language
        .as_ref()
        .and_then(|tag| {
            let message = format!("{tag:?} is not a language tag");
            let blame = (FLAG_LANGUAGE, Position::NONE, "--language ");
            language_tag(tag, blame, message, &mut problems)
        })
        .unwrap_or_else(|| own_language.clone());
    // `noun` and `[strings]` are written in the book's own language: a build in another one
    // takes that language's words from its catalogue instead of mixing the two.
    let (noun, string_overrides) = if same_language(&language, &own_language) {
        (raw.book.noun, raw.strings)
    } else {
        (None, strings::RawStrings::new())
    };
    let strings = strings::resolve(
        strings::Settings {
            root,
            theme: raw
                .build
                .theme
                .as_ref()
                .map(|t| t.get_ref().as_str())
                .filter(|name| *name != "default" && is_theme_name(name)),
            language: &language,
            language_at: raw
                .book
                .language
                .as_ref()
                .map(|l| index.position(l.span().start)),
            language_flag: overrides.language.is_some().then_some(FLAG_LANGUAGE),
            noun,
            overrides: string_overrides,
        },
        Path::new(BOOK_FILE),
        index,
        &mut problems,
    );
    if problems.has_errors() {
        return Err(problems);
    }
    let embed = EmbedOptions {
        model_url: raw.embed.model_url.map(Spanned::into_inner).unwrap_or_else(
            || match &base_url {
                Some(base) => format!("{base}models/{{slug}}/"),
                None => "models/{slug}/index.html".to_string(),
            },
        ),
        matrix_url: raw.embed.matrix_url.unwrap_or_default(),
        // `--at` decides for the whole build, fragments included.
        at: if overrides.at.is_some() {
            at
        } else {
            embed_at.or(at)
        },
    };
    // `..` is resolved as text before anything looks at the folder, so `missing/../keep` is
    // refused like `keep`, and no stray `missing/` is created.
    let output_dir = match &overrides.output_dir {
        Some(dest) => normalize_lexically(&root.join(dest)),
        None => root.join(normalize_lexically(
            &output.unwrap_or_else(|| PathBuf::from("public")),
        )),
    };
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.book.title,
        description: raw.book.description,
        language,
        authors: raw.book.authors,
        content_dir: root.join(&content),
        edit_url,
        drafts: overrides.drafts,
        style,
        home_list: raw.book.home_list,
        output_dir,
        theme: raw
            .build
            .theme
            .filter(|name| name.get_ref() != "default")
            .map(|name| ThemeName {
                position: index.position(name.span().start),
                name: name.into_inner(),
            }),
        base_url,
        markdown: MarkdownOptions {
            smart_punctuation: raw.markdown.smart_punctuation,
            toc_min_headings: raw.markdown.toc_min_headings,
        },
        embed,
        samples: SampleOptions {
            python: raw.test.python,
            timeout_seconds: raw.test.timeout,
        },
        dimensions,
        versions,
        at,
        strings,
        warnings: problems.into_sorted(),
    })
}

fn resolve_versions(
    raw: RawVersions,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Option<Versions> {
    let list_position = index.position(raw.list.span().start);
    let mut names: Vec<String> = Vec::new();
    let mut bad = false;
    for name in raw.list.into_inner() {
        let position = index.position(name.span().start);
        let name = name.into_inner();
        if name.trim().is_empty() || name != name.trim() {
            bad = true;
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    position,
                    format!("version {name:?} is not a version name"),
                )
                .with_help(
                    "name each version as readers know it, e.g. \"3.14\", without spaces around it",
                ),
            );
        } else if name.chars().any(char::is_control) {
            bad = true;
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    position,
                    format!("version {name:?} has a line break or other control character"),
                )
                .with_help(
                    "a version name is shown on one line (in captions, selectors and messages); write it without control characters, e.g. \"3.14\"",
                ),
            );
        } else if names.contains(&name) {
            bad = true;
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    position,
                    format!("version {name:?} is listed twice"),
                )
                .with_help("list each version once, oldest first"),
            );
        }
        names.push(name);
    }
    if names.is_empty() {
        bad = true;
        problems.push(
            Diagnostic::error(BOOK_FILE, list_position, "`list` under [versions] is empty")
                .with_help("list the versions the book covers, oldest first, e.g. list = [\"3.13\", \"3.14\"]"),
        );
    }
    if !bad && is_newest_first(&names) {
        bad = true;
        let oldest_first: Vec<String> = names.iter().rev().map(|n| format!("{n:?}")).collect();
        problems.push(
            Diagnostic::error(
                BOOK_FILE,
                list_position,
                "`list` under [versions] is newest first; versus reads it oldest first",
            )
            .with_help(format!(
                "list the versions oldest first: list = [{}]",
                oldest_first.join(", ")
            )),
        );
    }
    if bad {
        return None;
    }
    let versions = Versions { names, current: 0 };
    let position = index.position(raw.current.span().start);
    let current = version_named(
        Some(&versions),
        raw.current.get_ref(),
        "`current` under [versions]",
        BOOK_FILE,
        position,
        problems,
    )?;
    Some(Versions {
        current,
        ..versions
    })
}

/// Whether `names` are clearly newest first: all numbers of the same shape (`3.0`, `2.0`,
/// `1.0`), each lower than the one before. Names that are not all alike (`2015`, `3.14`)
/// have no order versus could know.
fn is_newest_first(names: &[String]) -> bool {
    let numbers: Option<Vec<Vec<u64>>> = names
        .iter()
        .map(|name| name.split('.').map(|part| part.parse().ok()).collect())
        .collect();
    let Some(numbers) = numbers else {
        return false;
    };
    names.len() >= 2
        && numbers
            .windows(2)
            .all(|pair| pair[0].len() == pair[1].len() && pair[0] > pair[1])
}

/// Where a `--at` given on the command line is blamed.
const FLAG_AT: &str = "--at";

/// The version `--at` names, else the current one.
fn resolve_at(
    versions: Option<&Versions>,
    overrides: &Overrides,
    problems: &mut Diagnostics,
) -> Option<usize> {
    match &overrides.at {
        Some(name) => version_named(versions, name, "--at", FLAG_AT, Position::NONE, problems),
        None => versions.map(Versions::current),
    }
}

/// The index of the declared version `name`, or a problem blamed on `position`.
fn version_named(
    versions: Option<&Versions>,
    name: &str,
    what: &str,
    source: &str,
    position: Position,
    problems: &mut Diagnostics,
) -> Option<usize> {
    let Some(versions) = versions else {
        problems.push(
            Diagnostic::error(source, position, format!("{what} names version {name:?}, but the book declares no versions"))
                .with_help("declare them in book.toml: [versions] list = [\"3.13\", \"3.14\"] current = \"3.14\""),
        );
        return None;
    };
    let found = versions.index(name);
    if found.is_none() {
        let help = match crate::diagnostic::did_you_mean(
            name,
            versions.names.iter().map(String::as_str),
        ) {
            Some(near) => format!(
                "did you mean {near:?}? The declared versions are: {}",
                versions.listed()
            ),
            None => format!(
                "the versions declared under [versions] are: {}",
                versions.listed()
            ),
        };
        problems.push(
            Diagnostic::error(
                source,
                position,
                format!("{what} names {name:?}, which is not a declared version"),
            )
            .with_help(help),
        );
    }
    found
}

/// A folder named under [build], checked not to be empty.
fn folder_setting(
    value: Option<Spanned<String>>,
    key: &str,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Option<PathBuf> {
    let value = value?;
    if value.get_ref().trim().is_empty() {
        problems.push(
            Diagnostic::error(
                BOOK_FILE,
                index.position(value.span().start),
                format!("`{key}` is empty"),
            )
            .with_help(match key {
                "output" => "name the folder to build into, e.g. output = \"public\"",
                _ => "name the folder of the pages, e.g. content = \"content\"",
            }),
        );
        return None;
    }
    Some(PathBuf::from(value.into_inner()))
}

/// Where a `--language` given on the command line is blamed.
const FLAG_LANGUAGE: &str = "--language";

/// Whether two language tags name the same language (`fr`, `fr-CA` and `FR` do).
fn same_language(a: &str, b: &str) -> bool {
    strings::primary_language(a) == strings::primary_language(b)
}

/// Where a `--base-url` given on the command line is blamed.
const FLAG_BASE_URL: &str = "--base-url";

fn check_base_url(
    url: &str,
    source: &str,
    position: Position,
    problems: &mut Diagnostics,
) -> Option<String> {
    match base_url_problem(url) {
        Some((message, help)) => {
            problems.push(
                Diagnostic::error(source, position, format!("base-url {url:?} {message}"))
                    .with_help(help),
            );
            None
        }
        None => {
            let mut url = url.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Some(url)
        }
    }
}

/// `tag` if it is a language tag; else `message` is an error blamed on (the file or flag, the
/// position, how the setting is written before its value), with what to write instead.
fn language_tag(
    tag: &str,
    (source, position, setting): (&str, Position, &str),
    message: String,
    problems: &mut Diagnostics,
) -> Option<String> {
    if strings::is_language_tag(tag) {
        return Some(tag.to_string());
    }
    let help = if tag.contains('_') {
        format!(
            "write it with hyphens: {setting}\"{}\"",
            tag.replace('_', "-")
        )
    } else {
        "a language tag is a language code and optional parts, with hyphens: \"en\", \"fr\", \"fr-CA\", \"pt-BR\"".to_string()
    };
    problems.push(Diagnostic::error(source, position, message).with_help(help));
    None
}

/// Whether `name` names a folder directly inside themes/ (not a path that leaves it).
fn is_theme_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// What is wrong with `url` as the address a site is published at, if anything: every page's
/// canonical link, the sitemap and the 404 page's links start with it.
fn base_url_problem(url: &str) -> Option<(&'static str, &'static str)> {
    const EXAMPLE: &str =
        "give the full address the site is published at, e.g. \"https://example.org/docs/\"";
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Some(("is not an http:// or https:// address", EXAMPLE));
    };
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '<' | '>'))
    {
        return Some((
            "has a space, a backslash, a quote or an angle bracket",
            "write spaces as %20, and use `/` between folders",
        ));
    }
    if url.contains(['?', '#']) {
        return Some((
            "has a query or a fragment",
            "the site's pages are added after the base-url, so it ends with a folder: drop what follows `?` or `#`",
        ));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.contains('@') {
        return Some((
            "has a user name or password",
            "the base-url is written into every page and the sitemap: leave credentials out",
        ));
    }
    if host.is_empty() || host.starts_with(':') {
        return Some(("has no host", EXAMPLE));
    }
    None
}

fn resolve_dimensions(
    raw: Vec<RawDimension>,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Vec<DimensionSpec> {
    let mut seen = BTreeSet::new();
    let mut dimensions = Vec::new();
    for dimension in raw {
        let key_position = index.position(dimension.key.span().start);
        let key = dimension.key.into_inner();
        if !is_valid_key(&key) {
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    key_position,
                    format!("dimension key {key:?} is not a valid key"),
                )
                .with_help("use lowercase letters, digits, `-` and `_`, starting with a letter"),
            );
        }
        if !seen.insert(key.clone()) {
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    key_position,
                    format!("dimension {key:?} is declared twice"),
                )
                .with_help("give each [[dimension]] its own key"),
            );
        }
        if dimension.facet && dimension.kind.get_ref() == "text" {
            problems.push(
                Diagnostic::error(BOOK_FILE, key_position, format!("dimension {key:?} is text, so it cannot be a facet"))
                    .with_help("facets filter by levels: make it a \"scale\" or \"tags\" dimension, or remove `facet = true`"),
            );
        }
        let (levels, labels) = match dimension.levels {
            Some(levels) => {
                let span = levels.span();
                let (keys, labels) = resolve_levels(levels.into_inner(), index, problems);
                (Some(Spanned::new(span, keys)), labels)
            }
            None => (None, Vec::new()),
        };
        if let Some(kind) = resolve_kind(&dimension.kind, levels, index, problems) {
            dimensions.push(DimensionSpec {
                key,
                position: key_position,
                label: dimension.label,
                help: dimension.help,
                labels: if kind == DimensionKind::Text {
                    Vec::new()
                } else {
                    labels
                },
                kind,
                facet: dimension.facet,
            });
        }
    }
    dimensions
}

/// Each level's key and the label readers see: `"key"` or `{ key = "...", label = "..." }`.
fn resolve_levels(
    raw: Vec<Spanned<toml::Value>>,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> (Vec<String>, Vec<String>) {
    let mut keys = Vec::new();
    let mut labels = Vec::new();
    for level in raw {
        let position = index.position(level.span().start);
        let bad = |message: String| {
            Diagnostic::error(BOOK_FILE, position, message).with_help(
                "write a level as \"any-language\", or as { key = \"any-language\", label = \"Any language\" } to show readers another text",
            )
        };
        match level.into_inner() {
            toml::Value::String(key) => {
                labels.push(key.clone());
                keys.push(key);
            }
            toml::Value::Table(table) => {
                let text =
                    |name: &str| table.get(name).and_then(|v| v.as_str()).map(str::to_string);
                if let Some(unknown) = table.keys().find(|k| *k != "key" && *k != "label") {
                    problems.push(bad(format!("unknown key `{unknown}` in a level")));
                }
                match (text("key"), text("label")) {
                    (Some(key), Some(label)) if !label.trim().is_empty() => {
                        keys.push(key);
                        labels.push(label);
                    }
                    (Some(_), Some(_)) => {
                        problems.push(bad("a level's label cannot be empty".to_string()))
                    }
                    _ => problems.push(bad(
                        "a level table needs a string `key` and a string `label`".to_string(),
                    )),
                }
            }
            other => problems.push(bad(format!(
                "a level is a string or a table, not {}",
                other.type_str()
            ))),
        }
    }
    (keys, labels)
}

fn resolve_kind(
    kind: &Spanned<String>,
    levels: Option<Spanned<Vec<String>>>,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Option<DimensionKind> {
    let position = index.position(kind.span().start);
    let levels_position = levels.as_ref().map(|l| index.position(l.span().start));
    let levels = levels.map(Spanned::into_inner);
    let resolved = match (kind.get_ref().as_str(), levels) {
        ("scale", Some(levels)) if !levels.is_empty() => DimensionKind::Scale(levels),
        ("tags", Some(levels)) if !levels.is_empty() => DimensionKind::Tags(levels),
        ("text", None) => DimensionKind::Text,
        ("scale" | "tags", _) => {
            problems.push(
                Diagnostic::error(BOOK_FILE, position, format!("a {} dimension needs its levels", kind.get_ref()))
                    .with_help("add `levels = [\"smallest\", \"medium\", \"biggest\"]`, in order from least to most"),
            );
            return None;
        }
        ("text", Some(_)) => {
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    levels_position.unwrap_or(position),
                    "a text dimension has no levels",
                )
                .with_help("remove `levels`, or make it `kind = \"scale\"` or `kind = \"tags\"`"),
            );
            return None;
        }
        (other, _) => {
            problems.push(
                Diagnostic::error(BOOK_FILE, position, format!("unknown dimension kind {other:?}"))
                    .with_help("kind is one of \"scale\" (ordered levels), \"tags\" (a set of levels) or \"text\""),
            );
            return None;
        }
    };
    if let DimensionKind::Scale(levels) | DimensionKind::Tags(levels) = &resolved {
        let unique: BTreeSet<_> = levels.iter().collect();
        if unique.len() != levels.len() || levels.iter().any(|l| l.trim().is_empty() || l == "n/a")
        {
            problems.push(
                Diagnostic::error(
                    BOOK_FILE,
                    levels_position.unwrap_or(position),
                    "levels must be distinct and non-empty, and cannot be \"n/a\"",
                )
                .with_help("\"n/a\" is always allowed as a value; list each other level once"),
            );
        }
    }
    Some(resolved)
}

fn is_valid_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
