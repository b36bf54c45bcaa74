//! The manager's connection logic in the browser: reconnecting when the
//! network comes back or the tab is shown, resume, and replay classification.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::realtime::reconnect::ReconnectPolicy;
use ytempire_dashboard::realtime::{
    ConnectionState, Delivery, Notice, WsManager, WsOptions, provide_ws_manager_with_options,
};
use ytempire_protocol::Id;

use crate::fake_socket::FakeSockets;
use crate::support::{Mounted, mount};

fn mount_manager() -> (Mounted, WsManager) {
    let handle = Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();
    let mounted = mount(move || {
        out.set(Some(provide_ws_manager_with_options(WsOptions {
            reconnect: ReconnectPolicy {
                max_retries: 0,
                ..ReconnectPolicy::default()
            },
            ..WsOptions::new("ws://fake")
        })));
    });
    (mounted, handle.take().unwrap())
}

fn given_up(sockets: &FakeSockets, ws: WsManager) {
    ws.connect(Id::new("u-1").unwrap(), "token".into());
    sockets.latest().close(1006);
    assert!(ws.gave_up().get_untracked());
}

fn completed(id: u64) -> String {
    format!(
        r#"{{"id":{id},"type":"video.completed","payload":{{"videoId":"v-{id}","channelId":"c-1","channelName":"C","title":"T","url":"https://youtube.com/","cost":0.1,"generationTime":1,"timestamp":"2026-01-01T00:00:00Z"}}}}"#
    )
}

#[wasm_bindgen_test]
async fn coming_back_online_reconnects_at_once() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager();
    given_up(&sockets, ws);
    window()
        .dispatch_event(&web_sys::Event::new("online").unwrap())
        .unwrap();
    assert!(!ws.gave_up().get_untracked());
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connecting);
    assert_eq!(sockets.opened().len(), 2);
}

#[wasm_bindgen_test]
async fn showing_the_tab_reconnects_at_once() {
    let sockets = FakeSockets::install();
    let (_mounted, ws) = mount_manager();
    given_up(&sockets, ws);
    assert_eq!(
        document().visibility_state(),
        web_sys::VisibilityState::Visible
    );
    // As the browser does: fired at the document, bubbling to the window.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("visibilitychange", &init).unwrap();
    document().dispatch_event(&event).unwrap();
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connecting);
    assert_eq!(sockets.opened().len(), 2);
}

#[wasm_bindgen_test]
async fn resync_frames_and_lost_server_history_raise_a_resync_notice() {
    let (_mounted, ws) = mount_manager();
    let notices = Rc::new(RefCell::new(Vec::new()));
    let seen = notices.clone();
    ws.on_notice(move |notice| seen.borrow_mut().push(notice.clone()));

    ws.receive(r#"{"type":"resync","oldestEventId":40}"#);
    assert_eq!(*notices.borrow(), [Notice::Resync]);

    // We applied up to 5; a server that says its newest is 2 lost our history.
    ws.receive(r#"{"type":"authenticated","userId":"u-1","lastEventId":null}"#);
    ws.receive(&completed(5));
    ws.receive(r#"{"type":"authenticated","userId":"u-1","lastEventId":2}"#);
    assert_eq!(*notices.borrow(), [Notice::Resync, Notice::Resync]);
    assert_eq!(ws.last_event_id(), Some(2));
}

#[wasm_bindgen_test]
async fn replayed_events_are_told_apart_from_live_ones() {
    let (_mounted, ws) = mount_manager();
    let deliveries = Rc::new(RefCell::new(Vec::new()));
    let seen = deliveries.clone();
    ws.subscribe_all(move |event, delivery| seen.borrow_mut().push((event.id, delivery)));

    ws.receive(r#"{"type":"authenticated","userId":"u-1","lastEventId":null}"#);
    ws.receive(&completed(1));
    // Reconnected after missing 2 and 3; the server replays them, then 4 is live.
    ws.receive(r#"{"type":"authenticated","userId":"u-1","lastEventId":3}"#);
    for id in [1, 2, 3, 4] {
        ws.receive(&completed(id));
    }
    assert_eq!(
        *deliveries.borrow(),
        [
            (1, Delivery::Live),
            (2, Delivery::Replayed),
            (3, Delivery::Replayed),
            (4, Delivery::Live),
        ]
    );
}
