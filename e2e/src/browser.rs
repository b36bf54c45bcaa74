use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::{DEFAULT_DEADLINE, eventually, free_port, path_from_env};

/// Headless Chromium under its own chromedriver, configured from the same
/// `webdriver.json` the wasm-bindgen browser tests use.
pub struct Browser {
    client: Client,
    /// chromedriver's own endpoint, for the Chrome DevTools commands it relays.
    webdriver_url: String,
    http: reqwest::Client,
    downloads: tempfile::TempDir,
    _driver: Child,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with_args(&[]).await
    }

    /// Like [`Browser::start`], with extra Chromium command-line switches.
    pub async fn start_with_args(args: &[&str]) -> Browser {
        let port = free_port();
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));

        let webdriver_url = format!("http://127.0.0.1:{port}");
        let downloads = tempfile::tempdir().expect("a download dir");
        let capabilities = capabilities(downloads.path(), args);
        let client = eventually(
            "chromedriver to open a session",
            DEFAULT_DEADLINE,
            || async {
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&webdriver_url)
                    .await
                    .ok()
            },
        )
        .await;
        Browser {
            client,
            webdriver_url,
            http: reqwest::Client::new(),
            downloads,
            _driver: driver,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigation works");
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.expect("the field can be cleared");
        field.send_keys(text).await.expect("the field takes keys");
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .expect("the element can be clicked");
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(DEFAULT_DEADLINE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// The text of every element matching `css`, empty when none does.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            if let Ok(text) = element.text().await {
                texts.push(text);
            }
        }
        texts
    }

    /// Waits until some element matching `css` has text satisfying `pred`,
    /// and returns that text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        deadline: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        eventually(
            &format!("{css} to show the expected text"),
            deadline,
            || async { self.texts(css).await.into_iter().find(|text| pred(text)) },
        )
        .await
    }

    /// The current `value` of a form field.
    pub async fn value(&self, css: &str) -> String {
        self.wait_for(css)
            .await
            .prop("value")
            .await
            .expect("the field has a value")
            .unwrap_or_default()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page
    /// and returns its result, awaited when it is a promise.
    pub async fn run_script(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    pub async fn current_path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("a current URL")
            .path()
            .to_owned()
    }

    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window can be resized");
    }

    pub async fn screenshot(&self) -> Vec<u8> {
        self.client.screenshot().await.expect("a screenshot")
    }

    /// Waits for a finished download whose file name ends with `suffix`,
    /// and returns its file name and content.
    pub async fn downloaded(&self, suffix: &str) -> (String, String) {
        let dir = self.downloads.path();
        eventually(
            &format!("a download named *{suffix}"),
            DEFAULT_DEADLINE,
            || async {
                let entries = std::fs::read_dir(dir).ok()?;
                let file = entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .find(|path| path.to_string_lossy().ends_with(suffix))?;
                let name = file.file_name()?.to_string_lossy().into_owned();
                Some((name, std::fs::read_to_string(file).ok()?))
            },
        )
        .await
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver's
    /// `goog/cdp/execute` endpoint and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let session = self
            .client
            .session_id()
            .await
            .expect("chromedriver knows its session")
            .expect("a session is open");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.webdriver_url);
        let response = self
            .http
            .post(&url)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        assert!(status.is_success(), "{cmd} failed with {status}: {body}");
        body["value"].clone()
    }

    /// Cuts the page off the network (`offline`) or gives it back, as
    /// DevTools' network throttling does: the server stays up, and the page
    /// gets the `offline` and `online` events a real outage fires.
    pub async fn set_offline(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// `webdriver.json`, plus a download folder of this browser's own.
fn capabilities(downloads: &Path, args: &[&str]) -> serde_json::Map<String, Value> {
    let path = path_from_env("YTEMPIRE_WEBDRIVER_JSON", "webdriver.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let capabilities: serde_json::Map<String, Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a JSON object: {e}", path.display()));
    with_chrome_options(capabilities, downloads, args)
}

/// Adds `args` to Chromium's switches (whether or not the file gave any)
/// and points its downloads at `downloads`.
fn with_chrome_options(
    mut capabilities: serde_json::Map<String, Value>,
    downloads: &Path,
    args: &[&str],
) -> serde_json::Map<String, Value> {
    let chrome = capabilities
        .entry("goog:chromeOptions")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("goog:chromeOptions is an object");
    chrome
        .entry("args")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("goog:chromeOptions.args is an array")
        .extend(args.iter().map(|arg| json!(arg)));
    chrome.insert(
        "prefs".into(),
        json!({"download.default_directory": downloads, "download.prompt_for_download": false}),
    );
    capabilities
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome_args(capabilities: Value) -> Value {
        let Value::Object(capabilities) = capabilities else {
            panic!("an object");
        };
        with_chrome_options(capabilities, Path::new("/tmp/downloads"), &["--lang=de"])
            ["goog:chromeOptions"]["args"]
            .clone()
    }

    #[test]
    fn extra_switches_are_added_even_when_the_file_gives_none() {
        assert_eq!(chrome_args(json!({})), json!(["--lang=de"]));
        assert_eq!(
            chrome_args(json!({"goog:chromeOptions": {}})),
            json!(["--lang=de"])
        );
        assert_eq!(
            chrome_args(json!({"goog:chromeOptions": {"args": ["--headless"]}})),
            json!(["--headless", "--lang=de"])
        );
    }
}
