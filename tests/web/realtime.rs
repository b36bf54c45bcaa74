//! Frames in, DOM out: the event reducers, dedupe, bad frames and the latency
//! monitor wired to the stores, and subscriptions that end with their component.

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::components::diagnostics_panel::DiagnosticsPanel;
use ytempire_dashboard::components::toast::ToastRegion;
use ytempire_dashboard::pages::overview::OverviewPage;
use ytempire_dashboard::realtime::{
    ConnectionState, WsManager, WsOptions, provide_latency_monitor,
    provide_ws_manager_with_options, use_realtime_sync, use_ws_manager,
};
use ytempire_dashboard::state::{
    DashboardStore, Session, provide_dashboard_store, provide_session, provide_toasts,
};
use ytempire_protocol::{
    Channel, ChannelStatus, Id, LoginResponse, MAX_FRAME_BYTES, Metrics, Overview, Timestamp, Usd,
    User, VideoCompleted,
};

use crate::support::{Mounted, mount, wait_until};

fn usd(amount: f64) -> Usd {
    Usd::new(amount).unwrap()
}

fn overview() -> Overview {
    Overview {
        metrics: Metrics {
            channel_count: 1,
            active_channels: 1,
            videos_today: 3,
            failed_today: 0,
            processing_now: 1,
            cost_today: usd(10.0),
            daily_budget: usd(50.0),
            revenue_today: usd(120.0),
            average_cost_per_video: usd(0.5),
        },
        channels: vec![Channel {
            id: Id::new("c-1").unwrap(),
            name: "Tech Daily".into(),
            status: ChannelStatus::Active,
            videos_today: 3,
            failed_today: 0,
            cost_today: usd(10.0),
            total_videos: 40,
        }],
        // 2026-11-25T00:00:00Z: timestamps parse only in the years 2000–2999.
        generated_at: Timestamp::from_millis(1_795_564_800_000),
        last_event_id: None,
    }
}

fn now() -> String {
    Timestamp::from_millis(js_sys::Date::now() as i64).to_string()
}

fn completed(id: u64, title: &str) -> String {
    format!(
        r#"{{"id":{id},"type":"video.completed","payload":{{"videoId":"v-{id}","channelId":"c-1","channelName":"Tech Daily","title":"{title}","url":"https://youtube.com/watch?v={id}","cost":0.5,"generationTime":120,"timestamp":"{}"}}}}"#,
        now()
    )
}

fn failed(id: u64) -> String {
    format!(
        r#"{{"id":{id},"type":"video.failed","payload":{{"videoId":"v-{id}","channelId":"c-1","channelName":"Tech Daily","error":{{"stage":"audio","message":"TTS quota exceeded","retryable":true}},"cost":0.25,"timestamp":"{}"}}}}"#,
        now()
    )
}

fn cost_alert(id: u64, level: &str) -> String {
    format!(
        r#"{{"id":{id},"type":"cost.alert","payload":{{"level":"{level}","currentCost":49.5,"threshold":50,"message":"Daily budget reached","remainingBudget":0.5,"projectedDailyCost":70,"timestamp":"{}"}}}}"#,
        now()
    )
}

fn mount_dashboard() -> (Mounted, WsManager, DashboardStore) {
    let (mounted, ws, store, _session) = mount_dashboard_with_session();
    (mounted, ws, store)
}

fn mount_dashboard_with_session() -> (Mounted, WsManager, DashboardStore, Session) {
    crate::support::clear_local_storage();
    let handles = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handles.clone();
    let mounted = mount(move || {
        let session = provide_session();
        let store = provide_dashboard_store();
        provide_toasts();
        provide_latency_monitor();
        let ws = provide_ws_manager_with_options(WsOptions::new("ws://127.0.0.1:1"));
        use_realtime_sync();
        out.set(Some((ws, store, session)));
        view! {
            <OverviewPage />
            <ToastRegion />
            <DiagnosticsPanel />
        }
    });
    let (ws, store, session) = handles.take().unwrap();
    (mounted, ws, store, session)
}

