//! Build-time work that would otherwise cost every run:
//! - the default theme, embedded as a sorted table of files, so `versus` works from any folder;
//! - the syntax definitions (syntect's defaults plus ours in `syntaxes/`), precompiled into one
//!   uncompressed dump that loads in about a millisecond;
//! - the build id of the highlighter (`VERSUS_BUILD_ID`): a hash of versus's version, that dump
//!   and the source of `src/render/highlight.rs`, so the highlight cache of one binary is never
//!   read by another that would highlight differently.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use syntect::parsing::SyntaxSet;
use walkdir::WalkDir;

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=syntaxes");
    println!("cargo:rerun-if-changed=src/render/highlight.rs");
    embed_theme(Path::new("themes/default"), &out.join("embedded_theme.rs"));
    let dump = out.join("syntaxes.bin");
    dump_syntaxes(Path::new("syntaxes"), &dump);
    let mut id = xxhash_rust::xxh3::Xxh3::new();
    id.update(env::var("CARGO_PKG_VERSION").unwrap_or_default().as_bytes());
    id.update(&fs::read(&dump).expect("the dump was just written"));
    id.update(&fs::read("src/render/highlight.rs").expect("highlight.rs is readable"));
    println!("cargo:rustc-env=VERSUS_BUILD_ID={:032x}", id.digest128());
}

fn embed_theme(dir: &Path, target: &Path) {
    let mut table = String::from(
        "/// The default theme's files: (path inside the theme, contents), sorted by path.\n",
    );
    table.push_str("pub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("themes/default is readable");
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).expect("walked below dir");
        let name: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
        let absolute = fs::canonicalize(entry.path()).expect("theme file exists");
        writeln!(
            table,
            "    ({:?}, include_bytes!({:?})),",
            name.join("/"),
            absolute
        )
        .unwrap();
    }
    table.push_str("];\n");
    fs::write(target, table).expect("OUT_DIR is writable");
}

fn dump_syntaxes(dir: &Path, target: &Path) {
    let mut builder = SyntaxSet::load_defaults_newlines().into_builder();
    builder
        .add_from_folder(dir, true)
        .expect("syntaxes/*.sublime-syntax are valid");
    let set = builder.build();
    syntect::dumps::dump_to_uncompressed_file(&set, target).expect("OUT_DIR is writable");
}
