//! The texts readers see (buttons, captions, labels, messages of the scripts), resolved once
//! from catalogues: the shipped one for the book's `language` (English when there is none),
//! a theme's `strings/<language>.toml` over it key by key, then book.toml's `[strings]`, and
//! the noun of what the book compares (`[book] noun`) put into every text.
//!
//! A catalogue maps kebab-case keys to a text or to a table of plural forms (the CLDR
//! categories, `other` required). English (`themes/default/strings/en.toml`) has every key;
//! any other catalogue may only use its keys and, in each text, the placeholders its English
//! text uses, plus the noun's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Position, did_you_mean};

/// The catalogues built into versus, by language.
const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/strings/en.toml")),
    ("fr", include_str!("../../themes/default/strings/fr.toml")),
];

/// The languages versus ships a catalogue for (`versus languages` prints them).
pub fn shipped_languages() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(name, _)| *name)
}

/// The plural categories a text may have forms for (CLDR's).
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// Placeholders every text may use: the noun, as a word and capitalised.
const NOUN_PLACEHOLDERS: &[&str] = &["noun", "nouns", "Noun", "Nouns"];

/// The key of the noun itself.
const NOUN: &str = "noun";

/// The longest noun, in characters: it goes into every caption and status message.
const NOUN_LIMIT: usize = 60;

/// The texts the theme's scripts show, given to them as JSON on every page and fragment.
const SCRIPT_KEYS: &[&str] = &[
    "copy",
    "copied",
    "theme-toggle",
    "theme-auto",
    "theme-light",
    "theme-dark",
    "search-none",
    "search-results",
    "search-failed",
    "matrix-compare",
    "matrix-compare-count",
    "matrix-preset-why",
    "matrix-transposed",
    "matrix-side-by-side",
    "matrix-dimension-column",
    "matrix-status",
    "matrix-sort",
    "matrix-pick",
    "matrix-none",
    "matrix-loosen",
    "matrix-loosen-filter",
    "matrix-loosen-search",
    "matrix-loosen-guide",
    "matrix-loosen-compare",
    "version-differs",
    "guide-answers",
    "guide-recommended",
    "guide-result",
    "guide-read-about",
    "guide-see-in-matrix",
    "guide-back",
    "guide-start-again",
];

/// One text: plain, or one form per plural category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Plural(BTreeMap<String, String>),
}

impl Text {
    fn forms(&self) -> impl Iterator<Item = &String> {
        let (plain, plural) = match self {
            Text::Plain(text) => (Some(text), None),
            Text::Plural(forms) => (None, Some(forms.values())),
        };
        plain.into_iter().chain(plural.into_iter().flatten())
    }

    fn map(&self, f: impl Fn(&str) -> String) -> Text {
        match self {
            Text::Plain(text) => Text::Plain(f(text)),
            Text::Plural(forms) => {
                Text::Plural(forms.iter().map(|(k, v)| (k.clone(), f(v))).collect())
            }
        }
    }
}

/// How a language picks a plural form for a count (the build's own texts; the scripts ask
/// the browser, which knows every language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PluralRule {
    /// English and most others: `one` for 1 only.
    OneOnly,
    /// French: `one` for 0 and 1.
    ZeroAndOne,
}

/// Every text readers see, in the book's language, with the book's noun and overrides.
#[derive(Debug, Clone)]
pub struct Strings {
    texts: BTreeMap<String, Text>,
    rule: PluralRule,
}

/// Why a text could not be filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    UnknownKey(String),
    MissingArgument { key: String, name: String },
}

impl std::fmt::Display for FillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FillError::UnknownKey(key) => {
                match did_you_mean(key, english().keys().map(String::as_str)) {
                    Some(near) => write!(f, "there is no string `{key}` (did you mean `{near}`?)"),
                    None => write!(
                        f,
                        "there is no string `{key}`; the keys are in themes/default/strings/en.toml"
                    ),
                }
            }
            FillError::MissingArgument { key, name } => {
                write!(f, "the string `{key}` needs the argument `{name}`")
            }
        }
    }
}

