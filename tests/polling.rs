//! Browser tests of the poller: the Page Visibility API, the floor, one
//! request in flight, 304s, failures, the sync merger wired to the store, and
//! the optimistic channel switch against a fake server.
//!
//! Intervals are shortened with `Cadence::shortened_for_tests`, which only
//! debug builds have; fetches are fake, so no server is needed.
#![cfg(target_arch = "wasm32")]

#[allow(dead_code, reason = "shared with the other browser tests")]
#[path = "fakes/mod.rs"]
mod fakes;
#[allow(dead_code, reason = "shared with the other browser tests")]
#[path = "web/support.rs"]
mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use fakes::{FakeServer, Reply, holds_for, restore_page_visibility, set_page_hidden};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use support::{Mounted, mount, wait_until};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use ytempire_dashboard::api::ApiError;
use ytempire_dashboard::components::channel_list::ChannelList;
use ytempire_dashboard::polling::{
    Cadence, Freshness, OverviewPoll, PollRequest, PollStatus, Polled, Tier, UsePollerOptions,
    provide_overview_poller_with, use_poller_with_options,
};
use ytempire_dashboard::realtime::{
    WsManager, WsOptions, provide_latency_monitor, provide_ws_manager_with_options,
    use_realtime_sync,
};
use ytempire_dashboard::state::{
    DashboardStore, Toasts, provide_dashboard_store, provide_session, provide_toasts,
};
use ytempire_protocol::{
    Channel, ChannelStatus, ChannelStatusUpdate, Id, Metrics, Overview, Timestamp, Usd,
};

wasm_bindgen_test_configure!(run_in_browser);

type Answer = Rc<dyn Fn(u32) -> Result<Polled<u32>, ApiError>>;

/// A mounted `use_poller` over a fake fetch that counts its calls.
struct Poller {
    mounted: Mounted,
    fetches: Rc<Cell<u32>>,
    etags: Rc<RefCell<Vec<Option<String>>>>,
    data: Signal<Option<u32>>,
    freshness: Signal<Freshness>,
    refresh: Rc<dyn Fn()>,
}

impl Poller {
    fn fetches(&self) -> u32 {
        self.fetches.get()
    }
}

/// Mounts a poller at `interval_ms` whose `n`th fetch answers `answer(n)`
/// after `delay_ms`. Visibility follows `visible`, or the document's.
fn poller(
    interval_ms: u64,
    visible: Option<RwSignal<bool>>,
    delay_ms: u32,
    answer: impl Fn(u32) -> Result<Polled<u32>, ApiError> + 'static,
) -> Poller {
    let fetches = Rc::new(Cell::new(0));
    let etags = Rc::new(RefCell::new(Vec::new()));
    let answer: Answer = Rc::new(answer);
    let handles = Rc::new(RefCell::new(None));
    let (count, seen, out) = (fetches.clone(), etags.clone(), handles.clone());
    let mounted = mount(move || {
        let fetch = move |request: PollRequest| {
            count.set(count.get() + 1);
            seen.borrow_mut().push(request.etag);
            let reply = answer(count.get());
            async move {
                if delay_ms > 0 {
                    TimeoutFuture::new(delay_ms).await;
                }
                reply
            }
        };
        let mut options = UsePollerOptions::new(Cadence::shortened_for_tests(
            Tier::Live,
            Duration::from_millis(interval_ms),
        ));
        if let Some(visible) = visible {
            options = options.visible(visible);
        }
        let poller = use_poller_with_options(fetch, options);
        let refresh = poller.refresh.clone();
        *out.borrow_mut() = Some((
            poller.data,
            poller.freshness,
            Rc::new(poller.refresh) as Rc<dyn Fn()>,
        ));
        view! {
            <PollStatus freshness=poller.freshness error=poller.error on_refresh=move |()| refresh() />
            <output data-testid="data">{move || poller.data.get()}</output>
        }
    });
    let (data, freshness, refresh) = handles.take().unwrap();
    Poller {
        mounted,
        fetches,
        etags,
        data,
        freshness,
        refresh,
    }
}

fn fresh(n: u32) -> Result<Polled<u32>, ApiError> {
    Ok(Polled::Fresh {
        data: n,
        etag: Some(format!("\"v{n}\"")),
    })
}

