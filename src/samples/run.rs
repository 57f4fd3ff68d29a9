//! Running samples: each in a fresh temporary folder, in parallel, with a timeout.

use std::fmt;
use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Feature, PythonVersion, Sample, SampleKind};

pub struct RunOptions {
    pub python: String,
    pub jobs: usize,
    pub interpreter: Interpreter,
}

/// What `versus test` knows of the interpreter it runs samples with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interpreter {
    pub version: PythonVersion,
    /// A free-threaded build running without the GIL (`sys._is_gil_enabled()` is false).
    pub free_threading: bool,
}

impl Interpreter {
    pub fn has(&self, feature: Feature) -> bool {
        match feature {
            Feature::FreeThreading => self.free_threading,
        }
    }
}

impl fmt::Display for Interpreter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Python {}", self.version)?;
        if self.free_threading {
            f.write_str(", free-threaded")?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum Outcome {
    Passed,
    Failed(FailureDetail),
    Skipped(String),
}

/// What a reader needs to see to fix a failing sample.
#[derive(Debug)]
pub struct FailureDetail {
    pub reason: String,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub expected_stdout: Option<String>,
}

#[derive(Debug)]
pub struct SampleResult {
    pub sample: Sample,
    pub outcome: Outcome,
    pub elapsed: Duration,
}

/// Asks the interpreter what it is; the error says how to fix the setting.
pub fn probe_interpreter(python: &str) -> Result<Interpreter, String> {
    // `_is_gil_enabled` exists from 3.13 on; older interpreters always hold a GIL.
    let script = "import sys; print('%d.%d' % sys.version_info[:2]); \
                  print(int(not getattr(sys, '_is_gil_enabled', lambda: True)()))";
    let output = Command::new(python)
        .args(["-c", script])
        .output()
        .map_err(|err| format!("cannot run the Python interpreter `{python}`: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{python}` did not report its version ({})",
            output.status
        ));
    }
    parse_probe(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| format!("`{python}` printed an unexpected version"))
}

