//! Two users whose data differ, read through every user route: each sees
//! exactly its own figures, so a query that forgets its `user_id` filter
//! fails here.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};
use ytempire_protocol::{AlertLevel, EventBody, Usd};

use crate::common::*;

/// What each user's reports add up to.
struct Expected {
    videos: BTreeSet<&'static str>,
    completed: u64,
    failed: u64,
    processing: u64,
    cost: f64,
    completed_cost: f64,
    /// The one stage its failure happened at, and that failure's cost.
    failed_stage: (&'static str, f64),
    alerts: Vec<&'static str>,
    last_event_id: u64,
}

fn near(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| near(a, expected))
}

fn ids(values: &Value, key: &str) -> BTreeSet<String> {
    values
        .as_array()
        .unwrap_or_else(|| panic!("an array: {values}"))
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

fn channel_ids(session: &Session) -> BTreeSet<String> {
    session.channels.iter().map(|c| c.id.to_string()).collect()
}

fn sum(points: &Value, key: &str) -> f64 {
    points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[key].as_f64().unwrap_or(0.0))
        .sum()
}

#[tokio::test]
async fn every_read_shows_each_user_only_their_own_data() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let other = server.other().await;
    let day = utc_today();

    // The demo: two completed videos on two channels, one failed at audio.
    assert!(
        !server
            .ingest(&completed("d-a", demo.channel(0), 0.30))
            .await
    );
    assert!(
        !server
            .ingest(&completed("d-b", demo.channel(1), 0.20))
            .await
    );
    let d_c = failed("d-c", demo.channel(0), "audio", true, 0.10);
    assert!(!server.ingest(&d_c).await);
    // The other: one expensive completed video (a cost alert), one failed at
    // script, one still processing.
    assert!(
        !server
            .ingest(&completed("o-a", other.channel(0), 0.45))
            .await
    );
    let o_b = failed("o-b", other.channel(1), "script", true, 0.05);
    assert!(!server.ingest(&o_b).await);
    assert!(!server.ingest(&started("o-c", other.channel(0).0)).await);

    let expectations = [
        (
            &demo,
            Expected {
                videos: ["d-a", "d-b", "d-c"].into(),
                completed: 2,
                failed: 1,
                processing: 0,
                cost: 0.60,
                completed_cost: 0.50,
                failed_stage: ("audio", 0.10),
                alerts: vec![],
                last_event_id: 3,
            },
        ),
        (
            &other,
            Expected {
                videos: ["o-a", "o-b", "o-c"].into(),
                completed: 1,
                failed: 1,
                processing: 1,
                cost: 0.50,
                completed_cost: 0.45,
                failed_stage: ("script", 0.05),
                alerts: vec!["warning"],
                // completed, its cost alert, failed
                last_event_id: 3,
            },
        ),
    ];
    // Covers the day of the reports even if the day turned since.
    let range = format!("from={}&to={}", day.add_days(-1), utc_today());

    for (session, expected) in &expectations {
        let who = session.user.email.as_str();
        let own_channels = channel_ids(session);

        let overview = server
            .json_as(&session.token, "/api/v1/dashboard/overview")
            .await;
        let metrics = &overview["metrics"];
        assert_eq!(ids(&overview["channels"], "id"), own_channels, "{who}");
        assert_eq!(metrics["channelCount"], own_channels.len(), "{who}");
        assert_eq!(metrics["activeChannels"], own_channels.len(), "{who}");
        assert_eq!(metrics["processingNow"], expected.processing, "{who}");
        assert_eq!(overview["lastEventId"], expected.last_event_id, "{who}");
        let total_videos: u64 = overview["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["totalVideos"].as_u64().unwrap())
            .sum();
        assert_eq!(total_videos, expected.completed, "{who}: {overview}");
        if still(day) {
            assert_eq!(metrics["videosToday"], expected.completed, "{who}");
            assert_eq!(metrics["failedToday"], expected.failed, "{who}");
            assert!(
                close(&metrics["costToday"], expected.cost),
                "{who}: {metrics}"
            );
            assert!(
                near(sum(&overview["channels"], "costToday"), expected.cost),
                "{who}: {overview}"
            );
        }

        let costs = server
            .json_as(&session.token, &format!("/api/v1/costs/breakdown?{range}"))
            .await;
        assert!(close(&costs["totalCost"], expected.cost), "{who}: {costs}");
        assert!(
            close(&costs["completedCost"], expected.completed_cost),
            "{who}: {costs}"
        );
        assert_eq!(ids(&costs["byChannel"], "channelId"), own_channels, "{who}");
        assert!(
            near(sum(&costs["byChannel"], "cost"), expected.cost),
            "{who}: {costs}"
        );
        let (stage, stage_cost) = expected.failed_stage;
        for by_stage in costs["byStage"].as_array().unwrap() {
            let (failed, cost) = if by_stage["stage"] == stage {
                (1, stage_cost)
            } else {
                (0, 0.0)
            };
            assert_eq!(by_stage["failedVideos"], failed, "{who}: {by_stage}");
            assert!(close(&by_stage["cost"], cost), "{who}: {by_stage}");
        }
        assert!(near(sum(&costs["byDay"], "cost"), expected.cost), "{who}");
        assert!(
            near(
                sum(&costs["byDay"], "videos"),
                (expected.completed + expected.failed) as f64
            ),
            "{who}: {costs}"
        );
        let alerts: Vec<&str> = costs["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["level"].as_str().unwrap())
            .collect();
        assert_eq!(alerts, expected.alerts, "{who}: alert history");
        if still(day) {
            let budget = &costs["budget"];
            assert!(
                close(&budget["spentToday"], expected.cost),
                "{who}: {budget}"
            );
            assert!(
                close(&budget["remainingBudget"], 50.0 - expected.cost),
                "{who}: {budget}"
            );
        }

        let trends = server
            .json_as(&session.token, &format!("/api/v1/analytics/trends?{range}"))
            .await;
        let points = &trends["points"];
        assert!(near(sum(points, "videos"), expected.completed as f64));
        assert!(near(sum(points, "failed"), expected.failed as f64));
        assert!(near(sum(points, "cost"), expected.cost), "{who}: {trends}");

        let performance = server
            .json_as(
                &session.token,
                &format!("/api/v1/analytics/performance?{range}"),
            )
            .await;
        let finished = sum(&performance["points"], "finished");
        assert!(
            near(finished, (expected.completed + expected.failed) as f64),
            "{who}: {performance}"
        );

        let videos = server
            .json_as(&session.token, "/api/v1/videos?perPage=100")
            .await;
        let listed = ids(&videos["items"], "id");
        let expected_ids: BTreeSet<String> =
            expected.videos.iter().map(|v| (*v).to_owned()).collect();
        assert_eq!(listed, expected_ids, "{who}: videos");
        assert_eq!(videos["total"], expected.videos.len(), "{who}");
        let failed = server
            .json_as(&session.token, "/api/v1/videos?status=failed")
            .await;
        assert_eq!(failed["total"], 1, "{who}: {failed}");
        assert_eq!(failed["items"][0]["stage"], stage, "{who}");

        let export = server
            .get_as(
                &session.token,
                &format!("/api/v1/exports/videos.csv?{range}"),
            )
            .await;
        assert_eq!(export.status(), StatusCode::OK, "{who}");
        let exported: BTreeSet<String> =
            csv::Reader::from_reader(export.text().await.unwrap().as_bytes())
                .records()
                .map(|record| record.unwrap()[0].to_owned())
                .collect();
        assert_eq!(exported, expected_ids, "{who}: CSV export");
    }

    // Writes: another user's video and channel do not exist for a user.
    let retry = |session: &Session, video: &str| {
        server
            .http
            .post(server.url(&format!("/api/v1/videos/{video}/retry")))
            .bearer_auth(&session.token)
            .send()
    };
    assert_eq!(
        retry(&demo, "o-b").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        retry(&other, "o-b").await.unwrap().status(),
        StatusCode::ACCEPTED,
        "the owner may retry it: the demo's attempt changed nothing"
    );
    let queued = server
        .json_as(&demo.token, "/api/v1/videos?status=queued")
        .await;
    assert_eq!(queued["total"], 0, "{queued}");

    let set_status = |session: &Session, channel: &str| {
        server
            .http
            .patch(server.url(&format!("/api/v1/channels/{channel}/status")))
            .bearer_auth(&session.token)
            .json(&json!({"status": "paused"}))
            .send()
    };
    assert_eq!(
        set_status(&demo, other.channel(0).0)
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let overview = server
        .json_as(&other.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["channels"][0]["status"], "active", "untouched");
    assert_eq!(
        set_status(&other, other.channel(0).0)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(
        overview["metrics"]["activeChannels"],
        demo.channels.len(),
        "the demo's channels are all still active"
    );
}

#[tokio::test]
async fn budget_alerts_fire_once_a_day_per_user_not_once_for_all() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.default_daily_budget = Usd::new(1.0).unwrap();
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let other = server.other().await;
    let mut demo_ws = server.ws_session(&demo, None).await;
    let mut other_ws = server.ws_session(&other, None).await;
    let day = utc_today();

    // Each spends 90 % of the same budget, in videos too cheap to be
    // "expensive": one warning each, though the demo's came first.
    for session in [&demo, &other] {
        for n in 1..=3 {
            let video = format!("{}-{n}", session.user.id);
            assert!(
                !server
                    .ingest(&completed(&video, session.channel(0), 0.30))
                    .await
            );
        }
    }
    if !still(day) {
        // The day turned between the reports: their levels are another day's.
        return;
    }
    for (who, ws) in [("demo", &mut demo_ws), ("other", &mut other_ws)] {
        for n in 1..=3 {
            let event = ws.next_event().await;
            assert_eq!(
                (event.id, event.body.type_name()),
                (n, "video.completed"),
                "{who}"
            );
        }
        let alert = ws.next_event().await;
        let EventBody::CostAlert(alert) = alert.body else {
            panic!("{who}: expected the warning, got {alert:?}");
        };
        assert_eq!(alert.level, AlertLevel::Warning, "{who}");
        assert!(
            (alert.current_cost.get() - 0.9).abs() < 1e-9,
            "{who}: only their own spend: {alert:?}"
        );
    }

    // Nothing more for either: the other's spend raised no level of the demo's.
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["lastEventId"], 4, "the demo got four events");
    let costs = server
        .json_as(&other.token, "/api/v1/costs/breakdown")
        .await;
    assert_eq!(costs["alerts"].as_array().unwrap().len(), 1, "{costs}");
}