#[wasm_bindgen_test]
async fn a_hidden_tab_makes_no_requests_and_visible_again_makes_exactly_one() {
    set_page_hidden(true);
    let p = poller(1_000, None, 0, fresh);
    holds_for("no requests while hidden", 1_500.0, || p.fetches() == 0).await;
    set_page_hidden(false);
    wait_until("one request once visible", || p.fetches() == 1).await;
    holds_for("exactly one within the interval", 500.0, || {
        p.fetches() == 1
    })
    .await;
    restore_page_visibility();
}

#[wasm_bindgen_test]
async fn visible_again_sooner_than_the_interval_makes_none() {
    let visible = RwSignal::new(true);
    let p = poller(3_000, Some(visible), 0, fresh);
    wait_until("the first load", || p.fetches() == 1).await;
    for _ in 0..5 {
        // Paced, so the poller's effect sees every flap rather than a net
        // "no change".
        visible.set(false);
        TimeoutFuture::new(20).await;
        visible.set(true);
        TimeoutFuture::new(20).await;
    }
    holds_for("no extra request before the floor", 800.0, || {
        p.fetches() == 1
    })
    .await;
    wait_until("the next scheduled poll", || p.fetches() == 2).await;
}

#[wasm_bindgen_test]
async fn visible_again_after_the_interval_polls_at_once() {
    let visible = RwSignal::new(true);
    let p = poller(1_000, Some(visible), 0, fresh);
    wait_until("the first load", || p.fetches() == 1).await;
    visible.set(false);
    holds_for("nothing while hidden", 1_300.0, || p.fetches() == 1).await;
    // That the overdue poll goes at once rather than after a wait is the
    // schedule's rule, pinned without a clock in `polling::schedule`'s
    // tests; here, that showing the tab reaches the schedule at all.
    visible.set(true);
    wait_until("a poll on return", || p.fetches() == 2).await;
}

#[wasm_bindgen_test]
async fn refresh_spam_sends_one_request_at_a_time_and_only_refresh_beats_the_floor() {
    let p = poller(60_000, None, 200, fresh);
    wait_until("the first load", || p.data.get_untracked() == Some(1)).await;
    for _ in 0..10 {
        (p.refresh)();
    }
    assert_eq!(p.fetches(), 2, "the first click goes, the rest wait for it");
    wait_until("the refresh answered", || p.data.get_untracked() == Some(2)).await;
    holds_for("the floor holds without clicks", 300.0, || p.fetches() == 2).await;
}

#[wasm_bindgen_test]
async fn not_modified_keeps_the_data_and_sends_the_etag() {
    let p = poller(250, None, 0, |n| {
        if n == 1 {
            fresh(1)
        } else {
            Ok(Polled::NotModified)
        }
    });
    wait_until("a 304 after the first load", || p.fetches() >= 2).await;
    wait_until("the 304 settled", || {
        !p.freshness.get_untracked().refreshing
    })
    .await;
    assert_eq!(p.data.get_untracked(), Some(1));
    assert_eq!(p.mounted.text("[data-testid=data]").as_deref(), Some("1"));
    assert_eq!(p.etags.borrow()[..2], [None, Some("\"v1\"".to_owned())]);
}

#[wasm_bindgen_test]
async fn a_failure_keeps_the_data_and_marks_it_stale() {
    let p = poller(250, None, 0, |n| {
        if n == 1 {
            fresh(1)
        } else {
            Err(ApiError::Network("connection refused".into()))
        }
    });
    wait_until("the stale marker", || {
        p.mounted.one("[data-testid=stale-marker]").is_some()
    })
    .await;
    assert_eq!(p.mounted.text("[data-testid=data]").as_deref(), Some("1"));
    assert!(p.freshness.get_untracked().failures >= 1);
    let age = p.mounted.text("[data-testid=updated-ago]").unwrap();
    assert!(age.starts_with("Updated "), "{age}");
}

