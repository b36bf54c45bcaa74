use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

#[tokio::test]
async fn a_restart_loses_nothing_and_event_ids_keep_increasing() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let day = utc_today();
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.25)).await);
    assert!(
        !server
            .ingest(&failed("v2", demo.channel(1), "script", true, 0.05))
            .await
    );
    assert!(!server.ingest(&started("v3", demo.channel(2).0)).await);
    let before = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    let videos_before = server.json_as(&demo.token, "/api/v1/videos").await;
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    // The session token survives too, and the demo account is not re-seeded.
    let after = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    // "Today" figures are only comparable when both reads were on one day.
    if still(day) {
        assert_eq!(after["metrics"], before["metrics"]);
        assert_eq!(after["channels"], before["channels"]);
    }
    assert_eq!(
        server.json_as(&demo.token, "/api/v1/videos").await,
        videos_before
    );
    assert_eq!(server.demo().await.user.id, demo.user.id);

    // The duplicate check survives: the pipeline's retry is still a duplicate.
    assert!(server.ingest(&completed("v1", demo.channel(0), 0.25)).await);

    // Replay crosses the restart, and new ids continue after the old ones.
    let mut ws = server.ws_session(&demo, Some(1)).await;
    assert_eq!(ws.next_event().await.id, 2);
    assert!(!server.ingest(&completed("v3", demo.channel(2), 0.3)).await);
    assert_eq!(ws.next_event().await.id, 3);
}

#[tokio::test]
async fn ids_stored_before_the_input_checks_are_still_read() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let old = rusqlite::Connection::open(server.db()).unwrap();
    old.execute(
        "INSERT INTO videos (id, channel_id, title, status, created_at, updated_at)
         VALUES (' v1', ?1, 'Old', 'completed', 0, 0)",
        [demo.channel(0).0],
    )
    .unwrap();

    let videos = server.get_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(videos.status(), StatusCode::OK);
    let videos: Value = videos.json().await.unwrap();
    assert_eq!(videos["items"][0]["id"], " v1", "{videos}");
}
