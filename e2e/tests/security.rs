//! The dashboard under the real server's Content-Security-Policy: signed out
//! and signed in, with live traffic, every page loads and runs without a
//! single `securitypolicyviolation`.
//!
//! The listener must exist before the page's first script runs (a blocked
//! bootstrap fires at once), and survive full page loads; so it is installed
//! over the DevTools protocol on every new document and reports through a
//! binding, which delivers each violation to this test whatever page it
//! happened on.

use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, Server, eventually, hooks,
    log_in_through_form, metric, video_failed_retryable,
};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const BINDING: &str = "__ytempireCspViolation";

/// Violations seen by the page, as the browser reported them.
#[derive(Clone, Default)]
struct Violations(Arc<Mutex<Vec<Value>>>);

impl Violations {
    fn all(&self) -> Vec<Value> {
        self.0.lock().expect("not poisoned").clone()
    }
}

/// A DevTools connection to the browser's page that reports every CSP
/// violation of every document it loads from now on.
async fn watch_violations(devtools_port: u16) -> (Violations, tokio::task::JoinHandle<()>) {
    let targets = format!("http://127.0.0.1:{devtools_port}/json/list");
    let page = eventually("the DevTools page target", DEFAULT_DEADLINE, || async {
        let targets: Vec<Value> = reqwest::get(&targets).await.ok()?.json().await.ok()?;
        targets
            .into_iter()
            .find(|target| target["type"] == "page")?
            .get("webSocketDebuggerUrl")?
            .as_str()
            .map(str::to_owned)
    })
    .await;
    let (mut socket, _) = tokio_tungstenite::connect_async(&page)
        .await
        .expect("a DevTools connection");
    let listener = format!(
        "document.addEventListener('securitypolicyviolation', (e) => {BINDING}(JSON.stringify({{
            directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
            line: e.lineNumber, sample: e.sample, page: location.pathname }})));"
    );
    // Page scripts only apply to new documents with the Page domain enabled.
    call(&mut socket, 1, "Page.enable", json!({})).await;
    call(&mut socket, 2, "Runtime.enable", json!({})).await;
    call(
        &mut socket,
        3,
        "Runtime.addBinding",
        json!({ "name": BINDING }),
    )
    .await;
    call(
        &mut socket,
        4,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": listener }),
    )
    .await;

    let violations = Violations::default();
    let seen = violations.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let Ok(frame) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if frame["method"] == "Runtime.bindingCalled" && frame["params"]["name"] == BINDING {
                let payload = frame["params"]["payload"].as_str().unwrap_or_default();
                let violation = serde_json::from_str(payload).unwrap_or(json!(payload));
                seen.0.lock().expect("not poisoned").push(violation);
            }
        }
    });
    (violations, reader)
}

/// Sends one DevTools command and waits for its answer.
async fn call(socket: &mut Socket, id: u64, method: &str, params: Value) {
    let command = json!({ "id": id, "method": method, "params": params });
    socket
        .send(Message::text(command.to_string()))
        .await
        .expect("a DevTools send");
    let answer = tokio::time::timeout(DEFAULT_DEADLINE, async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    let frame: Value = serde_json::from_str(&text).expect("DevTools JSON");
                    if frame["id"] == id {
                        return frame;
                    }
                }
                Some(Ok(_)) => continue,
                other => panic!("the DevTools connection ended: {other:?}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no answer to {method}"));
    assert!(answer.get("error").is_none(), "{method}: {answer}");
}

/// Clicks a button from the page: the live traffic's toasts may cover it,
/// which would stop a pointer click.
async fn press(browser: &Browser, css: &str) {
    browser.wait_for(css).await;
    browser
        .run_script(
            "document.querySelector(arguments[0]).click();",
            vec![json!(css)],
        )
        .await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("loopback has a free port")
        .port()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_runs_under_the_policy_without_a_violation() {
    // Live traffic, so toasts, banners and charts render under the policy too.
    let server = Server::start_with_args(&["--simulate", "--simulate-interval-ms", "300"]).await;
    let devtools_port = free_port();
    let browser =
        Browser::start_with_args(&[&format!("--remote-debugging-port={devtools_port}")]).await;
    let (violations, reader) = watch_violations(devtools_port).await;

    log_in_through_form(&browser, &server).await;
    metric(&browser, hooks::VIDEOS_TODAY).await;
    for (path, shown) in [
        ("/channels", "[data-testid=channel-card]"),
        ("/videos", "[data-testid=video-row]"),
        ("/costs", "[data-testid=budget-gauge]"),
        ("/analytics", "[data-testid=analytics-totals]"),
        ("/reports", "[data-testid=reports-page]"),
        ("/no/such/page", "[data-testid=not-found]"),
        ("/", hooks::VIDEOS_TODAY),
    ] {
        browser.goto(&server.url(path)).await;
        browser.wait_for(shown).await;
    }
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let channel = server.overview(&session).await.channels.remove(0);
    let failure = video_failed_retryable("e2e-csp-1", &channel, "TTS quota exceeded");
    assert_eq!(server.post_pipeline_event(&failure).await, 202);
    browser.wait_for(hooks::TOAST).await;
    browser.goto(&server.url("/reports")).await;
    press(&browser, "[data-testid=report-run]").await;
    browser.wait_for("[data-testid=report-summary]").await;
    press(&browser, "[data-testid=report-download]").await;
    browser.downloaded(".csv").await;

    // The watch itself works: a request the policy forbids is reported.
    // Reports arrive in order, so once this one is in, every earlier one is.
    browser
        .run_script(
            "const probe = new Image(); probe.src = 'http://192.0.2.1/csp-probe.png';",
            vec![],
        )
        .await;
    eventually("the probe's violation", DEFAULT_DEADLINE, || async {
        violations
            .all()
            .iter()
            .any(|v| {
                v["blocked"]
                    .as_str()
                    .is_some_and(|b| b.contains("csp-probe"))
            })
            .then_some(())
    })
    .await;
    let unexpected: Vec<Value> = violations
        .all()
        .into_iter()
        .filter(|v| {
            !v["blocked"]
                .as_str()
                .is_some_and(|b| b.contains("csp-probe"))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "the dashboard violates its policy: {unexpected:#?}"
    );
    reader.abort();
    browser.close().await;
}
