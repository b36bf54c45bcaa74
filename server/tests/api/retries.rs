//! Retry is real and final: a pipeline claims retries with their attempt,
//! and reports of an attempt a Retry superseded are refused.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use ytempire_protocol::{EventBody, VideoFailed};
use ytempire_server::config::SimulatorConfig;

use crate::common::*;

/// The report with `attempt` set in its payload.
fn of_attempt(mut report: Value, attempt: u32) -> Value {
    report["payload"]["attempt"] = json!(attempt);
    report
}

async fn claim(server: &TestServer, body: &Value) -> (StatusCode, Value) {
    let response = server
        .http
        .post(server.url("/api/v1/pipeline/retries/claim"))
        .bearer_auth(PIPELINE_TOKEN)
        .json(body)
        .send()
        .await
        .expect("claim request");
    let status = response.status();
    (status, response.json().await.expect("a JSON answer"))
}

/// The retries `worker` is handed.
async fn claimed(server: &TestServer, worker: &str) -> Vec<Value> {
    let (status, body) = claim(server, &json!({"worker": worker})).await;
    assert_eq!(status, StatusCode::OK, "claim answered {body}");
    body["retries"]
        .as_array()
        .expect("a list of retries")
        .clone()
}

async fn retry(server: &TestServer, token: &str, video_id: &str) -> reqwest::Response {
    server
        .http
        .post(server.url(&format!("/api/v1/videos/{video_id}/retry")))
        .bearer_auth(token)
        .send()
        .await
        .expect("retry request")
}

/// Retries the video and returns the attempt the answer names.
async fn retried(server: &TestServer, token: &str, video_id: &str) -> Value {
    let response = retry(server, token, video_id).await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "retry of {video_id}"
    );
    let body: Value = response.json().await.expect("a retried video");
    body["video"]["attempt"].clone()
}

async fn video(server: &TestServer, token: &str, video_id: &str) -> Value {
    let videos = server.json_as(token, "/api/v1/videos?perPage=100").await;
    videos["items"]
        .as_array()
        .expect("a list of videos")
        .iter()
        .find(|v| v["id"] == video_id)
        .unwrap_or_else(|| panic!("{video_id} is not listed"))
        .clone()
}

#[tokio::test]
async fn a_retried_video_is_claimed_once_with_its_new_attempt() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let channel = demo.channel(1);
    assert!(
        !server
            .ingest(&failed("flaky", channel, "audio", true, 0.1))
            .await
    );
    assert!(!server.ingest(&completed("done", channel, 0.3)).await);
    assert!(
        !server
            .ingest(&failed("final", channel, "upload", false, 0.1))
            .await
    );
    assert_eq!(video(&server, &demo.token, "flaky").await["attempt"], 1);
    assert!(claimed(&server, "w1").await.is_empty(), "nothing is queued");

    assert_eq!(retried(&server, &demo.token, "flaky").await, 2);
    let first = claimed(&server, "w1").await;
    assert_eq!(first.len(), 1, "{first:?}");
    let retry = &first[0];
    assert_eq!(retry["videoId"], "flaky");
    assert_eq!(retry["channelId"], channel.0);
    assert_eq!(retry["channelName"], channel.1);
    assert_eq!(
        retry["title"], "flaky",
        "a failure first seen has its id as title"
    );
    assert_eq!(retry["attempt"], 2);
    assert!(retry["leaseExpiresAt"].is_string());

    let again = claimed(&server, "w1").await;
    assert_eq!(again.len(), 1, "the same worker gets its retry back");
    assert_eq!(again[0]["videoId"], "flaky");
    assert!(
        claimed(&server, "w2").await.is_empty(),
        "another worker is not handed a leased retry"
    );

    // Once the worker reports the start, the retry is no longer waiting.
    assert!(
        !server
            .ingest(&of_attempt(started("flaky", channel.0), 2))
            .await
    );
    assert!(claimed(&server, "w1").await.is_empty());
    let flaky = video(&server, &demo.token, "flaky").await;
    assert_eq!(
        (&flaky["status"], &flaky["attempt"]),
        (&json!("processing"), &json!(2))
    );
}

