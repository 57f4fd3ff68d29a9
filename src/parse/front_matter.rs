//! YAML front matter: splitting it from the body, parsing it, and pointing at its keys.
//!
//! The only module that uses the YAML crate, so replacing it touches this file alone. The YAML
//! handed to the parser starts at the file's first line (the opening `---` is a YAML document
//! marker), so the parser's line and column are the file's, with no arithmetic.

use std::path::Path;

use serde_yaml::Value;

use crate::diagnostic::{Diagnostic, Position, did_you_mean};

/// A file split into its front matter and its Markdown body.
pub struct Split<'a> {
    /// The YAML, from the opening `---` up to the closing one.
    pub yaml: Option<&'a str>,
    pub body: &'a str,
    /// The file line on which the body starts.
    pub body_line: usize,
}

/// Splits `text` at the `---` lines that open and close its front matter.
pub fn split<'a>(shown: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            body: text,
            body_line: 1,
        });
    }
    let mut offset = first_line_end;
    for (line, raw_line) in (2..).zip(text[first_line_end..].split_inclusive('\n')) {
        let trimmed = raw_line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: Some(&text[..offset]),
                body: &text[offset + raw_line.len()..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(
        Diagnostic::error(shown, Position::START, "the front matter is never closed")
            .with_help("end the front matter with a line holding only `---`"),
    )
}

/// A YAML value as the rest of versus sees it, independent of the YAML crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    /// Kept as written; callers parse the numbers they expect.
    Number(String),
    String(String),
    List(Vec<Yaml>),
    Map(Map),
}

/// A YAML mapping with text keys, in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Yaml)>);

impl Map {
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Yaml)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl From<Value> for Yaml {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(b),
            Value::Number(n) => Yaml::Number(n.to_string()),
            Value::String(s) => Yaml::String(s),
            Value::Sequence(items) => Yaml::List(items.into_iter().map(Yaml::from).collect()),
            Value::Mapping(mapping) => Yaml::Map(Map(mapping
                .into_iter()
                .map(|(k, v)| (key_text(&k), Yaml::from(v)))
                .collect())),
            Value::Tagged(tagged) => Yaml::from(tagged.value),
        }
    }
}

/// Parsed front matter, with what is needed to point at any of its keys.
pub struct FrontMatter<'a> {
    mapping: Map,
    lines: Vec<&'a str>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the YAML of a [`Split`]; no front matter is an empty mapping.
    pub fn parse(shown: &Path, yaml: Option<&'a str>) -> Result<Self, Diagnostic> {
        let Some(yaml) = yaml else {
            return Ok(FrontMatter {
                mapping: Map::default(),
                lines: Vec::new(),
            });
        };
        let value: Value = serde_yaml::from_str(yaml).map_err(|err| {
            let position = err
                .location()
                .map_or(Position::START, |l| Position::new(l.line(), l.column()));
            Diagnostic::error(shown, position, format!("invalid front matter: {}", strip_location(&err.to_string())))
                .with_help("the front matter is YAML between two `---` lines; check indentation, quotes and brackets")
        })?;
        let mapping = match Yaml::from(value) {
            Yaml::Map(mapping) => mapping,
            Yaml::Null => Map::default(),
            _ => {
                return Err(Diagnostic::error(
                    shown,
                    Position::new(2, 1),
                    "the front matter is not a mapping of keys to values",
                )
                .with_help("write one `key: value` per line, e.g. `title: Threads`"));
            }
        };
        Ok(FrontMatter {
            mapping,
            lines: yaml.lines().collect(),
        })
    }

    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.mapping.get(key)
    }

    /// Every top-level key that is not in `allowed`, with a suggestion when it looks like a typo.
    pub fn unknown_keys(&self, shown: &Path, allowed: &[&str], what: &str) -> Vec<Diagnostic> {
        self.mapping
            .keys()
            .filter_map(|name| {
                if allowed.contains(&name) {
                    return None;
                }
                let position = self
                    .find_key(name, 0)
                    .map_or(Position::new(2, 1), |(_, p)| p);
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                Some(
                    Diagnostic::error(
                        shown,
                        position,
                        format!("unknown front matter key `{name}`"),
                    )
                    .with_help(help),
                )
            })
            .collect()
    }

    /// Inline Markdown links and images written in the front matter's values, with their
    /// positions: `[text](dest)` gives `dest` and the position of `[`.
    pub fn markdown_links(&self) -> Vec<(String, Position, bool)> {
        let mut links = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            let mut rest = 0;
            while let Some(found) = line[rest..].find("](") {
                let close_text = rest + found;
                let start = rest + found + 2;
                let Some(length) = line[start..].find(')') else {
                    break;
                };
                let dest = line[start..start + length]
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                let open = line[..close_text].rfind('[').unwrap_or(close_text);
                let is_image = open > 0 && line.as_bytes()[open - 1] == b'!';
                let column = line[..open].chars().count() + 1;
                if !dest.is_empty() {
                    links.push((dest.to_string(), Position::new(index + 1, column), is_image));
                }
                rest = start + length;
            }
        }
        links
    }

    /// Finds the first line at or after `from_line` (0-based) that holds `key:` as a mapping key,
    /// returning that line and the key's file position.
    pub fn find_key(&self, key: &str, from_line: usize) -> Option<(usize, Position)> {
        self.lines
            .iter()
            .enumerate()
            .skip(from_line)
            .find_map(|(index, line)| {
                let column = key_column(line, key)?;
                Some((index, Position::new(index + 1, column)))
            })
    }
}

