//! The theme: the default one embedded in the binary, overridden file by file by a book's own.
//!
//! Owns `tera`. Every embedded template is registered as `default/<name>` and found by its bare
//! name through Tera's fallback prefix; a book's `themes/<name>/templates/<file>` is registered
//! under the bare name and so wins, and it can still `{% extends "default/<file>" %}` to change
//! one block instead of copying the whole template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::config::{BOOK_FILE, Config, Strings};
use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::text::escape_html;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

const DEFAULT_PREFIX: &str = "default/";
const TEMPLATES: &str = "templates/";
const STATIC: &str = "static/";

/// Where a theme file came from, to point at it in messages.
#[derive(Debug, Clone)]
enum Origin {
    Embedded,
    Book(PathBuf),
}

#[derive(Debug)]
struct ThemeFile {
    origin: Origin,
    bytes: Vec<u8>,
}

/// Templates ready to render, and the static files to copy.
pub struct Theme {
    tera: Tera,
    /// Template name (as Tera knows it) to the path shown in messages.
    shown: BTreeMap<String, String>,
    /// Output path (relative to the site root) to contents.
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme alone, in English, whatever the book names: what `versus serve`
    /// falls back to when not even the book's `book.toml` loads.
    pub fn built_in() -> Theme {
        Theme::built_in_with(&Strings::built_in())
    }

    /// The built-in theme speaking the book's language: what `versus serve` falls back to
    /// when the book's `book.toml` loads but its theme does not.
    pub fn built_in_with(strings: &Strings) -> Theme {
        Theme::assemble(Vec::new(), strings).expect("the built-in theme's templates parse")
    }

    pub fn load(config: &Config) -> Result<Theme, Diagnostic> {
        let mut book_files = Vec::new();
        if let Some(theme) = &config.theme {
            let dir = config.root.join("themes").join(&theme.name);
            if !dir.is_dir() {
                return Err(unknown_theme(&config.root, &theme.name, theme.position));
            }
            book_files = read_dir_files(&config.root, &dir)?;
        }
        Theme::assemble(book_files, &config.strings)
    }

    /// The built-in theme with the book's files (path inside the theme, file) over it.
    fn assemble(
        book_files: Vec<(String, ThemeFile)>,
        strings: &Strings,
    ) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, ThemeFile> = embedded::DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| {
                (
                    path.to_string(),
                    ThemeFile {
                        origin: Origin::Embedded,
                        bytes: bytes.to_vec(),
                    },
                )
            })
            .collect();
        files.extend(book_files);
        let tera = new_tera(strings)?;
        let mut shown = BTreeMap::new();
        let mut templates = Vec::new();
        for (path, bytes) in embedded::DEFAULT_THEME {
            if let Some(name) = path.strip_prefix(TEMPLATES) {
                let registered = format!("{DEFAULT_PREFIX}{name}");
                shown.insert(registered.clone(), format!("(built-in theme) {path}"));
                templates.push((registered, String::from_utf8_lossy(bytes).into_owned()));
            }
        }
        for (path, file) in &files {
            if let (Some(name), Origin::Book(source)) = (path.strip_prefix(TEMPLATES), &file.origin)
            {
                shown.insert(name.to_string(), source.display().to_string());
                templates.push((
                    name.to_string(),
                    String::from_utf8_lossy(&file.bytes).into_owned(),
                ));
            }
        }
        let mut theme = Theme {
            tera,
            shown,
            statics: Vec::new(),
        };
        let sources = templates
            .iter()
            .map(|(name, source)| (name.as_str(), source.as_str()));
        if let Err(err) = theme.tera.add_raw_templates(sources) {
            return Err(match err.kind() {
                ErrorKind::SyntaxError(_) | ErrorKind::RenderingError(_) => theme.diagnostic(&err),
                _ => theme.unresolved_reference(&err, &templates, strings),
            });
        }
        theme.statics = files
            .into_iter()
            .filter_map(|(path, file)| Some((path.strip_prefix(STATIC)?.to_string(), file.bytes)))
            .collect();
        Ok(theme)
    }

    /// A static file of the theme as text, such as `assets/fragment.css`.
    pub fn static_text(&self, path: &str) -> Option<String> {
        self.statics
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
    }

    /// Renders `template` with `context`, pointing at the template on failure.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|err| self.diagnostic(&err))
    }

    /// Tera checks the names a template refers to (filters, tests, functions, templates,
    /// blocks) once every template is added, and its error keeps no position. The book
    /// template at fault is found by adding the templates again without each book template
    /// in turn: the one whose absence lets the rest load is named.
    fn unresolved_reference(
        &self,
        err: &tera::Error,
        templates: &[(String, String)],
        strings: &Strings,
    ) -> Diagnostic {
        // Tera's message is a report over several lines; its first says what is wrong.
        let full = err.to_string();
        let first = full
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("");
        let message = first.strip_prefix("error: ").unwrap_or(first);
        let culprit = templates
            .iter()
            .filter(|(name, _)| !name.starts_with(DEFAULT_PREFIX))
            .find(|(left_out, _)| {
                let Ok(mut trial) = new_tera(strings) else {
                    return false;
                };
                let rest = templates
                    .iter()
                    .filter(|(name, _)| name != left_out)
                    .map(|(name, source)| (name.as_str(), source.as_str()));
                trial.add_raw_templates(rest).is_ok()
            });
        let path = match culprit {
            Some((name, _)) => self
                .shown
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.clone()),
            None => "themes".to_string(),
        };
        Diagnostic::error(path, Position::NONE, format!("template error: {message}")).with_help(
            "a filter, test, function, template or block it names does not exist; the theme's templates are documented in README (Themes)",
        )
    }

    fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let help = "fix the template; the theme's templates are documented in README (Themes)";
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                let path = self
                    .shown
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| report.filename().to_string());
                let kind = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                Diagnostic::error(
                    path,
                    Position::new(span.start_line, span.start_col + 1),
                    format!("{kind}: {}", report.message()),
                )
                .with_help(help)
            }
            other => Diagnostic::error(
                "themes",
                Position::START,
                format!("template error: {other}"),
            )
            .with_help(help),
        }
    }
}

