//! `[style]` in book.toml: a book's own look without forking the theme's templates.
//!
//! Every value is checked here, so templates can put colours and fonts into a `<style>`
//! element as they are (a style element's text is never HTML-decoded, so it cannot be
//! escaped there: a value that could end the rule or the element is refused instead).

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};

use super::BOOK_FILE;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawStyle {
    logo: Option<Spanned<String>>,
    favicon: Option<Spanned<String>>,
    accent: Option<Spanned<RawColour>>,
    link: Option<Spanned<RawColour>>,
    font: Option<Spanned<String>>,
    code_font: Option<Spanned<String>>,
}

/// One colour for both schemes, or `[light, dark]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawColour {
    One(String),
    Pair(Vec<String>),
}

/// The checked style; what templates see as `site.style`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Style {
    /// Paths of files of the content folder (copied to the site), from the site root.
    pub logo: Option<String>,
    pub favicon: Option<String>,
    /// `light-dark(#light, #dark)` or a single colour, ready for CSS.
    pub accent: Option<String>,
    pub link: Option<String>,
    pub font: Option<String>,
    pub code_font: Option<String>,
}

impl Style {
    /// Whether any of the colours or fonts is set (the template then writes a style element).
    pub fn has_properties(&self) -> bool {
        self.accent.is_some()
            || self.link.is_some()
            || self.font.is_some()
            || self.code_font.is_some()
    }
}

pub(super) fn resolve(
    raw: RawStyle,
    content_dir: &Path,
    index: &LineIndex,
    problems: &mut Diagnostics,
) -> Style {
    let mut error = |span: std::ops::Range<usize>, message: String, help: &str| {
        problems.push(
            Diagnostic::error(BOOK_FILE, index.position(span.start), message).with_help(help),
        );
    };
    let mut file = |value: Option<Spanned<String>>, key: &str| {
        let value = value?;
        let path = value.get_ref().trim_start_matches("./").to_string();
        let inside = !path.starts_with('/') && !path.split('/').any(|part| part == "..");
        if inside && content_dir.join(&path).is_file() {
            Some(path)
        } else {
            error(
                value.span(),
                format!("`{key}` names `{path}`, which is not a file of the content folder"),
                "give a path inside the content folder, e.g. \"images/logo.svg\"; it is copied to the site",
            );
            None
        }
    };
    let logo = file(raw.logo, "logo");
    let favicon = file(raw.favicon, "favicon");
    let mut colour = |value: Option<Spanned<RawColour>>, key: &str| {
        let value = value?;
        let span = value.span();
        let colours = match value.into_inner() {
            RawColour::One(one) => vec![one],
            RawColour::Pair(pair) => pair,
        };
        if (colours.len() == 1 || colours.len() == 2) && colours.iter().all(|c| is_hex_colour(c)) {
            Some(match colours.as_slice() {
                [light, dark] => format!("light-dark({light}, {dark})"),
                [one] => one.clone(),
                _ => unreachable!(),
            })
        } else {
            error(
                span,
                format!("`{key}` must be a colour like \"#3d6fb3\", or [light, dark]"),
                "write hex colours: accent = \"#8a3ffc\" or accent = [\"#6929c4\", \"#be95ff\"]",
            );
            None
        }
    };
    let accent = colour(raw.accent, "accent");
    let link = colour(raw.link, "link");
    let mut font = |value: Option<Spanned<String>>, key: &str| {
        let value = value?;
        let text = value.get_ref();
        if !text.trim().is_empty() && !text.contains(['<', '>', '{', '}', ';', '\\', '\n']) {
            Some(text.clone())
        } else {
            error(
                value.span(),
                format!("`{key}` must be a CSS font-family list"),
                "e.g. font = \"Charter, Georgia, serif\" (no `;`, braces, angle brackets or backslashes)",
            );
            None
        }
    };
    Style {
        logo,
        favicon,
        accent,
        link,
        font: font(raw.font, "font"),
        code_font: font(raw.code_font, "code-font"),
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}
