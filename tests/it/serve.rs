//! `versus serve`: the real binary on a free port, driven over raw HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Book, snapshot};

/// A running `versus serve`, stopped (killed) when dropped.
struct Server {
    child: Child,
    address: String,
    prefix: String,
    site: std::path::PathBuf,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(book: &Book, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_versus"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(book.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("versus serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let rest = url.trim_start_matches("http://");
        let (address, prefix) = rest.split_at(rest.find('/').unwrap());
        let (sender, stderr) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let site = stderr.recv_timeout(Duration::from_secs(10)).unwrap();
        let site = site
            .strip_prefix("building into ")
            .unwrap_or_else(|| panic!("unexpected first line {site:?}"))
            .into();
        Server {
            child,
            address: address.to_string(),
            prefix: prefix.to_string(),
            site,
            stderr,
        }
    }

    /// Sends `method path` as written, without normalising it, and returns status, head, body.
    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a full response");
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, head, response[split + 4..].to_vec())
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", &format!("{}{path}", self.prefix));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn status(&self) -> String {
        String::from_utf8_lossy(&self.request("GET", "/__versus/status").2).into_owned()
    }

    fn generation(&self) -> u64 {
        let status = self.status();
        let at = status.find("\"generation\":").unwrap() + 13;
        status[at..]
            .split([',', '}'])
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop after SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads server-sent events from the reload endpoint.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "GET /__versus/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        Events(BufReader::new(stream))
    }

    /// The data of the next event.
    fn next(&mut self) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            self.0.read_line(&mut line).expect("an event within 10 s");
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return data.to_string();
            }
        }
    }
}

fn served_book() -> Book {
    let book = Book::minimal();
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\nFirst version.\n",
    );
    book
}

#[test]
fn an_edit_rebuilds_and_sends_a_reload_event() {
    let book = served_book();
    let server = Server::start(&book, &[]);
    let mut events = Events::open(&server);
    assert_eq!(
        events.next(),
        "1",
        "a new connection hears the current generation"
    );
    assert!(server.get("about/index.html").1.contains("First version."));
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\nSecond version.\n",
    );
    assert_eq!(events.next(), "2");
    let (status, html) = server.get("about/index.html");
    assert_eq!(status, 200);
    assert!(html.contains("Second version."), "{html}");
    assert!(
        html.contains("new EventSource(\"/__versus/events\")"),
        "the reload script is injected"
    );
    assert!(
        !book.exists("public"),
        "the preview never writes the book's public/"
    );
}

#[test]
fn a_broken_change_keeps_the_last_good_site_and_shows_an_overlay_until_fixed() {
    let book = served_book();
    let server = Server::start(&book, &[]);
    let mut events = Events::open(&server);
    events.next();
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta\nvalues:\n  speed: slowish\n  api: n/a\n---\n",
    );
    assert_eq!(events.next(), "2");
    let status = server.status();
    assert!(status.contains("\"ok\":false"), "{status}");
    assert!(
        status.contains("content/models/beta.md:4:10: error: `slowish` is not a level of `speed`"),
        "{status}"
    );
    let (code, html) = server.get("models/beta/index.html");
    assert_eq!(code, 200, "the last good page is still served");
    assert!(html.contains("<div id=\"versus-overlay\""), "{html}");
    assert!(
        html.contains("content/models/beta.md:4:10: error: `slowish` is not a level of `speed`")
    );
    assert!(html.contains("help: did you mean `slow`?"));
    book.write(
        "content/models/beta.md",
        "---\ntitle: Beta\nvalues:\n  speed: slow\n  api: n/a\n---\nFixed.\n",
    );
    assert_eq!(events.next(), "3");
    assert!(server.status().contains("\"ok\":true"));
    let (_, html) = server.get("models/beta/index.html");
    assert!(
        !html.contains("versus-overlay"),
        "the overlay is gone after the fix"
    );
    assert!(html.contains("Fixed."));
}

