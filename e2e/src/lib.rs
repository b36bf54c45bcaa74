//! End-to-end harness: the real `ytempire-server` serving the release build
//! of the dashboard, and headless Chromium driven over WebDriver.
//!
//! Nothing here stands in for the server. Every wait is a condition polled
//! against a deadline, so a busy machine makes tests slower, not flaky.

mod browser;
mod fixtures;
mod server;
mod socket_log;
mod wait;

pub use browser::Browser;
pub use fixtures::{utc_today, video_completed, video_completed_costing, video_failed_retryable};
pub use server::{PIPELINE_TOKEN, Server, Session};
pub use socket_log::{LoggedSocket, SocketLog};
pub use wait::{DEFAULT_DEADLINE, eventually};

use std::path::PathBuf;

/// The account every fresh server seeds.
pub const DEMO_EMAIL: &str = "demo@ytempire.local";
pub const DEMO_PASSWORD: &str = "demo";

/// CSS selectors of the dashboard's test hooks.
pub mod hooks {
    pub const CONNECTION_STATUS: &str = "[data-testid=connection-status]";
    pub const VIDEOS_TODAY: &str = "[data-testid=metric-videos-today]";
    pub const TOAST: &str = "[data-testid=toast]";
    pub const RECENT_VIDEO: &str = "[data-testid=recent-video]";
}

/// Fills in and submits the login form already on screen.
pub async fn submit_login(browser: &Browser, email: &str, password: &str) {
    browser.fill("#email", email).await;
    browser.fill("#password", password).await;
    browser.click("button[type=submit]").await;
}

/// Waits for the dashboard's live connection.
pub async fn wait_until_live(browser: &Browser) {
    browser
        .wait_for_text(hooks::CONNECTION_STATUS, DEFAULT_DEADLINE, |t| {
            t.contains("Live")
        })
        .await;
}

/// Logs in as the demo user through the login form, as an operator does,
/// and waits for the dashboard's live connection.
pub async fn log_in_through_form(browser: &Browser, server: &Server) {
    browser.goto(&server.url("/login")).await;
    submit_login(browser, DEMO_EMAIL, DEMO_PASSWORD).await;
    wait_until_live(browser).await;
}

/// A count as the dashboard formats it ("1,234").
pub fn parse_count(text: &str) -> Option<u32> {
    text.trim().replace(',', "").parse().ok()
}

/// The number shown by a metric card, once it shows one.
pub async fn metric(browser: &Browser, css: &str) -> u32 {
    let text = browser
        .wait_for_text(css, DEFAULT_DEADLINE, |t| parse_count(t).is_some())
        .await;
    parse_count(&text).expect("a count")
}

/// Waits until a metric card shows exactly `expected`.
pub async fn wait_for_metric(browser: &Browser, css: &str, expected: u32) {
    browser
        .wait_for_text(css, DEFAULT_DEADLINE, |t| parse_count(t) == Some(expected))
        .await;
}

/// Waits until the dashboard shows the server's own "videos today", and
/// checks that it is `expected` unless UTC midnight passed since `day` (a
/// new day starts a new count), so the check holds across midnight.
pub async fn wait_for_videos_today(browser: &Browser, server: &Server, day: &str, expected: u32) {
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let counted = server.overview(&session).await.metrics.videos_today;
    if utc_today() == day {
        assert_eq!(counted, expected, "the server's count for {day}");
    }
    wait_for_metric(browser, hooks::VIDEOS_TODAY, counted).await;
}

/// The workspace root, where `target/` and `dist/` live by default.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ sits inside the workspace")
        .to_path_buf()
}

/// A path from an environment variable, or a default under the workspace.
fn path_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(default))
}

/// A TCP port that was free a moment ago on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("loopback has a free port")
        .port()
}
