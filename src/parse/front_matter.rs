//! YAML front matter: splitting it from the body, and reading it into a tree in which every
//! node knows where it was written.
//!
//! The only module that uses the YAML crate, so replacing it touches this file alone. The YAML
//! handed to the parser starts at the file's first line (the opening `---` is a YAML document
//! marker), so the parser's offsets are the file's. Lines are counted here, from those
//! offsets, the way editors count them (`\n` ends a line, `\r\n` too): the parser also breaks
//! lines at a lone `\r`, and mapping through offsets keeps its idea of lines out of messages.

use std::collections::BTreeMap;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::diagnostic::{Diagnostic, LineIndex, Position, did_you_mean};

/// The most values (scalars, lists and mappings, each copy counted) a front matter may expand
/// to. An alias copies its anchor's whole tree, so a few lines of aliases can stand for
/// billions of values; legitimate front matter stays far below this.
pub const MAX_VALUES: usize = 100_000;
/// The most text, in bytes, a front matter may expand to through aliases.
pub const MAX_TEXT: usize = 16 << 20;
/// The deepest nesting of lists and mappings; deeper trees are not front matter.
pub const MAX_DEPTH: usize = 64;

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
    List(Vec<Node>),
    Map(Map),
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Yaml,
    /// Where the node starts: a scalar's first character (its quote, if quoted), a block
    /// list's first `-`, a mapping's first key.
    pub position: Position,
    /// The file offset at which a scalar's value is written character for character, when
    /// it is (plain or quoted on one line, without escapes), so a place inside the value can
    /// be mapped back to the file exactly.
    verbatim: Option<usize>,
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_position: Position,
    pub value: Node,
}

/// A YAML mapping with text keys, in document order, each key once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<Entry>);

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.0.iter().find(|e| e.key == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.0.iter()
    }
}

