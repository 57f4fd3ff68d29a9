//! Running samples: each in a fresh temporary folder, in parallel, with a timeout, ending
//! every process a sample started (see "Ending every process" below).

use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, mpsc};
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
    // Before the workers start, so that they inherit it: Ctrl-C and SIGTERM end the samples.
    watch_signals();
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
    let _folder = Registered::folder(temp.path());
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
    let mut command = Command::new(python);
    command
        .args(&args)
        .current_dir(&work)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    adopt_orphans_of(&mut command);
    let (mut child, leader) = spawn_registered(&mut command)?;
    let stdout = Capture::start(child.stdout.take().expect("stdout is piped"));
    let stderr = Capture::start(child.stderr.take().expect("stderr is piped"));
    let status = wait_with_timeout(&mut child, sample.timeout)?;
    // Whatever the sample left running (pool workers, servers, daemons in a session of their
    // own) ends with it.
    drop(leader);
    let (stdout, stdout_cut) = stdout.finish();
    let (stderr, _) = stderr.finish();
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
            Some(expected) if stdout_cut || normalize(expected) != normalize(&stdout) => failed(
                "its output does not match the expected output block".to_string(),
                Some(expected.clone()),
            ),
            _ => Outcome::Passed,
        },
    })
}

/// How much of each stream of a sample is kept: enough for any output block or traceback,
/// and a sample that floods its output cannot fill the memory or the disk.
const CAPTURE_LIMIT: usize = 1 << 20;

/// One output stream of a sample, read as it comes on a thread of its own (so a sample that
/// writes without end never blocks and still meets its timeout), keeping the first
/// `CAPTURE_LIMIT` bytes and counting the rest.
struct Capture {
    kept: Arc<Mutex<(Vec<u8>, u64)>>,
    done: mpsc::Receiver<()>,
}

impl Capture {
    fn start(mut stream: impl Read + Send + 'static) -> Capture {
        let kept = Arc::new(Mutex::new((Vec::new(), 0u64)));
        let (sender, done) = mpsc::channel();
        let shared = Arc::clone(&kept);
        std::thread::spawn(move || {
            let mut buffer = vec![0; 64 * 1024];
            while let Ok(read) = stream.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let mut kept = shared.lock().unwrap_or_else(|e| e.into_inner());
                let room = CAPTURE_LIMIT.saturating_sub(kept.0.len()).min(read);
                kept.0.extend_from_slice(&buffer[..room]);
                kept.1 += read as u64;
            }
            let _ = sender.send(());
        });
        Capture { kept, done }
    }

    /// The text kept, with a last line saying so if the stream was cut, and whether it was.
    /// Every process of the sample is gone by now, so the stream ends at once; the wait is
    /// bounded all the same, in case something outside versus' reach still holds it.
    fn finish(self) -> (String, bool) {
        let _ = self.done.recv_timeout(Duration::from_secs(2));
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let mut text = String::from_utf8_lossy(&kept.0).into_owned();
        let cut = kept.1 > kept.0.len() as u64;
        if cut {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!(
                "[versus: cut here; the sample wrote {} bytes, of which the first {} MiB are kept]\n",
                kept.1,
                CAPTURE_LIMIT >> 20
            ));
        }
        (text, cut)
    }
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

// Ending every process a sample started, and cleaning up when `versus test` is stopped.
//
// A sample runs in a process group of its own, killed when it ends; but a process that calls
// `setsid` (`start_new_session=True`) leaves that group. On Linux versus and each sample's
// interpreter are child subreapers (`PR_SET_CHILD_SUBREAPER`): a process orphaned inside a
// running sample is adopted by that sample's interpreter, so it stays in reach; once the
// interpreter is gone, its orphans are adopted by versus. Any child of versus that is not a
// running sample's interpreter is therefore left over from a finished one, and is killed.
//
// SIGINT and SIGTERM are passed (by a handler, through a pipe) to a thread of their own: it
// kills every running sample and what it left, removes their temporary folders, and exits
// with 128 + the signal's number.
/// What runs now: the interpreters' process ids and the samples' temporary folders.
struct Running {
    leaders: Vec<u32>,
    folders: Vec<PathBuf>,
}

static RUNNING: Mutex<Running> = Mutex::new(Running {
    leaders: Vec::new(),
    folders: Vec::new(),
});

fn running() -> MutexGuard<'static, Running> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running interpreter or a temporary folder, known to the signal thread until dropped.
/// Dropping an interpreter kills its process group and every process it left behind.
struct Registered {
    leader: Option<u32>,
    folder: Option<PathBuf>,
}

