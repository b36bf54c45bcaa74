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
    config.simulator = Some(SimulatorConfig {
        interval: Duration::from_millis(20),
    });
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let event = ws.next_event().await;
    match event.body {
        EventBody::VideoCompleted(v) => assert!(demo.channels.iter().any(|c| c.id == v.channel_id)),
        EventBody::VideoFailed(v) => assert!(demo.channels.iter().any(|c| c.id == v.channel_id)),
        EventBody::CostAlert(_) => {}
    }
    let videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert!(videos["total"].as_u64().unwrap() >= 1);
}
