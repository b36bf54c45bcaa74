use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use ytempire_protocol::EventBody;

use crate::common::*;
use ytempire_server::config::SimulatorConfig;

#[tokio::test]
async fn static_files_with_index_html_for_client_routes() {
    let dir = temp_dir();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>YTEMPIRE</title>",
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let mut config = config(dir.path());
    config.static_dir = Some(dist);
    let server = TestServer::start_with(config).await;

    let get = |path: &str| server.http.get(server.url(path)).send();
    let asset = get("/app.js").await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(asset.text().await.unwrap(), "console.log(1)");
    for client_route in ["/", "/login", "/channels/ch-1"] {
        let page = get(client_route).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{client_route}");
        assert!(
            page.text().await.unwrap().contains("YTEMPIRE"),
            "{client_route}"
        );
    }
    let api = get("/api/v1/no-such-route").await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let error: Value = api.json().await.unwrap();
    assert_eq!(error["error"], "route not found");
    let wrong_method = server
        .http
        .delete(server.url("/api/v1/dashboard/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let error: Value = wrong_method.json().await.unwrap();
    assert_eq!(error["error"], "method not allowed");
}

#[tokio::test]
async fn the_simulator_feeds_the_dashboard_through_ingest() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // Slow enough that the video of the first event is still on the first
    // page of the list below (the simulator starts about one per step).
    config.simulator = Some(SimulatorConfig {
        interval: Duration::from_millis(100),
    });
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    // From the very first event, replayed if it came before the socket.
    let mut ws = server.ws_session(&demo, Some(0)).await;
    let event = ws.next_event().await;
    // A cost alert only ever follows the video event that raised it.
    let (video_id, channel_id, status) = match event.body {
        EventBody::VideoCompleted(v) => (v.video_id, v.channel_id, Some("completed")),
        // The simulator may already have queued it for a retry.
        EventBody::VideoFailed(v) => (v.video_id, v.channel_id, None),
        EventBody::CostAlert(alert) => panic!("the first event is a cost alert: {alert:?}"),
    };
    assert_eq!(event.id, 1, "the user's first event");
    assert!(
        demo.channels.iter().any(|c| c.id == channel_id),
        "the simulator reports on the demo's own channels"
    );

    // The event went through ingest: the video it names is stored as such.
    let videos = server
        .json_as(&demo.token, "/api/v1/videos?perPage=100")
        .await;
    let items = videos["items"].as_array().unwrap();
    let video = items
        .iter()
        .find(|v| v["id"] == video_id.as_str())
        .unwrap_or_else(|| panic!("{video_id} is listed: {videos}"));
    if let Some(status) = status {
        assert_eq!(video["status"], status, "{video}");
    }
    assert_eq!(video["channelId"], channel_id.as_str(), "{video}");
}
