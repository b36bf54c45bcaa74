//! Browser tests of the pages: each is mounted with the app's stores and
//! its real API client, talking to a fake server behind `window.fetch`.
#![cfg(target_arch = "wasm32")]

#[allow(dead_code, reason = "shared with the other browser tests")]
#[path = "fakes/mod.rs"]
mod fakes;
#[allow(dead_code, reason = "shared with the other browser tests")]
#[path = "web/support.rs"]
mod support;

use std::cell::Cell;
use std::rc::Rc;

use fakes::{FakeServer, Reply, Seen, holds_for};
use leptos::prelude::*;
use leptos_router::components::Router;
use support::{Mounted, mount_signed_in_app, wait_until};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use ytempire_dashboard::pages::analytics::AnalyticsPage;
use ytempire_dashboard::pages::channels::ChannelsPage;
use ytempire_dashboard::pages::costs::CostsPage;
use ytempire_dashboard::pages::not_found::NotFoundPage;
use ytempire_dashboard::pages::reports::ReportsPage;
use ytempire_dashboard::pages::videos::VideosPage;
use ytempire_dashboard::polling::{
    Cadence, PollRequest, Polled, Tier, UsePollerOptions, provide_overview_poller_with,
};
use ytempire_dashboard::realtime::WsManager;
use ytempire_protocol::{
    AlertLevel, BudgetStatus, Channel, ChannelCost, ChannelStatus, CostAlert, CostBreakdown,
    DailyCost, Date, Id, Metrics, Overview, PerformanceHistory, PerformancePoint, RetryAccepted,
    Stage, StageCost, Timestamp, TrendPoint, Trends, Usd, Video, VideoPage, VideoStatus,
};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `page` with the signed-in app's stores, inside a router, on a
/// fresh page (see [`fresh_page`]).
fn mount_page<V: IntoView + 'static>(
    page: impl Fn() -> V + Send + Sync + 'static,
) -> (Mounted, WsManager) {
    fresh_page();
    mount_signed_in_app(move || view! { <Router>{page()}</Router> })
}

/// As [`mount_page`], with the document hidden before the page mounts.
fn mount_hidden_page<V: IntoView + 'static>(
    page: impl Fn() -> V + Send + Sync + 'static,
) -> (Mounted, WsManager) {
    fresh_page();
    fakes::set_page_hidden(true);
    mount_signed_in_app(move || view! { <Router>{page()}</Router> })
}

/// Puts the test page at `/` and hands its visibility back to the browser. A
/// failing wasm test panics without undoing what it changed, so every mount
/// resets both (as `mount_signed_in_app` clears local storage) rather than
/// trusting the last test to have cleaned up.
fn fresh_page() {
    fakes::restore_page_visibility();
    js_sys::eval("history.replaceState(null, '', '/')").unwrap();
}

