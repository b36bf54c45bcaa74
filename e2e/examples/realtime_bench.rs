//! Benchmark of the real-time path as an operator sees it: from the pipeline
//! POST to the toast in the DOM of the release build in headless Chromium,
//! with 100 other authenticated WebSocket connections open on the server,
//! and the page's memory before and after many events.
//!
//! ```text
//! trunk build --release && cargo build --release -p ytempire-server
//! YTEMPIRE_SERVER_BIN=target/release/ytempire-server \
//!     cargo run --release -p ytempire-e2e --example realtime_bench -- 1000 10000
//! ```
//! Arguments: events timed one at a time (default 1000), then events sent for
//! the memory check (default 10000).

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use ytempire_e2e::{
    Browser, DEMO_EMAIL, DEMO_PASSWORD, Server, log_in_through_form, video_completed,
};

const OTHER_CONNECTIONS: usize = 100;

/// Records when each toast enters the DOM, by the page's own clock (which is
/// the machine's: the same one the POST times are taken from).
const RECORD_TOASTS: &str = r#"
    window.__toastSeen = new Map();
    new MutationObserver((records) => {
        const at = performance.timeOrigin + performance.now();
        for (const record of records) for (const node of record.addedNodes) {
            if (node.nodeType !== 1) continue;
            const toasts = node.matches('[data-testid=toast]') ? [node] : node.querySelectorAll('[data-testid=toast]');
            for (const toast of toasts) {
                const id = (toast.textContent.match(/bench-\d+/) || [])[0];
                if (id && !window.__toastSeen.has(id)) window.__toastSeen.set(id, at);
            }
        }
    }).observe(document.body, { childList: true, subtree: true });
"#;

/// Resolves with the DOM arrival time of toast `arguments[0]` once it is there.
const TOAST_ARRIVAL: &str = r#"
    const id = arguments[0];
    return new Promise((resolve) => {
        const poll = () => window.__toastSeen.has(id) ? resolve(window.__toastSeen.get(id)) : setTimeout(poll, 1);
        poll();
    });
"#;

/// JS heap and wasm linear memory after a forced garbage collection.
const MEMORY: &str = r#"
    return (async () => {
        window.gc();
        // wasm-bindgen's init hands back the running instance when called again.
        const wasm = await window.wasmBindings.default();
        return { jsHeap: performance.memory.usedJSHeapSize, wasmMemory: wasm.memory.buffer.byteLength };
    })();
"#;

#[tokio::main]
async fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("a count"));
    let timed = args.next().unwrap_or(1000);
    let soak = args.next().unwrap_or(10_000);

    let server = Server::start().await;
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let channel = server.overview(&session).await.channels.remove(0);
    let others = open_connections(&server, &session).await;

    let browser =
        Browser::start_with_args(&["--enable-precise-memory-info", "--js-flags=--expose-gc"]).await;
    log_in_through_form(&browser, &server).await;
    browser.run_script(RECORD_TOASTS, vec![]).await;
    let memory_at_load = memory(&browser).await;

    let mut latencies = Vec::with_capacity(timed);
    for n in 0..timed {
        let id = format!("bench-{n}");
        let posted = epoch_millis();
        assert_eq!(
            server
                .post_pipeline_event(&video_completed(&id, &channel, &id))
                .await,
            202
        );
        let shown = browser.run_script(TOAST_ARRIVAL, vec![json!(id)]).await;
        latencies.push(shown.as_f64().expect("a time") - posted);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "POST -> toast in DOM over {timed} events ({OTHER_CONNECTIONS} other connections): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    );

    let memory_after_timed = memory(&browser).await;
    // Two equal halves: a heap that is flat from one checkpoint to the next
    // holds bounded state; one that grows in step with the events leaks.
    let half = soak / 2;
    let mut checkpoints = vec![(timed, memory_after_timed)];
    for (from, to) in [(timed, timed + half), (timed + half, timed + soak)] {
        for n in from..to {
            let id = format!("bench-{n}");
            assert_eq!(
                server
                    .post_pipeline_event(&video_completed(&id, &channel, &id))
                    .await,
                202
            );
        }
        let last = format!("bench-{}", to - 1);
        browser.run_script(TOAST_ARRIVAL, vec![json!(last)]).await;
        checkpoints.push((to, memory(&browser).await));
    }
    println!("memory after load:          {memory_at_load}");
    for (events, memory) in checkpoints {
        println!("memory after {events:>6} events: {memory}");
    }

    others.iter().for_each(tokio::task::JoinHandle::abort);
    browser.close().await;
}

async fn memory(browser: &Browser) -> String {
    let m: Value = browser.run_script(MEMORY, vec![]).await;
    let kib = |key: &str| m[key].as_f64().unwrap_or_default() / 1024.0;
    format!(
        "JS heap {:.0} KiB, wasm memory {:.0} KiB",
        kib("jsHeap"),
        kib("wasmMemory")
    )
}

/// Authenticated sockets of the same user that read and discard every frame,
/// so the server fans each event out to them too.
async fn open_connections(
    server: &Server,
    session: &ytempire_e2e::Session,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::with_capacity(OTHER_CONNECTIONS);
    for _ in 0..OTHER_CONNECTIONS {
        let url = server
            .url(&format!("/ws/{}", session.user_id))
            .replacen("http", "ws", 1);
        let (mut socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("a WebSocket");
        let hello = json!({"type": "authenticate", "token": session.token, "lastEventId": null});
        socket
            .send(Message::text(hello.to_string()))
            .await
            .expect("authenticate is sent");
        tasks.push(tokio::spawn(async move {
            while socket.next().await.is_some() {}
        }));
    }
    tasks
}

fn epoch_millis() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs_f64()
        * 1000.0
}
