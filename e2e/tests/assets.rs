//! The release build as the real server hands it out: compressed copies by
//! negotiation, and the files that make the dashboard private and
//! installable.

use std::io::Read;
use std::path::{Path, PathBuf};

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, VARY};
use serde_json::Value;
use ytempire_e2e::{Server, workspace_root};

fn dist() -> PathBuf {
    std::env::var_os("YTEMPIRE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"))
}

/// The build's files ending in `suffix`.
fn built(suffix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dist())
        .expect("a built dist/")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect()
}

fn url_path(file: &Path) -> String {
    format!("/{}", file.file_name().unwrap().to_string_lossy())
}

async fn fetch(server: &Server, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(accept) = accept {
        request = request.header(ACCEPT_ENCODING, accept);
    }
    let response = request.send().await.expect("the server answers");
    assert_eq!(response.status(), 200, "GET {path} with {accept:?}");
    response
}

fn header(response: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
}

/// Whether `html` has a `<{name}>` tag with every one of `attributes`
/// (`name=value`), quoted or not, as the release build's minifier leaves them.
fn has_tag(html: &str, name: &str, attributes: &[&str]) -> bool {
    html.split('<')
        .filter_map(|tag| tag.split_once('>').map(|(tag, _)| tag.replace('"', "")))
        .filter(|tag| tag.split_whitespace().next() == Some(name))
        .any(|tag| {
            attributes
                .iter()
                .all(|attribute| tag.split_whitespace().any(|a| a.starts_with(attribute)))
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wasm_is_sent_brotli_or_gzip_compressed_when_accepted() {
    let server = Server::start().await;
    let wasm = built("_bg.wasm");
    assert_eq!(wasm.len(), 1, "one wasm in the build: {wasm:?}");
    let wasm = &wasm[0];
    let original = std::fs::read(wasm).unwrap();
    let path = url_path(wasm);

    let brotli = fetch(&server, &path, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(header(&brotli, CONTENT_ENCODING), "br");
    assert!(
        header(&brotli, VARY)
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert!(header(&brotli, CACHE_CONTROL).contains("immutable"));
    let length: usize = header(&brotli, CONTENT_LENGTH).parse().unwrap();
    let sent = brotli.bytes().await.unwrap();
    assert_eq!(sent.len(), length);
    assert!(
        sent.len() < original.len() / 2,
        "brotli sends {} of {} bytes",
        sent.len(),
        original.len()
    );
    assert!(
        decode("br", &sent) == original,
        "brotli decodes to the built wasm"
    );

    let gzip = fetch(&server, &path, Some("gzip")).await;
    assert_eq!(header(&gzip, CONTENT_ENCODING), "gzip");
    assert!(
        decode("gzip", &gzip.bytes().await.unwrap()) == original,
        "gzip decodes to the built wasm"
    );

    let identity = fetch(&server, &path, None).await;
    assert_eq!(header(&identity, CONTENT_ENCODING), "");
    assert_eq!(
        header(&identity, CONTENT_LENGTH),
        original.len().to_string()
    );
    assert!(identity.bytes().await.unwrap() == original);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_script_and_stylesheet_has_compressed_copies() {
    let server = Server::start().await;
    let files: Vec<PathBuf> = [".wasm", ".js", ".css"]
        .iter()
        .flat_map(|suffix| built(suffix))
        .collect();
    assert!(files.len() >= 3, "a wasm, its glue and CSS: {files:?}");
    for file in files {
        let original = std::fs::read(&file).unwrap();
        let path = url_path(&file);
        for encoding in ["br", "gzip"] {
            let answer = fetch(&server, &path, Some(encoding)).await;
            assert_eq!(header(&answer, CONTENT_ENCODING), encoding, "{path}");
            assert!(
                header(&answer, VARY)
                    .to_ascii_lowercase()
                    .contains("accept-encoding"),
                "{path} {encoding}: a cache must not hand this copy to every client"
            );
            let sent = answer.bytes().await.unwrap();
            assert!(
                decode(encoding, &sent) == original,
                "{path}: the {encoding} copy decodes to the built file"
            );
        }
    }
}

/// `body` decoded from `encoding` (`br` or `gzip`).
fn decode(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    match encoding {
        "br" => brotli_decompressor::Decompressor::new(body, 64 * 1024)
            .read_to_end(&mut decoded)
            .expect("valid brotli"),
        "gzip" => flate2::read::GzDecoder::new(body)
            .read_to_end(&mut decoded)
            .expect("valid gzip"),
        other => panic!("no decoder for {other}"),
    };
    decoded
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_is_private_and_installable() {
    let server = Server::start().await;

    let robots = fetch(&server, "/robots.txt", None).await;
    assert!(header(&robots, "x-robots-tag").contains("noindex"));
    let robots = robots.text().await.unwrap();
    assert!(
        robots.lines().any(|l| l == "User-agent: *") && robots.lines().any(|l| l == "Disallow: /"),
        "{robots}"
    );

    let index = fetch(&server, "/", None).await.text().await.unwrap();
    assert!(
        has_tag(&index, "meta", &["name=description", "content="]),
        "{index}"
    );
    assert!(
        has_tag(
            &index,
            "link",
            &["rel=manifest", "href=/manifest.webmanifest"]
        ),
        "{index}"
    );

    let manifest = fetch(&server, "/manifest.webmanifest", None).await;
    assert!(header(&manifest, "content-type").contains("manifest+json"));
    let manifest: Value = manifest.json().await.expect("a JSON manifest");
    assert_eq!(manifest["display"], "standalone");
    for field in [
        "name",
        "short_name",
        "start_url",
        "theme_color",
        "background_color",
    ] {
        assert!(manifest[field].is_string(), "{field} in {manifest}");
    }
    let icons = manifest["icons"].as_array().expect("icons");
    for (size, purpose) in [(192, "any"), (512, "any"), (512, "maskable")] {
        let icon = icons
            .iter()
            .find(|icon| icon["sizes"] == format!("{size}x{size}") && icon["purpose"] == purpose)
            .unwrap_or_else(|| panic!("no {size}px {purpose} icon in {manifest}"));
        let png = fetch(&server, icon["src"].as_str().unwrap(), None).await;
        assert_eq!(header(&png, CACHE_CONTROL), "no-cache");
        let png = png.bytes().await.unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{icon}");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{icon}");
    }
}
