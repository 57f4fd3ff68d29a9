//! Build-time syntax highlighting that emits Pygments' token classes.
//!
//! Owns `syntect`. Tokens get the short class names Pygments uses (`k`, `kn`, `nf`, `s2`, `c1`,
//! ...), so one stylesheet colours them on the standalone site and, when a fragment is embedded
//! in Sphinx docs, the host's own Pygments stylesheet colours them like the code around them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::cache::{self, Pack};
use crate::text::escape_html_into;

/// Precompiled by build.rs; loading it takes about a millisecond, and it is immutable, so one
/// shared copy serves every thread.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    syntect::dumps::from_uncompressed_data(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/syntaxes.bin"
    )))
    .expect("the syntax dump written by build.rs loads")
});

/// Scope prefixes and the Pygments class they map to. The innermost scope with a rule wins;
/// among rules, the longest prefix.
const RULES: &[(&str, &str)] = &[
    ("comment.block.documentation", "sd"),
    ("comment.line", "c1"),
    ("comment.block", "cm"),
    ("comment", "c"),
    ("string.quoted.docstring", "sd"),
    ("string.quoted.double", "s2"),
    ("string.quoted.single", "s1"),
    ("string.regexp", "sr"),
    ("string.quoted", "s"),
    ("string.interpolated", "s"),
    ("constant.character.escape", "se"),
    ("constant.numeric.integer", "mi"),
    ("constant.numeric.float", "mf"),
    ("constant.numeric", "m"),
    ("constant.language", "kc"),
    ("constant.other.datetime", "l"),
    ("storage.type", "k"),
    ("storage.modifier", "k"),
    ("keyword.control.import", "kn"),
    ("keyword.control.from", "kn"),
    ("keyword.operator.word", "ow"),
    ("keyword.operator.logical.python", "ow"),
    ("keyword.operator", "o"),
    ("keyword", "k"),
    ("support.function.builtin", "nb"),
    ("support.function", "nb"),
    ("support.type.exception", "ne"),
    ("support.type", "nb"),
    ("support.class.builtin", "nb"),
    ("variable.language", "bp"),
    ("variable.other.readwrite.shell", "nv"),
    ("variable.other.shell", "nv"),
    ("variable.annotation", "nd"),
    ("meta.annotation", "nd"),
    ("entity.name.function.decorator", "nd"),
    ("entity.name.function", "nf"),
    ("entity.name.class", "nc"),
    ("entity.name.type.class", "nc"),
    ("entity.name.struct", "nc"),
    ("entity.name.enum", "nc"),
    ("entity.name.namespace", "nn"),
    ("entity.name.section", "nn"),
    ("entity.name.tag", "nt"),
    ("entity.other.attribute-name", "na"),
    ("meta.mapping.key", "nt"),
    ("generic.prompt", "gp"),
    ("generic.output", "go"),
    ("generic.traceback", "gt"),
    ("generic.error", "gr"),
    ("invalid", "err"),
];

/// Languages written in fences under another name than syntect knows them by.
const ALIASES: &[(&str, &str)] = &[
    ("py", "Python"),
    ("py3", "Python"),
    ("python", "Python"),
    ("python3", "Python"),
    ("pycon", "Python Console"),
    ("python-console", "Python Console"),
    ("pyrepl", "Python Console"),
    ("console", "Shell Session"),
    ("shell-session", "Shell Session"),
    ("sh", "Bourne Again Shell (bash)"),
    ("shell", "Bourne Again Shell (bash)"),
    ("bash", "Bourne Again Shell (bash)"),
    ("zsh", "Bourne Again Shell (bash)"),
    ("toml", "TOML"),
    ("yaml", "YAML"),
    ("yml", "YAML"),
    ("json", "JSON"),
    ("rust", "Rust"),
    ("rs", "Rust"),
];

thread_local! {
    /// Scope-to-class answers; a pure function of the scope, cached per thread.
    static CLASS_CACHE: RefCell<HashMap<Scope, Option<&'static str>>> = RefCell::new(HashMap::new());
}