#[wasm_bindgen_test]
async fn a_slow_request_times_out_and_counts_as_a_failure() {
    let fetches = Rc::new(Cell::new(0));
    let count = fetches.clone();
    let handles = Rc::new(Cell::new(None));
    let out = handles.clone();
    let _mounted = mount(move || {
        let fetch = move |_: PollRequest| {
            count.set(count.get() + 1);
            async {
                TimeoutFuture::new(5_000).await;
                fresh(1)
            }
        };
        let options = UsePollerOptions::new(Cadence::shortened_for_tests(
            Tier::Live,
            Duration::from_secs(60),
        ))
        .timeout(Duration::from_millis(200));
        let poller = use_poller_with_options(fetch, options);
        out.set(Some((poller.freshness, poller.error)));
    });
    let (freshness, error) = handles.take().unwrap();
    wait_until("the timeout", || freshness.get_untracked().failures == 1).await;
    assert!(!freshness.get_untracked().refreshing);
    assert!(error.get_untracked().is_some());
    assert_eq!(fetches.get(), 1);
}

fn usd(amount: f64) -> Usd {
    Usd::new(amount).unwrap()
}

fn channel(status: ChannelStatus) -> Channel {
    Channel {
        id: Id::new("c-1").unwrap(),
        name: "Tech Daily".into(),
        status,
        videos_today: 3,
        failed_today: 0,
        cost_today: usd(1.5),
        total_videos: 40,
    }
}

/// 2026-11-25T00:00:00Z: fixture times count from here, since timestamps
/// parse only in the years 2000–2999.
const FIXTURE_DAY: i64 = 1_795_564_800_000;

fn overview(at: i64, videos_today: u32, revenue: f64, status: ChannelStatus) -> Overview {
    Overview {
        metrics: Metrics {
            channel_count: 1,
            active_channels: 1,
            videos_today,
            failed_today: 0,
            processing_now: 1,
            cost_today: usd(1.5),
            daily_budget: usd(50.0),
            revenue_today: usd(revenue),
            average_cost_per_video: usd(0.5),
        },
        channels: vec![channel(status)],
        generated_at: Timestamp::from_millis(FIXTURE_DAY + at),
        last_event_id: None,
    }
}

/// The signed-in app's stores, the overview poller over `answers` (one per
/// request, the last repeating) and the channel list.
struct Dashboard {
    mounted: Mounted,
    store: DashboardStore,
    toasts: Toasts,
    ws: WsManager,
    poll: OverviewPoll,
    polls: Rc<Cell<usize>>,
}

fn dashboard(answers: Vec<Overview>) -> Dashboard {
    let polls = Rc::new(Cell::new(0));
    let handles = Rc::new(Cell::new(None));
    let (count, out) = (polls.clone(), handles.clone());
    let mounted = mount(move || {
        provide_session();
        let store = provide_dashboard_store();
        let toasts = provide_toasts();
        provide_latency_monitor();
        let ws = provide_ws_manager_with_options(WsOptions::new("ws://127.0.0.1:1"));
        use_realtime_sync();
        let fetch = move |_: PollRequest| {
            let n = count.get();
            count.set(n + 1);
            let overview = answers[n.min(answers.len() - 1)].clone();
            async move {
                Ok(Polled::Fresh {
                    data: overview,
                    etag: None,
                })
            }
        };
        let poll =
            provide_overview_poller_with(fetch, UsePollerOptions::new(Cadence::of(Tier::Live)));
        out.set(Some((store, toasts, ws, poll)));
        view! { <ChannelList /> }
    });
    let (store, toasts, ws, poll) = handles.take().unwrap();
    Dashboard {
        mounted,
        store,
        toasts,
        ws,
        poll,
        polls,
    }
}

impl Dashboard {
    fn videos_today(&self) -> Option<u32> {
        self.store.metrics().get_untracked().map(|m| m.videos_today)
    }

    fn shown_status(&self) -> Option<String> {
        self.mounted.text(".channel-list__status")
    }

    /// An explicit Refresh, waited on until its answer is applied.
    async fn poll_now(&self) {
        let before = self.polls.get();
        self.poll.refresh.run(());
        wait_until("the poll applied", || {
            self.polls.get() > before && !self.poll.freshness.get_untracked().refreshing
        })
        .await;
    }
}

fn completed_at(id: u64, at: i64) -> String {
    format!(
        r#"{{"id":{id},"type":"video.completed","payload":{{"videoId":"v-{id}","channelId":"c-1","channelName":"Tech Daily","title":"T","url":"https://youtube.com/watch?v={id}","cost":0.5,"generationTime":120,"timestamp":"{}"}}}}"#,
        Timestamp::from_millis(FIXTURE_DAY + at)
    )
}

