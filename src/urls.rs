//! The site's URL policy, in one place.
//!
//! Every page lives at a directory path ending in `/` (`models/threads/`; the home page is the
//! empty path) and is written as `index.html` inside it. Links between pages are always relative
//! and always name `index.html`, so the site works from `file://` (where a link to a folder shows
//! a listing) and under any sub-path of a web server.

use std::path::Path;

/// The directory path of the page built from `source`, a path relative to the content folder.
///
/// `index.md` is the home page, `a/index.md` is `a/`, and `a/b.md` is `a/b/`.
pub fn page_dir(source: &Path) -> String {
    let without_ext = source.with_extension("");
    let mut parts: Vec<String> = without_ext
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "index") {
        parts.pop();
    }
    dir_of(&parts)
}

/// A page directory from its segments, with the trailing slash.
pub fn dir_of(parts: &[String]) -> String {
    parts.iter().map(|part| format!("{part}/")).collect()
}

/// The output file of the page at `dir`.
pub fn output_file(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The relative prefix leading from the page at `dir` back to the site root.
pub fn root_from(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// A relative link from the page at `from_dir` to the page at `to_dir`.
pub fn link(from_dir: &str, to_dir: &str) -> String {
    format!("{}{}", root_from(from_dir), output_file(to_dir))
}

/// The path part of an absolute URL, ending in `/`: `https://h/docs` gives `/docs/`.
pub fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// `text` as one item of the matrix's URL-fragment state (`#?f.purpose=cpu,io`): every byte
/// but ASCII letters, digits and `-._~` percent-encoded, so a level of any characters (`|`,
/// `,`, `&`, spaces) is one token in the URL, in data attributes and in the matrix script,
/// which compares tokens and never decodes them.
pub fn fragment_token(text: &str) -> String {
    let mut token = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            token.push(byte as char);
        } else {
            token.push_str(&format!("%{byte:02X}"));
        }
    }
    token
}

/// Where a link written in a Markdown file points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another site (has a scheme such as `https:`), listed but never fetched.
    External,
    /// `#anchor` on the same page; also an empty link and `?query` (the fragment is empty).
    SamePage(String),
    /// `/path`: breaks under a sub-path and from file://.
    Absolute,
    /// A relative link that climbs out of the content folder.
    OutsideContent,
    /// A page built from a Markdown file, by the file's path in the content folder.
    Page {
        source: String,
        fragment: Option<String>,
    },
    /// Any other file of the site, by its path from the site root.
    File {
        path: String,
        fragment: Option<String>,
    },
}

/// Resolves `dest`, written in the content file `source`. Relative links are relative to the
/// source file, as on GitHub: `threads.md#pros` names another page's source, `img/a.svg` a
/// file next to it.
pub fn resolve_link(source: &Path, dest: &str) -> Target {
    if is_external(dest) {
        return Target::External;
    }
    if dest.is_empty() || dest.starts_with('?') || dest.starts_with('#') {
        let fragment = dest.split_once('#').map_or("", |(_, f)| f);
        return Target::SamePage(fragment.to_string());
    }
    if dest.starts_with('/') {
        return Target::Absolute;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let Some(mut resolved) = resolve_relative(source, path) else {
        return Target::OutsideContent;
    };
    if resolved.ends_with(".md") {
        return Target::Page {
            source: resolved,
            fragment,
        };
    }
    if path.is_empty() || path.ends_with('/') || resolved.is_empty() {
        resolved = format!(
            "{}index.html",
            if resolved.is_empty() {
                String::new()
            } else {
                format!("{resolved}/")
            }
        );
    }
    Target::File {
        path: resolved,
        fragment,
    }
}

/// The link to put in the HTML for `dest` written in `source`, for links to pages and files
/// of the site: their path from the site root, query and fragment kept. Rendering puts the
/// page's path to the root in front. Other links are returned as `None` (left unchanged).
pub fn rewrite_markdown_link(source: &Path, dest: &str) -> Option<String> {
    let (path, fragment) = match resolve_link(source, dest) {
        Target::Page { source, fragment } => (output_file(&page_dir(Path::new(&source))), fragment),
        Target::File { path, fragment } => (path, fragment),
        _ => return None,
    };
    let mut url = path;
    let before_fragment = dest.split('#').next().unwrap_or(dest);
    if let Some((_, query)) = before_fragment.split_once('?') {
        url.push('?');
        url.push_str(query);
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(&fragment);
    }
    Some(url)
}

/// Joins `relative` to the folder of `source`, folding `.` and `..`; `None` if it leaves the
/// content folder.
pub fn resolve_relative(source: &Path, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = source
        .parent()
        .map(|p| p.iter().filter_map(|s| s.to_str()).collect())
        .unwrap_or_default();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Whether a link leaves the site (has a scheme such as `https:` or `mailto:`).
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_tokens_hide_every_separator() {
        assert_eq!(fragment_token("cpu-bound"), "cpu-bound");
        assert_eq!(fragment_token("a|b, c&d=é"), "a%7Cb%2C%20c%26d%3D%C3%A9");
    }

    #[test]
    fn base_paths_end_in_a_slash() {
        assert_eq!(base_path("https://h.org/3/howto"), "/3/howto/");
        assert_eq!(base_path("https://h.org"), "/");
    }

    #[test]
    fn pages_map_to_pretty_directories() {
        assert_eq!(page_dir(Path::new("index.md")), "");
        assert_eq!(page_dir(Path::new("a/b.md")), "a/b/");
        assert_eq!(page_dir(Path::new("a/index.md")), "a/");
    }

    #[test]
    fn links_are_relative_and_name_index_html() {
        assert_eq!(link("models/threads/", ""), "../../index.html");
        assert_eq!(link("", "matrix/"), "matrix/index.html");
    }

    #[test]
    fn markdown_links_follow_the_source_tree() {
        let from = Path::new("models/processes.md");
        assert_eq!(
            rewrite_markdown_link(from, "threads.md#pros").as_deref(),
            Some("models/threads/index.html#pros")
        );
        assert_eq!(
            rewrite_markdown_link(Path::new("guide.md"), "models/threads.md").as_deref(),
            Some("models/threads/index.html")
        );
        assert_eq!(rewrite_markdown_link(from, "https://x.org/a.md"), None);
        assert_eq!(rewrite_markdown_link(from, "../../../x.md"), None);
        assert_eq!(
            rewrite_markdown_link(Path::new("index.md"), "matrix/").as_deref(),
            Some("matrix/index.html")
        );
        assert_eq!(
            rewrite_markdown_link(Path::new("a/b.md"), "img/x.svg").as_deref(),
            Some("a/img/x.svg")
        );
        assert_eq!(
            rewrite_markdown_link(Path::new("a/b.md"), "f.zip?raw=1#x").as_deref(),
            Some("a/f.zip?raw=1#x")
        );
        for same_page in ["", "?page=2", "#top", "?page=2#top"] {
            assert_eq!(rewrite_markdown_link(from, same_page), None, "{same_page}");
        }
    }
}
