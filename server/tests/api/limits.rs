//! Input at the edge of its range: money caps, timestamp and id rules,
//! email length, and the lockout table's bound.

use reqwest::StatusCode;
use serde_json::{Value, json};
use ytempire_protocol::{ApiError, MAX_EMAIL_BYTES};
use ytempire_server::{DEMO_EMAIL, DEMO_PASSWORD};

use crate::common::*;

async fn refused_field(server: &TestServer, report: &Value) -> Option<String> {
    let response = server.post_event(report).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{report}");
    let error: ApiError = response.json().await.expect("an error body");
    error.field
}

fn with_payload(mut report: Value, key: &str, value: Value) -> Value {
    report["payload"][key] = value;
    report
}

async fn cost_today(server: &TestServer, token: &str) -> Value {
    server.json_as(token, "/api/v1/dashboard/overview").await["metrics"]["costToday"].clone()
}

#[tokio::test]
async fn a_cost_above_the_cap_stores_nothing_and_the_next_report_is_accepted() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;

    for cost in [json!(1e308), json!(1_000.000_001)] {
        let completed = completed("v1", demo.channel(0), 0.0);
        let report = with_payload(completed, "cost", cost.clone());
        assert_eq!(
            refused_field(&server, &report).await.as_deref(),
            Some("payload.cost"),
            "cost {cost}"
        );
        let failure = failed("v1", demo.channel(0), "audio", true, 0.0);
        let report = with_payload(failure, "cost", cost);
        assert_eq!(
            refused_field(&server, &report).await.as_deref(),
            Some("payload.cost")
        );
    }
    assert_eq!(
        cost_today(&server, &demo.token).await,
        0.0,
        "nothing booked"
    );

    // The same video, now with a sane cost: not a duplicate of anything.
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.3)).await);
    assert!(
        !server
            .ingest(&completed("v2", demo.channel(1), 1000.0))
            .await
    );
    assert_eq!(cost_today(&server, &demo.token).await, 1000.3);
    let breakdown = server.json_as(&demo.token, "/api/v1/costs/breakdown").await;
    assert_eq!(breakdown["totalCost"], 1000.3);
}

#[tokio::test]
async fn negative_zero_is_booked_and_shown_as_zero() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;

    let report = with_payload(completed("v1", demo.channel(0), 0.0), "cost", json!(-0.0));
    assert!(report.to_string().contains("-0.0"), "the wire carries -0.0");
    assert!(!server.ingest(&report).await);

    let event = ws.next_event().await;
    let ytempire_protocol::EventBody::VideoCompleted(video) = event.body else {
        panic!("expected video.completed, got {event:?}");
    };
    assert!(video.cost.get().is_sign_positive());
    let listed = server
        .get_as(&demo.token, "/api/v1/videos")
        .await
        .text()
        .await
        .expect("a body");
    assert!(listed.contains(r#""cost":0.0"#), "{listed}");
    assert!(!listed.contains(r#""cost":-0"#), "{listed}");
}

#[tokio::test]
async fn timestamps_need_a_real_offset_and_a_year_from_2000_to_2999() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;

    for bad in [
        "2026-11-25T10:00:00+99:99",
        "2026-11-25T10:00:00+14:01",
        "2026-11-25T10:00:00-14:30",
        "0000-01-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "3000-01-01T00:00:00Z",
    ] {
        let report = with_payload(started("v1", demo.channel(0).0), "timestamp", json!(bad));
        assert_eq!(
            refused_field(&server, &report).await.as_deref(),
            Some("payload.timestamp"),
            "{bad}"
        );
    }
    let report = with_payload(
        started("v1", demo.channel(0).0),
        "timestamp",
        json!("2026-11-25T10:00:00+14:00"),
    );
    assert!(!server.ingest(&report).await);
}

#[tokio::test]
async fn ids_with_surrounding_whitespace_or_control_characters_are_refused() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;

    for bad in [" v1", "v1 ", "v1\n", "v\u{0}1", "v\u{1b}1"] {
        let report = with_payload(started("v1", demo.channel(0).0), "videoId", json!(bad));
        assert_eq!(
            refused_field(&server, &report).await.as_deref(),
            Some("payload.videoId"),
            "{bad:?}"
        );
    }
    let padded_channel = format!("{} ", demo.channel(0).0);
    let report = with_payload(
        started("v1", demo.channel(0).0),
        "channelId",
        json!(padded_channel),
    );
    assert_eq!(
        refused_field(&server, &report).await.as_deref(),
        Some("payload.channelId")
    );
    assert!(!server.ingest(&started("video 1", demo.channel(0).0)).await);
}

#[tokio::test]
async fn an_email_over_254_bytes_is_refused_before_it_is_looked_up() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // One wrong password would lock an email out, if it were ever counted.
    config.sessions.max_failed_logins = 1;
    let server = TestServer::start_with(config).await;

    let longest = format!("{}@x.io", "a".repeat(MAX_EMAIL_BYTES - 5));
    assert_eq!(longest.len(), MAX_EMAIL_BYTES);
    assert_eq!(
        server.login(&longest, "wrong").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let too_long = format!("a{longest}");
    for _ in 0..3 {
        let response = server.login(&too_long, "wrong").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error: ApiError = response.json().await.expect("an error body");
        assert_eq!(error.field.as_deref(), Some("email"));
    }
    // Spaces around an address are not part of it.
    let padded = format!("  {DEMO_EMAIL}{}", " ".repeat(MAX_EMAIL_BYTES));
    assert_eq!(
        server.login(&padded, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_flood_of_other_emails_neither_grows_the_lockout_table_nor_frees_a_victim() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.sessions.max_failed_logins = 2;
    config.sessions.max_tracked_logins = 4;
    let server = TestServer::start_with(config).await;

    for _ in 0..2 {
        let wrong = server.login(DEMO_EMAIL, "wrong").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);

    // Three more emails fill the table; every further one is refused
    // without being tracked.
    for n in 0..3 {
        let response = server.login(&format!("flood-{n}@x.io"), "wrong").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "flood {n}");
    }
    for n in 3..20 {
        let response = server.login(&format!("flood-{n}@x.io"), "wrong").await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "flood {n}"
        );
        assert!(response.headers().contains_key("retry-after"));
        let error: ApiError = response.json().await.expect("an error body");
        assert!(error.error.contains("try again"), "{}", error.error);
    }
    let still_locked = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    assert_eq!(
        still_locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the victim's lockout survived the flood"
    );
    // A tracked email is still judged as before.
    let tracked = server.login("flood-0@x.io", "wrong").await;
    assert_eq!(tracked.status(), StatusCode::UNAUTHORIZED);
}