/// Parsed front matter, with what is needed to point into it.
pub struct FrontMatter<'a> {
    mapping: Map,
    /// Where the mapping starts, for problems about a key that is missing.
    start: Position,
    lines: LineIndex<'a>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the YAML of a [`Split`]; no front matter is an empty mapping.
    pub fn parse(shown: &Path, yaml: Option<&'a str>) -> Result<Self, Diagnostic> {
        let Some(yaml) = yaml else {
            return Ok(FrontMatter {
                mapping: Map::default(),
                start: Position::START,
                lines: LineIndex::new("", 1),
            });
        };
        let lines = LineIndex::new(yaml, 1);
        let root = Builder::new(yaml, &lines)
            .read()
            .map_err(|fault| fault.diagnostic(shown))?;
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

    /// The file position of byte `offset` of a scalar's text. Exact when the scalar is
    /// written as it reads; otherwise (escapes, folded or block scalars, anchors) the
    /// scalar's start, since the parser does not say where each character came from.
    pub fn position_in(&self, node: &Node, offset: usize) -> Position {
        match node.verbatim {
            Some(start) => self.lines.position(start + offset),
            None => node.position,
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

/// A problem found while reading the YAML, before the file's name is attached.
struct Fault {
    position: Position,
    message: String,
    help: String,
}

impl Fault {
    fn new(position: Position, message: impl Into<String>, help: impl Into<String>) -> Self {
        Fault {
            position,
            message: message.into(),
            help: help.into(),
        }
    }

    fn diagnostic(self, shown: &Path) -> Diagnostic {
        Diagnostic::error(shown, self.position, self.message).with_help(self.help)
    }
}

/// A list or mapping being read.
struct Open {
    position: Position,
    anchor: usize,
    /// Values produced before it started, to know how many it holds when it ends.
    values_before: usize,
    text_before: usize,
    /// `[` or `{` for a flow collection, whose closing bracket a writer can forget.
    bracket: Option<char>,
    kind: OpenKind,
}

enum OpenKind {
    List(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Position)>,
    },
}

/// A finished node kept under its anchor, with its size for the expansion limits.
struct Anchored {
    node: Node,
    values: usize,
    text: usize,
}

/// Turns the parser's events into a [`Node`] tree, counting what aliases expand to.
struct Builder<'y> {
    yaml: &'y str,
    lines: &'y LineIndex<'y>,
    /// Byte offset of each character, when some are wider than a byte.
    char_offsets: Option<Vec<usize>>,
    open: Vec<Open>,
    anchors: BTreeMap<usize, Anchored>,
    root: Option<Node>,
    values: usize,
    text: usize,
}

impl<'y> Builder<'y> {
    fn new(yaml: &'y str, lines: &'y LineIndex<'y>) -> Self {
        let char_offsets = (!yaml.is_ascii()).then(|| {
            yaml.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(yaml.len()))
                .collect()
        });
        Builder {
            yaml,
            lines,
            char_offsets,
            open: Vec::new(),
            anchors: BTreeMap::new(),
            root: None,
            values: 0,
            text: 0,
        }
    }

    fn read(mut self) -> Result<Option<Node>, Fault> {
        for event in Parser::new_from_str(self.yaml) {
            let (event, span) = event.map_err(|err| self.scan_fault(&err))?;
            self.event(event, span)?;
        }
        Ok(self.root)
    }

    /// The parser counts characters; the file is indexed by bytes.
    fn byte(&self, char_index: usize) -> usize {
        match &self.char_offsets {
            Some(offsets) => offsets[char_index.min(offsets.len() - 1)],
            None => char_index.min(self.yaml.len()),
        }
    }

    fn position(&self, char_index: usize) -> Position {
        self.lines.position(self.byte(char_index))
    }

    fn event(&mut self, event: Event, span: Span) -> Result<(), Fault> {
        let position = self.position(span.start.index());
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.grow(1, text.len(), position)?;
                let verbatim = self.verbatim(&text, style, span);
                let node = Node {
                    value: resolve(text.into_owned(), style, tag.as_deref()),
                    position,
                    verbatim,
                };
                self.finish(node, anchor, 1, 0)
            }
            Event::SequenceStart(anchor, _) => self.start(span, anchor, OpenKind::List(Vec::new())),
            Event::MappingStart(anchor, _) => self.start(
                span,
                anchor,
                OpenKind::Map {
                    entries: Vec::new(),
                    key: None,
                },
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.open.pop() else {
                    return Ok(());
                };
                let value = match open.kind {
                    OpenKind::List(items) => Yaml::List(items),
                    OpenKind::Map { entries, .. } => Yaml::Map(Map(entries)),
                };
                let node = Node {
                    value,
                    position: open.position,
                    verbatim: None,
                };
                let values = self.values - open.values_before + 1;
                let text = self.text - open.text_before;
                self.finish(node, open.anchor, values, text)
            }
            Event::Alias(id) => {
                let Some(&Anchored { values, text, .. }) = self.anchors.get(&id) else {
                    return Err(Fault::new(
                        position,
                        "invalid front matter: this alias names no anchor",
                        "define `&name` on a value before writing `*name`",
                    ));
                };
                // Counted before copying, so a copy past the limits is never made.
                self.grow(values, text, position)?;
                let mut node = self.anchors[&id].node.clone();
                // The copy is reported where the alias is written; what lies inside it
                // keeps the anchor's positions, which is where its text is.
                node.position = position;
                node.verbatim = None;
                self.finish(node, 0, values, text)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    /// Counts values and text produced, refusing a front matter that grows past the limits.
    fn grow(&mut self, values: usize, text: usize, position: Position) -> Result<(), Fault> {
        self.values += values;
        self.text += text;
        let help = "an alias (`*name`) copies everything under its anchor; repeat less, or write the values out";
        if self.values > MAX_VALUES {
            return Err(Fault::new(
                position,
                format!(
                    "the front matter expands to more than {MAX_VALUES} values through aliases"
                ),
                help,
            ));
        }
        if self.text > MAX_TEXT {
            return Err(Fault::new(
                position,
                format!(
                    "the front matter expands to more than {} MiB of text through aliases",
                    MAX_TEXT >> 20
                ),
                help,
            ));
        }
        Ok(())
    }

    fn start(&mut self, span: Span, anchor: usize, kind: OpenKind) -> Result<(), Fault> {
        let position = self.position(span.start.index());
        // A block collection's span is empty; a flow collection's is its opening bracket
        // (after any anchor or tag).
        let bracket = match self.yaml[self.byte(span.start.index())..self.byte(span.end.index())]
            .chars()
            .last()
        {
            Some(c @ ('[' | '{')) => Some(c),
            _ => None,
        };
        if self.open.len() >= MAX_DEPTH {
            return Err(Fault::new(
                position,
                format!("the front matter nests lists and mappings more than {MAX_DEPTH} deep"),
                "flatten the structure",
            ));
        }
        self.grow(1, 0, position)?;
        self.open.push(Open {
            position,
            anchor,
            values_before: self.values,
            text_before: self.text,
            bracket,
            kind,
        });
        Ok(())
    }

    /// Places a finished node: under its anchor, then in its list or mapping, or as the root.
    fn finish(
        &mut self,
        node: Node,
        anchor: usize,
        values: usize,
        text: usize,
    ) -> Result<(), Fault> {
        if anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                values,
                text,
            };
            self.anchors.insert(anchor, anchored);
        }
        let Some(parent) = self.open.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.kind {
            OpenKind::List(items) => items.push(node),
            OpenKind::Map { entries, key } => match key.take() {
                None => *key = Some(key_of(node)?),
                Some((key, key_position)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        return Err(Fault::new(
                            key_position,
                            format!("the key `{key}` is written twice in this mapping"),
                            format!(
                                "keep one `{key}:`; the first is on line {}",
                                first.key_position.line
                            ),
                        ));
                    }
                    entries.push(Entry {
                        key,
                        key_position,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }

    /// Where a scalar's value is written as is: the file offset of its first character.
    /// Only the start of the span is trusted: in flow collections the parser's span can run
    /// a character past the closing quote.
    fn verbatim(&self, value: &str, style: ScalarStyle, span: Span) -> Option<usize> {
        let start = self.byte(span.start.index());
        let written = &self.yaml[start..];
        let (offset, after) = match style {
            ScalarStyle::Plain => (0, None),
            ScalarStyle::SingleQuoted => (1, Some('\'')),
            ScalarStyle::DoubleQuoted => (1, Some('"')),
            ScalarStyle::Literal | ScalarStyle::Folded => return None,
        };
        let rest = written.get(offset..)?.strip_prefix(value)?;
        let closed = after.is_none_or(|quote| rest.starts_with(quote));
        closed.then_some(start + offset)
    }

    fn scan_fault(&self, err: &ScanError) -> Fault {
        let position = self.position(err.marker().index());
        if err.info().contains("quoted scalar") {
            // The parser stops where the quote's text runs out; the quote itself is the
            // mistake, and the error marker is where it opens.
            return Fault::new(
                position,
                "invalid front matter: this quoted value is never closed",
                "end it with the same quote mark on the same line, or indent the lines it continues on",
            );
        }
        // A flow list or mapping still open on an earlier line is the likely cause.
        let open_bracket = self
            .open
            .iter()
            .rev()
            .find_map(|open| Some((open.bracket?, open.position)))
            .filter(|(_, at)| at.line < position.line);
        let help = match open_bracket {
            Some((bracket, at)) => format!(
                "the `{bracket}` on line {}, column {} is not closed before this; close it with `{}`",
                at.line,
                at.column,
                if bracket == '[' { ']' } else { '}' }
            ),
            None => "the front matter is YAML between two `---` lines; check indentation, quotes and brackets".to_string(),
        };
        Fault::new(
            position,
            format!("invalid front matter: {}", err.info()),
            help,
        )
    }
}

/// A mapping key must be text (or a number or boolean, taken as written).
fn key_of(node: Node) -> Result<(String, Position), Fault> {
    match scalar_text(&node.value) {
        Some(text) => Ok((text, node.position)),
        None if node.value == Yaml::Null => Ok((String::new(), node.position)),
        None => Err(Fault::new(
            node.position,
            format!(
                "a front matter key must be text, not {}",
                type_name(&node.value)
            ),
            "write keys as plain words, e.g. `title:`",
        )),
    }
}

/// A scalar's type under YAML 1.2's core schema: only plain scalars are anything but text.
fn resolve(text: String, style: ScalarStyle, tag: Option<&Tag>) -> Yaml {
    let forced_text = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
    if !matches!(style, ScalarStyle::Plain) || forced_text {
        return Yaml::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Yaml::Null,
        "true" | "True" | "TRUE" => Yaml::Bool(true),
        "false" | "False" | "FALSE" => Yaml::Bool(false),
        t if is_number(t) => Yaml::Number(text),
        _ => Yaml::String(text),
    }
}

/// The core schema's integers and floats.
fn is_number(text: &str) -> bool {
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return digits(octal, 8);
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction, 10),
        Some((whole, fraction)) => {
            digits(whole, 10) && (fraction.is_empty() || digits(fraction, 10))
        }
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
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
    fn places_inside_values_map_back_exactly_when_written_as_is() {
        let fm = parse("---\nnote: \"see [a](a.md) é\"\nplain: x [b](b)\nesc: \"\\\" [c](c)\"\n")
            .unwrap();
        let note = fm.get("note").unwrap();
        assert_eq!(fm.position_in(note, 4), Position::new(2, 12));
        assert_eq!(
            fm.position_in(fm.get("plain").unwrap(), 2),
            Position::new(3, 10)
        );
        assert_eq!(
            fm.position_in(fm.get("esc").unwrap(), 2),
            Position::new(4, 6)
        );
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
            err.message.contains("values through aliases"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("---\na: {}{}\n", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep).err().unwrap();
        assert!(err.message.contains("deep"), "{}", err.message);
    }
}