#[tokio::test]
async fn a_late_report_of_the_superseded_attempt_is_refused_and_books_nothing() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let channel = demo.channel(0);
    let mut ws = server.ws_session(&demo, None).await;

    assert!(
        !server
            .ingest(&of_attempt(failed("v1", channel, "audio", true, 0.1), 1))
            .await
    );
    assert_eq!(ws.next_event().await.id, 1);
    assert_eq!(retried(&server, &demo.token, "v1").await, 2);

    // The race of the issue: the first attempt's failure arrives (again)
    // after the Retry, with its attempt, or from a pipeline that names none.
    let late = [
        of_attempt(failed("v1", channel, "audio", true, 0.1), 1),
        of_attempt(completed("v1", channel, 0.3), 1),
        of_attempt(started("v1", channel.0), 1),
        failed("v1", channel, "audio", true, 0.1),
        completed("v1", channel, 0.3),
    ];
    for report in &late {
        let response = server.post_event(report).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{report}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let refused: Value = server.post_event(&late[0]).await.json().await.unwrap();
    assert!(
        refused["error"].as_str().unwrap().contains("superseded"),
        "{refused}"
    );

    let v1 = video(&server, &demo.token, "v1").await;
    assert_eq!(
        (&v1["status"], &v1["attempt"]),
        (&json!("queued"), &json!(2))
    );
    assert_eq!(v1["cost"], 0.1, "the refused reports booked nothing");
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["metrics"]["costToday"], 0.1);
    assert_eq!(overview["metrics"]["failedToday"], 1);
    assert_eq!(overview["lastEventId"], 1, "no event was logged");
    let breakdown = server.json_as(&demo.token, "/api/v1/costs/breakdown").await;
    assert_eq!(breakdown["totalCost"], 0.1);
    assert_eq!(
        claimed(&server, "w1").await[0]["attempt"],
        2,
        "still queued"
    );

    // The current attempt's reports apply, and are the next events sent.
    assert!(
        !server
            .ingest(&of_attempt(failed("v1", channel, "video", true, 0.2), 2))
            .await
    );
    let event = ws.next_event().await;
    assert_eq!(event.id, 2, "no event was sent for the refused reports");
    let EventBody::VideoFailed(VideoFailed { attempt, error, .. }) = event.body else {
        panic!("expected the second attempt's failure");
    };
    assert_eq!(attempt.map(|a| a.get()), Some(2));
    assert_eq!(error.stage.as_str(), "video");

    // Failed again, the video still refuses the first attempt's report,
    // rather than taking it for a repeat of the second's.
    let response = server.post_event(&late[0]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert!((overview["metrics"]["costToday"].as_f64().unwrap() - 0.3).abs() < 1e-9);
    assert_eq!(overview["lastEventId"], 2);
    assert_eq!(video(&server, &demo.token, "v1").await["stage"], "video");
}

#[tokio::test]
async fn reports_without_an_attempt_apply_to_the_current_one() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let channel = demo.channel(0);

    // A video never retried: the reports of today's pipelines work as before.
    assert!(!server.ingest(&started("v1", channel.0)).await);
    assert!(!server.ingest(&completed("v1", channel, 0.3)).await);
    assert!(server.ingest(&completed("v1", channel, 0.3)).await);
    let v1 = video(&server, &demo.token, "v1").await;
    assert_eq!(
        (&v1["status"], &v1["attempt"]),
        (&json!("completed"), &json!(1))
    );

    // A retried one: its start picks the retry up; the outcome that follows
    // is the new attempt's.
    assert!(
        !server
            .ingest(&failed("v2", channel, "audio", true, 0.1))
            .await
    );
    assert_eq!(retried(&server, &demo.token, "v2").await, 2);
    assert!(!server.ingest(&started("v2", channel.0)).await);
    assert!(
        !server
            .ingest(&failed("v2", channel, "upload", true, 0.2))
            .await
    );
    let v2 = video(&server, &demo.token, "v2").await;
    assert_eq!(
        (&v2["status"], &v2["attempt"]),
        (&json!("failed"), &json!(2))
    );
    assert!((v2["cost"].as_f64().unwrap() - 0.3).abs() < 1e-9);

    // An attempt the server never started is refused, and changes nothing.
    for report in [
        of_attempt(started("v2", channel.0), 3),
        of_attempt(completed("new", channel, 0.3), 2),
    ] {
        let response = server.post_event(&report).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{report}");
    }
    let videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(videos["total"], 2, "no video was created");
    assert_eq!(video(&server, &demo.token, "v2").await["status"], "failed");
}

#[tokio::test]
async fn claiming_needs_the_pipeline_token_and_a_valid_body() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let url = server.url("/api/v1/pipeline/retries/claim");
    let body = json!({"worker": "w1"});
    for token in [None, Some("wrong-token"), Some(demo.token.as_str())] {
        let mut request = server.http.post(&url).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].is_string());
    }

    for (body, field) in [
        (json!({"worker": "w1", "limit": 0}), "limit"),
        (json!({"worker": "w1", "limit": 101}), "limit"),
        (json!({"worker": "w1", "limit": -1}), "limit"),
        (json!({"worker": ""}), "worker"),
        (json!({}), "worker"),
        (json!({"worker": "w1", "lease": 5}), "lease"),
    ] {
        let (status, error) = claim(&server, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error["field"], field, "{error}");
    }
    let (status, body) = claim(&server, &json!({"worker": "w1", "limit": 100})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"retries": []}));
}

