//! The built dashboard (`--static DIR`), read once at start.
//!
//! Serving looks a request up among the files found then; it never builds a
//! path from the request, so nothing outside the directory, no dotfile and
//! no symlink leading out of it can be reached, and no directory redirect
//! (which `//host` would turn into a protocol-relative `Location`) exists.
//! A path that names a file (it has an extension, or lies under one of the
//! directory's folders) and is not there is a 404; any other path is a
//! client route and gets `index.html`. A new build needs a restart, as the
//! Content-Security-Policy's hashes are of the `index.html` read at start.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, ALLOW, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::cache::CachePolicy;
use crate::error::AppError;

/// Bounds the walk of a directory given by mistake (`--static /`).
const MAX_ENTRIES: usize = 10_000;

pub struct Site {
    index: EntryPage,
    /// By URL path (`/name-<hash>.js`, `/icons/icon-192.png`).
    files: HashMap<String, StaticFile>,
    /// The directory's top-level folders: everything under them is a file.
    folders: HashSet<String>,
}

/// `index.html`, held in memory so that what is served is exactly what the
/// policy's hashes were computed from.
struct EntryPage {
    html: String,
    body: Bytes,
    etag: HeaderValue,
}

struct StaticFile {
    serve: ServeFile,
    cache: CachePolicy,
    /// Whether `.br` or `.gz` copies exist, so the answer depends on
    /// `Accept-Encoding`.
    precompressed: bool,
}

impl Site {
    /// Reads `dir/index.html` and lists the files that may be served.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let root = dir
            .canonicalize()
            .with_context(|| format!("--static {}", dir.display()))?;
        let index = root.join("index.html");
        let html = index
            .canonicalize()
            .ok()
            .filter(|target| target.starts_with(&root))
            .and_then(|target| fs::read_to_string(target).ok())
            .with_context(|| format!("--static needs {} (a file inside it)", index.display()))?;
        let mut scan = Scan {
            root: &root,
            entries: 0,
            files: HashMap::new(),
            folders: HashSet::new(),
        };
        scan.folder(&root, "")?;
        let Scan { files, folders, .. } = scan;
        tracing::info!(dir = %root.display(), files = files.len(), "serving the dashboard");
        Ok(Self {
            index: EntryPage::new(html),
            files,
            folders,
        })
    }

    pub fn index_html(&self) -> &str {
        &self.index.html
    }

    /// The service answering every path the API and WebSocket routes do not.
    pub fn into_router(self) -> Router {
        Router::new().fallback(serve).with_state(Arc::new(self))
    }

    /// A path that can only mean a file: it has an extension (which covers
    /// dotfiles and `..`), or it lies under one of the site's folders.
    fn names_a_file(&self, path: &str) -> bool {
        let mut segments = path.trim_start_matches('/').split('/');
        let under_folder = segments
            .next()
            .is_some_and(|first| self.folders.contains(first));
        under_folder || path.split('/').any(|segment| segment.contains('.'))
    }
}

async fn serve(State(site): State<Arc<Site>>, request: Request) -> Response {
    let Ok(path) = percent_encoding::percent_decode_str(request.uri().path()).decode_utf8() else {
        return not_found();
    };
    if let Some(file) = site.files.get(path.as_ref()) {
        return file.serve(request).await;
    }
    if path == "/index.html" || !site.names_a_file(&path) {
        return site.index.serve(&request);
    }
    not_found()
}

fn not_found() -> Response {
    let mut response = AppError::NotFound("file").into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, CachePolicy::Revalidate.header());
    response
}

impl EntryPage {
    fn new(html: String) -> Self {
        let digest = Sha256::digest(&html);
        let etag = format!("\"{}\"", hex(&digest[..16]));
        Self {
            body: Bytes::from(html.clone()),
            html,
            etag: HeaderValue::try_from(etag).expect("hex is a valid header value"),
        }
    }