#[wasm_bindgen_test]
async fn a_stale_overview_response_is_discarded() {
    let d = dashboard(vec![
        overview(20_000, 7, 10.0, ChannelStatus::Active),
        overview(10_000, 3, 99.0, ChannelStatus::Active),
    ]);
    wait_until("the first poll applied", || d.videos_today() == Some(7)).await;
    d.poll_now().await;
    assert_eq!(d.videos_today(), Some(7));
    assert_eq!(
        d.store.metrics().get_untracked().unwrap().revenue_today,
        usd(10.0)
    );
}

#[wasm_bindgen_test]
async fn each_event_counts_once_whether_the_poll_or_the_socket_brings_it_first() {
    let counted_through = |overview: Overview, id| Overview {
        last_event_id: Some(id),
        ..overview
    };
    let d = dashboard(vec![
        overview(10_000, 3, 10.0, ChannelStatus::Active),
        // Generated before event 1 was logged, answered after it arrived.
        overview(20_000, 3, 12.0, ChannelStatus::Active),
        // Already counts event 2, which the socket has yet to deliver.
        counted_through(overview(30_000, 5, 14.0, ChannelStatus::Active), 2),
    ]);
    wait_until("the first poll applied", || d.videos_today() == Some(3)).await;
    // Event timestamps are the pipeline's clock: this one claims to predate
    // every poll, and must not matter.
    d.ws.receive(&completed_at(1, 0));
    assert_eq!(d.videos_today(), Some(4));
    d.poll_now().await;
    let metrics = d.store.metrics().get_untracked().unwrap();
    assert_eq!(metrics.videos_today, 4, "the poll lacks event 1");
    assert_eq!(
        metrics.revenue_today,
        usd(12.0),
        "aggregates come from polling"
    );
    d.poll_now().await;
    assert_eq!(d.videos_today(), Some(5));
    d.ws.receive(&completed_at(2, 0));
    assert_eq!(
        d.videos_today(),
        Some(5),
        "the poll already counted event 2"
    );
    d.ws.receive(&completed_at(3, 0));
    assert_eq!(d.videos_today(), Some(6));
}

fn channel_reply(seen: &fakes::Seen) -> Reply {
    let update: ChannelStatusUpdate = serde_json::from_str(&seen.body).unwrap();
    Reply::json(200, &channel(update.status))
}

