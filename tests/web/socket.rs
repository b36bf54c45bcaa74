//! The manager's real socket path against fake sockets: authentication,
//! resume after a drop, the 4401 close, the connect timeout, the silence
//! watchdog, and closing with its owner.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::realtime::backoff::Backoff;
use ytempire_dashboard::realtime::reconnect::ReconnectPolicy;
use ytempire_dashboard::realtime::{
    ConnectionState, Notice, WsManager, WsOptions, provide_ws_manager_with_options,
};
use ytempire_protocol::Id;

use crate::fake_socket::FakeSockets;
use crate::fakes::holds_for;
use crate::support::{Mounted, mount, wait_until};

const AUTHENTICATED: &str = r#"{"type":"authenticated","userId":"u-1","lastEventId":null}"#;

/// Fast retries, so a test sees several attempts within its deadline.
fn options() -> WsOptions {
    WsOptions {
        reconnect: ReconnectPolicy {
            backoff: Backoff {
                base: Duration::from_millis(20),
                cap: Duration::from_millis(40),
            },
            ..ReconnectPolicy::default()
        },
        ..WsOptions::new("ws://fake")
    }
}

fn mount_manager(options: WsOptions) -> (Mounted, WsManager) {
    let handle = Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();
    let mounted = mount(move || out.set(Some(provide_ws_manager_with_options(options))));
    (mounted, handle.take().unwrap())
}

fn connect(ws: WsManager) {
    ws.connect(Id::new("u-1").unwrap(), "token-1".into());
}

fn completed(id: u64) -> String {
    format!(
        r#"{{"id":{id},"type":"video.completed","payload":{{"videoId":"v-{id}","channelId":"c-1","channelName":"C","title":"T","url":"https://youtube.com/","cost":0.1,"generationTime":1,"timestamp":"2026-01-01T00:00:00Z"}}}}"#
    )
}

#[wasm_bindgen_test]
async fn authenticates_on_open_and_goes_live_when_accepted() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(options());
    connect(ws);
    let socket = sockets.latest();
    assert_eq!(socket.url(), "ws://fake/ws/u-1");
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connecting);

    socket.open();
    assert_eq!(
        socket.sent(),
        [r#"{"type":"authenticate","token":"token-1","lastEventId":null}"#]
    );
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connecting);
    socket.message(AUTHENTICATED);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);
}

#[wasm_bindgen_test]
async fn a_dropped_connection_resumes_from_the_last_event() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(options());
    connect(ws);
    let first = sockets.latest();
    first.open();
    first.message(AUTHENTICATED);
    first.message(&completed(7));

    first.close(1006);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Disconnected);
    assert_eq!(ws.attempt().get_untracked(), 1);
    wait_until("a new socket", || sockets.opened().len() == 2).await;

    let second = sockets.latest();
    second.open();
    assert_eq!(
        second.sent(),
        [r#"{"type":"authenticate","token":"token-1","lastEventId":7}"#]
    );
    second.message(r#"{"type":"authenticated","userId":"u-1","lastEventId":7}"#);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);
    assert_eq!(ws.attempt().get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn a_rejected_token_is_reported_and_not_retried() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(options());
    let notices = Rc::new(RefCell::new(Vec::new()));
    let seen = notices.clone();
    ws.on_notice(move |notice| seen.borrow_mut().push(notice.clone()));
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.close(4401);

    assert_eq!(*notices.borrow(), [Notice::Unauthorized]);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Disconnected);
    holds_for("no retry", 200.0, || sockets.opened().len() == 1).await;
}

#[wasm_bindgen_test]
async fn a_socket_that_never_opens_times_out_and_is_retried() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(WsOptions {
        connect_timeout: Duration::from_millis(50),
        ..options()
    });
    connect(ws);
    let stuck = sockets.latest();
    wait_until("the stuck socket closed", || stuck.closed()).await;
    wait_until("a retry", || sockets.opened().len() == 2).await;
}

#[wasm_bindgen_test]
async fn an_accepted_socket_that_goes_silent_is_dropped() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(WsOptions {
        silence_timeout: Some(Duration::from_millis(100)),
        ..options()
    });
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);
    wait_until("silent socket dropped", || socket.closed()).await;
    assert_ne!(ws.state().get_untracked(), ConnectionState::Connected);
}

#[wasm_bindgen_test]
async fn heartbeats_keep_a_quiet_socket_alive() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(WsOptions {
        silence_timeout: Some(Duration::from_millis(150)),
        ..options()
    });
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);
    // Four times the watchdog's timeout, with a heartbeat every third of it.
    for _ in 0..12 {
        socket.message(r#"{"type":"heartbeat"}"#);
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
    }
    assert!(!socket.closed(), "a socket with heartbeats stays open");
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);
}

#[wasm_bindgen_test]
async fn gives_up_after_five_failed_retries() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager(options());
    connect(ws);
    for attempt in 1..=5 {
        sockets.latest().close(1006);
        assert_eq!(ws.attempt().get_untracked(), attempt);
        wait_until("the next attempt", || {
            sockets.opened().len() == attempt as usize + 1
        })
        .await;
    }
    sockets.latest().close(1006);
    assert!(ws.gave_up().get_untracked());
    holds_for("no sixth retry", 200.0, || sockets.opened().len() == 6).await;
}

#[wasm_bindgen_test]
async fn the_socket_closes_with_its_owner() {
    let sockets = FakeSockets::install();
    let (mounted, ws) = mount_manager(options());
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    drop(mounted);
    assert!(socket.closed());
}