fn toast_texts(mounted: &Mounted) -> Vec<String> {
    mounted
        .all("[data-testid=toast]")
        .iter()
        .map(|t| {
            let part = |sel: &str| {
                t.query_selector(sel)
                    .unwrap()
                    .and_then(|e| e.text_content())
                    .unwrap_or_default()
            };
            format!("{} — {}", part(".toast__title"), part(".toast__message"))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn video_completed_raises_its_toast_and_bumps_videos_today_once() {
    let (mounted, ws, store) = mount_dashboard();
    store.apply_overview(overview());
    wait_until("overview shown", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("3")
    })
    .await;

    ws.receive(&completed(1, "Rust in 100 seconds"));
    wait_until("toast and metric", || {
        toast_texts(&mounted)
            == ["Video Completed — \"Rust in 100 seconds\" published to Tech Daily"]
            && mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("4")
    })
    .await;
    assert_eq!(
        mounted.text("[data-testid=metric-cost-today]").as_deref(),
        Some("$10.50")
    );
    assert_eq!(mounted.all("[data-testid=recent-video]").len(), 1);

    // The same id again (a replay overlap) changes nothing in the store...
    ws.receive(&completed(1, "Rust in 100 seconds"));
    let metrics = store
        .metrics()
        .get_untracked()
        .expect("an overview was applied");
    assert_eq!(metrics.videos_today, 4);
    assert_eq!(metrics.cost_today, usd(10.5));
    assert_eq!(store.recent_videos().get_untracked().len(), 1);
    // ...nor on screen: once the next event shows, a toast for the repeat
    // would sit between the two.
    ws.receive(&completed(2, "Sentinel"));
    wait_until("the next event shown", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("5")
            && toast_texts(&mounted).len() >= 2
    })
    .await;
    assert_eq!(
        toast_texts(&mounted),
        [
            "Video Completed — \"Rust in 100 seconds\" published to Tech Daily",
            "Video Completed — \"Sentinel\" published to Tech Daily",
        ]
    );
}

#[wasm_bindgen_test]
async fn video_failed_counts_and_offers_retry() {
    let (mounted, ws, store) = mount_dashboard();
    store.apply_overview(overview());
    ws.receive(&failed(2));
    wait_until("failure toast and metric", || {
        toast_texts(&mounted) == ["Video Generation Failed — Failed at audio: TTS quota exceeded"]
            && mounted.text("[data-testid=metric-failed-today]").as_deref() == Some("1")
    })
    .await;
    assert_eq!(
        mounted.text("[data-testid=toast-action]").as_deref(),
        Some("Retry")
    );
}

#[wasm_bindgen_test]
async fn a_limit_cost_alert_raises_a_sticky_toast_and_the_banner() {
    let (mounted, ws, store) = mount_dashboard();
    store.apply_overview(overview());
    ws.receive(&cost_alert(3, "limit"));
    wait_until("alert toast and banner", || {
        toast_texts(&mounted) == ["Cost Limit Reached — Daily budget reached"]
            && mounted.one("[data-testid=cost-alert-banner]").is_some()
    })
    .await;
    let banner = mounted.one("[data-testid=cost-alert-banner]").unwrap();
    assert_eq!(banner.get_attribute("data-level").as_deref(), Some("limit"));
    assert!(banner.text_content().unwrap().contains("$49.50"));
    assert_eq!(
        mounted.text("[data-testid=toast-action]").as_deref(),
        Some("View Details")
    );
}

#[wasm_bindgen_test]
async fn bad_frames_are_counted_and_nothing_else_happens() {
    let (mounted, ws, store) = mount_dashboard();
    store.apply_overview(overview());
    let oversized = format!(r#"{{"pad":"{}"}}"#, "x".repeat(MAX_FRAME_BYTES));
    let bad = [
        "{".to_owned(),
        r#"{"id":1,"type":"video.exploded","payload":{}}"#.to_owned(),
        r#"{"id":1,"type":"video.completed","payload":{"videoId":""}}"#.to_owned(),
        completed(1, "x").replace("https://youtube.com", "javascript:alert(1)//"),
        oversized,
    ];
    for frame in &bad {
        ws.receive(frame);
    }
    wait_until("rejected count", || {
        mounted.text("[data-testid=diag-rejected]").as_deref() == Some("5")
    })
    .await;
    assert!(toast_texts(&mounted).is_empty());
    assert_eq!(
        mounted.text("[data-testid=metric-videos-today]").as_deref(),
        Some("3")
    );

    // The connection's handling survives: the next good frame still lands.
    ws.receive(&completed(1, "after the storm"));
    wait_until("good frame applied", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("4")
    })
    .await;
}

#[wasm_bindgen_test]
async fn live_events_feed_the_latency_monitor() {
    let (mounted, ws, _store) = mount_dashboard();
    assert_eq!(
        mounted.text("[data-testid=diag-websocket]").as_deref(),
        Some("no samples yet")
    );
    ws.receive(&completed(1, "a"));
    ws.receive(&completed(2, "b"));
    wait_until("two samples", || {
        mounted
            .text("[data-testid=diag-websocket]")
            .is_some_and(|t| t.contains("2 samples"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_subscription_ends_with_its_component() {
    let seen = RwSignal::new(Vec::<u64>::new());
    let show = RwSignal::new(true);
    let handle = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();

    #[component]
    fn Listener(seen: RwSignal<Vec<u64>>) -> impl IntoView {
        use_ws_manager().subscribe::<VideoCompleted>(move |id, _| seen.update(|s| s.push(id)));
    }

    let _mounted = mount(move || {
        out.set(Some(provide_ws_manager_with_options(WsOptions::new(
            "ws://127.0.0.1:1",
        ))));
        view! {
            <Show when=move || show.get()>
                <Listener seen />
            </Show>
        }
    });
    let ws = handle.take().unwrap();
    ws.receive(&completed(1, "a"));
    ws.receive(&failed(2));
    assert_eq!(seen.get_untracked(), [1], "typed: only video.completed");

    show.set(false);
    leptos::task::tick().await;
    ws.receive(&completed(3, "b"));
    assert_eq!(seen.get_untracked(), [1], "unsubscribed with its component");
}

#[wasm_bindgen_test]
async fn signing_out_clears_the_dashboard_and_its_toasts_and_closes_the_socket() {
    let (mounted, ws, store, session) = mount_dashboard_with_session();
    session.login(LoginResponse {
        token: "token".into(),
        user: User {
            id: Id::new("u-1").unwrap(),
            name: "Demo".into(),
            email: "demo@ytempire.local".into(),
        },
        expires_at: Timestamp::from_millis(js_sys::Date::now() as i64 + 60_000),
    });
    wait_until("connecting as the user", || {
        ws.state().get_untracked() != ConnectionState::Disconnected
            || ws.attempt().get_untracked() > 0
    })
    .await;
    store.apply_overview(overview());
    // A failure's toast is sticky: only signing out takes it away.
    ws.receive(&failed(1));
    wait_until("overview and toast shown", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("3")
            && toast_texts(&mounted).len() == 1
    })
    .await;

    session.logout();
    wait_until("dashboard and toasts cleared", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("—")
            && mounted.all("[data-testid=channel-row]").is_empty()
            && toast_texts(&mounted).is_empty()
    })
    .await;
    assert_eq!(ws.attempt().get_untracked(), 0);
    assert!(!ws.gave_up().get_untracked());
}

#[wasm_bindgen_test]
async fn unmounting_the_app_closes_its_socket() {
    let sockets = crate::fake_socket::FakeSockets::install();
    let handles = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handles.clone();
    let mounted = mount(move || {
        let session = provide_session();
        provide_dashboard_store();
        provide_toasts();
        provide_latency_monitor();
        provide_ws_manager_with_options(WsOptions::new("ws://fake"));
        use_realtime_sync();
        out.set(Some(session));
    });
    let session = handles.take().unwrap();
    session.login(LoginResponse {
        token: "token".into(),
        user: User {
            id: Id::new("u-1").unwrap(),
            name: "Demo".into(),
            email: "demo@ytempire.local".into(),
        },
        expires_at: Timestamp::from_millis(js_sys::Date::now() as i64 + 60_000),
    });
    wait_until("socket opened", || !sockets.opened().is_empty()).await;
    let socket = sockets.latest();

    drop(mounted);
    assert!(socket.closed(), "every socket is closed with its owner");
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("ytempire.session")
        .unwrap();
}

fn signed_in_as(user_id: &str, token: &str) -> LoginResponse {
    LoginResponse {
        token: token.into(),
        user: User {
            id: Id::new(user_id).unwrap(),
            name: format!("User {user_id}"),
            email: format!("{user_id}@ytempire.local"),
        },
        expires_at: Timestamp::from_millis(js_sys::Date::now() as i64 + 60_000),
    }
}

#[wasm_bindgen_test]
async fn signing_in_as_another_user_without_signing_out_shows_nothing_of_the_first() {
    let sockets = crate::fake_socket::FakeSockets::install();
    let (mounted, ws, store, session) = mount_dashboard_with_session();
    session.login(signed_in_as("u-1", "token-1"));
    wait_until("a socket for the first user", || {
        sockets.opened().len() == 1
    })
    .await;
    let first = sockets.latest();
    first.open();
    first.message(r#"{"type":"authenticated","userId":"u-1","lastEventId":null}"#);
    store.apply_overview(overview());
    ws.receive(&completed(7, "First user's video"));
    ws.receive(&failed(8));
    wait_until("the first user's dashboard", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("4")
            && toast_texts(&mounted).len() == 2
            && mounted.all("[data-testid=recent-video]").len() == 2
    })
    .await;

    session.login(signed_in_as("u-2", "token-2"));
    wait_until("a socket for the second user", || {
        sockets.opened().len() == 2
    })
    .await;
    assert!(first.closed(), "the first user's socket is closed");
    assert_eq!(store.metrics().get_untracked(), None);
    assert!(store.channels().get_untracked().is_empty());
    assert!(store.recent_videos().get_untracked().is_empty());
    assert_eq!(
        ws.last_event_id(),
        None,
        "no resume from the first user's events"
    );
    let second = sockets.latest();
    assert_eq!(second.url(), "ws://127.0.0.1:1/ws/u-2");
    second.open();
    assert_eq!(
        second.sent(),
        [r#"{"type":"authenticate","token":"token-2","lastEventId":null}"#]
    );
    // Asserted at once, not waited for: the first user's toasts would expire
    // by themselves within seconds and hide a leak.
    leptos::task::tick().await;
    assert_eq!(
        mounted.text("[data-testid=metric-videos-today]").as_deref(),
        Some("—")
    );
    assert_eq!(toast_texts(&mounted), Vec::<String>::new());
    assert!(mounted.all("[data-testid=recent-video]").is_empty());
    assert!(mounted.all("[data-testid=channel-row]").is_empty());
    let page = document()
        .body()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        !page.contains("First user's video") && !page.contains("TTS quota exceeded"),
        "the first user's events are gone: {page}"
    );
    session.logout();
}