fn parse_probe(text: &str) -> Option<Interpreter> {
    let mut lines = text.lines();
    let version = lines.next()?.parse().ok()?;
    let free_threading = match lines.next()?.trim() {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    Some(Interpreter {
        version,
        free_threading,
    })
}

/// Runs every sample on `options.jobs` threads; results come back in the samples' order.
pub fn run_all(samples: Vec<Sample>, options: &RunOptions) -> Vec<SampleResult> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(samples.len()));
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1).min(samples.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(sample) = samples.get(index) else {
                        break;
                    };
                    let result = run_one(sample, options);
                    results
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("workers are done");
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

fn run_one(sample: &Sample, options: &RunOptions) -> SampleResult {
    let started = Instant::now();
    let outcome = if let Some(reason) = &sample.no_run {
        Outcome::Skipped(format!("not run: {reason}"))
    } else if let Some(needs) = sample
        .needs
        .filter(|needs| *needs > options.interpreter.version)
    {
        Outcome::Skipped(format!(
            "needs Python {needs}; the interpreter is Python {}",
            options.interpreter.version
        ))
    } else if let Some(missing) = sample
        .requires
        .iter()
        .find(|feature| !options.interpreter.has(**feature))
    {
        Outcome::Skipped(format!(
            "needs {}; the interpreter is {}",
            missing.description(),
            options.interpreter
        ))
    } else {
        execute(sample, &options.python)
    };
    SampleResult {
        sample: sample.clone(),
        outcome,
        elapsed: started.elapsed(),
    }
}

fn execute(sample: &Sample, python: &str) -> Outcome {
    match try_execute(sample, python) {
        Ok(outcome) => outcome,
        Err(err) => Outcome::Failed(FailureDetail {
            reason: format!("could not run the sample: {err}"),
            command: python.to_string(),
            stdout: String::new(),
            stderr: String::new(),
            expected_stdout: None,
        }),
    }
}

fn try_execute(sample: &Sample, python: &str) -> std::io::Result<Outcome> {
    let temp = tempfile::Builder::new()
        .prefix("versus-sample-")
        .tempdir()?;
    let work = temp.path().join("work");
    fs::create_dir(&work)?;
    let (file, args): (&str, Vec<&str>) = match sample.kind {
        SampleKind::Script => ("sample.py", vec!["sample.py"]),
        SampleKind::Console => (
            "session.txt",
            vec!["-m", "doctest", "-o", "ELLIPSIS", "session.txt"],
        ),
    };
    // Blank lines before the code put every line of it on its line of the Markdown file, so
    // Python's own line numbers (tracebacks, syntax errors, doctest reports) are the file's.
    let padding = "\n".repeat(sample.first_line().saturating_sub(1));
    fs::write(work.join(file), format!("{padding}{}", sample.code))?;
    let stdout_path = temp.path().join("stdout");
    let stderr_path = temp.path().join("stderr");
    let mut child = Command::new(python)
        .args(&args)
        .current_dir(&work)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path)?)
        .stderr(File::create(&stderr_path)?)
        .process_group(0)
        .spawn()?;
    let status = wait_with_timeout(&mut child, sample.timeout)?;
    // Whatever the sample left running (pool workers, servers) ends with it.
    kill_group(child.id());
    let stdout = String::from_utf8_lossy(&fs::read(&stdout_path)?).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(&stderr_path)?).into_owned();
    let temporary = [
        work.join(file),
        fs::canonicalize(work.join(file))?,
        file.into(),
    ];
    let source = sample.path.display().to_string();
    let stderr = name_the_source(&stderr, &temporary, &source);
    // A doctest reports on stdout; a script's stdout is its output, compared as it is.
    let stdout = match sample.kind {
        SampleKind::Console => name_the_source(&stdout, &temporary, &source),
        SampleKind::Script => stdout,
    };
    let failed = |reason: String, expected_stdout: Option<String>| {
        Outcome::Failed(FailureDetail {
            reason,
            command: format!("{python} {} (in a fresh temporary folder)", args.join(" ")),
            stdout: stdout.clone(),
            stderr: stderr.clone(),
            expected_stdout,
        })
    };
    Ok(match status {
        None => failed(
            format!("timed out after {} s", sample.timeout.as_secs()),
            None,
        ),
        Some(status) if !status.success() => failed(describe(status), None),
        Some(_) => match &sample.expected_stdout {
            Some(expected) if normalize(expected) != normalize(&stdout) => failed(
                "its output does not match the expected output block".to_string(),
                Some(expected.clone()),
            ),
            _ => Outcome::Passed,
        },
    })
}

/// `text` with `File "<temporary file>"` (as Python names a file in tracebacks and doctest
/// reports) naming the Markdown file instead; the line numbers already match it.
fn name_the_source(text: &str, temporary: &[std::path::PathBuf], source: &str) -> String {
    let mut text = text.to_string();
    for path in temporary {
        text = text.replace(
            &format!("File \"{}\"", path.display()),
            &format!("File \"{source}\""),
        );
    }
    text
}

/// Waits for `child`; `None` if it ran past `timeout` (it is then killed).
fn wait_with_timeout(
    child: &mut std::process::Child,
    timeout: Duration,
) -> std::io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            kill_group(child.id());
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn kill_group(leader: u32) {
    // SAFETY: kill(2) with a negative pid signals the process group the sample leads; it
    // touches no memory of ours. The group may already be gone, which is fine.
    unsafe {
        libc::kill(-(leader as libc::pid_t), libc::SIGKILL);
    }
}

fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => format!("killed ({status})"),
    }
}

/// Trailing spaces and blank lines at the end do not count.
fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        let v = |s: &str| s.parse::<PythonVersion>().unwrap();
        assert!(v("3.14") > v("3.9"));
        assert!("3".parse::<PythonVersion>().is_err());
    }

    #[test]
    fn the_probe_reads_version_and_free_threading() {
        let probed = parse_probe("3.14\n1\n").unwrap();
        assert_eq!(probed.version, "3.14".parse().unwrap());
        assert!(probed.free_threading);
        assert!(!parse_probe("3.13\n0\n").unwrap().free_threading);
        assert!(parse_probe("3.13\n").is_none());
    }

    #[test]
    fn output_comparison_ignores_trailing_space() {
        assert_eq!(normalize("a  \nb\n\n"), normalize("a\nb"));
        assert_ne!(normalize("a\n b"), normalize("a\nb"));
    }
}