impl Strings {
    /// The shipped English strings with their own noun: what the built-in theme speaks when
    /// it stands in for a book's (the preview's failure overlay).
    pub fn built_in() -> Strings {
        with_noun(english().clone(), PluralRule::OneOnly)
    }

    /// The text of `key` with its placeholders filled from `args` (`n` also picks the
    /// plural form), as plain text. For the build's own keys, which always exist.
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.text_as(key, args, str::to_string)
    }

    /// [`Strings::text`] in another format: `literal` escapes the catalogue's own text for
    /// it, and `args` are already in it.
    pub fn text_as(
        &self,
        key: &str,
        args: &[(&str, &str)],
        literal: impl Fn(&str) -> String,
    ) -> String {
        let value = |name: &str| {
            args.iter()
                .find(|(arg, _)| *arg == name)
                .map(|(_, value)| value.to_string())
        };
        let n = value("n").and_then(|n| n.parse().ok());
        self.fill(key, n, value, literal)
            .unwrap_or_else(|err| panic!("versus's own use of a string: {err}"))
    }

    /// The text of `key` for the count `n`, with each run of the catalogue's text passed
    /// through `literal` (to escape it) and each placeholder replaced by `arg(name)`.
    pub fn fill(
        &self,
        key: &str,
        n: Option<i64>,
        arg: impl Fn(&str) -> Option<String>,
        literal: impl Fn(&str) -> String,
    ) -> Result<String, FillError> {
        let template = self
            .form(key, n)
            .ok_or_else(|| FillError::UnknownKey(key.to_string()))?;
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some((start, name, end)) = next_placeholder(rest) {
            out.push_str(&literal(&rest[..start]));
            match arg(name) {
                Some(value) => out.push_str(&value),
                None => {
                    return Err(FillError::MissingArgument {
                        key: key.to_string(),
                        name: name.to_string(),
                    });
                }
            }
            rest = &rest[end..];
        }
        out.push_str(&literal(rest));
        Ok(out)
    }

    fn form(&self, key: &str, n: Option<i64>) -> Option<&str> {
        match self.texts.get(key)? {
            Text::Plain(text) => Some(text),
            Text::Plural(forms) => {
                let category = match (n, self.rule) {
                    (Some(1), _) | (Some(0), PluralRule::ZeroAndOne) => "one",
                    (Some(0), _) if forms.contains_key("zero") => "zero",
                    _ => "other",
                };
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
            }
        }
    }

    /// The texts the theme's scripts use, by key.
    pub fn for_scripts(&self) -> BTreeMap<&str, &Text> {
        SCRIPT_KEYS
            .iter()
            .filter_map(|key| Some((*key, self.texts.get(*key)?)))
            .collect()
    }
}

/// The first `{name}` in `text`: its start, the name and the end.
fn next_placeholder(text: &str) -> Option<(usize, &str, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| i + from) {
        let after = &text[open + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        if len > 0 && after.as_bytes()[0].is_ascii_alphabetic() && after[len..].starts_with('}') {
            return Some((open, &after[..len], open + len + 2));
        }
        from = open + 1;
    }
    None
}

/// The first brace of `text` that no placeholder accounts for (`{`, `{ n }`, `}`), if any.
fn stray_brace(text: &str) -> Option<char> {
    let mut rest = text;
    while let Some((start, _, end)) = next_placeholder(rest) {
        if let Some(brace) = rest[..start].chars().find(|c| matches!(c, '{' | '}')) {
            return Some(brace);
        }
        rest = &rest[end..];
    }
    rest.chars().find(|c| matches!(c, '{' | '}'))
}

/// Whether `tag` is a language tag as BCP 47 writes them (`en`, `fr-CA`, `zh-Hant-TW`); a
/// malformed one would reach `<html lang>` and make the browser's plural rules throw.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// The language of a tag, in lower case: `fr` for `fr-CA` and `FR`.
pub fn primary_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

