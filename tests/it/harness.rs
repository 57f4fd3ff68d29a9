//! A small harness: a fresh temporary book per test, the real `versus` binary, and
//! assertions on what a user sees (exit code, stderr, files).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct Book {
    dir: TempDir,
}

pub struct Run {
    pub output: Output,
}

/// The smallest valid book: two dimensions, two models, a guide, a home page.
pub const MINIMAL_TOML: &str = r#"[book]
title = "Fixture"

[[dimension]]
key = "speed"
label = "Speed"
help = "How fast it is."
kind = "scale"
levels = ["slow", "medium", "fast"]
facet = true

[[dimension]]
key = "api"
label = "API"
kind = "text"
"#;

impl Book {
    /// An empty folder.
    pub fn empty() -> Book {
        Book {
            dir: tempfile::Builder::new()
                .prefix("versus-it-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Book {
        let book = Book::empty();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&source, book.path());
        book
    }

    /// A minimal valid book, written inline.
    pub fn minimal() -> Book {
        let book = Book::empty();
        book.write("book.toml", MINIMAL_TOML);
        book.write("content/index.md", "---\ntitle: Home\n---\nWelcome.\n");
        book.write("content/models/alpha.md", "---\ntitle: Alpha\norder: 1\nvalues:\n  speed: fast\n  api: \"`alpha.run()`\"\npros:\n  - quick\ncons:\n  - new\n---\nAlpha body.\n");
        book.write(
            "content/models/beta.md",
            "---\ntitle: Beta\norder: 2\nvalues:\n  speed: slow\n  api: n/a\n---\nBeta body.\n",
        );
        book.write("content/guide.md", "---\ntitle: Guide\nquestion:\n  text: Need speed?\n  answers:\n    - label: Yes\n      model: alpha\n    - label: No\n      model: beta\n---\n");
        book
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path().join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path().join(relative).exists()
    }

    /// Runs `versus ARGS` inside the book's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_versus"))
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("versus runs");
        Run { output }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }
}

impl Run {
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub fn failure(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}\nstderr:\n{}",
            self.stderr()
        );
        self
    }

    /// Asserts that stderr has `line` as one whole line.
    #[track_caller]
    pub fn stderr_line(&self, line: &str) -> &Self {
        let stderr = self.stderr();
        assert!(
            stderr.lines().any(|l| l == line),
            "expected the line\n  {line}\nin stderr:\n{stderr}"
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        let stderr = self.stderr();
        assert!(
            stderr.contains(text),
            "expected {text:?} in stderr:\n{stderr}"
        );
        self
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                files.push((
                    entry.path().strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}