/// Where `key:` starts on `line`, as a 1-based column, if it is a mapping key there.
fn key_column(line: &str, key: &str) -> Option<usize> {
    let content = line.trim_start();
    let mut column = line.len() - content.len();
    let content = match content.strip_prefix("- ") {
        Some(rest) => {
            let rest_trimmed = rest.trim_start();
            column += 2 + rest.len() - rest_trimmed.len();
            rest_trimmed
        }
        None => content,
    };
    let unquoted = content
        .strip_prefix(key)
        .or_else(|| content.strip_prefix(&format!("\"{key}\"")))
        .or_else(|| content.strip_prefix(&format!("'{key}'")))?;
    unquoted.trim_start().starts_with(':').then_some(column + 1)
}

/// The text of a mapping key, whatever its YAML type.
fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// A scalar as text: strings as they are, numbers and booleans as written.
pub fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Number(s) => Some(s.clone()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Describes a value's YAML type for messages.
pub fn type_name(value: &Yaml) -> &'static str {
    match value {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::List(_) => "a list",
        Yaml::Map(_) => "a mapping",
    }
}

/// The parser appends "at line L column C" to its messages; the diagnostic carries that already.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => {
            let rest = &message[index + " at line ".len()..];
            let after = rest.find(',').map_or("", |i| &rest[i..]);
            format!("{}{}", &message[..index], after)
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_body_line() {
        let split = split(Path::new("a.md"), "---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(split.yaml, Some("---\ntitle: A\n"));
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn yaml_errors_carry_file_positions() {
        let text = "---\ntitle: A\ntags: [a, b\nweight: 2\n---\n";
        let split = split(Path::new("a.md"), text).unwrap();
        let err = FrontMatter::parse(Path::new("a.md"), split.yaml)
            .err()
            .unwrap();
        assert_eq!(err.position.line, 4);
    }

    #[test]
    fn markdown_links_in_values_have_positions() {
        let yaml = "---\nnote: \"see [a](a.md#x) and ![i](i.png)\"\n";
        let fm = FrontMatter::parse(Path::new("a.md"), Some(yaml)).unwrap();
        let links = fm.markdown_links();
        assert_eq!(
            links[0],
            ("a.md#x".to_string(), Position::new(2, 12), false)
        );
        assert_eq!(links[1], ("i.png".to_string(), Position::new(2, 29), true));
    }

    #[test]
    fn keys_are_found_in_lists_and_mappings() {
        let yaml = "---\nvalues:\n  startup: big\nanswers:\n  - label: x\n";
        let fm = FrontMatter::parse(Path::new("a.md"), Some(yaml)).unwrap();
        assert_eq!(fm.find_key("startup", 0).unwrap().1, Position::new(3, 3));
        assert_eq!(fm.find_key("label", 0).unwrap().1, Position::new(5, 5));
    }
}
