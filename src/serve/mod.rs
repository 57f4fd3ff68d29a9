//! `versus serve`: build, serve, watch, rebuild, reload.
//!
//! Every rebuild is a full `versus build` into a folder of its own (a temporary one unless
//! `--dest` names one), so the preview is byte for byte the published site apart from the
//! injected reload script, and the write stage's atomic swap means a browser never sees a
//! half-written site. A failed rebuild keeps the last good site and shows its diagnostics
//! over every page. The site is served under the path of `base-url`, as it will be
//! published, so even the 404 page's links work.

mod http;
mod watch;

use std::future::IntoFuture;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::Failure;
use crate::config::Overrides;
use crate::diagnostic::{Diagnostic, Position};

pub use http::resolve;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub dest: Option<PathBuf>,
    pub open: bool,
    /// The build cache's folder; `None` keeps highlighted code in memory only.
    pub cache_dir: Option<PathBuf>,
}

/// What the HTTP side and the rebuild loop share.
pub struct Shared {
    site: PathBuf,
    prefix: String,
    generation: AtomicU64,
    /// The last build's diagnostics when it failed; `None` after a good build.
    failure: RwLock<Option<Vec<String>>>,
    /// The reload script, overlay and not-found page for the last build, from the theme.
    parts: RwLock<crate::render::PreviewParts>,
    rebuilt: broadcast::Sender<u64>,
    /// Code highlighted by earlier builds, loaded from the build cache at start and saved
    /// to it after each rebuild: most blocks do not change between saves.
    highlighted: crate::render::highlight::Cache,
    /// Whether any build has succeeded, so a failure can say whether a site is still served.
    built: std::sync::atomic::AtomicBool,
    /// The book's folder as the user named it, to show paths in the terminal from there.
    book: PathBuf,
}

impl Shared {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Adds the reload script, and the overlay while the last build failed, before `</body>`.
    fn inject(&self, html: Vec<u8>) -> Vec<u8> {
        let parts = self.parts.read().expect("no writer panics");
        let mut extra = parts.reload.clone();
        if let Some(overlay) = &parts.overlay {
            extra.push_str(overlay);
        }
        drop(parts);
        let text = String::from_utf8_lossy(&html);
        match text.rfind("</body>") {
            Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
            None => format!("{text}{extra}").into_bytes(),
        }
    }

    fn status_json(&self) -> String {
        let failure = self.failure.read().expect("no writer panics");
        let status = serde_json::json!({
            "generation": self.generation(),
            "ok": failure.is_none(),
            "diagnostics": failure.clone().unwrap_or_default(),
        });
        format!("{status}\n")
    }

    /// The page for paths the site lacks while it has no 404 page, with the reload script.
    fn not_found_page(&self) -> Vec<u8> {
        let page = self
            .parts
            .read()
            .expect("no writer panics")
            .not_found
            .clone();
        self.inject(page.into_bytes())
    }

    /// Records a build's outcome and tells every open page. Builds finish one at a time.
    /// Returns the book's configuration as it is now, if book.toml loads.
    fn finish_build(
        &self,
        root: &Path,
        outcome: Result<(), Vec<String>>,
    ) -> Option<crate::config::Config> {
        let generation = self.generation() + 1;
        // The book's theme, if it loads now; the parts fall back to the built-in one, in the
        // book's language if at least book.toml loads.
        let config = crate::config::load(root, &Overrides::default()).ok();
        let (parts, fell_back) = crate::render::preview_parts(
            config.as_ref(),
            http::EVENTS,
            generation,
            outcome.as_ref().err().map(Vec::as_slice),
        );
        for warning in fell_back {
            eprintln!("{warning}");
        }
        *self.parts.write().expect("no writer panics") = parts;
        *self.failure.write().expect("no writer panics") = outcome.err();
        self.generation.store(generation, Ordering::SeqCst);
        let _ = self.rebuilt.send(generation);
        config
    }
}