fn usd(amount: f64) -> Usd {
    Usd::new(amount).unwrap()
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn video(video_id: &str, status: VideoStatus) -> Video {
    let failed = status == VideoStatus::Failed;
    Video {
        id: id(video_id),
        channel_id: id("c-1"),
        channel_name: "Tech Daily".into(),
        title: format!("Video {video_id}"),
        status,
        stage: failed.then_some(Stage::Upload),
        error_message: failed.then(|| "YouTube quota exceeded".to_owned()),
        retryable: failed.then_some(true),
        cost: usd(0.3),
        url: None,
        created_at: Timestamp::from_millis(js_sys::Date::now() as i64 - 120_000),
        updated_at: Timestamp::from_millis(js_sys::Date::now() as i64),
        attempt: ytempire_protocol::Attempt::FIRST,
    }
}

fn page_of(items: Vec<Video>) -> VideoPage {
    VideoPage {
        total: items.len() as u32,
        items,
        page: 1,
        per_page: 20,
    }
}

#[wasm_bindgen_test]
async fn videos_show_failures_and_retry_changes_the_status() {
    let retried = Rc::new(Cell::new(false));
    let flag = retried.clone();
    let server = FakeServer::install(move |seen: &Seen| match seen.method.as_str() {
        "POST" => {
            flag.set(true);
            Reply::json(
                202,
                &RetryAccepted {
                    video: video("v-1", VideoStatus::Queued),
                },
            )
        }
        _ if flag.get() => Reply::json(200, &page_of(vec![video("v-1", VideoStatus::Queued)])),
        _ => Reply::json(
            200,
            &page_of(vec![
                video("v-1", VideoStatus::Failed),
                video("v-2", VideoStatus::Completed),
            ]),
        ),
    });
    let (mounted, _ws) = mount_page(|| view! { <VideosPage /> });
    wait_until("the rows", || {
        mounted.all("[data-testid=video-row]").len() == 2
    })
    .await;
    let failure = mounted
        .text("[data-video-id=v-1] [data-testid=video-failure]")
        .unwrap();
    assert!(
        failure.contains("upload") && failure.contains("YouTube quota exceeded"),
        "{failure}"
    );
    assert!(
        mounted
            .one("[data-video-id=v-2] [data-testid=video-retry]")
            .is_none()
    );
    assert_eq!(mounted.all("[data-testid=video-filter]").len(), 5);
    let current = mounted.all("[data-testid=video-filter][aria-current=page]");
    assert_eq!(current.len(), 1, "only the chosen filter is current");
    assert_eq!(
        current[0].get_attribute("data-status").as_deref(),
        Some("All")
    );

    mounted.click("[data-video-id=v-1] [data-testid=video-retry]");
    wait_until("the new status", || {
        mounted
            .text("[data-video-id=v-1] [data-testid=video-status]")
            .as_deref()
            == Some("queued")
    })
    .await;
    assert_eq!(server.count("POST", "/api/v1/videos/v-1/retry"), 1);
    // The rows on screen are the server's again: after the retry it lists
    // only v-1, so v-2 goes once the list is fetched again.
    wait_until("the server's list after the retry", || {
        shown_video_ids(&mounted) == ["v-1"]
    })
    .await;
    assert!(mounted.one("[data-video-id=v-2]").is_none());
    assert_eq!(
        mounted
            .text("[data-video-id=v-1] [data-testid=video-status]")
            .as_deref(),
        Some("queued")
    );
}

#[wasm_bindgen_test]
async fn the_first_load_shows_a_skeleton_and_an_empty_list_says_what_to_do() {
    let _server = FakeServer::install(|_| Reply::json(200, &page_of(vec![])).after(200));
    let (mounted, _ws) = mount_page(|| view! { <VideosPage /> });
    wait_until("the skeleton", || {
        mounted.one("[data-testid=page-skeleton]").is_some()
    })
    .await;
    wait_until("the empty state", || {
        mounted.one("[data-testid=videos-empty]").is_some()
    })
    .await;
    assert!(mounted.one("[data-testid=page-skeleton]").is_none());
    mounted.click("[data-testid=refresh]");
    holds_for("no skeleton on refresh", 300.0, || {
        mounted.one("[data-testid=page-skeleton]").is_none()
    })
    .await;
}

/// 2026-11-25T00:00:00Z: fixture times count from here, since timestamps
/// parse only in the years 2000–2999.
const FIXTURE_DAY: i64 = 1_795_564_800_000;

fn alert(level: AlertLevel, at: i64, message: &str) -> CostAlert {
    CostAlert {
        level,
        current_cost: usd(47.5),
        threshold: usd(47.5),
        message: message.into(),
        remaining_budget: 2.5,
        projected_daily_cost: usd(70.0),
        timestamp: Timestamp::from_millis(FIXTURE_DAY + at),
    }
}

fn breakdown() -> CostBreakdown {
    CostBreakdown {
        from: date("2026-11-24"),
        to: date("2026-11-25"),
        total_cost: usd(12.0),
        completed_cost: usd(10.0),
        by_stage: Stage::ALL
            .into_iter()
            .map(|stage| StageCost {
                stage,
                failed_videos: 1,
                cost: usd(0.5),
            })
            .collect(),
        by_channel: vec![ChannelCost {
            channel_id: id("c-1"),
            channel_name: "Tech Daily".into(),
            videos: 30,
            cost: usd(12.0),
        }],
        by_day: vec![
            DailyCost {
                date: date("2026-11-24"),
                videos: 10,
                cost: usd(4.0),
            },
            DailyCost {
                date: date("2026-11-25"),
                videos: 20,
                cost: usd(8.0),
            },
        ],
        budget: BudgetStatus {
            daily_budget: usd(50.0),
            spent_today: usd(8.0),
            remaining_budget: 42.0,
            projected_daily_cost: usd(20.0),
        },
        alerts: vec![alert(AlertLevel::Warning, 1_000, "An expensive video")],
    }
}

#[wasm_bindgen_test]
async fn costs_show_the_budget_the_breakdowns_and_an_alert_just_raised() {
    let _server = FakeServer::install(|_| Reply::json(200, &breakdown()));
    let (mounted, ws) = mount_page(|| view! { <CostsPage /> });
    wait_until("the alert history", || {
        mounted.all("[data-testid=alert-row]").len() == 1
    })
    .await;
    assert_eq!(
        mounted.text("[data-testid=budget-spent]").as_deref(),
        Some("$8.00")
    );
    assert_eq!(
        mounted.text("[data-testid=cost-total]").as_deref(),
        Some("$12.00")
    );
    assert_eq!(
        mounted
            .all("[data-testid=cost-by-stage] .share-bar__part")
            .len(),
        5
    );
    assert_eq!(
        mounted.all("[data-testid=cost-by-day] .chart__bar").len(),
        2
    );
    let channel_rows: Vec<(String, String)> = mounted
        .all("[data-testid=cost-by-channel] .bar-list__row")
        .iter()
        .map(|row| {
            let part = |sel: &str| {
                row.query_selector(sel)
                    .unwrap()
                    .and_then(|e| e.text_content())
                    .unwrap_or_default()
            };
            (part(".bar-list__label"), part(".bar-list__value"))
        })
        .collect();
    assert_eq!(
        channel_rows,
        [("Tech Daily".to_owned(), "$12.00".to_owned())]
    );

    let frame = serde_json::json!({
        "id": 7,
        "type": "cost.alert",
        "payload": alert(AlertLevel::Limit, 2_000, "Daily budget reached"),
    });
    ws.receive(&frame.to_string());
    wait_until("the new alert on top", || {
        let rows = mounted.all("[data-testid=alert-row]");
        rows.len() == 2 && rows[0].get_attribute("data-level").as_deref() == Some("limit")
    })
    .await;
}

fn trends() -> Trends {
    Trends {
        from: date("2026-11-23"),
        to: date("2026-11-25"),
        points: ["2026-11-23", "2026-11-24", "2026-11-25"]
            .into_iter()
            .enumerate()
            .map(|(i, day)| TrendPoint {
                date: date(day),
                videos: 10 + i as u32,
                failed: 1,
                cost: usd(4.0),
                revenue: usd(16.0),
            })
            .collect(),
    }
}

fn performance() -> PerformanceHistory {
    PerformanceHistory {
        from: date("2026-11-24"),
        to: date("2026-11-25"),
        points: vec![
            PerformancePoint {
                date: date("2026-11-24"),
                finished: 0,
                success_rate: None,
                average_generation_time: None,
                average_cost: None,
            },
            PerformancePoint {
                date: date("2026-11-25"),
                finished: 12,
                success_rate: Some(0.9),
                average_generation_time: Some(150.0),
                average_cost: Some(usd(0.33)),
            },
        ],
    }
}

fn analytics_route(seen: &Seen) -> Reply {
    if seen.path.starts_with("/api/v1/analytics/performance") {
        Reply::json(200, &performance())
    } else {
        Reply::json(200, &trends())
    }
}

#[wasm_bindgen_test]
async fn analytics_draws_each_trend_with_a_table_behind_it() {
    let _server = FakeServer::install(analytics_route);
    let (mounted, _ws) = mount_page(|| view! { <AnalyticsPage /> });
    wait_until("the charts", || {
        mounted
            .one("[data-testid=trend-videos] .chart__line")
            .is_some()
    })
    .await;
    assert_eq!(
        mounted.all("[data-testid=trend-videos] .chart__line").len(),
        2
    );
    assert_eq!(mounted.all("[data-testid=trend-videos] tbody tr").len(), 3);
    let tooltip = mounted
        .text("[data-testid=trend-videos] .chart__hit title")
        .unwrap();
    assert!(tooltip.contains("Completed: 10"), "{tooltip}");
    wait_until("the success rate", || {
        mounted.all("[data-testid=trend-success] tbody tr").len() == 2
    })
    .await;
    let totals: Vec<(String, String)> = mounted
        .all("[data-testid=analytics-totals] div")
        .iter()
        .map(|pair| {
            let part = |sel: &str| {
                pair.query_selector(sel)
                    .unwrap()
                    .and_then(|e| e.text_content())
                    .unwrap_or_default()
            };
            (part("dt"), part("dd"))
        })
        .collect();
    // 10 + 11 + 12 videos, one failure a day.
    assert_eq!(totals[0], ("Videos (30 days)".to_owned(), "33".to_owned()));
    assert_eq!(totals[1], ("Failed".to_owned(), "3".to_owned()));
}

#[wasm_bindgen_test]
async fn reports_fetch_only_on_demand_for_the_chosen_range() {
    let server = FakeServer::install(|seen| {
        if seen.path.starts_with("/api/v1/exports/") {
            Reply::text(200, "id,channelId\r\n")
        } else {
            Reply::json(200, &trends())
        }
    });
    let (mounted, _ws) = mount_page(|| view! { <ReportsPage /> });
    assert!(mounted.one("[data-testid=report-empty]").is_some());
    holds_for("nothing fetched before asked", 300.0, || {
        server.seen().is_empty()
    })
    .await;

    set_input(&mounted, "[data-testid=report-from]", "2026-11-23");
    set_input(&mounted, "[data-testid=report-to]", "2026-11-25");
    mounted.click("[data-testid=report-run]");
    wait_until("the report", || {
        mounted.all("[data-testid=report-row]").len() == 3
    })
    .await;
    assert_eq!(
        server.seen()[0].path,
        "/api/v1/analytics/trends?from=2026-11-23&to=2026-11-25"
    );
    assert_eq!(
        mounted.text("[data-testid=report-total-videos]").as_deref(),
        Some("33")
    );

    mounted.click("[data-testid=report-download]");
    wait_until("the export", || {
        server.count("GET", "/api/v1/exports/videos.csv") == 1
    })
    .await;
    assert_eq!(
        server.seen().last().unwrap().path,
        "/api/v1/exports/videos.csv?from=2026-11-23&to=2026-11-25"
    );
    assert!(mounted.one("[data-testid=report-error]").is_none());
}

#[wasm_bindgen_test]
async fn reports_refuse_a_reversed_range_without_asking_the_server() {
    let server = FakeServer::install(|_| Reply::json(200, &trends()));
    let (mounted, _ws) = mount_page(|| view! { <ReportsPage /> });
    set_input(&mounted, "[data-testid=report-from]", "2026-11-25");
    set_input(&mounted, "[data-testid=report-to]", "2026-11-01");
    mounted.click("[data-testid=report-run]");
    wait_until("the error", || {
        mounted.one("[data-testid=report-error]").is_some()
    })
    .await;
    assert!(server.seen().is_empty());
}

fn set_input(mounted: &Mounted, selector: &str, value: &str) {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = mounted.one(selector).unwrap().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn overview() -> Overview {
    let channel = |channel_id: &str, status| Channel {
        id: id(channel_id),
        name: format!("Channel {channel_id}"),
        status,
        videos_today: 4,
        failed_today: 1,
        cost_today: usd(2.0),
        total_videos: 100,
    };
    Overview {
        metrics: Metrics {
            channel_count: 2,
            active_channels: 1,
            videos_today: 8,
            failed_today: 2,
            processing_now: 1,
            cost_today: usd(4.0),
            daily_budget: usd(50.0),
            revenue_today: usd(30.0),
            average_cost_per_video: usd(0.4),
        },
        channels: vec![
            channel("c-1", ChannelStatus::Active),
            channel("c-2", ChannelStatus::Paused),
        ],
        generated_at: Timestamp::from_millis(FIXTURE_DAY + 1_000),
        last_event_id: None,
    }
}

#[wasm_bindgen_test]
async fn channels_show_each_channels_figures_and_switch() {
    let server = FakeServer::install(|seen| {
        if seen.method == "PATCH" && seen.path == "/api/v1/channels/c-1/status" {
            let mut channel = overview().channels.remove(0);
            channel.status = ChannelStatus::Paused;
            Reply::json(200, &channel)
        } else {
            Reply::text(404, r#"{"error":"no such route"}"#)
        }
    });
    let (mounted, _ws) = mount_page(|| {
        let fetch = |_: PollRequest| async {
            Ok(Polled::Fresh {
                data: overview(),
                etag: None,
            })
        };
        provide_overview_poller_with(fetch, UsePollerOptions::new(Cadence::of(Tier::Live)));
        view! { <ChannelsPage /> }
    });
    wait_until("the cards", || {
        mounted.all("[data-testid=channel-card]").len() == 2
    })
    .await;
    let paused = mounted.one("[data-channel-id=c-2]").unwrap();
    assert_eq!(
        paused.get_attribute("data-status").as_deref(),
        Some("paused")
    );
    assert_eq!(
        mounted
            .text("[data-channel-id=c-1] [data-testid=channel-success-rate]")
            .as_deref(),
        Some("80%")
    );
    assert_eq!(mounted.all("[data-testid=channel-toggle]").len(), 2);
    assert_eq!(
        mounted
            .all("[data-testid=channel-spend] .bar-list__row")
            .len(),
        2
    );

    let toggle = "[data-channel-id=c-1] [data-testid=channel-toggle]";
    assert_eq!(mounted.text(toggle).as_deref(), Some("Pause channel"));
    mounted.click(toggle);
    wait_until("the switch request answered", || {
        server.answered("PATCH", "/api/v1/channels/c-1/status") == 1
    })
    .await;
    let sent = server.seen();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sent[0].body).unwrap(),
        serde_json::json!({"status": "paused"})
    );
    let active = mounted.one("[data-channel-id=c-1]").unwrap();
    assert_eq!(
        active.get_attribute("data-status").as_deref(),
        Some("paused")
    );
    assert_eq!(
        mounted
            .one(toggle)
            .unwrap()
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert_eq!(mounted.text(toggle).as_deref(), Some("Resume channel"));
}

#[wasm_bindgen_test]
fn not_found_offers_a_way_back() {
    let (mounted, _ws) = mount_page(|| view! { <NotFoundPage /> });
    assert!(
        mounted
            .text("[data-testid=not-found] h1")
            .unwrap()
            .contains("not found")
    );
    assert!(mounted.one("[data-testid=not-found] a[href='/']").is_some());
}

/// The videos API over 25 failed then 5 completed videos, filtering and
/// paging by the query string as the server does: a page or filter that
/// sends the wrong parameters gets the wrong rows.
fn videos_by_query(seen: &Seen) -> Reply {
    let (path, query) = seen.path.split_once('?').unwrap_or((&seen.path, ""));
    if seen.method != "GET" || path != "/api/v1/videos" {
        return Reply::text(404, r#"{"error":"no such route"}"#);
    }
    let (mut status, mut page, mut per_page) = (None, 1, 20);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("status", value)) => status = Some(value.to_owned()),
            Some(("page", value)) => page = value.parse().unwrap(),
            Some(("perPage", value)) => per_page = value.parse().unwrap(),
            _ => return Reply::text(400, r#"{"error":"unknown query parameter"}"#),
        }
    }
    let matching: Vec<Video> = (0..30)
        .map(|n| {
            let status = if n < 25 {
                VideoStatus::Failed
            } else {
                VideoStatus::Completed
            };
            video(&format!("v-{n:02}"), status)
        })
        .filter(|v| status.as_deref().is_none_or(|s| v.status.as_str() == s))
        .collect();
    let items = matching
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .cloned()
        .collect();
    Reply::json(
        200,
        &VideoPage {
            total: matching.len() as u32,
            items,
            page,
            per_page,
        },
    )
}

fn shown_video_ids(mounted: &Mounted) -> Vec<String> {
    mounted
        .all("[data-testid=video-row]")
        .iter()
        .filter_map(|row| row.get_attribute("data-video-id"))
        .collect()
}

fn ids(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|n| format!("v-{n:02}")).collect()
}