    fn serve(&self, request: &Request) -> Response {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(ALLOW, HeaderValue::from_static("GET, HEAD"))],
            )
                .into_response();
        }
        let headers = [
            (ETAG, self.etag.clone()),
            (CACHE_CONTROL, CachePolicy::Revalidate.header()),
        ];
        if matches_etag(request.headers(), &self.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let html = HeaderValue::from_static("text/html; charset=utf-8");
        (headers, [(CONTENT_TYPE, html)], self.body.clone()).into_response()
    }
}

fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let etag = etag.to_str().unwrap_or_default();
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl StaticFile {
    async fn serve(&self, request: Request) -> Response {
        let Ok(response) = self.serve.clone().oneshot(request).await;
        let mut response = response.map(Body::new);
        let status = response.status();
        let cache = if status.is_success() || status == StatusCode::NOT_MODIFIED {
            self.cache
        } else {
            CachePolicy::Revalidate
        };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, cache.header());
        if self.precompressed {
            headers.append(VARY, HeaderValue::from(ACCEPT_ENCODING));
        }
        response
    }
}

struct Scan<'a> {
    root: &'a Path,
    entries: usize,
    files: HashMap<String, StaticFile>,
    folders: HashSet<String>,
}

impl Scan<'_> {
    fn folder(&mut self, dir: &Path, url: &str) -> anyhow::Result<()> {
        let mut names = Vec::new();
        for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                bail!(
                    "--static {} holds more than {MAX_ENTRIES} entries: is it the built dashboard?",
                    self.root.display()
                );
            }
            match entry?.file_name().into_string() {
                Ok(name) => names.push(name),
                Err(name) => tracing::warn!(?name, "not serving a file whose name is not UTF-8"),
            }
        }
        let present: HashSet<&str> = names.iter().map(String::as_str).collect();
        for name in &names {
            // Dotfiles (`.env`, `.git/`) are never served.
            if name.starts_with('.') {
                continue;
            }
            let path = dir.join(name);
            let url = format!("{url}/{name}");
            let meta = fs::symlink_metadata(&path)?;
            if meta.is_dir() {
                if dir == self.root {
                    self.folders.insert(name.clone());
                }
                self.folder(&path, &url)?;
                continue;
            }
            let Some(target) = self.servable(&path, &meta) else {
                continue;
            };
            if url == "/index.html" || is_copy_of_sibling(name, &present) {
                continue;
            }
            // A symlink's copies would be looked for beside its target.
            let copy = |ext: &str| {
                !meta.is_symlink()
                    && fs::symlink_metadata(dir.join(format!("{name}.{ext}")))
                        .is_ok_and(|m| m.is_file())
            };
            let (br, gzip) = (copy("br"), copy("gz"));
            let mut serve = ServeFile::new(target);
            if br {
                serve = serve.precompressed_br();
            }
            if gzip {
                serve = serve.precompressed_gzip();
            }
            let file = StaticFile {
                serve,
                cache: CachePolicy::for_file(name),
                precompressed: br || gzip,
            };
            self.files.insert(url, file);
        }
        Ok(())
    }

    /// The file to open for `path`: itself when it is a regular file, the
    /// target of a symlink to a regular file inside the root, else none
    /// (directories behind symlinks are not entered, so no loop either).
    fn servable(&self, path: &Path, meta: &fs::Metadata) -> Option<PathBuf> {
        if meta.is_file() {
            return Some(path.to_owned());
        }
        if !meta.is_symlink() {
            return None;
        }
        match path.canonicalize() {
            Ok(target) if target.starts_with(self.root) && target.is_file() => Some(target),
            _ => {
                tracing::warn!(path = %path.display(), "not serving a symlink that leads outside --static or to no file");
                None
            }
        }
    }
}

/// `app.js.br` beside `app.js` is an encoding of it, not a file of its own.
fn is_copy_of_sibling(name: &str, present: &HashSet<&str>) -> bool {
    [".br", ".gz"].iter().any(|ext| {
        name.strip_suffix(ext)
            .is_some_and(|original| present.contains(original))
    })
}