/// Highlighted blocks kept across builds: in a pack file of the build cache, so a later
/// `versus build` or a restarted `versus serve` reuses them, and in memory across the
/// rebuilds of one `versus serve`. Highlighting is a pure function of the language and the
/// code (for one build of versus, which the pack's build id pins), so the output is identical
/// to a build without the cache. Blocks no build used for a few builds are dropped.
pub struct Cache {
    blocks: Mutex<Pack>,
}

impl Default for Cache {
    /// A cache that lives as long as the process.
    fn default() -> Self {
        Cache::from(Pack::memory())
    }
}

impl From<Pack> for Cache {
    fn from(pack: Pack) -> Self {
        Cache {
            blocks: Mutex::new(pack),
        }
    }
}

impl Cache {
    /// The blocks kept in the cache folder `dir`.
    pub fn open(dir: &Path) -> Cache {
        Cache::from(Pack::open(dir, "highlight", cache::build_id()))
    }

    /// The highlighted HTML of a block, from the cache or freshly made.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Arc<str> {
        let key = cache_key(code, lang);
        if let Some(html) = self.pack().get(key) {
            return html;
        }
        let html: Arc<str> = highlight(code, lang).into();
        self.pack().insert(key, Arc::clone(&html));
        html
    }

    /// Ends a build: ages and drops what it did not use, and saves the pack if it changed.
    pub fn finish_build(&self) -> std::io::Result<()> {
        self.pack().finish()
    }

    /// The file the cache is kept in (`None` for one in memory).
    pub fn file(&self) -> Option<PathBuf> {
        self.pack().file().map(Path::to_path_buf)
    }

    fn pack(&self) -> std::sync::MutexGuard<'_, Pack> {
        self.blocks
            .lock()
            .expect("no panic while holding the cache")
    }
}

/// The largest block that is highlighted. Highlighting costs far more per byte than the rest
/// of a build, and a grammar's patterns can cost the square of a line's length, so bigger
/// blocks, and blocks with longer lines, are shown as plain text (`check` warns).
pub const MAX_BYTES: usize = 256 * 1024;
/// The longest line of a highlighted block, in bytes.
pub const MAX_LINE_BYTES: usize = 4096;

/// Why `code` is too big to highlight, if it is.
pub fn too_big(code: &str) -> Option<String> {
    if code.len() > MAX_BYTES {
        return Some(format!(
            "it has {} KiB, more than the {} KiB that are highlighted",
            code.len().div_ceil(1024),
            MAX_BYTES / 1024
        ));
    }
    let longest = code.lines().map(str::len).max().unwrap_or(0);
    (longest > MAX_LINE_BYTES).then(|| {
        format!("a line has {longest} bytes, more than the {MAX_LINE_BYTES} that are highlighted")
    })
}

/// The key of a block in the cache's pack (the build id is the pack's, not the key's).
pub fn cache_key(code: &str, lang: Option<&str>) -> u128 {
    // No fence names a language "\0", so a block without one cannot share a key.
    cache::key(&[lang.unwrap_or("\0").as_bytes(), code.as_bytes()])
}

/// Highlights `code` written in `lang` into the HTML that goes inside `<pre>`.
/// An unknown language, a grammar failure or a block [`too_big`] gives escaped plain text.
pub fn highlight(code: &str, lang: Option<&str>) -> String {
    let syntax = lang
        .filter(|_| too_big(code).is_none())
        .and_then(find_syntax);
    let highlighted = syntax.and_then(|syntax| highlight_with(code, syntax));
    highlighted.unwrap_or_else(|| {
        let mut out = String::with_capacity(code.len());
        escape_html_into(&mut out, code);
        out
    })
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    match ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, name)) => SYNTAXES.find_syntax_by_name(name),
        None => SYNTAXES.find_syntax_by_token(&lower),
    }
}

fn highlight_with(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Spans::default();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut start = 0;
        for (index, op) in ops {
            out.push(&line[start..index], class_of(&stack));
            start = index;
            stack.apply(&op).ok()?;
        }
        out.push(&line[start..], class_of(&stack));
    }
    Some(out.finish())
}

fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    CLASS_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        stack.as_slice().iter().rev().find_map(|scope| {
            *cache
                .entry(*scope)
                .or_insert_with(|| class_for_scope(&scope.build_string()))
        })
    })
}

