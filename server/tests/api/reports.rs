use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};
use ytempire_protocol::{CostBreakdown, PerformanceHistory, Trends, VideoPage};

use crate::common::*;

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
    let today = utc_today();
    assert!(!server.ingest(&completed("a", demo.channel(0), 0.30)).await);
    assert!(!server.ingest(&completed("b", demo.channel(0), 0.20)).await);
    assert!(
        !server
            .ingest(&failed("c", demo.channel(1), "audio", true, 0.10))
            .await
    );
    let range = format!("from={}&to={today}", today.add_days(-2));

    let trends: Trends = server
        .get_as(&demo.token, &format!("/api/v1/analytics/trends?{range}"))
        .await
        .json()
        .await
        .unwrap();
    let performance: PerformanceHistory = server
        .get_as(&demo.token, "/api/v1/analytics/performance")
        .await
        .json()
        .await
        .unwrap();
    let costs: CostBreakdown = server
        .get_as(&demo.token, &format!("/api/v1/costs/breakdown?{range}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trends.points.len(), 3, "zero-filled days");
    assert_eq!(trends.points[0].videos, 0);
    assert_eq!(performance.points.len(), 30, "thirty days by default");
    assert_eq!(costs.by_channel.len(), demo.channels.len());
    assert_eq!(costs.by_day.len(), 3);
    assert_eq!(costs.budget.daily_budget.get(), 50.0);
    // Which day the reports were booked on is only known when the day did
    // not turn during the test.
    if !still(today) {
        return;
    }

    let last = trends.points.last().unwrap();
    assert_eq!((last.date, last.videos, last.failed), (today, 2, 1));
    assert!((last.cost.get() - 0.6).abs() < 1e-9);

    let last = performance.points.last().unwrap();
    assert_eq!((last.date, last.finished), (today, 3));
    assert!((last.success_rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(last.average_generation_time, Some(120.0));

    assert!((costs.total_cost.get() - 0.6).abs() < 1e-9);
    assert!((costs.completed_cost.get() - 0.5).abs() < 1e-9);
    let audio = costs
        .by_stage
        .iter()
        .find(|s| s.stage.as_str() == "audio")
        .unwrap();
    assert_eq!(audio.failed_videos, 1);
    assert_eq!(costs.by_channel[0].channel_id.as_str(), demo.channel(0).0);
    assert!((costs.budget.spent_today.get() - 0.6).abs() < 1e-9);
}

#[tokio::test]
async fn report_ranges_are_checked() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
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

/// A spreadsheet runs a cell starting with one of these as a formula; the
/// export prefixes it with `'` (docs/api.md).
fn defused(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => panic!("not a text cell: {other}"),
    }
}

#[tokio::test]
async fn csv_export_matches_the_api_field_by_field_read_by_a_csv_reader() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let day = utc_today();
    let titles = [
        "=HYPERLINK(\"http://evil\",\"click\")",
        "+1 trick",
        "-2 myths",
        "@SUM(A1:A9)",
        "Tips, tricks\nand more",
        "She said \"wow\", twice",
        "plain",
        "a=b stays",
    ];
    for (n, title) in titles.iter().enumerate() {
        let mut report = completed(&format!("v{n}"), demo.channel(n % 2), 0.25);
        report["payload"]["title"] = json!(title);
        assert!(!server.ingest(&report).await);
    }
    let mut report = failed("v-failed", demo.channel(1), "upload", false, 0.125);
    report["payload"]["error"]["message"] = json!("-1 credits, \"quota\"");
    assert!(!server.ingest(&report).await);
    assert!(
        !server
            .ingest(&started("v-started", demo.channel(0).0))
            .await
    );

    let (from, to) = (day, utc_today());
    let response = server
        .get_as(
            &demo.token,
            &format!("/api/v1/exports/videos.csv?from={from}&to={to}"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header(CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(
        header(CONTENT_DISPOSITION),
        format!("attachment; filename=\"videos-{from}-to-{to}.csv\"")
    );
    let body = response.text().await.unwrap();
    assert!(body.ends_with("\r\n"), "CRLF line ends: {body:?}");

    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let columns = [
        "id",
        "channelId",
        "channelName",
        "title",
        "status",
        "stage",
        "errorMessage",
        "retryable",
        "cost",
        "url",
        "createdAt",
        "updatedAt",
    ];
    assert_eq!(reader.headers().unwrap(), columns.as_slice());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();

    // The API lists newest first; the export is oldest first.
    let videos = server
        .json_as(&demo.token, "/api/v1/videos?perPage=100")
        .await;
    let mut videos = videos["items"].as_array().unwrap().clone();
    videos.reverse();
    assert_eq!(rows.len(), titles.len() + 2, "{body}");
    for (row, video) in rows.iter().zip(&videos) {
        let cost = format!("{:.6}", video["cost"].as_f64().unwrap());
        let expected: Vec<String> = columns
            .iter()
            .map(|column| match *column {
                "cost" => cost.clone(),
                column => defused(&text_of(&video[column])),
            })
            .collect();
        assert_eq!(row, &expected, "{body}");
    }

    // Spelled out, not through `defused`: what a spreadsheet would see.
    let title_cells: Vec<&str> = rows.iter().map(|row| row[3].as_str()).collect();
    assert_eq!(
        &title_cells[..titles.len()],
        [
            "'=HYPERLINK(\"http://evil\",\"click\")",
            "'+1 trick",
            "'-2 myths",
            "'@SUM(A1:A9)",
            "Tips, tricks\nand more",
            "She said \"wow\", twice",
            "plain",
            "a=b stays",
        ]
    );
    let failed_row = &rows[titles.len()];
    let cells = |row: &[String], columns: &[usize]| -> Vec<String> {
        columns.iter().map(|&n| row[n].clone()).collect()
    };
    assert_eq!(
        cells(failed_row, &[0, 1, 2, 4, 5, 6, 7, 8, 9]),
        [
            "v-failed",
            demo.channel(1).0,
            demo.channel(1).1,
            "failed",
            "upload",
            "'-1 credits, \"quota\"",
            "false",
            "0.125000",
            "",
        ]
    );
    let started_row = &rows[titles.len() + 1];
    assert_eq!(
        (
            started_row[0].as_str(),
            started_row[4].as_str(),
            started_row[9].as_str()
        ),
        ("v-started", "processing", "")
    );

    let earlier = day.add_days(-5);
    let empty = server
        .get_as(
            &demo.token,
            &format!("/api/v1/exports/videos.csv?from={earlier}&to={earlier}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        empty,
        format!("{}\r\n", columns.join(",")),
        "only the header"
    );
}
