//! The manager's real socket path against fake sockets and a fake clock:
//! authentication, the reconnect schedule (each retry at its jittered
//! delay, the reset after a stable connection, give-up), resume after a
//! drop, the `1001`, `1008`, `1013` and `4401` closes, the connect timeout,
//! the silence watchdog, and closing with its owner.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::realtime::backoff::{Backoff, SplitMix64};
use ytempire_dashboard::realtime::reconnect::ReconnectPolicy;
use ytempire_dashboard::realtime::{
    ConnectionState, Notice, WsManager, WsOptions, provide_ws_manager_with_options,
};
use ytempire_protocol::{CLOSE_POLICY_VIOLATION, Id};

use crate::fake_clock::FakeClock;
use crate::fake_socket::FakeSockets;
use crate::support::{Mounted, mount};

const AUTHENTICATED: &str = r#"{"type":"authenticated","userId":"u-1","lastEventId":null}"#;
const SEED: u64 = 0x5EED;
const MS: Duration = Duration::from_millis(1);

/// The default policy (1 s doubling to 30 s, five retries) on a fake clock.
fn options(clock: &FakeClock) -> WsOptions {
    WsOptions {
        seed: SEED,
        clock: clock.shared(),
        ..WsOptions::new("ws://fake")
    }
}

/// The delays the manager must choose: the same policy and seed, retry by retry.
fn expected_delays(count: u32) -> Vec<Duration> {
    let backoff = ReconnectPolicy::default().backoff;
    let mut jitter = SplitMix64::new(SEED);
    (0..count).map(|n| backoff.delay(n, &mut jitter)).collect()
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

/// The only timer left after a close is the retry: its delay.
fn scheduled_retry(clock: &FakeClock) -> Duration {
    match clock.pending()[..] {
        [delay] => delay,
        ref other => panic!("expected one pending retry, found {other:?}"),
    }
}

/// Lets time run to just before `delay` (no new socket yet), then to it (one).
fn retry_fires_at(clock: &FakeClock, sockets: &FakeSockets, delay: Duration) {
    let before = sockets.opened().len();
    clock.advance(delay.saturating_sub(MS));
    assert_eq!(
        sockets.opened().len(),
        before,
        "a retry opened before its delay of {delay:?}"
    );
    clock.advance(MS * 2);
    assert_eq!(
        sockets.opened().len(),
        before + 1,
        "no retry at its delay of {delay:?}"
    );
}

#[wasm_bindgen_test]
async fn authenticates_on_open_and_goes_live_when_accepted() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (_mounted, ws) = mount_manager(options(&clock));
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
async fn each_retry_waits_its_jittered_delay_then_gives_up() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (_mounted, ws) = mount_manager(options(&clock));
    let backoff = Backoff::default();
    connect(ws);
    for (retry, expected) in expected_delays(5).into_iter().enumerate() {
        sockets.latest().close(1006);
        assert_eq!(ws.attempt().get_untracked() as usize, retry + 1);
        let delay = scheduled_retry(&clock);
        assert!(
            delay <= backoff.ceiling(retry as u32),
            "retry {retry} waits {delay:?}, over its window [0, {:?}]",
            backoff.ceiling(retry as u32)
        );
        assert_eq!(delay.as_millis(), expected.as_millis(), "retry {retry}");
        retry_fires_at(&clock, &sockets, expected);
    }
    sockets.latest().close(1006);
    assert!(ws.gave_up().get_untracked());
    assert!(
        clock.pending().is_empty(),
        "nothing scheduled after giving up"
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(sockets.opened().len(), 6, "no sixth retry");
}

#[wasm_bindgen_test]
async fn a_stable_connection_starts_the_schedule_over_and_a_short_one_does_not() {
    let policy = ReconnectPolicy::default();
    for (up_for, next_retry) in [(policy.stable_after, 0), (policy.stable_after - MS, 3)] {
        let sockets = FakeSockets::install();
        let clock = FakeClock::default();
        let (_mounted, ws) = mount_manager(options(&clock));
        connect(ws);
        for _ in 0..3 {
            sockets.latest().close(1006);
            let delay = scheduled_retry(&clock);
            clock.advance(delay);
        }
        let socket = sockets.latest();
        socket.open();
        socket.message(AUTHENTICATED);
        assert_eq!(ws.attempt().get_untracked(), 0);

        // Heartbeats keep it alive while the clock runs.
        let step = up_for / 10;
        for _ in 0..10 {
            socket.message(r#"{"type":"heartbeat"}"#);
            clock.advance(step);
        }
        clock.advance(up_for - step * 10);
        socket.close(1006);
        assert_eq!(
            ws.attempt().get_untracked(),
            next_retry + 1,
            "after {up_for:?} up"
        );
        assert!(scheduled_retry(&clock) <= policy.backoff.ceiling(next_retry));
    }
}

#[wasm_bindgen_test]
async fn going_away_and_falling_behind_reconnect_on_the_schedule_and_resume() {
    // 1001: the server is shutting down; 1013: it dropped us for falling behind.
    for code in [1001, 1013] {
        let sockets = FakeSockets::install();
        let clock = FakeClock::default();
        let (_mounted, ws) = mount_manager(options(&clock));
        let notices = Rc::new(RefCell::new(Vec::new()));
        let seen = notices.clone();
        ws.on_notice(move |notice| seen.borrow_mut().push(notice.clone()));
        connect(ws);
        let first = sockets.latest();
        first.open();
        first.message(AUTHENTICATED);
        first.message(&completed(7));

        first.close(code);
        assert_eq!(ws.state().get_untracked(), ConnectionState::Disconnected);
        assert!(!ws.gave_up().get_untracked(), "{code}");
        assert_eq!(ws.refused().get_untracked(), None, "{code}");
        assert!(
            notices.borrow().is_empty(),
            "{code}: {:?}",
            notices.borrow()
        );
        let delay = scheduled_retry(&clock);
        assert_eq!(
            delay.as_millis(),
            expected_delays(1)[0].as_millis(),
            "{code}"
        );
        retry_fires_at(&clock, &sockets, delay);

        let second = sockets.latest();
        second.open();
        assert_eq!(
            second.sent(),
            [r#"{"type":"authenticate","token":"token-1","lastEventId":7}"#],
            "{code}"
        );
        second.message(r#"{"type":"authenticated","userId":"u-1","lastEventId":7}"#);
        assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);
        assert_eq!(ws.attempt().get_untracked(), 0);
    }
}

#[wasm_bindgen_test]
async fn a_refused_socket_keeps_its_reason_and_waits_the_slow_schedule() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (_mounted, ws) = mount_manager(options(&clock));
    let cap = Backoff::default().cap;
    connect(ws);
    for _ in 0..3 {
        let socket = sockets.latest();
        socket.open();
        socket.close_with_reason(CLOSE_POLICY_VIOLATION, "too many sockets for this user");
        assert_eq!(
            ws.refused().get_untracked().as_deref(),
            Some("too many sockets for this user")
        );
        let delay = scheduled_retry(&clock);
        assert!(
            (cap / 2..=cap).contains(&delay),
            "a refused socket retries after {delay:?}, not within [{:?}, {cap:?}]",
            cap / 2
        );
        retry_fires_at(&clock, &sockets, delay);
    }
    let accepted = sockets.latest();
    accepted.open();
    accepted.message(AUTHENTICATED);
    assert_eq!(ws.refused().get_untracked(), None, "accepted at last");
}

/// What the browser does when the network comes back and when the tab is shown.
fn come_online_and_show_the_tab() {
    assert_eq!(
        document().visibility_state(),
        web_sys::VisibilityState::Visible
    );
    window()
        .dispatch_event(&web_sys::Event::new("online").unwrap())
        .unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let shown = web_sys::Event::new_with_event_init_dict("visibilitychange", &init).unwrap();
    document().dispatch_event(&shown).unwrap();
}

#[wasm_bindgen_test]
async fn coming_online_or_showing_the_tab_waits_out_a_refusal_and_refusals_give_up() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (_mounted, ws) = mount_manager(options(&clock));
    connect(ws);
    for retry in 0..ReconnectPolicy::default().max_retries {
        let socket = sockets.latest();
        socket.open();
        socket.close_with_reason(CLOSE_POLICY_VIOLATION, "too many sockets for this user");
        let delay = scheduled_retry(&clock);
        let opened = sockets.opened().len();
        come_online_and_show_the_tab();
        assert_eq!(
            sockets.opened().len(),
            opened,
            "retry {retry}: a refused tab reconnected before its slow delay"
        );
        assert_eq!(scheduled_retry(&clock), delay, "retry {retry}");
        assert_eq!(ws.attempt().get_untracked(), retry + 1);
        retry_fires_at(&clock, &sockets, delay);
    }
    sockets
        .latest()
        .close_with_reason(CLOSE_POLICY_VIOLATION, "too many sockets for this user");
    assert!(
        ws.gave_up().get_untracked(),
        "refusals count toward giving up"
    );
    assert!(clock.pending().is_empty(), "{:?}", clock.pending());
    let opened = sockets.opened().len();
    come_online_and_show_the_tab();
    assert_eq!(
        sockets.opened().len(),
        opened,
        "still refused: only a click retries"
    );
}

#[wasm_bindgen_test]
async fn a_rejected_token_is_reported_and_not_retried() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (_mounted, ws) = mount_manager(options(&clock));
    let notices = Rc::new(RefCell::new(Vec::new()));
    let seen = notices.clone();
    ws.on_notice(move |notice| seen.borrow_mut().push(notice.clone()));
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.close(4401);

    assert_eq!(*notices.borrow(), [Notice::Unauthorized]);
    assert_eq!(ws.state().get_untracked(), ConnectionState::Disconnected);
    assert!(clock.pending().is_empty(), "{:?}", clock.pending());
    clock.advance(Duration::from_secs(3600));
    assert_eq!(sockets.opened().len(), 1, "no retry");
}