impl Registered {
    fn folder(path: &Path) -> Registered {
        running().folders.push(path.to_path_buf());
        Registered {
            leader: None,
            folder: Some(path.to_path_buf()),
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut running = running();
        if let Some(folder) = &self.folder {
            running.folders.retain(|f| f != folder);
        }
        if let Some(leader) = self.leader {
            kill_group(leader);
            running.leaders.retain(|pid| *pid != leader);
            kill_strays(&running.leaders);
        }
    }
}

/// Spawns `command` as a sample's interpreter. The registry is held across the spawn, so no
/// cleanup ever takes the new process for a stray.
fn spawn_registered(command: &mut Command) -> std::io::Result<(Child, Registered)> {
    let mut running = running();
    let child = command.spawn()?;
    let leader = child.id();
    running.leaders.push(leader);
    Ok((
        child,
        Registered {
            leader: Some(leader),
            folder: None,
        },
    ))
}

/// Makes the interpreter `command` starts the subreaper of what its sample starts.
fn adopt_orphans_of(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl(2) is a plain system call, safe between fork and exec; the closure
        // touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// Where the signal handler tells the watcher thread which signal came (a self-pipe: the
/// handler may only do async-signal-safe things, and write(2) is one).
static SIGNAL_PIPE: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

extern "C" fn on_signal(signal: libc::c_int) {
    let byte = signal as u8;
    // SAFETY: write(2) of one byte from the stack; async-signal-safe.
    unsafe {
        libc::write(
            SIGNAL_PIPE.load(std::sync::atomic::Ordering::Relaxed),
            (&byte as *const u8).cast(),
            1,
        );
    }
}

/// From now on SIGINT and SIGTERM end the run cleanly, and versus is a subreaper. A handler
/// rather than a blocked mask: threads started earlier (rayon's) would not block the signals.
fn watch_signals() {
    static WATCHER: Once = Once::new();
    WATCHER.call_once(|| {
        #[cfg(target_os = "linux")]
        // SAFETY: a plain system call changing an attribute of this process.
        unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
        let mut fds = [0; 2];
        // SAFETY: pipe(2) fills the two descriptors; sigaction(2) installs a handler that
        // only writes to the pipe.
        unsafe {
            if libc::pipe(fds.as_mut_ptr()) != 0 {
                return;
            }
            libc::fcntl(fds[0], libc::F_SETFD, libc::FD_CLOEXEC);
            libc::fcntl(fds[1], libc::F_SETFD, libc::FD_CLOEXEC);
            SIGNAL_PIPE.store(fds[1], std::sync::atomic::Ordering::Relaxed);
            for signal in [libc::SIGINT, libc::SIGTERM] {
                let mut action = std::mem::zeroed::<libc::sigaction>();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
        let read_end = fds[0];
        std::thread::spawn(move || {
            loop {
                let mut byte = 0u8;
                // SAFETY: reads one byte into `byte`.
                let read = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
                if read == 1 {
                    stop(i32::from(byte));
                }
                if read == 0 {
                    return;
                }
            }
        });
    });
}

/// Kills every running sample and what it left, removes the temporary folders, and exits.
fn stop(signal: i32) -> ! {
    let running = running();
    for leader in &running.leaders {
        kill_group(*leader);
    }
    kill_strays(&[]);
    for folder in &running.folders {
        let _ = std::fs::remove_dir_all(folder);
    }
    let name = if signal == libc::SIGINT {
        "interrupted"
    } else {
        "terminated"
    };
    eprintln!(
        "\n{name}: stopped {} running sample{} and removed their temporary folders",
        running.leaders.len(),
        if running.leaders.len() == 1 { "" } else { "s" }
    );
    std::process::exit(128 + signal);
}

/// Kills (and reaps) every child of versus that is not in `live`, and what each started.
fn kill_strays(live: &[u32]) {
    #[cfg(target_os = "linux")]
    for _ in 0..1000 {
        let strays: Vec<u32> = children_of(std::process::id())
            .into_iter()
            .filter(|pid| !live.contains(pid))
            .collect();
        if strays.is_empty() {
            return;
        }
        for pid in &strays {
            // A stray that called setsid leads a group (and session) of its own: end that
            // group with it; its own orphans come back to versus and the next round.
            kill_group(*pid);
            // SAFETY: kill(2) and waitpid(2) on a child of ours; no memory is shared.
            unsafe {
                libc::kill(*pid as libc::pid_t, libc::SIGKILL);
            }
        }
        for pid in strays {
            // SAFETY: as above; the status is not kept.
            unsafe {
                libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = live;
}

/// The processes whose parent is `parent`, from /proc.
#[cfg(target_os = "linux")]
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let after = &stat[stat.rfind(')')? + 1..];
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
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