fn placeholders(text: &Text) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    for form in text.forms() {
        let mut rest = form.as_str();
        while let Some((_, name, end)) = next_placeholder(rest) {
            found.insert(name);
            rest = &rest[end..];
        }
    }
    found
}

/// For every key, the arguments a template may give it: its English text's placeholders
/// (not the noun's, which versus fills in), and `n` when the text has plural forms.
pub fn arguments() -> &'static BTreeMap<String, BTreeSet<String>> {
    static ARGUMENTS: std::sync::LazyLock<BTreeMap<String, BTreeSet<String>>> =
        std::sync::LazyLock::new(|| {
            english()
                .iter()
                .map(|(key, text)| (key.clone(), text_arguments(text)))
                .collect()
        });
    &ARGUMENTS
}

fn text_arguments(text: &Text) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = placeholders(text)
        .into_iter()
        .filter(|name| !NOUN_PLACEHOLDERS.contains(name))
        .map(str::to_string)
        .collect();
    if matches!(text, Text::Plural(_)) {
        names.insert("n".to_string());
    }
    names
}

/// The English catalogue, which has every key; read once per run.
fn english() -> &'static BTreeMap<String, Text> {
    static ENGLISH: std::sync::LazyLock<BTreeMap<String, Text>> =
        std::sync::LazyLock::new(|| shipped("en").expect("English is shipped"));
    &ENGLISH
}

fn shipped(language: &str) -> Option<BTreeMap<String, Text>> {
    let (_, text) = SHIPPED.iter().find(|(name, _)| *name == language)?;
    let table: toml::Table = toml::from_str(text).expect("shipped catalogues are valid TOML");
    Some(
        table
            .into_iter()
            .map(|(key, value)| {
                let text = to_text(&value).expect("shipped catalogues hold texts");
                (key, text)
            })
            .collect(),
    )
}

/// A TOML value as a text: a string, or a table of plural forms with `other`.
fn to_text(value: &toml::Value) -> Result<Text, String> {
    match value {
        toml::Value::String(text) => Ok(Text::Plain(text.clone())),
        toml::Value::Table(table) => {
            let mut forms = BTreeMap::new();
            for (category, form) in table {
                if !CATEGORIES.contains(&category.as_str()) {
                    return Err(format!(
                        "`{category}` is not a plural category (they are {})",
                        CATEGORIES.join(", ")
                    ));
                }
                let Some(form) = form.as_str() else {
                    return Err(format!(
                        "the plural form `{category}` is a {}, not a string",
                        form.type_str()
                    ));
                };
                forms.insert(category.clone(), form.to_string());
            }
            if !forms.contains_key("other") {
                return Err("a table of plural forms needs `other`".to_string());
            }
            Ok(Text::Plural(forms))
        }
        other => {
            let kind = other.type_str();
            let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            Err(format!(
                "a string is a text or a table of plural forms, not {article} {kind}"
            ))
        }
    }
}

/// A catalogue or `[strings]` table as read, each key and value with its place.
pub type RawStrings = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Where some strings were written, for messages.
struct Source<'a> {
    path: &'a Path,
    index: &'a LineIndex<'a>,
}

/// What [`resolve`] needs from book.toml.
pub struct Settings<'a> {
    pub root: &'a Path,
    pub theme: Option<&'a str>,
    pub language: &'a str,
    /// Where `language` is set, if it is.
    pub language_at: Option<Position>,
    /// The command-line flag that gave `language`, if one did: an explicit request, so a
    /// language without a catalogue is an error blamed on the flag, not a warning.
    pub language_flag: Option<&'a str>,
    pub noun: Option<Spanned<toml::Value>>,
    pub overrides: RawStrings,
}