fn class_for_scope(scope: &str) -> Option<&'static str> {
    RULES
        .iter()
        .filter(|(prefix, _)| {
            scope.starts_with(prefix)
                && scope[prefix.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == '.')
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, class)| *class)
}

/// Accumulates text into `<span class>` runs, merging neighbours of the same class.
#[derive(Default)]
struct Spans {
    html: String,
    run: String,
    class: Option<&'static str>,
}

impl Spans {
    /// Adds a token. Trailing white space (the line's newline included) stays outside coloured
    /// spans, as in Pygments' output, so neighbouring plain runs merge.
    fn push(&mut self, text: &str, class: Option<&'static str>) {
        let token = text.trim_end();
        self.push_run(token, class);
        self.push_run(&text[token.len()..], None);
    }

    fn push_run(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        if class != self.class {
            self.flush();
            self.class = class;
        }
        self.run.push_str(text);
    }

    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        match self.class {
            Some(class) => {
                self.html.push_str("<span class=\"");
                self.html.push_str(class);
                self.html.push_str("\">");
                escape_html_into(&mut self.html, &self.run);
                self.html.push_str("</span>");
            }
            None => escape_html_into(&mut self.html, &self.run),
        }
        self.run.clear();
    }

    fn finish(mut self) -> String {
        self.flush();
        self.html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_gets_pygments_classes() {
        let html = highlight(
            "import os\ndef f():\n    return 'x'  # done\n",
            Some("python"),
        );
        assert!(html.contains("<span class=\"kn\">import</span>"), "{html}");
        assert!(html.contains("<span class=\"nf\">f</span>"), "{html}");
        assert!(html.contains("class=\"s1\""), "{html}");
        assert!(
            html.contains("<span class=\"c1\"># done</span>\n"),
            "{html}"
        );
    }

    #[test]
    fn console_sessions_mark_prompts_and_output() {
        let html = highlight(">>> print(1)\n1\n", Some("pycon"));
        assert!(
            html.contains("<span class=\"gp\">&gt;&gt;&gt;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"go\">1</span>\n"), "{html}");
    }

    #[test]
    fn toml_yaml_json_rust_and_shell_are_known() {
        for lang in ["toml", "yaml", "json", "rust", "sh", "console"] {
            assert!(find_syntax(lang).is_some(), "{lang}");
        }
        let html = highlight("[build]\ntheme = \"x\"\n", Some("toml"));
        assert!(html.contains("<span class=\"nt\">theme</span>"), "{html}");
    }

    #[test]
    fn the_cache_gives_the_same_html_and_forgets_what_builds_did_not_use() {
        let cache = Cache::default();
        let first = cache.highlight("x = 1\n", Some("python"));
        assert_eq!(&*first, highlight("x = 1\n", Some("python")));
        cache.finish_build().unwrap();
        assert!(
            Arc::ptr_eq(&first, &cache.highlight("x = 1\n", Some("python"))),
            "reused"
        );
        assert!(
            !Arc::ptr_eq(&first, &cache.highlight("x = 1\n", Some("pycon"))),
            "the language is part of the key"
        );
        for _ in 0..=cache::KEEP_BUILDS {
            cache.finish_build().unwrap();
        }
        assert!(
            !Arc::ptr_eq(&first, &cache.highlight("x = 1\n", Some("python"))),
            "forgotten after builds without it"
        );
    }

    #[test]
    fn blocks_past_the_bounds_are_escaped_text() {
        let long_line = format!("x = '{}<'\n", "a".repeat(MAX_LINE_BYTES));
        assert!(too_big(&long_line).is_some());
        assert!(!highlight(&long_line, Some("python")).contains("<span"));
        let many_lines = "x = 1\n".repeat(MAX_BYTES / 6 + 1);
        assert!(too_big(&many_lines).is_some());
        assert!(!highlight(&many_lines, Some("python")).contains("<span"));
        assert!(too_big("x = 1\n").is_none());
        assert!(highlight("x = 1\n", Some("python")).contains("<span"));
    }

    #[test]
    fn unknown_languages_are_escaped_text() {
        assert_eq!(highlight("<b>", Some("klingon")), "&lt;b&gt;");
    }
}