#[test]
fn editor_save_patterns_give_one_rebuild() {
    let book = served_book();
    let server = Server::start(&book, &[]);
    let content = book.path().join("content");
    // The generation once it has reached `at_least` (a loaded machine may take a while to
    // start the rebuild) and then no rebuild has happened for half a second.
    let settle = |server: &Server, at_least: u64| {
        let deadline = Instant::now() + Duration::from_secs(15);
        while server.generation() < at_least {
            assert!(Instant::now() < deadline, "the expected rebuild never came");
            std::thread::sleep(Duration::from_millis(25));
        }
        let mut last = server.generation();
        let mut stable_since = Instant::now();
        while stable_since.elapsed() < Duration::from_millis(500) {
            assert!(Instant::now() < deadline, "rebuilds never settled");
            std::thread::sleep(Duration::from_millis(25));
            let now = server.generation();
            if now != last {
                last = now;
                stable_since = Instant::now();
            }
        }
        last
    };
    let start = settle(&server, 0);
    // Write a temporary file, then rename it over the page (vim, VS Code, JetBrains).
    std::fs::write(
        content.join("about.md.tmp~"),
        "---\ntitle: About\n---\nRenamed.\n",
    )
    .unwrap();
    std::fs::rename(content.join("about.md.tmp~"), content.join("about.md")).unwrap();
    assert_eq!(
        settle(&server, start + 1),
        start + 1,
        "write-and-rename gives one rebuild"
    );
    // A swap file alone changes nothing.
    std::fs::write(content.join(".about.md.swp"), "swap").unwrap();
    assert_eq!(settle(&server, 0), start + 1, "swap files are ignored");
    // Many files at once, as a git checkout does.
    for i in 0..20 {
        book.write(
            &format!("content/page{i}.md"),
            format!("---\ntitle: Page {i}\n---\n"),
        );
    }
    assert_eq!(
        settle(&server, start + 2),
        start + 2,
        "a burst of files gives one rebuild"
    );
    assert!(server.get("page19/index.html").1.contains("Page 19"));
    let reads_only = settle(&server, 0);
    assert_eq!(
        reads_only,
        start + 2,
        "the build's own reads and writes never trigger a rebuild"
    );
}

#[test]
fn only_files_of_the_site_are_served() {
    let book = served_book();
    book.write("secret.txt", "do not serve");
    let dest = book.path().join("preview");
    let server = Server::start(&book, &["--dest", dest.to_str().unwrap()]);
    std::os::unix::fs::symlink(book.path().join("secret.txt"), dest.join("leak.txt")).unwrap();
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/models/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/leak.txt",
        "/assets/",
    ] {
        let (status, _, body) = server.request("GET", path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !String::from_utf8_lossy(&body).contains("do not serve"),
            "{path}"
        );
    }
    let (status, _, body) = server.request("GET", "/nowhere/at/all");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("<h1>Page not found</h1>"),
        "unknown paths get the site's 404 page"
    );
}

#[test]
fn get_and_head_only_with_correct_content_types() {
    let book = served_book();
    let server = Server::start(&book, &[]);
    let (status, head, body) = server.request("HEAD", "/assets/versus.css");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/css; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            "content-length: {}",
            book_file_len(&server, "assets/versus.css")
        )),
        "{head}"
    );
    assert!(body.is_empty(), "HEAD has no body");
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/versus.js", "text/javascript; charset=utf-8"),
        ("/404.html", "text/html; charset=utf-8"),
    ] {
        let (_, head, _) = server.request("GET", path);
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
    }
    let (status, head, _) = server.request("POST", "/");
    assert_eq!(status, 405);
    assert!(head.contains("allow: GET, HEAD"), "{head}");
    let (status, head, _) = server.request("GET", "/matrix");
    assert_eq!(status, 302, "a folder without its slash redirects");
    assert!(head.contains("location: /matrix/"), "{head}");
}

fn book_file_len(server: &Server, path: &str) -> u64 {
    std::fs::metadata(server.site.join(path)).unwrap().len()
}