#[wasm_bindgen_test]
async fn a_socket_that_never_opens_times_out_and_is_retried() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let options = options(&clock);
    let connect_timeout = options.connect_timeout;
    let (_mounted, ws) = mount_manager(options);
    connect(ws);
    let stuck = sockets.latest();
    clock.advance(connect_timeout - MS);
    assert!(!stuck.closed(), "closed before the connect timeout");
    clock.advance(MS);
    assert!(stuck.closed(), "still open at the connect timeout");
    assert_eq!(ws.attempt().get_untracked(), 1);
    clock.advance(scheduled_retry(&clock));
    assert_eq!(sockets.opened().len(), 2, "a retry");
}

#[wasm_bindgen_test]
async fn an_accepted_socket_that_goes_silent_is_dropped_and_heartbeats_keep_it() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let options = options(&clock);
    let silence = options
        .silence_timeout
        .expect("the watchdog is on by default");
    let (_mounted, ws) = mount_manager(options);
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    socket.message(AUTHENTICATED);

    // Four times the watchdog's timeout, with a heartbeat every third of it.
    for _ in 0..12 {
        socket.message(r#"{"type":"heartbeat"}"#);
        clock.advance(silence / 3);
    }
    assert!(!socket.closed(), "a socket with heartbeats stays open");
    assert_eq!(ws.state().get_untracked(), ConnectionState::Connected);

    socket.message(r#"{"type":"heartbeat"}"#);
    clock.advance(silence - MS);
    assert!(!socket.closed(), "dropped before the silence timeout");
    clock.advance(MS);
    assert!(socket.closed(), "a silent socket is dropped");
    assert_eq!(ws.state().get_untracked(), ConnectionState::Disconnected);
}

#[wasm_bindgen_test]
async fn the_socket_closes_with_its_owner() {
    let sockets = FakeSockets::install();
    let clock = FakeClock::default();
    let (mounted, ws) = mount_manager(options(&clock));
    connect(ws);
    let socket = sockets.latest();
    socket.open();
    drop(mounted);
    assert!(socket.closed());
    assert!(clock.pending().is_empty(), "{:?}", clock.pending());
}