#[tokio::test]
async fn a_claim_hands_out_at_most_its_limit_oldest_first() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    for id in ["a", "b", "c"] {
        assert!(
            !server
                .ingest(&failed(id, demo.channel(0), "audio", true, 0.1))
                .await
        );
        retried(&server, &demo.token, id).await;
    }
    let ids = |retries: &Value| -> Vec<String> {
        retries["retries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["videoId"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, first) = claim(&server, &json!({"worker": "w1", "limit": 2})).await;
    assert_eq!(ids(&first), ["a", "b"]);
    let (_, second) = claim(&server, &json!({"worker": "w2", "limit": 2})).await;
    assert_eq!(ids(&second), ["c"], "only what no lease holds");
    let (_, more) = claim(&server, &json!({"worker": "w1", "limit": 3})).await;
    assert_eq!(
        ids(&more),
        ["a", "b"],
        "w1 keeps its own and takes no other's"
    );
}

#[tokio::test]
async fn a_lapsed_claim_goes_to_another_worker() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.retry_lease = Duration::ZERO;
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    assert!(
        !server
            .ingest(&failed("v1", demo.channel(0), "audio", true, 0.1))
            .await
    );
    retried(&server, &demo.token, "v1").await;
    assert_eq!(claimed(&server, "w1").await.len(), 1);
    let taken = claimed(&server, "w2").await;
    assert_eq!(taken.len(), 1, "w1's lease has run out");
    assert_eq!(taken[0]["attempt"], 2, "a new claim, not a new attempt");
}

#[tokio::test]
async fn retries_wait_while_their_channel_is_paused() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let channel = demo.channel(0);
    assert!(
        !server
            .ingest(&failed("v1", channel, "audio", true, 0.1))
            .await
    );
    retried(&server, &demo.token, "v1").await;
    let set = |status: &str| {
        server
            .http
            .patch(server.url(&format!("/api/v1/channels/{}/status", channel.0)))
            .bearer_auth(&demo.token)
            .json(&json!({"status": status}))
            .send()
    };
    assert_eq!(set("paused").await.unwrap().status(), StatusCode::OK);
    assert!(claimed(&server, "w1").await.is_empty());
    assert_eq!(set("active").await.unwrap().status(), StatusCode::OK);
    assert_eq!(claimed(&server, "w1").await.len(), 1);
}

#[tokio::test]
async fn retries_stay_with_their_owner() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    add_user(server.db(), "other@example.com", "other-password", &[]);
    let demo = server.demo().await;
    let other = server.session("other@example.com", "other-password").await;
    assert!(
        !server
            .ingest(&failed("theirs", other.channel(0), "audio", true, 0.1))
            .await
    );

    // Another user's video can be neither retried nor seen.
    assert_eq!(
        retry(&server, &demo.token, "theirs").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(claimed(&server, "w1").await.is_empty(), "not retried");
    assert_eq!(retried(&server, &other.token, "theirs").await, 2);
    let retries = claimed(&server, "w1").await;
    assert_eq!(retries.len(), 1);
    assert_eq!(retries[0]["channelId"], other.channel(0).0);
    let videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(videos["total"], 0);
}

#[tokio::test]
async fn the_simulator_runs_the_retries_it_claims_and_no_others() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let channel = demo.channel(0);
    for id in ["held", "free"] {
        assert!(
            !server
                .ingest(&failed(id, channel, "audio", true, 0.1))
                .await
        );
        retried(&server, &demo.token, id).await;
    }
    // Another worker holds the older retry. Set up before the simulator
    // runs, so that it cannot claim first.
    let (_, held) = claim(&server, &json!({"worker": "elsewhere", "limit": 1})).await;
    assert_eq!(held["retries"][0]["videoId"], "held");
    server.stop().await;

    let mut config = config(dir.path());
    config.simulator = Some(SimulatorConfig {
        interval: Duration::from_millis(20),
    });
    let server = TestServer::start_with(config).await;
    let mut ws = server.ws_session(&demo, None).await;
    // The simulator starts retries before new videos, oldest first: had it
    // read the queue rather than claimed, it would run `held` first.
    let outcome = within("the simulator to finish the free retry", async {
        loop {
            let (video_id, attempt) = match ws.next_event().await.body {
                EventBody::VideoCompleted(e) => (e.video_id, e.attempt),
                EventBody::VideoFailed(e) => (e.video_id, e.attempt),
                EventBody::CostAlert(_) => continue,
            };
            assert_ne!(
                video_id.as_str(),
                "held",
                "the simulator ran a retry it did not hold"
            );
            if video_id.as_str() == "free" {
                return attempt;
            }
        }
    })
    .await;
    assert_eq!(outcome.map(|a| a.get()), Some(2), "reported as attempt 2");
    let held = video(&server, &demo.token, "held").await;
    assert_eq!(
        (&held["status"], &held["attempt"]),
        (&json!("queued"), &json!(2))
    );
}
