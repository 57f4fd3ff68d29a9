//! YAML front matter: splitting it from the body, reading it (see [`super::yaml`]), and
//! placing what is found inside its values back in the file.
//!
//! The YAML handed to the parser starts at the file's first line (the opening `---` is a YAML
//! document marker), so the parser's offsets are the file's. Lines are counted here, from those
//! offsets, the way editors count them (`\n` ends a line, `\r\n` too): the parser also breaks
//! lines at a lone `\r`, and mapping through offsets keeps its idea of lines out of messages.

use std::path::Path;

use super::yaml::{self, Node, Quoting, Yaml};
use crate::diagnostic::{Diagnostic, LineIndex, Position, did_you_mean};

pub use super::yaml::{Entry, Map, scalar_text, type_name};

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

/// Parsed front matter, with what is needed to point into it.
pub struct FrontMatter<'a> {
    mapping: Map,
    /// Where the mapping starts, for problems about a key that is missing.
    start: Position,
    yaml: &'a str,
    lines: LineIndex<'a>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the YAML of a [`Split`]; no front matter is an empty mapping.
    pub fn parse(shown: &Path, yaml: Option<&'a str>) -> Result<Self, Diagnostic> {
        let Some(yaml) = yaml else {
            return Ok(FrontMatter {
                mapping: Map::default(),
                start: Position::START,
                yaml: "",
                lines: LineIndex::new("", 1),
            });
        };
        let lines = LineIndex::new(yaml, 1);
        let root = yaml::read(yaml, &lines).map_err(|fault| fault.diagnostic(shown))?;
        let (mapping, start) = match root {
            Some(Node {
                value: Yaml::Map(mapping),
                position,
                ..
            }) => (mapping, position),
            None
            | Some(Node {
                value: Yaml::Null, ..
            }) => (Map::default(), Position::START),
            Some(other) => {
                return Err(Diagnostic::error(
                    shown,
                    other.position,
                    "the front matter is not a mapping of keys to values",
                )
                .with_help("write one `key: value` per line, e.g. `title: Threads`"));
            }
        };
        Ok(FrontMatter {
            mapping,
            start,
            yaml,
            lines,
        })
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.mapping.get(key)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.mapping.entry(key)
    }

    /// Where to report a key that is missing: the first key, or the file's start.
    pub fn start(&self) -> Position {
        self.start
    }

    /// The file positions of places inside a scalar's value, given as byte offsets in the
    /// value. Exact when the value's text can be followed in the file character for
    /// character (plain, quoted with `''`, `\"`, `\\` or `\x..`-style escapes, folded and
    /// block scalars alike: only runs of spaces and line breaks may differ); otherwise the
    /// scalar's start, as for a copy made by an alias or an escape such as `\n`.
    pub fn positions_in(&self, node: &Node, offsets: &[usize]) -> Vec<Position> {
        let found = match (&node.value, node.written) {
            (Yaml::String(value) | Yaml::Number(value), Some(written)) => {
                follow(self.yaml, written, value, offsets)
            }
            _ => None,
        };
        match found {
            Some(bytes) => bytes.into_iter().map(|b| self.lines.position(b)).collect(),
            None => vec![node.position; offsets.len()],
        }
    }

    /// Every top-level key that is not in `allowed`, with a suggestion when it looks like a typo.
    pub fn unknown_keys(&self, shown: &Path, allowed: &[&str], what: &str) -> Vec<Diagnostic> {
        self.mapping
            .iter()
            .filter(|entry| !allowed.contains(&entry.key.as_str()))
            .map(|entry| {
                let name = &entry.key;
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                Diagnostic::error(
                    shown,
                    entry.key_position,
                    format!("unknown front matter key `{name}`"),
                )
                .with_help(help)
            })
            .collect()
    }
}