/// Goes where a link points, as the router does on a click: push the URL
/// and tell the router with `popstate`.
fn navigate(href: &str) {
    js_sys::Function::new_with_args(
        "url",
        "history.pushState(null, '', url); dispatchEvent(new PopStateEvent('popstate'));",
    )
    .call1(&wasm_bindgen::JsValue::NULL, &href.into())
    .unwrap();
}

fn follow(mounted: &Mounted, link: &str) {
    let href = mounted
        .one(link)
        .unwrap_or_else(|| panic!("nothing matches {link}"))
        .get_attribute("href")
        .expect("a link");
    navigate(&href);
}

#[wasm_bindgen_test]
async fn the_status_filter_and_the_pager_ask_the_server_for_their_rows() {
    // Links navigate the test page itself; the next mount puts it back at `/`.
    let server = FakeServer::install(videos_by_query);
    let (mounted, _ws) = mount_page(|| view! { <VideosPage /> });
    wait_until("the first page of all videos", || {
        shown_video_ids(&mounted) == ids(0..20)
    })
    .await;

    follow(
        &mounted,
        "[data-testid=video-filter][data-status=completed]",
    );
    wait_until("only the completed videos", || {
        shown_video_ids(&mounted) == ids(25..30)
    })
    .await;

    follow(&mounted, "[data-testid=video-filter][data-status=All]");
    wait_until("all videos again", || {
        shown_video_ids(&mounted) == ids(0..20)
    })
    .await;
    let older = mounted
        .all("[data-testid=videos-pager] a")
        .into_iter()
        .find(|a| a.text_content().as_deref() == Some("Older"))
        .expect("an Older link on the first of two pages");
    navigate(&older.get_attribute("href").expect("a link"));
    wait_until("the second page", || {
        shown_video_ids(&mounted) == ids(20..30)
    })
    .await;

    let asked: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    for path in [
        "/api/v1/videos?page=1&perPage=20",
        "/api/v1/videos?status=completed&page=1&perPage=20",
        "/api/v1/videos?page=2&perPage=20",
    ] {
        assert!(asked.iter().any(|p| p == path), "{path} not in {asked:?}");
    }
}