#[test]
fn the_preview_is_the_built_site_plus_the_reload_script() {
    let book = served_book();
    let server = Server::start(&book, &[]);
    // Edit the book, so the preview compared below is a rebuild that reused cached code.
    book.write(
        "content/about.md",
        "---\ntitle: About\n---\nEdited.\n\n```python\nprint(1)\n```\n",
    );
    let mut events = Events::open(&server);
    while events.next() != "2" {}
    book.run(&["build", "--dest", "built"]).success();
    let script_start = "<script>(function(){var s=new EventSource(";
    let mut compared = 0;
    for (path, bytes) in snapshot(&book.path().join("built")) {
        let path = path.to_string_lossy().replace('\\', "/");
        if path == ".versus-manifest" {
            continue;
        }
        let (status, _, served) = server.request("GET", &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        let served = if path.ends_with(".html") {
            let text = String::from_utf8(served).unwrap();
            let start = text
                .rfind(script_start)
                .unwrap_or_else(|| panic!("{path}: no reload script"));
            let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &text[..start], &text[end..]).into_bytes()
        } else {
            served
        };
        assert_eq!(served, bytes, "{path} differs from the built file");
        compared += 1;
    }
    assert!(compared > 8);
}

#[test]
fn the_site_is_served_under_the_base_url_path() {
    let book = served_book();
    book.write(
        "book.toml",
        format!(
            "{}\n[build]\nbase-url = \"https://docs.example.org/3/howto/\"\n",
            crate::harness::MINIMAL_TOML
        ),
    );
    let server = Server::start(&book, &[]);
    assert_eq!(server.prefix, "/3/howto/");
    assert_eq!(server.get("matrix/index.html").0, 200);
    let (status, head, _) = server.request("GET", "/");
    assert_eq!(status, 302);
    assert!(head.contains("location: /3/howto/"), "{head}");
    let (status, _, body) = server.request("GET", "/3/howto/missing/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("href=\"/3/howto/assets/versus.css\""),
        "the 404 page's links work"
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_temporary_site() {
    let book = served_book();
    let mut server = Server::start(&book, &[]);
    let mut open_tab = Events::open(&server);
    open_tab.next();
    assert!(server.site.is_dir());
    let temp = server.site.parent().unwrap().to_path_buf();
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(!temp.exists(), "{} is left behind", temp.display());
    let lines: Vec<String> = server.stderr.try_iter().collect();
    assert!(lines.iter().any(|l| l == "stopped"), "{lines:?}");
}

#[test]
fn binding_beyond_loopback_warns() {
    let book = served_book();
    let server = Server::start(&book, &["--bind", "0.0.0.0"]);
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !lines
        .iter()
        .any(|l: &String| l.starts_with("warning: listening on 0.0.0.0"))
    {
        assert!(Instant::now() < deadline, "no warning in {lines:?}");
        if let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(100)) {
            lines.push(line);
        }
    }
    let default = Server::start(&book, &[]);
    assert!(
        default.address.starts_with("127.0.0.1:"),
        "{}",
        default.address
    );
}

impl Server {
    /// The stderr lines up to and including the first one that `stop` accepts.
    fn stderr_until(&self, stop: impl Fn(&str) -> bool) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let line = self
                .stderr
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no such line on stderr, only {lines:?}"));
            let done = stop(&line);
            lines.push(line);
            if done {
                return lines;
            }
        }
    }
}

#[test]
fn a_failing_first_build_does_not_claim_a_last_good_site() {
    let book = served_book();
    book.write(
        "book.toml",
        format!(
            "{}\n[build]\ntheme = \"mine\"\n",
            crate::harness::MINIMAL_TOML
        ),
    );
    let server = Server::start(&book, &[]);
    let lines = server.stderr_until(|l| l.starts_with("build failed"));
    assert_eq!(
        lines.last().unwrap(),
        "build failed (the first build); there is no site to serve yet: fix the problems above and save",
        "{lines:?}"
    );
    let (status, html) = server.get("");
    assert_eq!(status, 404);
    assert!(
        html.contains("<div id=\"versus-overlay\"") && html.contains("unknown theme `mine`"),
        "every path shows the diagnostics: {html}"
    );
}