#[wasm_bindgen_test]
async fn an_optimistic_toggle_reverts_on_a_500_with_an_error_toast() {
    let server =
        FakeServer::install(|_| Reply::text(500, r#"{"error":"database is locked"}"#).after(150));
    let d = dashboard(vec![overview(10_000, 3, 10.0, ChannelStatus::Active)]);
    wait_until("the channel list", || {
        d.shown_status().as_deref() == Some("active")
    })
    .await;
    d.mounted.click("[data-testid=channel-toggle]");
    wait_until("the click shown", || {
        d.shown_status().as_deref() == Some("paused")
    })
    .await;
    assert_eq!(
        server.answered("PATCH", "/api/v1/channels/"),
        0,
        "shown before the server answered"
    );
    wait_until("the revert", || {
        d.shown_status().as_deref() == Some("active")
    })
    .await;
    assert_eq!(server.count("PATCH", "/api/v1/channels/c-1/status"), 1);
    let toasts = d.toasts.list();
    assert_eq!(toasts.len(), 1);
    assert!(
        toasts[0].spec.message.contains("database is locked"),
        "{:?}",
        toasts[0].spec
    );
}

#[wasm_bindgen_test]
async fn quick_toggles_end_in_the_last_clicks_state_and_a_poll_mid_flight_does_not_flip_it() {
    let server = FakeServer::install(|seen| channel_reply(seen).after(300));
    // The server still says active while the request is out.
    let d = dashboard(vec![
        overview(10_000, 3, 10.0, ChannelStatus::Active),
        overview(11_000, 3, 10.0, ChannelStatus::Active),
        overview(12_000, 3, 10.0, ChannelStatus::Paused),
    ]);
    wait_until("the channel list", || {
        d.shown_status().as_deref() == Some("active")
    })
    .await;
    for _ in 0..3 {
        d.mounted.click("[data-testid=channel-toggle]");
    }
    wait_until("the clicks shown", || {
        d.shown_status().as_deref() == Some("paused")
    })
    .await;
    d.poll_now().await;
    assert_eq!(
        d.shown_status().as_deref(),
        Some("paused"),
        "a poll mid-flight must not flip it"
    );
    wait_until("the request answered", || {
        server.answered("PATCH", "/api/v1/channels/") == 1
    })
    .await;
    holds_for("the last click's state", 200.0, || {
        d.shown_status().as_deref() == Some("paused")
    })
    .await;
    assert_eq!(
        server.count("PATCH", "/api/v1/channels/"),
        1,
        "three clicks, one request"
    );
    d.poll_now().await;
    assert_eq!(d.shown_status().as_deref(), Some("paused"));
}

#[wasm_bindgen_test]
async fn unmounting_aborts_the_request_and_stops_the_timer() {
    let signals = Rc::new(RefCell::new(Vec::new()));
    let fetches = Rc::new(Cell::new(0));
    let (seen, count) = (signals.clone(), fetches.clone());
    let mounted = mount(move || {
        let fetch = move |request: PollRequest| {
            count.set(count.get() + 1);
            seen.borrow_mut().push(request.signal);
            async {
                TimeoutFuture::new(300).await;
                fresh(1)
            }
        };
        let options = UsePollerOptions::new(Cadence::shortened_for_tests(
            Tier::Live,
            Duration::from_millis(100),
        ));
        use_poller_with_options(fetch, options);
    });
    wait_until("the first request", || fetches.get() == 1).await;
    drop(mounted);
    assert!(
        signals.borrow()[0].aborted(),
        "the request in flight is aborted"
    );
    holds_for("no polls after unmount", 600.0, || fetches.get() == 1).await;
}

/// The overview poller with the app's real API client, against a fake server.
fn real_overview_poller() -> (Mounted, DashboardStore, OverviewPoll) {
    let handles = Rc::new(Cell::new(None));
    let out = handles.clone();
    let mounted = mount(move || {
        provide_session();
        let store = provide_dashboard_store();
        let poll = ytempire_dashboard::polling::provide_overview_poller();
        out.set(Some((store, poll)));
    });
    let (store, poll) = handles.take().unwrap();
    (mounted, store, poll)
}

#[wasm_bindgen_test]
async fn the_overview_poller_revalidates_with_its_etag_keeps_on_304_and_replaces_on_200() {
    const PATH: &str = "/api/v1/dashboard/overview";
    // The server's current version: its ETag and what it answers.
    let current = Rc::new(RefCell::new((
        "\"a\"",
        overview(1_000, 8, 30.0, ChannelStatus::Active),
    )));
    let version = current.clone();
    let server = FakeServer::install(move |seen| {
        let (etag, body) = version.borrow().clone();
        if !seen.path.starts_with(PATH) {
            return Reply::text(404, r#"{"error":"no such route"}"#);
        }
        let mut reply = if seen.if_none_match.as_deref() == Some(etag) {
            Reply::text(304, "")
        } else {
            Reply::json(200, &body)
        };
        reply.etag = Some(etag.to_owned());
        reply
    });
    let (_mounted, store, poll) = real_overview_poller();
    let videos_today = || store.metrics().get_untracked().map(|m| m.videos_today);
    let poll_now = async |answered: usize| {
        poll.refresh.run(());
        wait_until("the poll answered and settled", || {
            server.answered("GET", PATH) == answered && !poll.freshness.get_untracked().refreshing
        })
        .await;
    };

    wait_until("the first load", || videos_today() == Some(8)).await;
    poll_now(2).await;
    assert_eq!(videos_today(), Some(8), "a 304 keeps the data");

    *current.borrow_mut() = ("\"b\"", overview(2_000, 9, 31.0, ChannelStatus::Active));
    poll_now(3).await;
    assert_eq!(videos_today(), Some(9), "a 200 replaces the data");
    poll_now(4).await;
    assert_eq!(videos_today(), Some(9));

    let sent: Vec<Option<String>> = server.seen().into_iter().map(|s| s.if_none_match).collect();
    assert_eq!(
        sent,
        [
            None,
            Some("\"a\"".to_owned()),
            Some("\"a\"".to_owned()),
            Some("\"b\"".to_owned()),
        ],
        "each poll revalidates with the ETag of the data on screen"
    );
}