/// A Tera with what every theme's templates may use: the built-in templates' prefix, the
/// book's strings and the strict `safe` filter.
fn new_tera(strings: &Strings) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([DEFAULT_PREFIX])
        .map_err(|err| Diagnostic::error(BOOK_FILE, Position::START, err.to_string()))?;
    register_strings(&mut tera, strings);
    register_strict_safe(&mut tera);
    Ok(tera)
}

/// The templates' way to the book's strings: `{{ t(k="matrix-caption", n=3, dimensions=2) }}`
/// is the text of `matrix-caption` for the count `n`, with its placeholders filled from the
/// other arguments. The catalogue's text and plain arguments are escaped; an argument the
/// template marked safe (a link it built) goes in as it is. `script_strings()` is the JSON the
/// theme's scripts read their texts from.
fn register_strings(tera: &mut Tera, strings: &Strings) {
    let for_t = strings.clone();
    let arguments = crate::config::strings::arguments();
    tera.register_function("t", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let key = kwargs.must_get::<&str>("k")?;
        let fail = |message: String| tera::Error::message(format!("t(k=\"{key}\"): {message}"));
        // An unknown key is reported by `fill`, with a suggestion.
        if let Some(allowed) = arguments.get(key) {
            for (name, value) in kwargs.iter() {
                let name = name.as_str().unwrap_or_default();
                if name == "k" {
                    continue;
                }
                if !allowed.contains(name) {
                    let takes = if allowed.is_empty() {
                        "it takes no arguments".to_string()
                    } else {
                        let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
                        format!("it takes {}", names.join(", "))
                    };
                    return Err(fail(format!(
                        "`{name}` is not an argument of this text; {takes}"
                    )));
                }
                if !(value.is_string() || value.is_number()) {
                    return Err(fail(format!(
                        "`{name}` must be text or a number, not {}",
                        value.name()
                    )));
                }
            }
        }
        let n = match kwargs.get::<Value>("n")? {
            None => None,
            Some(n) => match n.as_i64() {
                Some(n) if n >= 0 => Some(n),
                _ => return Err(fail(format!("`n` must be a count (0, 1, 2...), not {n}"))),
            },
        };
        let arg = |name: &str| {
            let value = kwargs.get::<Value>(name).ok()??;
            let text = match value.as_str() {
                Some(text) => text.to_string(),
                None => value.to_string(),
            };
            Some(if value.is_safe() {
                text
            } else {
                escape_html(&text)
            })
        };
        let filled = for_t
            .fill(key, n, arg, escape_html)
            .map_err(|err| tera::Error::message(err.to_string()))?;
        Ok(Value::safe_string(&filled))
    });
    let json = serde_json::to_string(&strings.for_scripts()).expect("strings always serialize");
    // Inside <script>, a `</script>` or `<!--` in a text would end or change the element;
    // JSON says the same with escapes.
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    tera.register_function("script_strings", move |_: Kwargs, _: &State| {
        Value::safe_string(&json)
    });
}

/// Tera's `safe` turns an undefined value into an empty string, so `{{ idd | safe }}` with a
/// misspelt name would render nothing where `{{ idd }}` is an error; this `safe` makes it the
/// same error.
fn register_strict_safe(tera: &mut Tera) {
    tera.register_filter("safe", |value: Value, _: Kwargs, _: &State| {
        if value.is_undefined() {
            return Err(tera::Error::message(
                "`safe` was given an undefined value: no variable or field of that name exists here",
            ));
        }
        Ok(match value.as_str() {
            Some(text) => Value::safe_string(text),
            None => Value::safe_string(&value.to_string()),
        })
    });
}

fn unknown_theme(root: &Path, name: &str, position: Position) -> Diagnostic {
    let available: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|entries| {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        })
        .unwrap_or_default();
    let help = match crate::diagnostic::did_you_mean(name, available.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None if available.is_empty() => "create themes/<name>/ with the files to override, or remove `theme` to use the built-in one".to_string(),
        None => format!("themes found in themes/: {}", available.join(", ")),
    };
    Diagnostic::error(
        BOOK_FILE,
        position,
        format!("unknown theme `{name}`: there is no folder themes/{name}/"),
    )
    .with_help(help)
}

fn read_dir_files(root: &Path, dir: &Path) -> Result<Vec<(String, ThemeFile)>, Diagnostic> {
    let below = crate::discover::files_below(dir).map_err(|err| {
        Diagnostic::error(
            display_path(root, dir),
            Position::NONE,
            format!("cannot read the theme: {err}"),
        )
    })?;
    if let Some(link) = below.links.first() {
        return Err(crate::input::symbolic_link(
            display_path(root, link),
            "a theme",
        ));
    }
    below
        .files
        .into_iter()
        .map(|(name, path)| {
            let shown = display_path(root, &path);
            let bytes = crate::input::read_limited(&path, crate::input::THEME_FILE_LIMIT).map_err(
                |err| {
                    Diagnostic::error(&shown, Position::NONE, format!("cannot read: {err}"))
                        .with_help(err.help())
                },
            )?;
            Ok((
                name,
                ThemeFile {
                    origin: Origin::Book(shown),
                    bytes,
                },
            ))
        })
        .collect()
}
