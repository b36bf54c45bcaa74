//! The headers of every answer and the rules of static serving: security
//! headers, caching, compression, and what `--static` never gives out.

use std::io::Read;
use std::path::Path;

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG,
    HeaderMap, IF_NONE_MATCH, LOCATION, VARY,
};
use reqwest::{Client, Response, StatusCode, redirect};
use ytempire_server::config::ConnectOrigin;

use crate::common::*;

/// Trunk's page in miniature: one external and one inline module script.
const INDEX_HTML: &str = "<!doctype html><html><head><title>YTEMPIRE</title>\
<script type=\"module\" src=\"/app-0123456789abcdef.js\"></script>\
<script type=\"module\">boot()</script></head><body></body></html>";
/// `printf 'boot()' | openssl dgst -sha256 -binary | base64`
const BOOT_HASH: &str = "'sha256-MeZS89WlF0u+o0hCvHTBt4q1WHU+U+sJKgbdRUc36mY='";
const HASHED_JS: &str = "/app-0123456789abcdef.js";

/// A built dashboard: index.html, a hashed script with brotli and gzip
/// copies, robots.txt and an icon folder.
fn dist(dir: &Path) -> std::path::PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("icons")).unwrap();
    let write = |name: &str, content: &[u8]| std::fs::write(dist.join(name), content).unwrap();
    write("index.html", INDEX_HTML.as_bytes());
    write("app-0123456789abcdef.js", b"console.log('identity')");
    write("app-0123456789abcdef.js.br", b"brotli bytes");
    write("app-0123456789abcdef.js.gz", b"gzip bytes, longer");
    write("robots.txt", b"User-agent: *\nDisallow: /\n");
    write("icons/icon-192.png", b"png");
    dist
}

async fn site() -> (tempfile::TempDir, TestServer) {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.static_dir = Some(dist(dir.path()));
    let server = TestServer::start_with(config).await;
    (dir, server)
}

/// A client that shows redirects instead of following them.
fn client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(server: &TestServer, path: &str) -> Response {
    client().get(server.url(path)).send().await.unwrap()
}