#[test]
fn a_themes_folder_created_after_starting_is_watched() {
    let book = served_book();
    book.write(
        "book.toml",
        format!(
            "{}\n[build]\ntheme = \"mine\"\n",
            crate::harness::MINIMAL_TOML
        ),
    );
    let server = Server::start(&book, &[]);
    let mut events = Events::open(&server);
    assert_eq!(events.next(), "1");
    assert!(server.status().contains("\"ok\":false"));
    std::fs::create_dir_all(book.path().join("themes/mine")).unwrap();
    assert_eq!(events.next(), "2", "creating themes/ rebuilds");
    assert!(
        server.status().contains("\"ok\":true"),
        "{}",
        server.status()
    );
    book.write("themes/mine/static/extra.txt", "new file\n");
    assert_eq!(events.next(), "3", "a file in the new folder rebuilds");
    assert_eq!(server.get("extra.txt").1, "new file\n");
}

#[test]
fn a_port_in_use_suggests_another_port() {
    let book = served_book();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = book.run(&["serve", "--port", &port]);
    run.failure(2)
        .stderr_has(&format!("error: cannot listen on 127.0.0.1:{port}: "))
        .stderr_line(&format!(
            "  help: another program is using port {port}: choose another with `--port N`, or `--port 0` for any free one"
        ));
}

#[test]
fn the_terminal_shows_paths_from_where_serve_runs() {
    let outer = Book::empty();
    let book = served_book();
    crate::harness::copy_tree(book.path(), &outer.path().join("sub"));
    outer.write(
        "sub/content/models/beta.md",
        "---\ntitle: Beta\nvalues:\n  speed: slowish\n  api: n/a\n---\n",
    );
    let server = Server::start(&outer, &["sub"]);
    let lines = server.stderr_until(|l| l.starts_with("build failed"));
    assert!(
        lines
            .iter()
            .any(|l| l
                == "sub/content/models/beta.md:4:10: error: `slowish` is not a level of `speed`"),
        "{lines:?}"
    );
    assert!(
        server
            .status()
            .contains("\"content/models/beta.md:4:10: error:"),
        "the overlay names paths from the book's root: {}",
        server.status()
    );
}

#[test]
fn the_preview_shows_drafts_with_a_banner() {
    let book = served_book();
    book.write(
        "content/plans.md",
        "---\ntitle: Plans\ndraft: true\n---\nNot yet.\n",
    );
    let server = Server::start(&book, &[]);
    let (status, html) = server.get("plans/index.html");
    assert_eq!(status, 200);
    assert!(
        html.contains("<p class=\"draft-banner\"><strong>Draft.</strong> This page is marked <code>draft: true</code>: the preview shows it, <code>versus build</code> leaves it out.</p>"),
        "{html}"
    );
    assert!(!server.get("about/index.html").1.contains("draft-banner"));
}

/// A served book with its own theme, `mine`, holding `overlay` as serve/overlay.html.
fn book_with_overlay(overlay: &str) -> Book {
    let book = served_book();
    book.write(
        "book.toml",
        format!(
            "[build]\ntheme = \"mine\"\n\n{}",
            crate::harness::MINIMAL_TOML
        ),
    );
    book.write("themes/mine/templates/serve/overlay.html", overlay);
    book
}

/// A model page whose value is not a level of its dimension: the rebuild fails.
const BROKEN_BETA: &str = "---\ntitle: Beta\nvalues:\n  speed: slowish\n  api: n/a\n---\n";

/// Serves `book`, then writes `beta` as the beta model and waits for that rebuild; returns the
/// server and the beta page as served then.
fn served_after_writing_beta(book: &Book, beta: &str) -> (Server, String) {
    let server = Server::start(book, &[]);
    let mut events = Events::open(&server);
    events.next();
    book.write("content/models/beta.md", beta);
    assert_eq!(events.next(), "2");
    let (_, html) = server.get("models/beta/index.html");
    (server, html)
}

