//! The Markdown mistakes that would otherwise pass silently: fences never closed, fence
//! attributes versus does not know, heading ids written twice, references to nothing.
//! Positions are those the parser gives the block or heading at fault.

use std::collections::BTreeSet;
use std::path::Path;

use super::CodeBlock;
use crate::diagnostic::{Diagnostic, Position, did_you_mean};

/// The fence attributes versus knows (see README, "Markdown" and `versus test`).
const FENCE_ATTRIBUTES: &[&str] = &["title", "tab", "python", "no-run", "timeout", "requires"];
/// Fence attributes that mean nothing without a value.
const VALUED_ATTRIBUTES: &[&str] = &["title", "tab", "python", "timeout", "requires"];

/// The problems of a fenced code block's opening line, `info`, and of its whole `source` as
/// the parser delimits it.
pub(super) fn fence(shown: &Path, position: Position, info: &str, source: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if !fence_is_closed(source) {
        problems.push(
            Diagnostic::error(
                shown,
                position,
                "this code fence is never closed, so the rest of its container became code",
            )
            .with_help(
                "close it with a line of the same fence characters, at least as many as open it",
            ),
        );
    }
    if info.matches('"').count() % 2 == 1 {
        problems.push(
            Diagnostic::error(shown, position, "the fence has an unclosed quote")
                .with_help("close the quote: `title=\"Counting primes\"`"),
        );
    }
    problems
}

/// Whether the source of a fenced code block, as the parser delimits it, ends with a closing
/// fence: a line of at least as many of the opening fence's characters and nothing else.
fn fence_is_closed(block: &str) -> bool {
    fn strip(line: &str) -> &str {
        line.trim_start_matches(|c: char| c.is_whitespace() || c == '>')
    }
    let mut lines = block.lines();
    let opening = strip(lines.next().unwrap_or_default());
    let Some(fence_char) = opening.chars().next() else {
        return false;
    };
    let width = opening.chars().take_while(|&c| c == fence_char).count();
    let Some(last) = lines.rfind(|line| !line.trim().is_empty()) else {
        return false;
    };
    let last = strip(last).trim_end();
    !last.is_empty() && last.chars().all(|c| c == fence_char) && last.chars().count() >= width
}

/// Unknown, repeated or empty fence attributes.
pub(super) fn attributes(shown: &Path, block: &CodeBlock) -> Vec<Diagnostic> {
    let error = |message: String, help: String| {
        Diagnostic::error(shown, block.position, message).with_help(help)
    };
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (key, value) in &block.attrs {
        if !FENCE_ATTRIBUTES.contains(&key.as_str()) {
            let help = match did_you_mean(key, FENCE_ATTRIBUTES.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fence attributes are: {}", FENCE_ATTRIBUTES.join(", ")),
            };
            problems.push(error(format!("unknown fence attribute `{key}`"), help));
        } else if !seen.insert(key.as_str()) {
            problems.push(error(
                format!("the fence attribute `{key}` is given twice"),
                "keep one of them".to_string(),
            ));
        } else if value.is_empty() && VALUED_ATTRIBUTES.contains(&key.as_str()) {
            problems.push(error(
                format!("the fence attribute `{key}` needs a value"),
                format!("write it `{key}=...`, quoted if it has spaces"),
            ));
        }
    }
    problems
}

/// A heading whose `{#id}` another heading, or the page's template, already uses.
pub(super) fn repeated_id(
    shown: &Path,
    position: Position,
    id: &str,
    reserved: &[&str],
) -> Diagnostic {
    let help = if reserved.contains(&id) {
        "the page's template uses this id for one of its own sections; choose another"
    } else {
        "give each heading its own id; links to `#id` go to the first"
    };
    Diagnostic::error(
        shown,
        position,
        format!("the heading id `{id}` is already used on this page"),
    )
    .with_help(help)
}

/// The footnotes a page defines and those it refers to, to find definitions never used and
/// references to footnotes never defined.
#[derive(Default)]
pub(super) struct Footnotes {
    defined: Vec<(String, usize)>,
    used: BTreeSet<String>,
    undefined: Vec<(String, usize)>,
}

impl Footnotes {
    pub(super) fn defined(&mut self, label: &str, offset: usize) {
        self.defined.push((label.to_string(), offset));
    }

    pub(super) fn used(&mut self, label: &str) {
        self.used.insert(label.to_string());
    }

    /// A `[^label]` the parser left as text at `offset`: nothing defines it.
    pub(super) fn undefined(&mut self, label: &str, offset: usize) {
        self.undefined.push((label.to_string(), offset));
    }

    pub(super) fn undefined_references(&mut self) -> Vec<(String, usize)> {
        std::mem::take(&mut self.undefined)
    }

    pub(super) fn unused(self) -> impl Iterator<Item = (String, usize)> {
        let used = self.used;
        self.defined
            .into_iter()
            .filter(move |(label, _)| !used.contains(label))
    }
}

/// The label of the footnote reference at `offset` of `source` (`[^label]`), if one starts
/// there and its bracket is not escaped.
pub(super) fn footnote_label(source: &str, offset: usize) -> Option<&str> {
    let (before, rest) = source.split_at(offset);
    let backslashes = before.bytes().rev().take_while(|&b| b == b'\\').count();
    if backslashes % 2 == 1 {
        return None;
    }
    let label = rest.strip_prefix("[^")?;
    let end = label.find(']')?;
    let label = &label[..end];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some(label)
}

pub(super) fn undefined_footnote(shown: &Path, position: Position, label: &str) -> Diagnostic {
    Diagnostic::warning(
        shown,
        position,
        format!("no footnote `[^{label}]` is defined, so the reference is shown as text"),
    )
    .with_help(format!(
        "define it on a line of its own, `[^{label}]: The note.`, or write `\\[^{label}]` for the text"
    ))
}

pub(super) fn unused_footnote(shown: &Path, position: Position, label: &str) -> Diagnostic {
    Diagnostic::warning(
        shown,
        position,
        format!("the footnote `[^{label}]` is never referred to"),
    )
    .with_help(format!(
        "refer to it with `[^{label}]` in the text, or remove it"
    ))
}

/// A reference link (`[text][ref]`, `[ref][]`) with no definition, shown as text.
pub(super) fn undefined_reference(shown: &Path, position: Position, reference: &str) -> Diagnostic {
    Diagnostic::warning(
        shown,
        position,
        format!("no link definition for `[{reference}]`, so the link is shown as text"),
    )
    .with_help(format!(
        "define it on a line of its own, `[{reference}]: https://...`, or write `\\[` for a bracket"
    ))
}
