use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};
use ytempire_protocol::{CostBreakdown, Date, PerformanceHistory, Trends, VideoPage};

use crate::common::*;

fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    Date::of(ytempire_protocol::Timestamp::from_millis(
        now.as_millis() as i64
    ))
}

#[tokio::test]
async fn overview_answers_304_while_unchanged() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let get = |etag: Option<&str>| {
        let mut request = server
            .http
            .get(server.url("/api/v1/dashboard/overview"))
            .bearer_auth(&demo.token);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        request.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();

    let unchanged = get(Some(&etag)).await.unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()[ETAG], etag.as_str());
    assert!(unchanged.bytes().await.unwrap().is_empty());

    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.2)).await);
    let changed = get(Some(&etag)).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[ETAG], etag.as_str());
}

#[tokio::test]
async fn videos_are_paginated_and_filtered() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    for n in 1..=5 {
        assert!(
            !server
                .ingest(&completed(&format!("ok{n}"), demo.channel(0), 0.2))
                .await
        );
    }
    assert!(
        !server
            .ingest(&failed("bad", demo.channel(1), "upload", true, 0.1))
            .await
    );

    let page: VideoPage = server
        .get_as(&demo.token, "/api/v1/videos?page=2&perPage=4")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (page.total, page.page, page.per_page, page.items.len()),
        (6, 2, 4, 2)
    );

    let failed: Value = server
        .json_as(&demo.token, "/api/v1/videos?status=failed")
        .await;
    assert_eq!(failed["total"], 1);
    let video = &failed["items"][0];
    assert_eq!(video["stage"], "upload");
    assert_eq!(video["errorMessage"], "boom");
    assert_eq!(video["retryable"], true);
    assert_eq!(video["channelName"], demo.channel(1).1);

    for (query, field) in [
        ("status=done", "status"),
        ("perPage=abc", "perPage"),
        ("perPage=1000", "perPage"),
        ("page=0", "page"),
    ] {
        let response = server
            .get_as(&demo.token, &format!("/api/v1/videos?{query}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{query}: {error}");
    }
}

#[tokio::test]
async fn reports_add_up_per_day_stage_and_channel() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    assert!(!server.ingest(&completed("a", demo.channel(0), 0.30)).await);
    assert!(!server.ingest(&completed("b", demo.channel(0), 0.20)).await);
    assert!(
        !server
            .ingest(&failed("c", demo.channel(1), "audio", true, 0.10))
            .await
    );
    let today = today();
    let range = format!("from={}&to={today}", today.add_days(-2));

    let trends: Trends = server
        .get_as(&demo.token, &format!("/api/v1/analytics/trends?{range}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trends.points.len(), 3, "zero-filled days");
    let last = trends.points.last().unwrap();
    assert_eq!((last.date, last.videos, last.failed), (today, 2, 1));
    assert!((last.cost.get() - 0.6).abs() < 1e-9);
    assert_eq!(trends.points[0].videos, 0);

    let performance: PerformanceHistory = server
        .get_as(&demo.token, "/api/v1/analytics/performance")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(performance.points.len(), 30, "thirty days by default");
    let last = performance.points.last().unwrap();
    assert_eq!(last.finished, 3);
    assert!((last.success_rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(last.average_generation_time, Some(120.0));

    let costs: CostBreakdown = server
        .get_as(&demo.token, &format!("/api/v1/costs/breakdown?{range}"))
        .await
        .json()
        .await
        .unwrap();
    assert!((costs.total_cost.get() - 0.6).abs() < 1e-9);
    assert!((costs.completed_cost.get() - 0.5).abs() < 1e-9);
    let audio = costs
        .by_stage
        .iter()
        .find(|s| s.stage.as_str() == "audio")
        .unwrap();
    assert_eq!(audio.failed_videos, 1);
    assert_eq!(costs.by_channel[0].channel_id.as_str(), demo.channel(0).0);
    assert_eq!(costs.by_channel.len(), demo.channels.len());
    assert_eq!(costs.by_day.len(), 3);
    assert_eq!(costs.budget.daily_budget.get(), 50.0);
    assert!((costs.budget.spent_today.get() - 0.6).abs() < 1e-9);

    for query in [
        "from=2026-02-30",
        "from=2026-11-20&to=2026-11-10",
        "from=2000-01-01",
    ] {
        let response = server
            .get_as(&demo.token, &format!("/api/v1/costs/breakdown?{query}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], "from", "{query}: {error}");
    }
}

#[tokio::test]
async fn csv_export_quotes_fields_and_defuses_formulas() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut report = completed("v1", demo.channel(0), 0.25);
    report["payload"]["title"] = json!("=HYPERLINK(\"http://evil\",\"click\")");
    assert!(!server.ingest(&report).await);
    let mut report = completed("v2", demo.channel(0), 0.25);
    report["payload"]["title"] = json!("Tips, tricks\nand more");
    assert!(!server.ingest(&report).await);

    let today = today();
    let response = server
        .get_as(
            &demo.token,
            &format!("/api/v1/exports/videos.csv?from={today}&to={today}"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.split("\r\n");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,channelId,channelName,title,status")
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("\"Tips, tricks\nand more\""), "{csv}");

    let earlier = today.add_days(-5);
    let empty = server
        .get_as(
            &demo.token,
            &format!("/api/v1/exports/videos.csv?from={earlier}&to={earlier}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(empty.lines().count(), 1, "only the header");
}