/// The book's strings; problems are reported into `problems` (a language without a
/// catalogue is a warning: readers then see English).
pub fn resolve(
    settings: Settings,
    book: &Path,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Strings {
    let english = english();
    let mut texts = english.clone();
    // Language tags are case-insensitive: `FR` and `fr-ca` read the same catalogues.
    let tag = settings.language.to_ascii_lowercase();
    let primary = primary_language(&tag);
    let theme_dir = settings
        .theme
        .map(|name| settings.root.join("themes").join(name).join("strings"));
    // The theme's catalogues for the language, from the most general: `fr`, then `fr-CA`
    // (named as the book writes the tag, or in lower case).
    let mut names = vec![primary.clone()];
    if tag != primary {
        names.push(settings.language.to_string());
        names.push(tag.clone());
    }
    names.dedup();
    // In that order: a regional catalogue changes some texts of its language's.
    let theme_files: Vec<std::path::PathBuf> = names
        .iter()
        .filter_map(|name| {
            let path = theme_dir.as_ref()?.join(format!("{name}.toml"));
            // Whatever is there, readable or not, is the writer's catalogue: reading it says
            // what is wrong with it.
            path.symlink_metadata().is_ok().then_some(path)
        })
        .collect();
    let shipped_layer = (primary != "en").then(|| shipped(&primary)).flatten();
    let covered = english
        .keys()
        .all(|key| key == NOUN || settings.overrides.keys().any(|k| k.get_ref() == key));
    let shipped_list = || shipped_languages().collect::<Vec<_>>().join(", ");
    let no_catalogue = primary != "en" && shipped_layer.is_none() && theme_files.is_empty();
    if no_catalogue && let Some(flag) = settings.language_flag {
        problems.push(
            Diagnostic::error(
                flag,
                Position::NONE,
                format!(
                    "there is no catalogue of strings for language {:?}",
                    settings.language
                ),
            )
            .with_help(format!(
                "versus ships {} (a regional tag such as fr-CA uses its language's); a theme adds one as themes/<name>/strings/<language>.toml",
                shipped_list()
            )),
        );
    } else if no_catalogue && !covered {
        let theme = settings.theme.unwrap_or("<name>");
        problems.push(
            Diagnostic::warning(
                book,
                settings.language_at.unwrap_or(Position::START),
                format!(
                    "there is no catalogue of strings for language {:?}: readers see English",
                    settings.language
                ),
            )
            .with_help(format!(
                "add themes/{theme}/strings/{primary}.toml (with `theme = \"{theme}\"` under [build]) or translate every string in [strings]; versus ships {}",
                shipped_list(),
            )),
        );
    }
    if let Some(shipped) = shipped_layer {
        texts.extend(shipped);
    }
    for path in &theme_files {
        let shown = crate::diagnostic::display_path(settings.root, path);
        match read_catalogue(path, &shown) {
            Ok((text, raw)) => {
                let file_index = LineIndex::new(&text, 1);
                match raw {
                    Ok(raw) => apply(
                        &mut texts,
                        english,
                        raw,
                        &Source {
                            path: &shown,
                            index: &file_index,
                        },
                        problems,
                    ),
                    Err(err) => problems.push(toml_error(&shown, &file_index, &err)),
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    let overridden_noun = settings
        .overrides
        .keys()
        .find(|key| key.get_ref() == NOUN)
        .map(|key| index.position(key.span().start));
    apply(
        &mut texts,
        english,
        settings.overrides,
        &Source { path: book, index },
        problems,
    );
    if let Some(noun) = settings.noun {
        if let Some(twice) = overridden_noun {
            problems.push(
                Diagnostic::error(
                    book,
                    index.position(noun.span().start),
                    "the noun is set twice: as `noun` in [book] and in [strings]",
                )
                .with_help(format!(
                    "keep one of them (the other is at line {})",
                    twice.line
                )),
            );
        }
        match noun_text(noun.get_ref()) {
            Ok(text) => {
                texts.insert(NOUN.to_string(), text);
            }
            Err(message) => problems.push(
                Diagnostic::error(book, index.position(noun.span().start), format!("`noun` {message}"))
                    .with_help("noun = \"option\" (the plural adds an s), or noun = { one = \"box\", other = \"boxes\" }"),
            ),
        }
    }
    let rule = if primary == "fr" {
        PluralRule::ZeroAndOne
    } else {
        PluralRule::OneOnly
    };
    with_noun(texts, rule)
}

fn read_catalogue(
    path: &Path,
    shown: &Path,
) -> Result<(String, Result<RawStrings, toml::de::Error>), Diagnostic> {
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(crate::input::symbolic_link(shown, "a theme"));
    }
    let bytes =
        crate::input::read_limited(path, crate::input::THEME_FILE_LIMIT).map_err(|err| {
            Diagnostic::error(shown, Position::NONE, format!("cannot read: {err}"))
                .with_help(err.help())
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(shown, Position::START, "a catalogue is not UTF-8 text")
            .with_help("save it as UTF-8")
    })?;
    let raw = toml::from_str(&text);
    Ok((text, raw))
}

fn toml_error(shown: &Path, index: &LineIndex, err: &toml::de::Error) -> Diagnostic {
    let position = err
        .span()
        .map_or(Position::START, |s| index.position(s.start));
    Diagnostic::error(shown, position, err.message().trim().to_string()).with_help(
        "a catalogue is TOML: key = \"text\", or key = { one = \"...\", other = \"...\" }",
    )
}

/// A noun as `[book] noun` gives it: a word (its plural adds an s) or its plural forms.
fn noun_text(value: &toml::Value) -> Result<Text, String> {
    let text = match value {
        toml::Value::String(one) if !one.trim().is_empty() => Text::Plural(BTreeMap::from([
            ("one".to_string(), one.clone()),
            ("other".to_string(), format!("{one}s")),
        ])),
        toml::Value::String(_) => return Err("is empty".to_string()),
        other => to_text(other)?,
    };
    if text.forms().any(|form| form.trim().is_empty()) {
        return Err("has an empty form".to_string());
    }
    if text.forms().any(|form| form.chars().count() > NOUN_LIMIT) {
        return Err(format!(
            "is longer than {NOUN_LIMIT} characters; it is put into every caption and message"
        ));
    }
    if text.forms().any(|form| form.contains(['{', '}'])) {
        return Err("cannot have placeholders or braces".to_string());
    }
    Ok(text)
}

/// Checks each of `raw` against English and puts it into `texts`.
fn apply(
    texts: &mut BTreeMap<String, Text>,
    english: &BTreeMap<String, Text>,
    raw: RawStrings,
    source: &Source,
    problems: &mut Diagnostics,
) {
    for (key, value) in raw {
        let key_at = source.index.position(key.span().start);
        let value_at = source.index.position(value.span().start);
        let key = key.into_inner();
        let Some(known) = english.get(&key) else {
            let help = match did_you_mean(&key, english.keys().map(String::as_str)) {
                Some(near) => format!(
                    "did you mean `{near}`? Every key is listed in themes/default/strings/en.toml"
                ),
                None => {
                    "every key is listed, with its English text, in themes/default/strings/en.toml"
                        .to_string()
                }
            };
            problems.push(
                Diagnostic::error(source.path, key_at, format!("unknown string `{key}`"))
                    .with_help(help),
            );
            continue;
        };
        let text = if key == NOUN {
            noun_text(value.get_ref())
        } else {
            to_text(value.get_ref())
        };
        let text = match text {
            Ok(text) => text,
            Err(message) => {
                problems.push(
                    Diagnostic::error(source.path, value_at, format!("`{key}`: {message}"))
                        .with_help("write a text, key = \"...\", or plural forms, key = { one = \"...\", other = \"...\" }"),
                );
                continue;
            }
        };
        if let Some(brace) = text.forms().find_map(|form| stray_brace(form)) {
            problems.push(
                Diagnostic::error(
                    source.path,
                    value_at,
                    format!("`{key}` has a `{brace}` that is not part of a placeholder"),
                )
                .with_help("a placeholder is a name in braces with no spaces, {name}; a text has no other braces"),
            );
            continue;
        }
        let allowed: BTreeSet<&str> = placeholders(known)
            .into_iter()
            .chain(
                if key == NOUN {
                    &[][..]
                } else {
                    NOUN_PLACEHOLDERS
                }
                .iter()
                .copied(),
            )
            .collect();
        if let Some(unknown) = placeholders(&text)
            .into_iter()
            .find(|p| !allowed.contains(p))
        {
            let listed: Vec<String> = allowed.iter().map(|p| format!("{{{p}}}")).collect();
            problems.push(
                Diagnostic::error(
                    source.path,
                    value_at,
                    format!("`{key}` has the placeholder {{{unknown}}}, which it is never given"),
                )
                .with_help(if listed.is_empty() {
                    format!("`{key}` has no placeholders")
                } else {
                    format!("`{key}` can use {}", listed.join(", "))
                }),
            );
            continue;
        }
        texts.insert(key, text);
    }
}

/// Puts the noun into every other text.
fn with_noun(mut texts: BTreeMap<String, Text>, rule: PluralRule) -> Strings {
    let noun = texts.remove(NOUN).expect("English has the noun");
    let (one, other) = match &noun {
        Text::Plain(word) => (word.clone(), word.clone()),
        Text::Plural(forms) => (
            forms.get("one").unwrap_or(&forms["other"]).clone(),
            forms["other"].clone(),
        ),
    };
    let capital = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    let values = [
        ("noun", one.clone()),
        ("nouns", other.clone()),
        ("Noun", capital(&one)),
        ("Nouns", capital(&other)),
    ];
    let put = |text: &str| {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((start, name, end)) = next_placeholder(rest) {
            out.push_str(&rest[..end]);
            if let Some((_, value)) = values.iter().find(|(n, _)| *n == name) {
                out.truncate(out.len() - (end - start));
                out.push_str(value);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    let mut texts: BTreeMap<String, Text> = texts
        .into_iter()
        .map(|(key, text)| (key, text.map(put)))
        .collect();
    texts.insert(NOUN.to_string(), noun);
    Strings { texts, rule }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(language: &str, overrides: &str) -> (Strings, Diagnostics) {
        let raw: RawStrings = toml::from_str(overrides).unwrap();
        let index = LineIndex::new(overrides, 1);
        let mut problems = Diagnostics::new();
        let strings = resolve(
            Settings {
                root: Path::new("/nonexistent"),
                theme: None,
                language,
                language_at: None,
                language_flag: None,
                noun: None,
                overrides: raw,
            },
            Path::new("book.toml"),
            &index,
            &mut problems,
        );
        (strings, problems)
    }

    #[test]
    fn every_shipped_catalogue_has_the_english_keys_and_placeholders() {
        let english = english();
        for (language, _) in SHIPPED {
            let catalogue = shipped(language).unwrap();
            assert_eq!(
                catalogue.keys().collect::<Vec<_>>(),
                english.keys().collect::<Vec<_>>(),
                "{language} has other keys than en"
            );
            for (key, text) in &catalogue {
                // The noun is free to appear or not, as the language's grammar has it.
                let own = |text| {
                    let mut found = placeholders(text);
                    found.retain(|p| !NOUN_PLACEHOLDERS.contains(p));
                    found
                };
                assert_eq!(
                    own(text),
                    own(&english[key]),
                    "{language}: `{key}` has other placeholders than in en"
                );
                if let Text::Plural(forms) = text {
                    assert!(forms.contains_key("other"), "{language}: `{key}`");
                }
                for form in text.forms() {
                    assert_eq!(stray_brace(form), None, "{language}: `{key}`");
                }
            }
        }
    }

    #[test]
    fn braces_that_are_not_placeholders_are_found() {
        for text in [
            "Copy {",
            "Nothing for {query",
            "{}",
            "Link { n }",
            "{{n}}",
            "x}",
            "{n}}",
        ] {
            assert!(stray_brace(text).is_some(), "{text}");
        }
        for text in ["{n} of {total}", "plain", "{Nouns}: {n}"] {
            assert_eq!(stray_brace(text), None, "{text}");
        }
    }

    #[test]
    fn language_tags_are_checked_and_read_in_any_case() {
        for tag in ["en", "fr", "fr-CA", "FR", "zh-Hant-TW", "gsw", "de-1996"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "fr_CA",
            "en-",
            "fr--",
            "../x",
            "fr\n",
            "/tmp/x",
            "e",
            "toolong-x",
            "fr-abcdefghi",
        ] {
            assert!(!is_language_tag(tag), "{tag:?}");
        }
        let (upper, problems) = strings("FR", "");
        assert!(problems.into_sorted().is_empty());
        assert_eq!(upper.text("menu", &[]), "Menu");
        assert_eq!(upper.text("pros", &[]), "Avantages");
    }

    #[test]
    fn a_language_without_catalogue_is_not_a_warning_when_strings_translate_everything() {
        let every: String = english()
            .keys()
            .filter(|key| *key != NOUN)
            .map(|key| format!("{key} = {{ other = \"x\" }}\n"))
            .collect();
        let (_, problems) = strings("de", &every);
        assert!(problems.into_sorted().is_empty());
        let (_, problems) = strings("de", "menu = \"Menü\"\n");
        assert_eq!(problems.into_sorted().len(), 1);
    }

    #[test]
    fn the_scripts_keys_exist() {
        let english = english();
        for key in SCRIPT_KEYS {
            assert!(english.contains_key(*key), "{key}");
        }
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let (en, _) = strings("en", "");
        let (fr, _) = strings("fr", "");
        assert_eq!(en.text("search-results", &[("n", "0")]), "0 results.");
        assert_eq!(en.text("search-results", &[("n", "1")]), "1 result.");
        assert_eq!(fr.text("search-results", &[("n", "0")]), "0 résultat.");
        assert_eq!(fr.text("search-results", &[("n", "2")]), "2 résultats.");
    }

    #[test]
    fn the_noun_goes_into_every_text() {
        let (en, _) = strings("en", "noun = \"format\"");
        assert_eq!(en.text("nav-models", &[]), "Formats");
        assert_eq!(
            en.text(
                "matrix-caption",
                &[("n", "1"), ("dimensions", "2 dimensions")]
            ),
            "1 format compared on 2 dimensions"
        );
    }

    #[test]
    fn a_regional_language_uses_its_language_catalogue() {
        let (fr, problems) = strings("fr-CA", "");
        assert!(!problems.has_errors());
        assert_eq!(fr.text("copy", &[]), "Copier");
    }

    #[test]
    fn bad_overrides_are_errors_at_their_place() {
        let (_, problems) = strings(
            "en",
            "copy = \"Copy\"\ncopi = \"x\"\nmenu = 3\nmatrix-sort = \"{col}\"\n",
        );
        let all = problems.into_sorted();
        let shown: Vec<String> = all.iter().map(|d| d.to_string()).collect();
        assert_eq!(all.len(), 3, "{shown:#?}");
        assert!(
            shown[0].starts_with("book.toml:2:1: error: unknown string `copi`"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].starts_with("book.toml:3:8: error: `menu`"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].contains("book.toml:4:15: error: `matrix-sort` has the placeholder {col}"),
            "{}",
            shown[2]
        );
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_refused() {
        let (en, problems) = strings("en", "copy = \"{Noun}\"\nmenu = \"{ not one } {Noun}\"");
        assert_eq!(en.text("copy", &[]), "Model");
        let shown: Vec<String> = problems
            .into_sorted()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert!(
            shown[0].contains(
                "book.toml:2:8: error: `menu` has a `{` that is not part of a placeholder"
            ),
            "{shown:?}"
        );
        let missing = en.fill("matrix-sort", None, |_| None, str::to_string);
        assert_eq!(
            missing,
            Err(FillError::MissingArgument {
                key: "matrix-sort".to_string(),
                name: "column".to_string()
            })
        );
    }
}
