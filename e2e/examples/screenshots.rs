//! Remakes the README's screenshots: the demo server with simulated traffic,
//! the release build, headless Chromium at a desktop and a phone width.
//!
//! `cargo run -p ytempire-e2e --example screenshots` (after `trunk build --release`)
//! writes `docs/screenshots/*.png`.

use std::time::Duration;

use ytempire_e2e::{Browser, Server, log_in_through_form, workspace_root};

const PAGES: [(&str, &str); 6] = [
    ("overview", "/"),
    ("channels", "/channels"),
    ("videos", "/videos"),
    ("costs", "/costs"),
    ("analytics", "/analytics"),
    ("reports", "/reports"),
];

#[tokio::main]
async fn main() {
    // About as busy as a real fleet; the demo data already holds history.
    let server = Server::start_with_args(&["--simulate", "--simulate-interval-ms", "2000"]).await;
    let browser = Browser::start().await;
    let out = workspace_root().join("docs/screenshots");
    std::fs::create_dir_all(&out).expect("docs/screenshots can be created");

    log_in_through_form(&browser, &server).await;
    // Let the simulator produce a few events so the pages have something to show.
    tokio::time::sleep(Duration::from_secs(8)).await;

    for (width, suffix) in [(1440, ""), (390, "-phone")] {
        browser.set_window_size(width, 1000).await;
        for (name, path) in PAGES {
            browser.goto(&server.url(path)).await;
            browser.wait_for("main").await;
            // Charts and lists fill in from the first fetch after navigation.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let file = out.join(format!("{name}{suffix}.png"));
            std::fs::write(&file, browser.screenshot().await).expect("the screenshot is written");
            println!("wrote {}", file.display());
        }
    }
    browser.close().await;
}