fn header(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> &str {
    headers.get(name).map_or("", |v| v.to_str().unwrap())
}

fn is_index(response: &Response) -> bool {
    header(response.headers(), CONTENT_TYPE).starts_with("text/html")
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (_dir, server) = site().await;
    let demo = server.demo().await;
    let login = server.login("demo@ytempire.local", "wrong").await;
    let ws_without_upgrade = get(&server, &format!("/ws/{}", demo.user.id)).await;
    let answers = [
        get(&server, "/").await,
        get(&server, "/videos").await,
        get(&server, HASHED_JS).await,
        get(&server, "/missing.wasm").await,
        get(&server, "/api/v1/dashboard/overview").await,
        server.get_as(&demo.token, "/api/v1/videos").await,
        login,
        ws_without_upgrade,
    ];
    for answer in answers {
        let headers = answer.headers();
        let what = answer.url().path();
        let policy = header(headers, "content-security-policy");
        let directives: Vec<&str> = policy.split("; ").collect();
        for directive in [
            "default-src 'self'",
            &format!("script-src 'self' 'wasm-unsafe-eval' {BOOT_HASH}"),
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(directives.contains(&directive), "{what}: {policy}");
        }
        assert_eq!(
            header(headers, "x-content-type-options"),
            "nosniff",
            "{what}"
        );
        assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
        assert!(
            header(headers, "x-robots-tag").contains("noindex"),
            "{what}"
        );
    }
}

#[tokio::test]
async fn the_policy_allows_the_configured_origins() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.connect_src = ["https://api.example.com", "wss://ws.example.com"]
        .iter()
        .map(|origin| origin.parse::<ConnectOrigin>().unwrap())
        .collect();
    let server = TestServer::start_with(config).await;
    let answer = get(&server, "/api/v1/dashboard/overview").await;
    let policy = header(answer.headers(), "content-security-policy");
    assert!(
        policy
            .split("; ")
            .any(|d| d == "connect-src 'self' https://api.example.com wss://ws.example.com"),
        "{policy}"
    );
    // No dashboard served, so no inline script is allowed.
    assert!(
        policy
            .split("; ")
            .any(|d| d == "script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
}

#[tokio::test]
async fn api_answers_are_never_stored() {
    let (_dir, server) = site().await;
    let demo = server.demo().await;
    let answers = [
        server.login("demo@ytempire.local", "demo").await,
        server.login("demo@ytempire.local", "wrong").await,
        server
            .get_as(&demo.token, "/api/v1/dashboard/overview")
            .await,
        server
            .get_as(&demo.token, "/api/v1/exports/videos.csv")
            .await,
        get(&server, "/api/v1/no-such-route").await,
    ];
    for answer in answers {
        assert_eq!(
            header(answer.headers(), CACHE_CONTROL),
            "no-store",
            "{} {}",
            answer.url().path(),
            answer.status()
        );
    }
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_revalidated() {
    let (_dir, server) = site().await;
    let hashed = get(&server, HASHED_JS).await;
    assert_eq!(hashed.status(), StatusCode::OK);
    assert_eq!(
        header(hashed.headers(), CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    for path in ["/robots.txt", "/icons/icon-192.png", "/", "/login"] {
        let answer = get(&server, path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(answer.headers(), CACHE_CONTROL),
            "no-cache",
            "{path}"
        );
    }

    // Revalidating index.html costs a bodiless 304.
    let page = get(&server, "/channels").await;
    let etag = header(page.headers(), ETAG).to_owned();
    assert!(page.text().await.unwrap().contains("boot()"));
    let again = client()
        .get(server.url("/"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(again.headers(), CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn a_missing_file_is_a_404_and_only_client_routes_get_index_html() {
    let (_dir, server) = site().await;
    for path in [
        "/ytempire-dashboard-0123456789abcdef_bg.wasm",
        "/ytempire-dashboard-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
        "/app-0123456789abcdef.js.map",
        "/favicon.ico",
        "/icons/missing.png",
        "/icons/nested/route",
        "/icons",
    ] {
        let answer = get(&server, path).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!is_index(&answer), "{path} answered index.html");
        assert_ne!(
            header(answer.headers(), CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    for route in ["/", "/index.html", "/login", "/channels/ch-1", "/videos/"] {
        let answer = get(&server, route).await;
        assert_eq!(answer.status(), StatusCode::OK, "{route}");
        assert!(is_index(&answer), "{route}");
    }
}

#[tokio::test]
async fn dotfiles_and_symlinks_out_of_the_directory_are_refused() {
    let dir = temp_dir();
    let dist = dist(dir.path());
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::fs::write(dist.join(".env"), "TOKEN=secret").unwrap();
    std::fs::create_dir(dist.join(".git")).unwrap();
    std::fs::write(dist.join(".git/config"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), dist.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, dist.join("linked")).unwrap();
    std::os::unix::fs::symlink(dist.join("robots.txt"), dist.join("alias.txt")).unwrap();
    let mut config = config(dir.path());
    config.static_dir = Some(dist);
    let server = TestServer::start_with(config).await;

    for path in [
        "/.env",
        "/.git/config",
        "/%2eenv",
        "/leak.txt",
        "/linked/secret.txt",
        "/icons/../.env",
        "/icons/%2e%2e/.env",
        "/%2e%2e/outside/secret.txt",
    ] {
        let answer = get(&server, path).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.text().await.unwrap().contains("secret"), "{path}");
    }
    // A symlink that stays inside is served like the file it names.
    let alias = get(&server, "/alias.txt").await;
    assert_eq!(alias.status(), StatusCode::OK);
    assert_eq!(alias.text().await.unwrap(), "User-agent: *\nDisallow: /\n");
}

#[tokio::test]
async fn double_slashes_never_redirect_off_site() {
    let (_dir, server) = site().await;
    for path in [
        "//evil.example",
        "//evil.example/",
        "//icons",
        "//icons/",
        "/icons/",
    ] {
        let answer = get(&server, path).await;
        assert!(
            !answer.status().is_redirection() && answer.headers().get(LOCATION).is_none(),
            "{path} answered {} to {:?}",
            answer.status(),
            answer.headers().get(LOCATION)
        );
    }
}

#[tokio::test]
async fn precompressed_files_are_served_as_the_client_accepts() {
    let (_dir, server) = site().await;
    let fetch = |accept: Option<&'static str>| {
        let mut request = client().get(server.url(HASHED_JS));
        if let Some(accept) = accept {
            request = request.header(ACCEPT_ENCODING, accept);
        }
        request.send()
    };
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br"), "br", "brotli bytes"),
        (Some("gzip"), "gzip", "gzip bytes, longer"),
        (Some("br;q=0.5, gzip;q=1"), "gzip", "gzip bytes, longer"),
        (None, "", "console.log('identity')"),
        (Some("identity"), "", "console.log('identity')"),
    ] {
        let answer = fetch(accept).await.unwrap();
        let headers = answer.headers().clone();
        assert_eq!(header(&headers, CONTENT_ENCODING), encoding, "{accept:?}");
        assert!(
            header(&headers, VARY)
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{accept:?}"
        );
        assert_eq!(
            header(&headers, CONTENT_TYPE),
            "text/javascript",
            "{accept:?}"
        );
        assert_eq!(header(&headers, CONTENT_LENGTH), body.len().to_string());
        assert_eq!(answer.text().await.unwrap(), body, "{accept:?}");
    }
    // The copies are not files of their own.
    let copy = get(&server, "/app-0123456789abcdef.js.br").await;
    assert_eq!(copy.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn json_over_a_kibibyte_is_compressed_on_the_fly() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    for n in 0..10 {
        server
            .ingest(&completed(&format!("gz{n}"), demo.channel(0), 0.2))
            .await;
    }
    let videos = |accept: &'static str| {
        client()
            .get(server.url("/api/v1/videos"))
            .bearer_auth(&demo.token)
            .header(ACCEPT_ENCODING, accept)
            .send()
    };
    let plain = videos("identity").await.unwrap();
    assert_eq!(header(plain.headers(), CONTENT_ENCODING), "");
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() > 1024, "the page is {} bytes", plain.len());

    let gzipped = videos("gzip").await.unwrap();
    assert_eq!(header(gzipped.headers(), CONTENT_ENCODING), "gzip");
    assert!(header(gzipped.headers(), VARY).contains("accept-encoding"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gzipped.bytes().await.unwrap()[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);

    let brotli = videos("br").await.unwrap();
    assert_eq!(header(brotli.headers(), CONTENT_ENCODING), "br");

    // A small answer is not worth it.
    let small = client()
        .get(server.url("/api/v1/dashboard/overview"))
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(small.headers(), CONTENT_ENCODING), "");
}

#[tokio::test]
async fn only_get_and_head_reach_the_dashboard() {
    let (_dir, server) = site().await;
    let head = client().head(server.url("/login")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    for path in ["/", "/login", HASHED_JS] {
        let post = client().post(server.url(path)).send().await.unwrap();
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
}
