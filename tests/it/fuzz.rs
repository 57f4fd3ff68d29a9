//! Fuzzing the real binary: mutated books through `versus build` and `versus check`.
//!
//! proptest generates mutations of a small valid book (byte flips, NUL, a BOM, CRLF and other
//! line breaks, deep nesting, YAML alias bombs, huge lines, truncation, symbolic links and
//! link loops) in its front matter, Markdown and book.toml. Each mutated book is built over a
//! good previous build, and must give:
//!
//! - no panic and no hang (a run is stopped after [`RUN_LIMIT`]), exit code 0, 1 or 2 only;
//! - every `path:line:col: error|warning:` line naming a path that exists, and a line within
//!   it;
//! - after a failed build, the previous site byte for byte.
//!
//! By default a fixed number of cases runs, as part of `cargo test`. `VERSUS_FUZZ_SECONDS=N`
//! runs batches for N seconds instead (scripts/test.sh gives it a minute; give it an hour by
//! hand). The seed is printed; `VERSUS_FUZZ_SEED=S` replays a run. proptest shrinks a failure
//! to a small mutation, which belongs below as a regression test.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use crate::harness::{Book, copy_tree, snapshot};

/// Longer than any sane build of these small books on a loaded machine: past it, a hang.
const RUN_LIMIT: Duration = Duration::from_secs(60);
/// Address space for one run: an expansion bomb fails instead of taking the machine.
const MEMORY_LIMIT: u64 = 4 << 30;
/// Cases when no time budget is given (`cargo test`).
const DEFAULT_CASES: u32 = 16;

/// The files mutations go into.
const TARGETS: &[&str] = &[
    "book.toml",
    "content/index.md",
    "content/models/alpha.md",
    "content/guide.md",
    "content/notes.md",
];

const NOTES: &str = "---\ntitle: Notes\nsummary: Some *notes*.\n---\n# Notes\n\nSee [alpha](models/alpha.md#pros) and [the guide](guide.md).\n\n## Code\n\n```python\nprint('hi')\n```\n\n```output\nhi\n```\n\n- a list\n  - nested\n\n> quoted[^1]\n\n[^1]: A footnote.\n";

/// Line breaks a mutation may use instead of `\n`: YAML counts some that editors do not.
const LINE_BREAKS: &[&str] = &["\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"];

