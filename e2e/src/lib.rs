//! End-to-end harness: the real `ytempire-server` serving the release build
//! of the dashboard, and headless Chromium driven over WebDriver.
//!
//! Nothing here stands in for the server. Every wait is a condition polled
//! against a deadline, so a busy machine makes tests slower, not flaky.

mod browser;
mod fixtures;
mod server;
mod wait;

pub use browser::Browser;
pub use fixtures::video_completed;
pub use server::{PIPELINE_TOKEN, Server, Session};
pub use wait::{eventually, DEFAULT_DEADLINE};

use std::path::PathBuf;

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
