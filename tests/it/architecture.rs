//! The pipeline's boundaries, checked: each external crate is used by one stage only, so
//! replacing a crate touches one module.

use std::fs;
use std::path::Path;

/// (crate as named in code, the source files allowed to use it)
const OWNERS: &[(&str, &[&str])] = &[
    (
        "toml",
        &[
            "src/config.rs",
            "src/config/style.rs",
            "src/config/strings.rs",
        ],
    ),
    ("walkdir", &["src/discover.rs"]),
    ("saphyr_parser", &["src/parse/yaml.rs"]),
    ("pulldown_cmark", &["src/parse/markdown.rs"]),
    ("syntect", &["src/render/highlight.rs"]),
    (
        "tera",
        &[
            "src/render/theme.rs",
            "src/render/mod.rs",
            "src/render/embed.rs",
        ],
    ),
    // The two system calls std lacks: renameat2 for the atomic swap, kill for process groups.
    ("libc", &["src/write.rs", "src/samples/run.rs"]),
    ("tempfile", &["src/samples/run.rs", "src/serve/mod.rs"]),
    ("clap", &["src/main.rs"]),
    ("mimalloc", &["src/main.rs"]),
    ("strsim", &["src/diagnostic.rs"]),
    // Parallelism where the work is: parsing files and rendering pages.
    ("rayon", &["src/parse/mod.rs", "src/render/mod.rs"]),
    ("axum", &["src/serve/http.rs", "src/serve/mod.rs"]),
    ("tokio", &["src/serve/http.rs", "src/serve/mod.rs"]),
    ("futures_util", &["src/serve/http.rs"]),
    ("notify_debouncer_full", &["src/serve/watch.rs"]),
    // JSON for the preview's status, the matrix's data and the search index.
    (
        "serde_json",
        &[
            "src/serve/mod.rs",
            "src/render/data.rs",
            "src/render/search.rs",
            // The scripts' strings, given to them as JSON.
            "src/render/theme.rs",
        ],
    ),
    // Content hashes for the build cache's keys and checksums.
    ("xxhash_rust", &["src/cache/mod.rs", "src/cache/pack.rs"]),
];

#[test]
fn each_crate_is_used_by_one_stage() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    collect_rust_files(&root.join("src"), &mut sources);
    assert!(sources.len() > 10);
    for path in &sources {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(path).unwrap();
        for (krate, owners) in OWNERS {
            let uses =
                text.contains(&format!("{krate}::")) || text.contains(&format!("use {krate}"));
            assert!(
                !uses || owners.contains(&relative.as_str()),
                "{relative} uses `{krate}`, which belongs to {owners:?}"
            );
        }
    }
}

/// Earlier stages never depend on later ones.
#[test]
fn stages_do_not_reach_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let later = |stage: &str| -> Vec<&str> {
        let order = ["config", "discover", "parse", "model", "render", "write"];
        let index = order.iter().position(|s| *s == stage).unwrap();
        order[index + 1..].to_vec()
    };
    for (stage, files) in [
        ("config", vec!["config.rs"]),
        ("discover", vec!["discover.rs"]),
        (
            "parse",
            vec![
                "parse/mod.rs",
                "parse/front_matter.rs",
                "parse/yaml.rs",
                "parse/model_page.rs",
                "parse/markdown.rs",
                "parse/guide.rs",
            ],
        ),
        (
            "model",
            vec!["model/mod.rs", "model/cell.rs", "model/guide.rs"],
        ),
        (
            "render",
            vec![
                "render/mod.rs",
                "render/theme.rs",
                "render/views.rs",
                "render/highlight.rs",
            ],
        ),
    ] {
        for file in files {
            let text = fs::read_to_string(root.join(file)).unwrap();
            for next in later(stage) {
                assert!(
                    !text.contains(&format!("crate::{next}")),
                    "{file} ({stage}) reaches forward into `{next}`"
                );
            }
        }
    }
}

fn collect_rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