/// One change to the book.
#[derive(Debug, Clone)]
enum Mutation {
    /// XOR one byte (at a fraction of the file's length) with `mask`.
    FlipByte { file: usize, at: f64, mask: u8 },
    /// Insert text at a fraction of the file's length.
    Insert {
        file: usize,
        at: f64,
        text: Insertion,
    },
    /// Insert text as the first line of the front matter (after the opening `---`), where YAML
    /// reads it.
    IntoFrontMatter { file: usize, text: Insertion },
    /// Cut the file at a fraction of its length.
    Truncate { file: usize, at: f64 },
    /// A UTF-8 byte order mark before everything.
    Bom { file: usize },
    /// Every `\n` as `\r\n`, `\r`, NEL, LS or PS.
    LineBreaks { file: usize, with: &'static str },
    /// The guide replaced by one whose answers share sub-questions through YAML aliases.
    GuideBomb(usize),
    /// A symbolic link in the content folder.
    Link(LinkKind),
}

#[derive(Debug, Clone)]
enum Insertion {
    Nul,
    /// `depth` opening brackets, list markers or quote markers.
    Nesting(&'static str, usize),
    /// YAML anchors, each level an alias list of the one before: `width^depth` items.
    AliasBomb {
        width: usize,
        depth: usize,
    },
    /// One line of `len` characters.
    HugeLine(usize),
    /// A line repeated many times (headings, anchors, fences).
    Repeated(&'static str, usize),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
enum LinkKind {
    /// `content/loop -> .`
    LoopToFolder,
    /// `content/self.md -> self.md`
    ToItself,
    /// `content/linked.md -> ../book.toml`
    ToAFile,
    /// `content/dangling.md -> missing.md`
    Dangling,
}

fn insertion() -> impl Strategy<Value = Insertion> {
    prop_oneof![
        Just(Insertion::Nul),
        (
            prop::sample::select(vec!["[", "{", "- ", "> ", "* ", "  ", "a:\n", "[["]),
            1usize..5000
        )
            .prop_map(|(unit, depth)| Insertion::Nesting(unit, depth)),
        (2usize..9, 1usize..7).prop_map(|(width, depth)| Insertion::AliasBomb { width, depth }),
        (1usize..200_000).prop_map(Insertion::HugeLine),
        (
            prop::sample::select(vec![
                "# Same\n",
                "[x](#nowhere)\n",
                "```\n",
                "```python timout=2\n",
                "---\n",
                "<div>\n",
                "[^a]\n",
                "title: again\n",
            ]),
            1usize..3000
        )
            .prop_map(|(line, times)| Insertion::Repeated(line, times)),
        prop::collection::vec(any::<u8>(), 1..64).prop_map(Insertion::Bytes),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let file = 0..TARGETS.len();
    let at = 0.0..=1.0f64;
    prop_oneof![
        3 => (file.clone(), at.clone(), 1u8..=255)
            .prop_map(|(file, at, mask)| Mutation::FlipByte { file, at, mask }),
        4 => (file.clone(), at.clone(), insertion())
            .prop_map(|(file, at, text)| Mutation::Insert { file, at, text }),
        2 => (file.clone(), insertion())
            .prop_map(|(file, text)| Mutation::IntoFrontMatter { file, text }),
        1 => (file.clone(), at).prop_map(|(file, at)| Mutation::Truncate { file, at }),
        1 => file.clone().prop_map(|file| Mutation::Bom { file }),
        1 => (file, prop::sample::select(LINE_BREAKS.to_vec()))
            .prop_map(|(file, with)| Mutation::LineBreaks { file, with }),
        1 => (1usize..=16).prop_map(Mutation::GuideBomb),
        1 => prop_oneof![
            Just(LinkKind::LoopToFolder),
            Just(LinkKind::ToItself),
            Just(LinkKind::ToAFile),
            Just(LinkKind::Dangling),
        ]
        .prop_map(Mutation::Link),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..4)
}

fn index(len: usize, at: f64) -> usize {
    ((len as f64) * at).floor().min(len as f64) as usize
}

fn alias_bomb(width: usize, depth: usize) -> String {
    let mut yaml = String::from("\nbomb0: &b0 [\"lol\"]\n");
    for level in 1..=depth {
        let items = vec![format!("*b{}", level - 1); width].join(", ");
        yaml.push_str(&format!("bomb{level}: &b{level} [{items}]\n"));
    }
    yaml
}

/// A guide whose question tree shares each sub-question through a YAML alias, `depth` deep:
/// 31 KB of text, `2^depth` answers once expanded.
fn guide_bomb(depth: usize) -> String {
    let mut question =
        "&q0 {text: T0, answers: [{label: A, model: alpha}, {label: B, model: beta}]}".to_string();
    for level in 1..=depth {
        question = format!(
            "&q{level} {{text: T{level}, answers: [{{label: Y, question: {question}}}, {{label: N, question: *q{}}}]}}",
            level - 1
        );
    }
    format!("---\ntitle: Guide\nquestion: {question}\n---\n")
}

impl Insertion {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Insertion::Nul => vec![0],
            Insertion::Nesting(unit, depth) => unit.repeat(*depth).into_bytes(),
            Insertion::AliasBomb { width, depth } => alias_bomb(*width, *depth).into_bytes(),
            Insertion::HugeLine(len) => "x".repeat(*len).into_bytes(),
            Insertion::Repeated(line, times) => line.repeat(*times).into_bytes(),
            Insertion::Bytes(bytes) => bytes.clone(),
        }
    }
}

impl Mutation {
    fn apply(&self, book: &Path) {
        let edit = |file: usize, change: &dyn Fn(Vec<u8>) -> Vec<u8>| {
            let path = book.join(TARGETS[file]);
            let bytes = fs::read(&path).unwrap_or_default();
            fs::write(&path, change(bytes)).unwrap();
        };
        match self {
            Mutation::FlipByte { file, at, mask } => edit(*file, &|mut bytes| {
                if !bytes.is_empty() {
                    let i = index(bytes.len() - 1, *at);
                    bytes[i] ^= mask;
                }
                bytes
            }),
            Mutation::Insert { file, at, text } => edit(*file, &|mut bytes| {
                let i = index(bytes.len(), *at);
                bytes.splice(i..i, text.bytes());
                bytes
            }),
            Mutation::IntoFrontMatter { file, text } => edit(*file, &|mut bytes| {
                let i = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
                bytes.splice(i..i, text.bytes());
                bytes
            }),
            Mutation::Truncate { file, at } => edit(*file, &|mut bytes| {
                bytes.truncate(index(bytes.len(), *at));
                bytes
            }),
            Mutation::Bom { file } => edit(*file, &|bytes| {
                let mut with = "\u{feff}".as_bytes().to_vec();
                with.extend(bytes);
                with
            }),
            Mutation::LineBreaks { file, with } => edit(*file, &|bytes| {
                String::from_utf8_lossy(&bytes)
                    .replace('\n', with)
                    .into_bytes()
            }),
            Mutation::GuideBomb(depth) => {
                fs::write(book.join("content/guide.md"), guide_bomb(*depth)).unwrap();
            }
            Mutation::Link(kind) => {
                let (link, target) = match kind {
                    LinkKind::LoopToFolder => ("content/loop", "."),
                    LinkKind::ToItself => ("content/self.md", "self.md"),
                    LinkKind::ToAFile => ("content/linked.md", "../book.toml"),
                    LinkKind::Dangling => ("content/dangling.md", "missing.md"),
                };
                let _ = std::os::unix::fs::symlink(target, book.join(link));
            }
        }
    }
}

/// A built minimal book, its site, and the bytes of that site.
struct Base {
    book: Book,
    site: Vec<(std::path::PathBuf, Vec<u8>)>,
}

fn base() -> Base {
    let book = Book::minimal();
    book.write("content/notes.md", NOTES);
    book.build().success();
    let site = snapshot(&book.path().join("public"));
    Base { book, site }
}

/// What one run of the binary gave.
struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let mut child = command.spawn().expect("versus starts");
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut { stderr }, &mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = reader.join().unwrap();
    match status {
        Some(status) => Outcome {
            code: status.code(),
            stderr,
        },
        None => Outcome {
            code: None,
            stderr: format!("(stopped after {RUN_LIMIT:?}: a hang)\n{stderr}"),
        },
    }
}

/// Every diagnostic line's `path` and line, from `path:line:col: error: ` or `path: error: `.
fn diagnostic_places(stderr: &str) -> Vec<(String, Option<usize>)> {
    let mut places = Vec::new();
    for line in stderr.lines() {
        let Some(head) = [": error: ", ": warning: "]
            .iter()
            .filter_map(|marker| line.find(marker).map(|at| &line[..at]))
            .min_by_key(|head| head.len())
        else {
            continue;
        };
        if head == "error" || head.is_empty() {
            continue;
        }
        let mut parts = head.rsplitn(3, ':');
        let (column, line_number, path) = (parts.next(), parts.next(), parts.next());
        match (
            path,
            line_number.and_then(|l| l.parse().ok()),
            column.and_then(|c| c.parse::<usize>().ok()),
        ) {
            (Some(path), Some(line), Some(_)) => places.push((path.to_string(), Some(line))),
            _ => places.push((head.to_string(), None)),
        }
    }
    places
}

/// What is wrong with a message naming `path` (relative to `dir`) and `line`, if anything.
fn wrong_place(dir: &Path, path: &str, line: Option<usize>) -> Option<String> {
    let full = dir.join(path);
    if full.symlink_metadata().is_err() {
        return Some(format!("the message names {path:?}, which does not exist"));
    }
    let line = line.filter(|_| full.is_file())?;
    let lines = fs::read(&full)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count() + 1)
        .unwrap_or(0);
    (!(1..=lines).contains(&line))
        .then(|| format!("the message names line {line} of {path}, which has {lines}"))
}

/// The property: a sane exit, true places, and the previous site kept after a failure.
fn check_run(
    dir: &Path,
    args: &[&str],
    site_before: Option<&[(std::path::PathBuf, Vec<u8>)]>,
) -> Result<(), TestCaseError> {
    let outcome = run(dir, args);
    let context = || format!("versus {}\nstderr:\n{}", args.join(" "), outcome.stderr);
    prop_assert!(
        matches!(outcome.code, Some(0..=2)),
        "exit code {:?}: {}",
        outcome.code,
        context()
    );
    prop_assert!(
        !outcome.stderr.contains("panicked"),
        "a panic: {}",
        context()
    );
    for (path, line) in diagnostic_places(&outcome.stderr) {
        if let Some(problem) = wrong_place(dir, &path, line) {
            return Err(TestCaseError::fail(format!("{problem}: {}", context())));
        }
    }
    if let Some(before) = site_before
        && outcome.code != Some(0)
    {
        prop_assert!(
            snapshot(&dir.join("public")) == before,
            "a failed build changed the previous site: {}",
            context()
        );
    }
    Ok(())
}

/// Applies `mutations` to a copy of the built base book and checks build and check on it.
fn mutated_book_behaves(base: &Base, mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let copy = Book::empty();
    copy_tree(base.book.path(), copy.path());
    for mutation in mutations {
        mutation.apply(copy.path());
    }
    check_run(copy.path(), &["check"], None)?;
    check_run(copy.path(), &["build"], Some(&base.site))
}

fn seed() -> u64 {
    match std::env::var("VERSUS_FUZZ_SEED") {
        Ok(seed) => seed.parse().expect("VERSUS_FUZZ_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    }
}

fn runner(seed: u64, cases: u32) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

#[test]
fn mutated_books_never_panic_hang_or_lose_the_site() {
    let base = base();
    let seed = seed();
    let budget = std::env::var("VERSUS_FUZZ_SECONDS")
        .ok()
        .map(|s| Duration::from_secs(s.parse().expect("VERSUS_FUZZ_SECONDS is a number")));
    eprintln!("fuzz seed {seed} (VERSUS_FUZZ_SEED={seed} replays it)");
    let started = Instant::now();
    let mut batch = 0u64;
    let mut cases = 0u64;
    loop {
        let size = if budget.is_some() { 8 } else { DEFAULT_CASES };
        let result = runner(seed.wrapping_add(batch), size).run(&mutations(), |mutations| {
            mutated_book_behaves(&base, &mutations)
        });
        if let Err(failure) = result {
            panic!(
                "fuzz seed {seed}, batch {batch}: {failure}\n(add the minimal mutation above to the regression tests in tests/it/fuzz.rs)"
            );
        }
        cases += u64::from(size);
        batch += 1;
        match budget {
            Some(budget) if started.elapsed() < budget => {}
            _ => break,
        }
    }
    eprintln!("fuzz: {cases} mutated books in {:?}", started.elapsed());
}

fn mutated(mutations: &[Mutation]) {
    let base = base();
    if let Err(failure) = mutated_book_behaves(&base, mutations) {
        panic!("{failure}");
    }
}

// Regressions: failures the fuzzer found, kept as they were shrunk.

/// Found with seed 1795947331759965810: a guide with `\r` line breaks gets "the guide has no
/// `question`" at 2:1, a line the one-line file does not have (a fixed fallback position).
#[test]
fn regression_lone_cr_line_breaks() {
    mutated(&[Mutation::LineBreaks {
        file: 3,
        with: "\r",
    }]);
}

// Cases worth running every time, whatever the random ones pick.

#[test]
fn symlink_loops_in_content_are_reported() {
    mutated(&[Mutation::Link(LinkKind::LoopToFolder)]);
    mutated(&[Mutation::Link(LinkKind::ToItself)]);
    mutated(&[Mutation::Link(LinkKind::Dangling)]);
}

#[test]
fn byte_order_marks_and_nul_bytes() {
    mutated(&[Mutation::Bom { file: 0 }, Mutation::Bom { file: 3 }]);
    mutated(&[Mutation::IntoFrontMatter {
        file: 2,
        text: Insertion::Nul,
    }]);
}

#[test]
fn a_guide_sharing_sub_questions_through_aliases() {
    mutated(&[Mutation::GuideBomb(16)]);
}

/// The checker itself: it must see every kind of diagnostic line, or the property is empty.
#[test]
fn diagnostic_lines_are_read_with_their_places() {
    let stderr = "content/a.md:3:7: error: bad\n  help: fix it\nbook.toml: error: cannot read\ncontent/x: y.md:2:1: warning: odd\nerror: no sample matches\nbuild failed: 2 errors, 1 warning\n";
    assert_eq!(
        diagnostic_places(stderr),
        vec![
            ("content/a.md".to_string(), Some(3)),
            ("book.toml".to_string(), None),
            ("content/x: y.md".to_string(), Some(2)),
        ]
    );
    let book = Book::minimal();
    book.write("content/short.md", "one line\n");
    let fake = |line: &str| {
        diagnostic_places(line)
            .into_iter()
            .all(|(path, line)| wrong_place(book.path(), &path, line).is_none())
    };
    assert!(fake("content/short.md:2:1: error: x"));
    assert!(!fake("content/short.md:3:1: error: past the end"));
    assert!(!fake("content/missing.md:1:1: error: no such file"));
}