/// Runs until Ctrl-C (or SIGTERM), then removes everything it created.
pub fn serve(options: ServeOptions) -> Result<(), Failure> {
    let root = std::fs::canonicalize(&options.root).map_err(|err| {
        Failure::Book(vec![Diagnostic::error(
            crate::config::BOOK_FILE,
            Position::START,
            format!(
                "cannot open the book folder {}: {err}",
                options.root.display()
            ),
        )])
    })?;
    let config = crate::config::load(&root, &Overrides::default())?;
    let temp = match &options.dest {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("versus-serve-")
                .tempdir()
                .map_err(|e| environment(format!("cannot create a temporary folder: {e}")))?,
        ),
    };
    let site = match (&options.dest, &temp) {
        (Some(dest), _) => dest.clone(),
        (None, Some(temp)) => temp.path().join("site"),
        (None, None) => unreachable!("a temporary folder exists when no --dest is given"),
    };
    eprintln!("building into {}", site.display());
    let prefix = config
        .base_url
        .as_deref()
        .map_or("/".to_string(), crate::urls::base_path);
    let (rebuilt, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        site: site.clone(),
        prefix,
        generation: AtomicU64::new(0),
        failure: RwLock::new(None),
        parts: RwLock::new(crate::render::preview_parts(None, http::EVENTS, 0, None).0),
        rebuilt,
        highlighted: options
            .cache_dir
            .as_deref()
            .map_or_else(Default::default, crate::render::highlight::Cache::open),
        built: Default::default(),
        book: options.root.clone(),
    });

    let overrides = Overrides {
        output_dir: Some(site.clone()),
        base_url: None,
        at: None,
        // The preview shows drafts, each with a banner.
        drafts: true,
        language: None,
    };
    shared.finish_build(
        &root,
        rebuild(&root, &overrides, &shared, "the first build"),
    );
    let (watching, changes) = watch::watch(&root, &read_folders(&root, &config))
        .map_err(|e| environment(format!("cannot watch the book: {e}")))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| environment(format!("cannot start the server: {e}")))?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
            .await
            .map_err(|e| cannot_listen(&options, &e))?;
        let address = listener
            .local_addr()
            .map_err(|e| environment(e.to_string()))?;
        // Listen for Ctrl-C before telling anyone where we are, so no signal is missed.
        let stop = stop_signal().map_err(|e| environment(format!("cannot handle signals: {e}")))?;
        announce(&options, address, &shared.prefix);
        let rebuilder = {
            let shared = Arc::clone(&shared);
            let root = root.clone();
            std::thread::spawn(move || rebuild_on_change(&changes, &root, &overrides, &shared))
        };
        // Open pages keep their event streams open for ever, so stopping waits for no one.
        let server = axum::serve(listener, http::router(Arc::clone(&shared)));
        let served = tokio::select! {
            result = server.into_future() => result.map_err(|e| environment(format!("the server stopped: {e}"))),
            () = stop => Ok(()),
        };
        Ok::<_, Failure>((served, rebuilder))
    });
    // Closing the runtime ends open event streams; dropping the watch ends the rebuild loop,
    // after any rebuild in progress, so nothing is left half-written in the temporary folder.
    runtime.shutdown_background();
    drop(watching);
    let (served, rebuilder) = result?;
    let _ = rebuilder.join();
    drop(temp);
    eprintln!("stopped");
    served
}

fn announce(options: &ServeOptions, address: SocketAddr, prefix: &str) {
    let url = format!("http://{address}{prefix}");
    println!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the preview",
            options.bind
        );
    }
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
}

fn rebuild_on_change(
    changes: &watch::Changes,
    root: &Path,
    overrides: &Overrides,
    shared: &Shared,
) {
    while let Some(changed) = changes.next_change() {
        let first = changed
            .first()
            .map(|p| {
                crate::diagnostic::display_path(root, p)
                    .display()
                    .to_string()
            })
            .unwrap_or_default();
        let more = if changed.len() > 1 {
            format!(" and {} more", changed.len() - 1)
        } else {
            String::new()
        };
        let config = shared.finish_build(
            root,
            rebuild(root, overrides, shared, &format!("{first}{more}")),
        );
        // book.toml may name another content folder now.
        if let Some(config) = config {
            changes.want(read_folders(root, &config));
        }
    }
}

/// The folders a build reads besides book.toml: the content folder and the themes.
fn read_folders(root: &Path, config: &crate::config::Config) -> Vec<PathBuf> {
    vec![config.content_dir.clone(), root.join("themes")]
}

fn cannot_listen(options: &ServeOptions, err: &std::io::Error) -> Failure {
    let help = if err.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "another program is using port {}: choose another with `--port N`, or `--port 0` for any free one",
            options.port
        )
    } else {
        "choose another address with `--bind ADDRESS`, or another port with `--port N` (`--port 0` for any free one)".to_string()
    };
    Failure::Environment(vec![
        Diagnostic::error(
            ".",
            Position::NONE,
            format!("cannot listen on {}:{}: {err}", options.bind, options.port),
        )
        .with_help(help),
    ])
}

/// One full build; on failure the previous site stays in place.
fn rebuild(
    root: &Path,
    overrides: &Overrides,
    shared: &Shared,
    reason: &str,
) -> Result<(), Vec<String>> {
    let started = Instant::now();
    match crate::build_with(root, overrides, &shared.highlighted) {
        Ok(report) => {
            shared.built.store(true, Ordering::SeqCst);
            eprintln!(
                "built {} pages in {} ms ({reason})",
                report.pages,
                started.elapsed().as_millis()
            );
            if let Some(problem) = report.cache_problem {
                eprintln!("warning: {problem}");
            }
            Ok(())
        }
        Err(failure) => {
            let lines: Vec<String> = failure
                .diagnostics()
                .iter()
                .map(|d| d.to_string())
                .collect();
            // The overlay shows paths from the book's root; the terminal, from where it runs.
            for diagnostic in failure.diagnostics() {
                eprintln!("{}", diagnostic.clone().seen_from(&shared.book));
            }
            if shared.built.load(Ordering::SeqCst) {
                eprintln!("build failed ({reason}); still serving the last good site");
            } else {
                eprintln!(
                    "build failed ({reason}); there is no site to serve yet: fix the problems above and save"
                );
            }
            Err(lines)
        }
    }
}

/// Resolves at the first SIGINT (Ctrl-C) or SIGTERM; both are registered at once.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

fn environment(message: String) -> Failure {
    Failure::Environment(vec![Diagnostic::error(".", Position::NONE, message)])
}
