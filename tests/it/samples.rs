//! `versus test`: the book's Python samples run for real with the machine's python3.

use crate::harness::{Book, Run};

fn book_with(body: &str) -> Book {
    let book = Book::minimal();
    book.write(
        "content/samples.md",
        format!("---\ntitle: Samples\n---\n{body}"),
    );
    book
}

fn last_line(run: &Run) -> String {
    run.stdout().lines().last().unwrap_or_default().to_string()
}

#[test]
fn passing_samples_and_matching_output() {
    let book = book_with(
        "```python\nprint(6 * 7)\n```\n\n```output\n42\n```\n\n```pycon\n>>> 6 * 7\n42\n>>> print('a' * 3)\naaa\n```\n",
    );
    let run = book.run(&["test"]);
    run.success();
    assert!(
        run.stdout().contains("test content/samples.md:4 ... ok"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().contains("test content/samples.md:12 ... ok"),
        "{}",
        run.stdout()
    );
    assert_eq!(last_line(&run), "2 passed, 0 failed, 0 skipped");
}

#[test]
fn a_failing_sample_names_its_fence_command_status_and_stderr() {
    let book = book_with("Intro.\n\n```python\nraise SystemExit('boom')\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    let out = run.stdout();
    assert!(out.contains("content/samples.md:6:1: error: sample failed: exit status 1\n  command: python3 sample.py (in a fresh temporary folder)\n  stderr:\n    | boom\n"), "{out}");
    assert_eq!(last_line(&run), "0 passed, 1 failed, 0 skipped");
}

#[test]
fn output_mismatch_fails_and_shows_both() {
    let book = book_with("```python\nprint('left')\n```\n```text\nright\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    let out = run.stdout();
    assert!(
        out.contains("sample failed: its output does not match the expected output block"),
        "{out}"
    );
    assert!(
        out.contains("  expected stdout:\n    | right\n  stdout:\n    | left\n"),
        "{out}"
    );
}

#[test]
fn console_sessions_are_checked_like_doctests() {
    let book = book_with("```pycon\n>>> 1 + 1\n3\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    assert!(
        run.stdout()
            .contains("command: python3 -m doctest -o ELLIPSIS session.txt"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("    | Expected:"), "{}", run.stdout());
}

#[test]
fn samples_needing_a_newer_python_or_marked_no_run_are_skipped_with_a_reason() {
    let book = book_with(
        "```python python=99.0\nprint('future')\n```\n\n```python no-run=\"needs a network\"\nimport urllib.request\n```\n",
    );
    let run = book.run(&["test"]);
    run.success();
    let out = run.stdout();
    assert!(
        out.contains(
            "test content/samples.md:4 ... skipped: needs Python 99.0; the interpreter is Python 3."
        ),
        "{out}"
    );
    assert!(
        out.contains("test content/samples.md:8 ... skipped: not run: needs a network"),
        "{out}"
    );
    assert_eq!(last_line(&run), "0 passed, 0 failed, 2 skipped");
}

#[test]
fn a_sample_needing_free_threading_is_skipped_on_a_build_with_the_gil() {
    let book = book_with("```python requires=free-threading\nprint('no GIL')\n```\n");
    let run = book.run(&["test"]);
    run.success();
    assert!(
        run.stdout().contains(
            "test content/samples.md:4 ... skipped: needs a free-threaded build running without the GIL; the interpreter is Python 3."
        ),
        "{}",
        run.stdout()
    );
    assert_eq!(last_line(&run), "0 passed, 0 failed, 1 skipped");
}

#[test]
fn a_sample_needing_free_threading_runs_where_the_gil_is_off() {
    // An interpreter that reports itself free-threaded; samples really run with python3.
    let book = book_with(
        "```python requires=free-threading\nprint('no GIL')\n```\n```output\nno GIL\n```\n",
    );
    book.write(
        "fake-python",
        "#!/bin/sh\ncase \"$2\" in *_is_gil_enabled*) printf '3.14\\n1\\n'; exit 0;; esac\nexec python3 \"$@\"\n",
    );
    let fake = book.path().join("fake-python");
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = book.run(&["test", "--python", fake.to_str().unwrap()]);
    run.success();
    assert!(
        run.stdout().contains(", Python 3.14, free-threaded)"),
        "{}",
        run.stdout()
    );
    assert_eq!(last_line(&run), "1 passed, 0 failed, 0 skipped");
}

#[test]
fn an_unknown_interpreter_feature_is_an_error() {
    let book = book_with("```python requires=free-threads\nprint(1)\n```\n");
    book.run(&["test"])
        .failure(1)
        .stderr_line(
            "content/samples.md:4:1: error: `requires=free-threads` names an unknown interpreter feature",
        )
        .stderr_line("  help: known features: free-threading");
}

#[test]
fn a_sample_past_its_timeout_is_killed_and_fails() {
    let book = book_with("```python timeout=1\nimport time\ntime.sleep(60)\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    assert!(
        run.stdout().contains("FAILED (timed out after 1 s)"),
        "{}",
        run.stdout()
    );
}

#[test]
fn each_sample_runs_in_a_fresh_folder() {
    let book = book_with(
        "```python\nimport os\nassert os.listdir('.') == ['sample.py'], os.listdir('.')\nopen('left.txt', 'w').write('x')\n```\n\n```python\nimport os\nassert os.listdir('.') == ['sample.py'], os.listdir('.')\n```\n",
    );
    let run = book.run(&["test", "--jobs", "1"]);
    run.success();
    assert_eq!(last_line(&run), "2 passed, 0 failed, 0 skipped");
}

#[test]
fn a_filter_selects_samples_by_place_or_title() {
    let book = book_with(
        "```python title=\"First\"\nprint(1)\n```\n\n```python title=\"Second\"\nprint(2)\n```\n",
    );
    let run = book.run(&["test", "Second"]);
    run.success();
    assert_eq!(last_line(&run), "1 passed, 0 failed, 0 skipped");
    let run = book.run(&["test", "--jobs", "2", "samples.md:4"]);
    assert_eq!(last_line(&run), "1 passed, 0 failed, 0 skipped");
}

#[test]
fn bad_fence_attributes_are_errors() {
    let book = book_with(
        "```python python=three\nprint(1)\n```\n\n```python no-run\nprint(1)\n```\n\n```python timeout=soon\nprint(1)\n```\n",
    );
    book.run(&["test"])
        .failure(1)
        .stderr_line("content/samples.md:4:1: error: `python=three` is not a Python version")
        .stderr_line("content/samples.md:8:1: error: `no-run` needs a reason")
        .stderr_line("content/samples.md:12:1: error: `timeout=soon` is not a number of seconds");
}

#[test]
fn a_missing_interpreter_is_an_environment_error() {
    let book = book_with("```python\nprint(1)\n```\n");
    book.run(&["test", "--python", "/nonexistent/python9"])
        .failure(2)
        .stderr_has("error: cannot run the Python interpreter `/nonexistent/python9`");
}

#[test]
fn the_interpreter_can_be_set_in_book_toml() {
    let book = book_with("```python\nimport sys\nprint(sys.executable)\n```\n");
    let python = String::from_utf8(
        std::process::Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    book.write(
        "book.toml",
        format!(
            "{}\n[test]\npython = \"{}\"\ntimeout = 5\n",
            crate::harness::MINIMAL_TOML,
            python.trim()
        ),
    );
    let run = book.run(&["test"]);
    run.success();
    assert!(
        run.stdout()
            .contains(&format!("({}, Python 3.", python.trim())),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_filter_matching_nothing_is_an_error_that_says_how_to_list_samples() {
    let book = book_with("```python\nprint(1)\n```\n");
    book.run(&["test", "nothing-like-this"])
        .failure(1)
        .stderr_line("error: no sample matches the filter \"nothing-like-this\" (1 sample in the book)")
        .stderr_line("  help: `versus test --list` lists every sample as `path:line \"title\"`; the filter is one of those `path:line`, or text that one of them contains");
    let run = book.run(&["test", "--list"]);
    run.success();
    assert_eq!(run.stdout(), "content/samples.md:4\n");
}

#[test]
fn a_traceback_names_the_line_of_the_markdown_file() {
    let book = book_with("Intro.\n\n```python\nx = 1\nraise ValueError('bad')\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    let out = run.stdout();
    assert!(
        out.contains("    |   File \"content/samples.md\", line 8, in <module>\n    |     raise ValueError('bad')\n"),
        "{out}"
    );
    assert!(
        !out.contains("sample.py\""),
        "no temporary path is shown: {out}"
    );
}

#[test]
fn a_syntax_error_names_the_line_of_the_markdown_file() {
    let book = book_with("```python\nok = 1\nthis is not python\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    assert!(
        run.stdout().contains("File \"content/samples.md\", line 6"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_doctest_failure_names_the_line_of_the_markdown_file() {
    let book = book_with("Some text.\n\n```pycon\n>>> 1 + 1\n2\n>>> 2 + 2\n5\n```\n");
    let run = book.run(&["test"]);
    run.failure(1);
    let out = run.stdout();
    assert!(out.contains("File \"content/samples.md\", line 9"), "{out}");
    assert!(!out.contains("session.txt\""), "{out}");
}

#[test]
fn samples_of_a_book_elsewhere_are_named_from_where_the_command_runs() {
    let book = Book::empty();
    let inner = Book::minimal();
    crate::harness::copy_tree(inner.path(), &book.path().join("sub"));
    book.write(
        "sub/content/samples.md",
        "---\ntitle: Samples\n---\n```python\nraise ValueError('bad')\n```\n",
    );
    let run = book.run(&["test", "sub"]);
    run.failure(1);
    let out = run.stdout();
    assert!(
        out.contains("test sub/content/samples.md:4 ... FAILED"),
        "{out}"
    );
    assert!(
        out.contains("\nsub/content/samples.md:4:1: error: sample failed"),
        "{out}"
    );
    assert!(
        out.contains("File \"sub/content/samples.md\", line 5"),
        "{out}"
    );
}

/// Whether process `pid` is a `sleep` still running (not gone, not a zombie).
fn sleeping(pid: u32) -> bool {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    cmdline.starts_with(b"sleep\0")
}

/// Ends a process a failed test left behind, so it fails without leaking.
fn kill(pid: u32) {
    // SAFETY: kill(2) with a pid read from a file the test's sample wrote.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

#[test]
fn a_flooding_sample_is_killed_at_its_timeout_and_its_output_is_cut() {
    let book = book_with(
        "```python title=\"flood\" timeout=2\nimport sys\nwhile True: sys.stdout.write('y' * 100000)\n```\n\n```python\nfor i in range(3000000): print(i)\n```\n```output\n0\n```\n",
    );
    let run = book.run(&["test"]);
    run.failure(1);
    let out = run.stdout();
    assert!(
        out.contains("test content/samples.md:4 \"flood\" ... FAILED (timed out after 2 s)"),
        "{}",
        &out[..out.len().min(4000)]
    );
    assert!(
        out.contains(
            "test content/samples.md:9 ... FAILED (its output does not match the expected output block)"
        ),
        "{}",
        &out[..out.len().min(4000)]
    );
    assert!(
        out.contains("    | [versus: cut here; the sample wrote "),
        "the report says the stream was cut"
    );
    assert!(out.contains("of which the first 1 MiB are kept]\n"));
    assert!(out.contains(" more characters not shown]\n"));
    assert!(
        out.contains("    | [versus: "),
        "lines left out are counted"
    );
    assert!(
        out.contains(" lines not shown]\n"),
        "{}",
        &out[..out.len().min(4000)]
    );
    assert!(out.len() < 64 * 1024, "a short report: {} bytes", out.len());
    assert_eq!(last_line(&run), "0 passed, 2 failed, 0 skipped");
}

#[test]
fn processes_a_sample_started_in_a_session_of_their_own_end_with_it() {
    let book = Book::minimal();
    let pids = book.path().join("pids");
    let start = format!(
        "import subprocess\np = subprocess.Popen(['sleep', '4242'], start_new_session=True)\nopen({:?} + p.args[1], 'w').write(str(p.pid))\n",
        pids.display().to_string() + "-"
    );
    // One left behind by a sample that passed, one by a sample that ran past its timeout.
    book.write(
        "content/samples.md",
        format!(
            "---\ntitle: Samples\n---\n```python\n{start}```\n\n```python timeout=1\n{}import time\ntime.sleep(60)\n```\n",
            start.replace("4242", "4243")
        ),
    );
    let run = book.run(&["test"]);
    let pid = |name: &str| -> u32 { book.read(&format!("pids-{name}")).trim().parse().unwrap() };
    let (passed, timed_out) = (pid("4242"), pid("4243"));
    let left = [passed, timed_out].map(sleeping);
    kill(passed);
    kill(timed_out);
    assert_eq!(left, [false, false], "no sleep is left running");
    run.failure(1);
    assert_eq!(last_line(&run), "1 passed, 1 failed, 0 skipped");
}

/// Starts `versus test` on a sample that never ends, stops it with `signal` once the sample
/// runs, and checks that nothing is left: the sample, what it started, its folder.
fn stopping_a_run_leaves_nothing_behind(signal: libc::c_int, code: i32, word: &str) {
    let book = Book::minimal();
    let pids = book.path().join("pids");
    book.write(
        "content/samples.md",
        format!(
            "---\ntitle: Samples\n---\n```python\nimport os, subprocess, time\np = subprocess.Popen(['sleep', '4244'], start_new_session=True)\nopen({:?}, 'w').write('%d %d %s' % (os.getpid(), p.pid, os.getcwd()))\ntime.sleep(600)\n```\n",
            pids.display().to_string()
        ),
    );
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_versus"))
        .arg("test")
        .current_dir(book.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Waits for the sample to have started, however long a loaded machine takes.
    while std::fs::read_to_string(&pids).map_or(true, |t| t.split(' ').count() < 3) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill(2) on the versus process this test started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
    let output = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&pids).unwrap();
    let mut parts = text.split(' ');
    let python: u32 = parts.next().unwrap().parse().unwrap();
    let sleep: u32 = parts.next().unwrap().parse().unwrap();
    let folder = std::path::Path::new(parts.next().unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    let left = (sleeping(sleep), folder.exists());
    kill(sleep);
    kill(python);
    let _ = std::fs::remove_dir_all(&folder);
    assert_eq!(left, (false, false), "the sleep and the folder are gone");
    assert_eq!(output.status.code(), Some(code));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{word}: stopped 1 running sample and removed their temporary folders"
        )),
        "{stderr}"
    );
    // The interpreter was killed and reaped, not left to run its `time.sleep(600)`.
    let python_state =
        std::fs::read_to_string(format!("/proc/{python}/cmdline")).unwrap_or_default();
    assert!(!python_state.contains("sample.py"), "{python_state}");
}

#[test]
fn ctrl_c_kills_the_running_samples_and_removes_their_folders() {
    stopping_a_run_leaves_nothing_behind(libc::SIGINT, 130, "interrupted");
}

#[test]
fn sigterm_kills_the_running_samples_and_removes_their_folders() {
    stopping_a_run_leaves_nothing_behind(libc::SIGTERM, 143, "terminated");
}

#[test]
fn a_filter_in_the_form_list_prints_selects_that_sample_exactly() {
    let book = Book::empty();
    crate::harness::copy_tree(Book::minimal().path(), &book.path().join("tst"));
    // Samples on lines 4 and 44 (of which `samples.md:4` is a substring).
    book.write(
        "tst/content/samples.md",
        format!(
            "---\ntitle: Samples\n---\n```python\nprint(4)\n```\n{}```python title=\"Later\"\nprint(44)\n```\n",
            "\n".repeat(37)
        ),
    );
    let run = book.run(&["test", "tst", "--list"]);
    assert_eq!(
        run.stdout(),
        "tst/content/samples.md:4\ntst/content/samples.md:44 \"Later\"\n"
    );
    for filter in [
        "tst/content/samples.md:4",
        "samples.md:4",
        "content/samples.md:4:1",
    ] {
        let run = book.run(&["test", "tst", "--list", filter]);
        assert_eq!(run.stdout(), "tst/content/samples.md:4\n", "{filter}");
    }
    // Text that is not a place still matches as a substring; a path's part must be whole.
    let run = book.run(&["test", "tst", "--list", "samples.md"]);
    assert_eq!(run.stdout().lines().count(), 2);
    book.run(&["test", "tst", "--list", "amples.md:4"])
        .failure(1);
    book.run(&["test", "tst", "--list", "samples.md:4:2"])
        .failure(1);
    let run = book.run(&["test", "tst", "tst/content/samples.md:44"]);
    run.success();
    assert!(
        run.stdout().starts_with("running 1 sample with 1 job ("),
        "{}",
        run.stdout()
    );
}

#[test]
fn jobs_must_be_between_1_and_256() {
    let book = book_with("```python\nprint(1)\n```\n");
    for jobs in ["0", "100000"] {
        let run = book.run(&["test", "--jobs", jobs]);
        run.failure(2);
        assert!(
            run.stderr()
                .contains(&format!("invalid value '{jobs}' for '--jobs <JOBS>'")),
            "{}",
            run.stderr()
        );
    }
    let run = book.run(&["test", "--jobs", "256"]);
    run.success();
    assert!(
        run.stdout().starts_with("running 1 sample with 1 job ("),
        "{}",
        run.stdout()
    );
}