#[wasm_bindgen_test]
async fn page_pollers_wait_while_the_document_is_hidden() {
    use fakes::set_page_hidden;
    let server = FakeServer::install(|seen| {
        if seen.path.starts_with("/api/v1/costs/") {
            Reply::json(200, &breakdown())
        } else if seen.path.starts_with("/api/v1/videos") {
            Reply::json(200, &page_of(vec![video("v-1", VideoStatus::Completed)]))
        } else {
            analytics_route(seen)
        }
    });
    // Through the document's own visibilitychange, as a tab switch fires it.
    let (_costs, _) = mount_hidden_page(|| view! { <CostsPage /> });
    let (_analytics, _) = mount_hidden_page(|| view! { <AnalyticsPage /> });
    let (_videos, _) = mount_hidden_page(|| view! { <VideosPage /> });
    holds_for("no request while hidden", 500.0, || {
        server.seen().is_empty()
    })
    .await;

    set_page_hidden(false);
    wait_until("each poller's first load once shown", || {
        server.answered("GET", "/api/v1/costs/breakdown") == 1
            && server.answered("GET", "/api/v1/analytics/trends") == 1
            && server.answered("GET", "/api/v1/analytics/performance") == 1
            && server.answered("GET", "/api/v1/videos") == 1
    })
    .await;
}
