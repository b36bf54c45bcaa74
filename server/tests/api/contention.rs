//! The database under contention: a write lock held elsewhere, reads beside
//! writes, and exports that stream and are capped per user.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use serde_json::Value;
use ytempire_protocol::{EventBody, Overview};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{PIPELINE_TOKEN, TestServer, add_user, completed, config, temp_dir, within};

#[tokio::test]
async fn a_write_lock_held_elsewhere_answers_503_and_stores_nothing() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.database.busy_timeout = Duration::from_millis(50);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let report = completed("v1", demo.channel(0), 0.25);

    let holder = rusqlite::Connection::open(server.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let busy = server.post_event(&report).await;
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(busy.headers()["retry-after"], "1");
    let error: Value = busy.json().await.unwrap();
    assert!(error["error"].as_str().unwrap().contains("busy"), "{error}");

    // Reads answer meanwhile, and show nothing of the refused report.
    let overview: Overview = server
        .get_as(&demo.token, "/api/v1/dashboard/overview")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview.metrics.videos_today, 0);
    assert_eq!(overview.last_event_id, None);
    let videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(videos["total"], 0);
    let mut ws = server.ws_session(&demo, None).await;

    holder.execute_batch("ROLLBACK").unwrap();
    assert!(
        !server.ingest(&report).await,
        "the same report again is new: the refused one left nothing behind"
    );
    let event = ws.next_event().await;
    assert_eq!(event.id, 1);
    assert!(matches!(event.body, EventBody::VideoCompleted(_)));
}

#[tokio::test]
async fn writes_queued_behind_a_held_lock_all_give_up_after_one_busy_timeout() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // Writes that waited their turn one busy timeout after another would
    // take 30 s, past the test's deadline.
    config.database.busy_timeout = Duration::from_secs(3);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;

    let holder = rusqlite::Connection::open(server.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let reports: Vec<_> = (0..10)
        .map(|n| completed(&format!("v{n}"), demo.channel(0), 0.25))
        .collect();
    let answers = within(
        "every queued write to answer",
        futures_util::future::join_all(reports.iter().map(|report| server.post_event(report))),
    )
    .await;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(answer.headers()["retry-after"], "1");
    }
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(!server.ingest(&reports[0]).await);
}

#[tokio::test]
async fn readiness_and_websocket_sign_in_do_not_queue_behind_a_waiting_write() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // Longer than /readyz waits for the database, shorter than the test.
    config.database.busy_timeout = Duration::from_secs(8);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;

    let holder = rusqlite::Connection::open(server.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // This write holds the server's writer while it waits for the lock;
    // it is sent in full before the reads begin.
    let body = serde_json::to_vec(&completed("v1", demo.channel(0), 0.25)).unwrap();
    let mut queued = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/pipeline/events HTTP/1.1\r\nHost: test\r\n\
         Authorization: Bearer {PIPELINE_TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    queued.write_all(head.as_bytes()).await.unwrap();
    queued.write_all(&body).await.unwrap();
    let ready = server.http.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let mut ws = server.ws_session(&demo, None).await;

    holder.execute_batch("ROLLBACK").unwrap();
    let mut answer = [0; 12];
    within("the queued write", queued.read_exact(&mut answer))
        .await
        .unwrap();
    assert_eq!(&answer, b"HTTP/1.1 202");
    assert_eq!(ws.next_event().await.id, 1);
}

/// Rows of the big export: enough that an unread download cannot end up
/// wholly in socket buffers, all created in one millisecond so that pages
/// split between videos of equal creation time.
const ROWS: usize = 10_000;

#[tokio::test]
async fn exports_stream_and_one_user_runs_at_most_two_at_once() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.tcp_send_buffer = Some(4096);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    seed_videos(&server, demo.channel(0).0);
    let export = || server.get_as(&demo.token, "/api/v1/exports/videos.csv");

    // Two downloads that are not read stay running.
    let first = export().await;
    let second = export().await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let third = export().await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers().contains_key("retry-after"));
    let error: Value = third.json().await.unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("export"),
        "{error}"
    );

    add_user(server.db(), "other@example.com", "other-password", &[]);
    let other = server.session("other@example.com", "other-password").await;
    let theirs = server
        .get_as(&other.token, "/api/v1/exports/videos.csv")
        .await;
    assert_eq!(theirs.status(), StatusCode::OK, "another user's slots");

    // An abandoned download frees its slot once the server notices.
    drop(first);
    let fourth = within("the abandoned export's slot", async {
        loop {
            let response = export().await;
            if response.status() == StatusCode::OK {
                return response;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert_eq!(fourth.headers()["transfer-encoding"], "chunked");
    assert!(!fourth.headers().contains_key("content-length"));
    let csv = fourth.text().await.unwrap();
    let ids: Vec<&str> = csv
        .split_terminator("\r\n")
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    let expected: Vec<String> = (0..ROWS).map(video_id).collect();
    assert_eq!(ids, expected, "every video once, in order");
    drop(second);
}

fn video_id(n: usize) -> String {
    format!("bulk-{n:05}")
}

/// Inserts the videos straight into the database: ten thousand reports
/// through ingest would only slow the test down.
fn seed_videos(server: &TestServer, channel_id: &str) {
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let title = "a long title ".repeat(25);
    let mut conn = rusqlite::Connection::open(server.db()).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO videos (id, channel_id, title, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'completed', ?4, ?4)",
            )
            .unwrap();
        // Inserted in reverse, so that the order comes from the query.
        for n in (0..ROWS).rev() {
            insert
                .execute(rusqlite::params![video_id(n), channel_id, title, now])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}