/// Walks a scalar's value and its written text side by side, returning the file offset of
/// each of `offsets` (byte offsets of characters in `value`, in order), or `None` as soon as
/// the two disagree. Every character other than spaces and line breaks must match: written
/// as itself, or as an escape that stands for it.
fn follow(
    yaml: &str,
    written: yaml::Written,
    value: &str,
    offsets: &[usize],
) -> Option<Vec<usize>> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut start = written.start;
    // Skip an anchor (`&name`) or a tag (`!!str`) written before the value.
    while yaml[start..].starts_with(['&', '!']) {
        let rest = &yaml[start..];
        let end = rest.find(is_space)?;
        start += end + (rest[end..].len() - rest[end..].trim_start_matches(is_space).len());
    }
    let quote = match written.quoting {
        Quoting::Single => Some('\''),
        Quoting::Double => Some('"'),
        Quoting::Plain | Quoting::Block => None,
    };
    if let Some(quote) = quote {
        start += yaml[start..].starts_with(quote).then_some(1)?;
    }
    let mut source = yaml[start..].char_indices().peekable();
    let mut chars = value.char_indices().peekable();
    let mut wanted = offsets.iter().peekable();
    let mut found = Vec::with_capacity(offsets.len());
    while let Some(&(at, c)) = chars.peek() {
        let &(from, s) = source.peek()?;
        if is_space(c) && is_space(s) {
            while chars.next_if(|&(_, c)| is_space(c)).is_some() {}
            while source.next_if(|&(_, s)| is_space(s)).is_some() {}
            continue;
        }
        source.next();
        let matches = match (written.quoting, s) {
            (Quoting::Double, '\\') => {
                let (_, escape) = source.next()?;
                let decoded = match escape {
                    '"' | '\\' | '/' => Some(escape),
                    'x' | 'u' | 'U' => {
                        let digits = match escape {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..digits)
                            .filter_map(|_| source.next())
                            .map(|(_, h)| h)
                            .collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                    }
                    // Escapes that stand for spaces or line breaks cannot be told apart from
                    // the runs above; give up rather than guess.
                    _ => None,
                };
                decoded == Some(c)
            }
            (Quoting::Single, '\'') => source.next_if(|&(_, s)| s == '\'').is_some() && c == '\'',
            _ => s == c,
        };
        if !matches {
            return None;
        }
        while wanted.next_if(|&&w| w <= at).is_some() {
            found.push(start + from);
        }
        chars.next();
    }
    if let Some(quote) = quote {
        source.next_if(|&(_, s)| s == quote)?;
    }
    (found.len() == offsets.len()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<FrontMatter<'_>, Diagnostic> {
        FrontMatter::parse(Path::new("a.md"), Some(yaml))
    }

    #[test]
    fn split_finds_body_line() {
        let split = split(Path::new("a.md"), "---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(split.yaml, Some("---\ntitle: A\n"));
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn yaml_errors_carry_file_positions() {
        let err = parse("---\ntitle: A\ntags: [a, b\nweight: 2\n")
            .err()
            .unwrap();
        assert_eq!(err.position.line, 4);
    }

    #[test]
    fn nodes_know_where_they_are() {
        let fm = parse("---\nvalues:\n  startup: big\nanswers:\n  - label: x\n").unwrap();
        let Yaml::Map(values) = &fm.get("values").unwrap().value else {
            panic!()
        };
        let entry = values.entry("startup").unwrap();
        assert_eq!(entry.key_position, Position::new(3, 3));
        assert_eq!(entry.value.position, Position::new(3, 12));
        let Yaml::List(items) = &fm.get("answers").unwrap().value else {
            panic!()
        };
        assert_eq!(items[0].position, Position::new(5, 5));
    }

    #[test]
    fn places_inside_values_map_back_to_the_file() {
        let yaml = concat!(
            "---\n",
            "note: \"see [a](a.md) é\"\n",
            "plain: x [b](b)\n",
            "esc: \"\\\" [c](c)\"\n",
            "single: 'it''s [d](d)'\n",
            "folded: >\n  one\n  two [e](e)\n",
            "block: |\n  one\n\n    [f](f)\n",
            "anchored: &x see [g](g)\n",
            "newline: \"a\\n[h](h)\"\n",
            "copy: *x\n",
        );
        let fm = parse(yaml).unwrap();
        let at = |key: &str, offset: usize| fm.positions_in(fm.get(key).unwrap(), &[offset])[0];
        assert_eq!(at("note", 4), Position::new(2, 12));
        assert_eq!(at("plain", 2), Position::new(3, 10));
        assert_eq!(at("esc", 2), Position::new(4, 10));
        assert_eq!(at("single", 5), Position::new(5, 16));
        assert_eq!(at("folded", 8), Position::new(8, 7));
        assert_eq!(at("block", 7), Position::new(12, 5));
        assert_eq!(at("anchored", 4), Position::new(13, 18));
        // An escape that stands for a line break: the value's start.
        assert_eq!(at("newline", 2), Position::new(14, 10));
        // A copy made by an alias: where the alias is.
        assert_eq!(at("copy", 0), Position::new(15, 7));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let fm =
            parse("---\na: 1\nb: -2.5e3\nc: \"1\"\nd: true\ne: ~\nf: 1.2.3\ng: !!str 4\n").unwrap();
        let kind = |k: &str| type_name(&fm.get(k).unwrap().value);
        assert_eq!(kind("a"), "a number");
        assert_eq!(kind("b"), "a number");
        assert_eq!(kind("c"), "a string");
        assert_eq!(kind("d"), "a boolean");
        assert_eq!(kind("e"), "nothing");
        assert_eq!(kind("f"), "a string");
        assert_eq!(kind("g"), "a string");
        let fm = parse("---\na: 0x1f\nb: 0o17\nc: +3\nd: 1.5\ne: yes\n").unwrap();
        let whole = |k: &str| yaml::integer(&fm.get(k).unwrap().value);
        assert_eq!(whole("a"), Some(31));
        assert_eq!(whole("b"), Some(15));
        assert_eq!(whole("c"), Some(3));
        assert_eq!(whole("d"), None);
        assert_eq!(whole("e"), None, "YAML 1.2: `yes` is text");
    }

    #[test]
    fn aliases_count_what_they_copy() {
        let fm = parse("---\na: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(fm.get("a").unwrap().value, fm.get("b").unwrap().value);
        let mut bomb = String::from("---\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..6 {
            let items = vec![format!("*a{}", level - 1); 10].join(", ");
            bomb.push_str(&format!("l{level}: &a{level} [{items}]\n"));
        }
        let err = parse(&bomb).err().unwrap();
        assert!(
            err.message.contains("each copy an alias makes"),
            "{}",
            err.message
        );
        let long = "y".repeat(1 << 20);
        let text = format!(
            "---\na: &x \"{long}\"\nb: [{}]\n",
            vec!["*x"; 20].join(", ")
        );
        let err = parse(&text).err().unwrap();
        assert!(err.message.contains("MiB of text"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("---\na: {}{}\n", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep).err().unwrap();
        assert!(err.message.contains("deep"), "{}", err.message);
    }
}