#[test]
fn the_overlay_comes_from_the_book_theme_with_escaped_diagnostics() {
    let book = book_with_overlay(
        "<aside id=\"mine-overlay\">{% for diagnostic in diagnostics %}<pre>{{ diagnostic }}</pre>{% endfor %}</aside>",
    );
    let (_server, html) = served_after_writing_beta(
        &book,
        "---\ntitle: Beta\nvalues:\n  speed: \"<slow>\"\n  api: n/a\n---\n",
    );
    assert!(
        html.contains("<aside id=\"mine-overlay\"><pre>content/models/beta.md:4:10: error: `&lt;slow&gt;` is not a level of `speed`"),
        "the theme's overlay, with the diagnostics escaped: {html}"
    );
    assert!(!html.contains("<slow>"), "{html}");
    assert!(!html.contains("versus-overlay"), "{html}");
    assert!(
        html.contains("new EventSource(\"/__versus/events\")"),
        "the reload script is still the default one"
    );
}

#[test]
fn the_overlay_falls_back_to_the_built_in_one_when_the_book_theme_is_broken() {
    // A syntax error: the theme does not load, which is what fails the build.
    let book = book_with_overlay("<aside id=\"mine-overlay\">{% for %}</aside>");
    let server = Server::start(&book, &[]);
    server.stderr_until(|l| l.starts_with("build failed"));
    let (status, html) = server.get("");
    assert_eq!(status, 404);
    assert!(html.contains("<div id=\"versus-overlay\""), "{html}");
    assert!(
        html.contains("themes/mine/templates/serve/overlay.html:1:"),
        "the overlay names the broken template: {html}"
    );
    assert!(html.contains("<h1>Not found</h1>"), "{html}");

    // The theme loads, but the overlay cannot render (no such variable); the model breaks.
    let book = book_with_overlay("<aside id=\"mine-overlay\">{{ nothing.here }}</aside>");
    let (_server, html) = served_after_writing_beta(&book, BROKEN_BETA);
    assert!(html.contains("<div id=\"versus-overlay\""), "{html}");
    assert!(
        html.contains("`slowish` is not a level of `speed`"),
        "{html}"
    );
    assert!(!html.contains("mine-overlay"), "{html}");
}

/// [`book_with_overlay`], in French.
fn french_book_with_overlay(overlay: &str) -> Book {
    let book = book_with_overlay(overlay);
    let toml = book.read("book.toml");
    book.write(
        "book.toml",
        toml.replace("[book]\n", "[book]\nlanguage = \"fr\"\n"),
    );
    book
}

#[test]
fn the_built_in_overlay_speaks_the_books_language_and_the_fallback_is_reported() {
    let book = french_book_with_overlay("<div id=\"versus-overlay\">{{ nope }}</div>");
    let (server, html) = served_after_writing_beta(&book, BROKEN_BETA);
    assert!(
        html.contains("La dernière modification empêche de construire le site"),
        "the built-in overlay, in French: {html}"
    );
    assert!(!html.contains("The last change broke the build"), "{html}");
    let lines = server.stderr_until(|l| l.contains("warning:"));
    assert!(
        lines.last().unwrap().starts_with(
            "themes/mine/templates/serve/overlay.html:1:29: warning: template error: Variable `nope` is not defined"
        ) && lines
            .last()
            .unwrap()
            .contains("versus serve shows the built-in serve/overlay.html instead"),
        "{lines:?}"
    );
}

#[test]
fn the_not_found_page_has_the_books_language_even_when_the_theme_fails() {
    // A theme that does not load: the first build fails, and the built-in parts stand in.
    let book = french_book_with_overlay("{% if %}");
    let server = Server::start(&book, &[]);
    server.stderr_until(|l| l.starts_with("build failed"));
    let (status, html) = server.get("no/such/page/");
    assert_eq!(status, 404);
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"fr\"><title>Introuvable</title>"),
        "{html}"
    );
    assert!(
        html.contains("La dernière modification empêche de construire le site"),
        "{html}"
    );
}
