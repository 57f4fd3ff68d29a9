//! Small text helpers shared by several stages: HTML escaping and slugs.

/// Escapes text for HTML content and double-quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_html_into(&mut out, text);
    out
}

pub fn escape_html_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The text of an HTML fragment: tags dropped, the entities versus writes decoded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A URL- and id-safe slug: lowercase letters and digits joined by single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '.' || c == '/' {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable() {
        assert_eq!(slugify("Pros & cons"), "pros-cons");
        assert_eq!(slugify("The `__main__` guard"), "the-main-guard");
        assert_eq!(slugify("concurrent.futures"), "concurrent-futures");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<code>a &lt; b</code> &amp; <em>c</em>"),
            "a < b & c"
        );
    }

    #[test]
    fn escaping_covers_attributes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
