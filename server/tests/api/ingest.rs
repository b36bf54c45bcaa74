use reqwest::StatusCode;
use serde_json::{Value, json};
use ytempire_protocol::EventBody;

use crate::common::*;

#[tokio::test]
async fn a_repeated_report_is_accepted_once() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let day = utc_today();

    let report = completed("v1", demo.channel(0), 0.25);
    assert!(!server.ingest(&report).await);
    assert!(server.ingest(&report).await, "the retry is a duplicate");
    let failure = failed("v2", demo.channel(0), "audio", true, 0.1);
    assert!(!server.ingest(&failure).await);
    assert!(server.ingest(&failure).await);

    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    if still(day) {
        assert_eq!(overview["metrics"]["videosToday"], 1);
        assert_eq!(overview["metrics"]["failedToday"], 1);
        assert_eq!(overview["metrics"]["costToday"], 0.35);
    }
    assert_eq!(
        overview["lastEventId"], 2,
        "the figures include both events"
    );

    // One event per accepted report: the duplicate of v1 sent nothing, so
    // the next event is v2's failure.
    let first = ws.next_event().await;
    assert_eq!((first.id, first.body.type_name()), (1, "video.completed"));
    let second = ws.next_event().await;
    assert_eq!((second.id, second.body.type_name()), (2, "video.failed"));
}

#[tokio::test]
async fn started_marks_a_video_processing() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    assert!(!server.ingest(&started("v1", demo.channel(0).0)).await);
    assert!(server.ingest(&started("v1", demo.channel(0).0)).await);

    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["metrics"]["processingNow"], 1);
    let processing = server
        .json_as(&demo.token, "/api/v1/videos?status=processing")
        .await;
    assert_eq!(processing["total"], 1);
    assert_eq!(processing["items"][0]["title"], "Video v1");

    let day = utc_today();
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.3)).await);
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["metrics"]["processingNow"], 0);
    if still(day) {
        assert_eq!(overview["metrics"]["videosToday"], 1);
    }
}

#[tokio::test]
async fn bad_reports_answer_400_naming_the_field_and_store_nothing() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let good = completed("v1", demo.channel(0), 0.3);
    let with = |path: &[&str], value: Value| {
        let mut body = good.clone();
        let mut slot = &mut body;
        for key in path {
            slot = &mut slot[*key];
        }
        *slot = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body["payload"].as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (with(&["type"], json!("video.exploded")), "type"),
        (with(&["payload", "cost"], json!(-0.01)), "payload.cost"),
        (with(&["payload", "cost"], json!("0.3")), "payload.cost"),
        (with(&["payload", "videoId"], json!("")), "payload.videoId"),
        (
            with(&["payload", "channelId"], json!("  ")),
            "payload.channelId",
        ),
        (
            with(&["payload", "url"], json!("javascript:alert(1)")),
            "payload.url",
        ),
        (
            with(&["payload", "url"], json!("ftp://x.y/z")),
            "payload.url",
        ),
        (
            with(&["payload", "timestamp"], json!("2026-11-25 10:00")),
            "payload.timestamp",
        ),
        (
            with(&["payload", "generationTime"], json!(-1.0)),
            "payload.generationTime",
        ),
        (with(&["payload", "title"], json!(" ")), "payload.title"),
        (with(&["payload", "extra"], json!(1)), "payload.extra"),
        (without("cost"), "payload.cost"),
        (
            failed("v1", demo.channel(0), "render", true, 0.1),
            "payload.error.stage",
        ),
    ];
    for (body, field) in cases {
        let response = server.post_event(&body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{error}");
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let response = server
        .http
        .post(server.url("/api/v1/pipeline/events"))
        .bearer_auth(PIPELINE_TOKEN)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(videos["total"], 0, "nothing was stored");
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["metrics"]["costToday"], 0.0);
}

#[tokio::test]
async fn an_unknown_channel_is_404() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let response = server
        .post_event(&completed("v1", ("no-such-channel", "X"), 0.3))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "channel not found");
}

#[tokio::test]
async fn only_failed_retryable_videos_can_be_retried() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let retry = |id: &str| {
        server
            .http
            .post(server.url(&format!("/api/v1/videos/{id}/retry")))
            .bearer_auth(&demo.token)
            .send()
    };
    assert!(
        !server
            .ingest(&completed("done", demo.channel(0), 0.3))
            .await
    );
    assert!(
        !server
            .ingest(&failed("final", demo.channel(0), "upload", false, 0.1))
            .await
    );
    assert!(
        !server
            .ingest(&failed("flaky", demo.channel(1), "audio", true, 0.1))
            .await
    );

    for id in ["done", "final"] {
        let response = retry(id).await.unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT, "{id}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].is_string());
    }
    assert_eq!(
        retry("missing").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    let response = retry("flaky").await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["video"]["status"], "queued");
    assert!(body["video"].get("stage").is_none());
    assert_eq!(retry("flaky").await.unwrap().status(), StatusCode::CONFLICT);

    // The pipeline may now report the retried video afresh.
    assert!(!server.ingest(&started("flaky", demo.channel(1).0)).await);
    let mut ws = server.ws_session(&demo, None).await;
    assert!(
        !server
            .ingest(&completed("flaky", demo.channel(1), 0.3))
            .await
    );
    let event = ws.next_event().await;
    let EventBody::VideoCompleted(done) = event.body else {
        panic!("expected the retried video's completion");
    };
    assert_eq!(done.video_id.as_str(), "flaky");
    let videos = server
        .json_as(&demo.token, "/api/v1/videos?status=completed")
        .await;
    assert_eq!(videos["total"], 2);
}

#[tokio::test]
async fn channels_can_be_paused_and_resumed() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let set = |status: Value| {
        server
            .http
            .patch(server.url(&format!("/api/v1/channels/{}/status", demo.channel(0).0)))
            .bearer_auth(&demo.token)
            .json(&json!({"status": status}))
            .send()
    };
    let response = set(json!("paused")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let channel: Value = response.json().await.unwrap();
    assert_eq!(channel["status"], "paused");
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["channels"][0]["status"], "paused");
    assert_eq!(
        overview["metrics"]["activeChannels"],
        demo.channels.len() - 1
    );

    let response = set(json!("archived")).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "status");
    assert_eq!(set(json!("active")).await.unwrap().status(), StatusCode::OK);
}
