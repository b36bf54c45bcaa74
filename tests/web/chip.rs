//! The connection chip follows the manager's state and the polling flag.

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::components::connection_chip::ConnectionChip;
use ytempire_dashboard::realtime::reconnect::ReconnectPolicy;
use ytempire_dashboard::realtime::{
    ConnectionState, WsManager, WsOptions, provide_ws_manager_with_options,
};
use ytempire_dashboard::state::{DashboardStore, provide_dashboard_store};
use ytempire_protocol::Id;

use crate::fake_socket::FakeSockets;
use crate::support::{Mounted, mount, wait_until};

const AUTHENTICATED: &str = r#"{"type":"authenticated","userId":"u-1","lastEventId":7}"#;

fn mount_chip(max_retries: u32) -> (Mounted, WsManager, DashboardStore) {
    let handles = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handles.clone();
    let mounted = mount(move || {
        let store = provide_dashboard_store();
        let ws = provide_ws_manager_with_options(WsOptions {
            reconnect: ReconnectPolicy {
                max_retries,
                ..ReconnectPolicy::default()
            },
            ..WsOptions::new("ws://fake")
        });
        out.set(Some((ws, store)));
        view! { <ConnectionChip /> }
    });
    let (ws, store) = handles.take().unwrap();
    (mounted, ws, store)
}

fn connect(ws: WsManager) {
    ws.connect(Id::new("u-1").unwrap(), "token".into());
}

fn chip(mounted: &Mounted) -> (String, String) {
    let el = mounted.one("[data-testid=connection-status]").unwrap();
    (
        el.text_content().unwrap_or_default(),
        el.get_attribute("title").unwrap_or_default(),
    )
}

#[wasm_bindgen_test]
async fn idle_chip_is_offline_then_polling_only_while_polling_works() {
    let (mounted, _ws, store) = mount_chip(5);
    wait_until("offline chip", || chip(&mounted).0 == "Offline").await;
    assert_eq!(
        chip(&mounted).1,
        "WebSocket: disconnected, Polling: Inactive"
    );

    store.set_polling_active(true);
    wait_until("polling-only chip", || chip(&mounted).0 == "Polling Only").await;
    assert_eq!(chip(&mounted).1, "WebSocket: disconnected, Polling: Active");
}

#[wasm_bindgen_test]
async fn connecting_then_live_once_the_server_accepts_the_token() {
    let sockets = FakeSockets::install();
    let (mounted, ws, _store) = mount_chip(5);
    connect(ws);
    wait_until("connecting chip", || chip(&mounted).0 == "Connecting...").await;
    assert_eq!(chip(&mounted).1, "WebSocket: connecting, Polling: Inactive");

    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);
    wait_until("live chip", || chip(&mounted).0 == "Live").await;
    assert_eq!(chip(&mounted).1, "WebSocket: connected, Polling: Inactive");
}

#[wasm_bindgen_test]
async fn a_drop_leaves_live_at_once() {
    let sockets = FakeSockets::install();
    let (mounted, ws, store) = mount_chip(5);
    store.set_polling_active(true);
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);
    wait_until("live chip", || chip(&mounted).0 == "Live").await;

    socket.close(1001);
    wait_until("polling-only chip", || chip(&mounted).0 == "Polling Only").await;
}

#[wasm_bindgen_test]
async fn gives_up_offline_with_a_reconnect_button_that_tries_again() {
    let sockets = FakeSockets::install();
    let (mounted, ws, _store) = mount_chip(0);
    assert!(mounted.one("[data-testid=reconnect]").is_none());
    connect(ws);
    sockets.latest().close(1006);
    wait_until("offline chip with button", || {
        chip(&mounted).0 == "Offline" && mounted.one("[data-testid=reconnect]").is_some()
    })
    .await;
    assert!(ws.gave_up().get_untracked());

    mounted.click("[data-testid=reconnect]");
    assert_eq!(sockets.opened().len(), 2);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connecting);
    wait_until("connecting, button gone", || {
        chip(&mounted).0 == "Connecting..." && mounted.one("[data-testid=reconnect]").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn disconnect_closes_and_forgets_the_cursor() {
    let sockets = FakeSockets::install();
    let (mounted, ws, _store) = mount_chip(5);
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);
    wait_until("live chip", || chip(&mounted).0 == "Live").await;
    assert_eq!(ws.last_event_id(), Some(7));

    ws.disconnect();
    assert!(socket.closed());
    wait_until("offline after disconnect", || chip(&mounted).0 == "Offline").await;
    assert_eq!(ws.attempt().get_untracked(), 0);
    assert_eq!(ws.last_event_id(), None);
}

#[wasm_bindgen_test]
async fn a_refused_socket_shows_the_servers_reason_until_one_is_accepted() {
    let sockets = FakeSockets::install();
    let (mounted, ws, store) = mount_chip(5);
    store.set_polling_active(true);
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.close_with_reason(
        ytempire_protocol::CLOSE_POLICY_VIOLATION,
        "too many sockets for this user (32)",
    );
    wait_until("the reason in the chip's title", || {
        chip(&mounted)
            == (
                "Polling Only".to_owned(),
                "WebSocket: disconnected, Polling: Active (refused: too many sockets for this user (32))"
                    .to_owned(),
            )
    })
    .await;
    let refusal = mounted.one("[data-testid=connection-refusal]").unwrap();
    assert_eq!(refusal.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(
        refusal.text_content().as_deref(),
        Some("Refused: too many sockets for this user (32)"),
        "the reason as text, not only in a title"
    );

    // The slow retry is 15–30 s away on the browser's clock; the Reconnect
    // button's path, which a refusal does not hold back, stands in for it.
    ws.reconnect_now();
    let accepted = sockets.latest();
    accepted.open();
    accepted.message(AUTHENTICATED);
    wait_until("a live chip without the reason", || {
        chip(&mounted)
            == (
                "Live".to_owned(),
                "WebSocket: connected, Polling: Active".to_owned(),
            )
            && mounted
                .text("[data-testid=connection-refusal]")
                .is_some_and(|text| text.is_empty())
    })
    .await;
}
