//! The preview server. Owns `axum` and `tokio`.
//!
//! Serves the files of the built site and nothing else: every path is decoded segment by
//! segment, and `..`, `.`, encoded slashes, backslashes and anything that resolves outside
//! the site (a symlink, say) are simply not found. HTML responses get the reload script and,
//! while the last build failed, an overlay with its diagnostics; everything else is sent as
//! `versus build` wrote it.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::Shared;

pub const EVENTS: &str = "/__versus/events";
pub const STATUS: &str = "/__versus/status";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(STATUS, get(status))
        .fallback(site_file)
        .with_state(shared)
}

/// Server-sent events: the build generation now, then at every rebuild. A page reloads when
/// the generation differs from the one it was served with.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.rebuilt.subscribe();
    let now = shared.generation();
    let stream =
        futures_util::stream::unfold((receiver, Some(now)), |(mut receiver, first)| async move {
            if let Some(generation) = first {
                return Some((
                    Ok(Event::default().data(generation.to_string())),
                    (receiver, None),
                ));
            }
            loop {
                match receiver.recv().await {
                    Ok(generation) => {
                        return Some((
                            Ok(Event::default().data(generation.to_string())),
                            (receiver, None),
                        ));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The last build's outcome as JSON, for tools and tests.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let body = shared.status_json();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn site_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix(shared.prefix.as_str()) else {
        if path == "/" || format!("{path}/") == shared.prefix {
            return redirect(&shared.prefix);
        }
        return not_found(&shared, head);
    };
    let Some(target) = resolve(&shared.site, rest) else {
        return not_found(&shared, head);
    };
    if target.is_dir() {
        // A folder is its index.html, reached with a trailing slash so relative links work.
        return if path.ends_with('/') && target.join("index.html").is_file() {
            respond(&shared, &target.join("index.html"), StatusCode::OK, head)
        } else if target.join("index.html").is_file() {
            redirect(&format!("{path}/"))
        } else {
            not_found(&shared, head)
        };
    }
    respond(&shared, &target, StatusCode::OK, head)
}

/// Maps the part of a URL path after the prefix to a file of the site, or `None` when it
/// names anything outside it.
pub fn resolve(site: &Path, rest: &str) -> Option<PathBuf> {
    let mut path = site.to_path_buf();
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, raw) in segments.iter().enumerate() {
        if raw.is_empty() && i == segments.len() - 1 {
            break;
        }
        let segment = percent_decode(raw)?;
        let forbidden = segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0']);
        if forbidden {
            return None;
        }
        path.push(segment);
    }
    let real = std::fs::canonicalize(&path).ok()?;
    let root = std::fs::canonicalize(site).ok()?;
    real.starts_with(&root).then_some(real)
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond(shared: &Shared, file: &Path, status: StatusCode, head: bool) -> Response {
    let Ok(bytes) = std::fs::read(file) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let content_type = content_type(file);
    let bytes = if content_type.starts_with("text/html") {
        shared.inject(bytes)
    } else {
        bytes
    };
    let length = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The site's own 404 page, with status 404.
fn not_found(shared: &Shared, head: bool) -> Response {
    let page = shared.site.join("404.html");
    if page.is_file() {
        respond(shared, &page, StatusCode::NOT_FOUND, head)
    } else {
        let html = shared.not_found_page();
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    }
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())], ()).into_response()
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" | "csv" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_site_resolve() {
        let site = std::env::temp_dir().join(format!("versus-resolve-{}", std::process::id()));
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/b.css"), "x").unwrap();
        assert!(resolve(&site, "a/b.css").is_some());
        assert!(
            resolve(&site, "a/%62.css").is_some(),
            "plain percent-encoding decodes"
        );
        let bad = [
            "../etc/passwd",
            "a/../../x",
            "%2e%2e/x",
            "a%2fb.css",
            "a%5cb.css",
            "a//b.css",
            "./a/b.css",
            "a/b.css%00",
            "%zz",
        ];
        for path in bad {
            assert_eq!(resolve(&site, path), None, "{path}");
        }
        std::fs::remove_dir_all(&site).unwrap();
    }
}
