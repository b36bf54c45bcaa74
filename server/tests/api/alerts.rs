use serde_json::Value;
use ytempire_protocol::{AlertLevel, Event, EventBody, Usd};

use crate::common::*;

const ALERT_FIELDS: [&str; 7] = [
    "level",
    "currentCost",
    "threshold",
    "message",
    "remainingBudget",
    "projectedDailyCost",
    "timestamp",
];

fn alert_payload(event: &Event) -> Value {
    assert_eq!(event.body.type_name(), "cost.alert", "{event:?}");
    let payload = serde_json::to_value(event).unwrap()["payload"].clone();
    let mut keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = ALERT_FIELDS;
    expected.sort_unstable();
    assert_eq!(keys, expected, "alert payload fields");
    payload
}

fn level(event: &Event) -> AlertLevel {
    match &event.body {
        EventBody::CostAlert(alert) => alert.level,
        other => panic!("expected a cost alert, got {other:?}"),
    }
}

#[tokio::test]
async fn an_expensive_video_raises_a_warning_at_forty_cents() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let day = utc_today();

    assert!(
        !server
            .ingest(&completed("cheap", demo.channel(0), 0.40))
            .await
    );
    assert!(
        !server
            .ingest(&failed("pricey", demo.channel(0), "video", true, 0.41))
            .await
    );
    assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
    assert_eq!(ws.next_event().await.body.type_name(), "video.failed");
    let alert = ws.next_event().await;
    assert_eq!(level(&alert), AlertLevel::Warning);
    let payload = alert_payload(&alert);
    assert_eq!(payload["threshold"], 0.4);
    assert_eq!(payload["currentCost"], 0.41);
    if still(day) {
        // Both videos were booked on the same day.
        assert_eq!(payload["remainingBudget"], 50.0 - 0.81);
        assert!(payload["projectedDailyCost"].as_f64().unwrap() >= 0.81);
    }
}

#[tokio::test]
async fn each_budget_level_fires_once_per_day_even_across_a_restart() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.default_daily_budget = Usd::new(1.0).unwrap();
    let server = TestServer::start_with(config.clone()).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let channel = demo.channel(0);
    let day = utc_today();

    let costs = [0.30, 0.35, 0.20, 0.10, 0.05, 0.05, 0.05];
    for (n, cost) in (1..).zip(costs) {
        spend(&server, n, channel, cost).await;
    }
    if !still(day) {
        // The day turned among the reports: the levels are split over two days.
        return;
    }
    assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
    assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
    for (n, expected, threshold, spent) in [
        (3, AlertLevel::Warning, 0.8, 0.85),
        (4, AlertLevel::Critical, 0.95, 0.95),
        (5, AlertLevel::Limit, 1.0, 1.0),
    ] {
        assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
        let alert = ws.next_event().await;
        assert_eq!(level(&alert), expected, "after video {n}");
        let payload = alert_payload(&alert);
        assert_eq!(payload["threshold"], threshold);
        assert!((payload["currentCost"].as_f64().unwrap() - spent).abs() < 1e-9);
        assert!((payload["remainingBudget"].as_f64().unwrap() - (1.0 - spent)).abs() < 1e-9);
    }

    // Past the limit: videos go on, alerts do not repeat.
    assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
    let next = ws.next_event().await;
    assert_eq!(
        next.body.type_name(),
        "video.completed",
        "no second limit alert"
    );
    let last_id = next.id;
    ws.close().await;
    server.stop().await;

    let server = TestServer::start_with(config).await;
    let mut ws = server.ws_session(&demo, Some(last_id)).await;
    assert!(!server.ingest(&completed("v8", channel, 0.05)).await);
    assert!(!server.ingest(&completed("v9", channel, 0.05)).await);
    let first = ws.next_event().await;
    let second = ws.next_event().await;
    assert_eq!(
        (
            first.id,
            first.body.type_name(),
            second.id,
            second.body.type_name()
        ),
        (
            last_id + 1,
            "video.completed",
            last_id + 2,
            "video.completed"
        ),
        "the restart re-fired no alert"
    );

    let breakdown = server.json_as(&demo.token, "/api/v1/costs/breakdown").await;
    let levels: Vec<&str> = breakdown["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["limit", "critical", "warning"], "newest first");
}

async fn spend(server: &TestServer, n: u32, channel: (&str, &str), cost: f64) {
    assert!(
        !server
            .ingest(&completed(&format!("v{n}"), channel, cost))
            .await
    );
}
