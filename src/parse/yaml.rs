//! The front matter's YAML as a tree in which every node knows where it was written.
//!
//! The only module that uses the YAML crate (saphyr-parser, an event parser that gives each
//! event its span), so replacing it touches this file alone. The tree is built here from the
//! events rather than by the crate's own loader, so that every node keeps its position and
//! what aliases expand to is counted as it is produced.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::diagnostic::{Diagnostic, LineIndex, Position};

/// The most values (scalars, lists and mappings, each copy counted) a front matter may expand
/// to. An alias copies its anchor's whole tree, so a few lines of aliases can stand for
/// billions of values; legitimate front matter stays far below this.
pub const MAX_VALUES: usize = 100_000;
/// The most text, in bytes, aliases may copy in one front matter.
pub const MAX_COPIED_TEXT: usize = 16 << 20;
/// The deepest nesting of lists and mappings; deeper trees are not front matter.
pub const MAX_DEPTH: usize = 64;

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
    /// How and where a scalar is written, to place what is inside its value; not kept for
    /// a copy made by an alias (its text is elsewhere).
    pub written: Option<Written>,
}

/// Where a scalar's text starts in the file (at its anchor or tag if it has one, else at
/// its quote or first character), and how it is quoted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Written {
    pub start: usize,
    pub quoting: Quoting,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quoting {
    Plain,
    Single,
    Double,
    /// `|` or `>`: the text starts on the line after the indicator.
    Block,
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

/// Reads the YAML into a tree; `None` for an empty document.
pub fn read(yaml: &str, lines: &LineIndex) -> Result<Option<Node>, Fault> {
    Builder::new(yaml, lines).read()
}

/// A problem found while reading the YAML, before the file's name is attached.
pub struct Fault {
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

    pub fn diagnostic(self, shown: &std::path::Path) -> Diagnostic {
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
        /// Where each key was first written, to find one written twice without a search.
        seen: BTreeMap<String, Position>,
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
    /// Values and text produced so far, copies included.
    values: usize,
    text: usize,
    /// Text produced by aliases, and whether any alias was met.
    copied_text: usize,
    aliases_used: bool,
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
            copied_text: 0,
            aliases_used: false,
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
                let size = text.len();
                self.grow(1, size, false, position)?;
                let quoting = match style {
                    ScalarStyle::Plain => Quoting::Plain,
                    ScalarStyle::SingleQuoted => Quoting::Single,
                    ScalarStyle::DoubleQuoted => Quoting::Double,
                    ScalarStyle::Literal | ScalarStyle::Folded => Quoting::Block,
                };
                let written = Written {
                    start: self.byte(span.start.index()),
                    quoting,
                };
                let node = Node {
                    value: resolve(text.into_owned(), style, tag.as_deref()),
                    position,
                    written: Some(written),
                };
                self.finish(node, anchor, 1, size)
            }
            Event::SequenceStart(anchor, _) => self.start(span, anchor, OpenKind::List(Vec::new())),
            Event::MappingStart(anchor, _) => self.start(
                span,
                anchor,
                OpenKind::Map {
                    entries: Vec::new(),
                    key: None,
                    seen: BTreeMap::new(),
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
                    written: None,
                };
                let values = self.values - open.values_before + 1;
                let text = self.text - open.text_before;
                self.finish(node, open.anchor, values, text)
            }
            Event::Alias(id) => {
                let Some(&Anchored { values, text, .. }) = self.anchors.get(&id) else {
                    // The parser knows an anchor from where it is written, so an alias
                    // inside the value its anchor is on gets that anchor's id.
                    if id != 0 && self.open.iter().any(|open| open.anchor == id) {
                        return Err(Fault::new(
                            position,
                            "invalid front matter: this alias refers to itself (it is inside the value its anchor is on)",
                            "an alias copies a finished value; move `*name` out of the value `&name` is on, or write the value out",
                        ));
                    }
                    return Err(Fault::new(
                        position,
                        "invalid front matter: this alias names no anchor",
                        "define `&name` on a value before writing `*name`",
                    ));
                };
                // Counted before copying, so a copy past the limits is never made.
                self.grow(values, text, true, position)?;
                let mut node = self.anchors[&id].node.clone();
                // The copy is reported where the alias is written; what lies inside it
                // keeps the anchor's positions, which is where its text is.
                node.position = position;
                node.written = None;
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
    /// Counts the values and text produced, refusing a front matter that grows past the
    /// limits. `copied` is true for what an alias copies: text written in the file is
    /// bounded by the file, copies only by the limit.
    fn grow(
        &mut self,
        values: usize,
        text: usize,
        copied: bool,
        position: Position,
    ) -> Result<(), Fault> {
        self.values += values;
        self.text += text;
        if copied {
            self.aliases_used = true;
            self.copied_text += text;
        }
        let help = if self.aliases_used {
            "an alias (`*name`) copies everything under its anchor; repeat less, or write the values out"
        } else {
            "front matter holds a page's settings and a model's values; keep bulk data out of it"
        };
        if self.values > MAX_VALUES {
            return Err(Fault::new(
                position,
                format!(
                    "the front matter holds more than {MAX_VALUES} values, counting each copy an alias makes"
                ),
                help,
            ));
        }
        if self.copied_text > MAX_COPIED_TEXT {
            return Err(Fault::new(
                position,
                format!(
                    "aliases copy more than {} MiB of text in this front matter",
                    MAX_COPIED_TEXT >> 20
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
        let written = self
            .yaml
            .get(self.byte(span.start.index())..self.byte(span.end.index()));
        let bracket = match written.and_then(|text| text.chars().last()) {
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
        self.grow(1, 0, false, position)?;
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
            OpenKind::Map { entries, key, seen } => match key.take() {
                None => *key = Some(key_of(node)?),
                Some((key, key_position)) => {
                    if let Some(first) = seen.insert(key.clone(), key_position) {
                        return Err(Fault::new(
                            key_position,
                            format!("the key `{key}` is written twice in this mapping"),
                            format!("keep one `{key}:`; the first is on line {}", first.line),
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

/// A whole number as YAML's core schema writes it: decimal, `0x` hexadecimal or `0o` octal.
pub fn integer(value: &Yaml) -> Option<i64> {
    let Yaml::Number(text) = value else {
        return None;
    };
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok();
    }
    text.parse().ok()
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
