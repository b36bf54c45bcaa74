//! Prometheus metrics on their own listener: parsed as a scraper would,
//! counting per server, labelled by route template.

use std::net::SocketAddr;
use std::time::Duration;

use openmetrics_parser::{MetricsExposition, OpenMetricsType, OpenMetricsValue, Sample};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{DEADLINE, TestServer, completed, config, failed, temp_dir, within};

const POLL_INTERVAL: Duration = Duration::from_millis(5);

/// One scrape of `/metrics`, parsed by a strict OpenMetrics parser.
struct Metrics(MetricsExposition<OpenMetricsType, OpenMetricsValue>);

async fn scrape(http: &reqwest::Client, addr: SocketAddr) -> Metrics {
    let response = within(
        "a scrape",
        http.get(format!("http://{addr}/metrics")).send(),
    )
    .await
    .expect("a scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = response.text().await.expect("a body");
    let parsed = openmetrics_parser::openmetrics::parse_openmetrics(&text)
        .unwrap_or_else(|err| panic!("not OpenMetrics text ({err:?}): {text}"));
    Metrics(parsed)
}

/// Scrapes until `holds` is true: the server counts a frame only after
/// writing it, so the client may see it first.
async fn scrape_until(
    http: &reqwest::Client,
    addr: SocketAddr,
    what: &str,
    holds: impl Fn(&Metrics) -> bool,
) -> Metrics {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let metrics = scrape(http, addr).await;
        if holds(&metrics) {
            return metrics;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

impl Metrics {
    /// The sample of the family with exactly these labels; `None` before
    /// it is first counted (an empty family is not exposed at all).
    fn sample(&self, family: &str, labels: &[(&str, &str)]) -> Option<&Sample<OpenMetricsValue>> {
        self.0.families.get(family)?.iter_samples().find(|sample| {
            let set = sample.get_labelset().expect("labels");
            set.iter().count() == labels.len()
                && labels
                    .iter()
                    .all(|(name, value)| set.get_label_value(name) == Some(value))
        })
    }

    /// A counter's or gauge's value; 0 for a series not created yet.
    fn value(&self, family: &str, labels: &[(&str, &str)]) -> f64 {
        match self.sample(family, labels).map(|s| &s.value) {
            None => 0.0,
            Some(OpenMetricsValue::Counter(counter)) => counter.value.as_f64(),
            Some(OpenMetricsValue::Gauge(gauge)) => gauge.as_f64(),
            Some(other) => panic!("{family} is not a counter or gauge: {other:?}"),
        }
    }

    /// Observations in a histogram series.
    fn observations(&self, family: &str, labels: &[(&str, &str)]) -> u64 {
        match self.sample(family, labels).map(|s| &s.value) {
            None => 0,
            Some(OpenMetricsValue::Histogram(histogram)) => histogram.count.expect("a count"),
            Some(other) => panic!("{family} is not a histogram: {other:?}"),
        }
    }

    fn every_label_value(&self) -> Vec<String> {
        self.0
            .families
            .values()
            .flat_map(|family| family.iter_samples())
            .flat_map(|sample| {
                let set = sample.get_labelset().expect("labels");
                set.iter_values().cloned().collect::<Vec<_>>()
            })
            .collect()
    }
}

const INGESTED: &str = "ytempire_events_ingested";
const HTTP_REQUESTS: &str = "ytempire_http_requests";

#[tokio::test]
async fn counters_move_when_events_are_ingested_and_delivered() {
    let dir = temp_dir();
    let (server, metrics_addr) = TestServer::start_with_metrics(config(dir.path())).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let http = &server.http;

    let before = scrape(http, metrics_addr).await;
    assert_eq!(before.value("ytempire_websocket_clients", &[]), 1.0);
    assert!(before.value("ytempire_open_connections", &[]) >= 1.0);
    assert_eq!(before.value("ytempire_frames_delivered", &[]), 0.0);

    let report = completed("m1", demo.channel(0), 0.01);
    assert!(!server.ingest(&report).await);
    assert!(server.ingest(&report).await, "the repeat is a duplicate");
    assert!(
        !server
            .ingest(&failed("m2", demo.channel(0), "video", true, 0.01))
            .await
    );
    assert_eq!(ws.next_event().await.body.type_name(), "video.completed");
    assert_eq!(ws.next_event().await.body.type_name(), "video.failed");

    let after = scrape_until(http, metrics_addr, "both frames counted", |m| {
        m.value("ytempire_frames_delivered", &[]) == 2.0
    })
    .await;
    let completed = [("type", "video.completed")];
    assert_eq!(
        after.value(INGESTED, &[completed[0], ("outcome", "applied")]),
        1.0
    );
    assert_eq!(
        after.value(INGESTED, &[completed[0], ("outcome", "duplicate")]),
        1.0
    );
    assert_eq!(
        after.value(
            INGESTED,
            &[("type", "video.failed"), ("outcome", "applied")]
        ),
        1.0
    );
    assert_eq!(
        after.observations("ytempire_fanout_latency_seconds", &[]),
        2
    );
    let pipeline = ("route", "/api/v1/pipeline/events");
    assert_eq!(
        after.value(HTTP_REQUESTS, &[pipeline, ("status", "202")]),
        3.0
    );
    assert_eq!(
        after.observations("ytempire_http_request_duration_seconds", &[pipeline]),
        3
    );

    ws.close().await;
    scrape_until(http, metrics_addr, "the socket to be uncounted", |m| {
        m.value("ytempire_websocket_clients", &[]) == 0.0
    })
    .await;
}

#[tokio::test]
async fn labels_are_route_templates_not_paths_or_ids() {
    let dir = temp_dir();
    let (server, metrics_addr) = TestServer::start_with_metrics(config(dir.path())).await;
    let demo = server.demo().await;
    let retry = server
        .http
        .post(server.url("/api/v1/videos/no-such-video/retry"))
        .bearer_auth(&demo.token)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), StatusCode::NOT_FOUND);
    let missing = server.http.get(server.url("/api/v1/nowhere")).send().await;
    assert_eq!(missing.unwrap().status(), StatusCode::NOT_FOUND);
    server.ws_session(&demo, None).await.close().await;

    let metrics = scrape(&server.http, metrics_addr).await;
    assert_eq!(
        metrics.value(
            HTTP_REQUESTS,
            &[("route", "/api/v1/videos/{id}/retry"), ("status", "404")]
        ),
        1.0
    );
    assert_eq!(
        metrics.value(
            HTTP_REQUESTS,
            &[("route", "/ws/{user_id}"), ("status", "101")]
        ),
        1.0
    );
    for value in &metrics.every_label_value() {
        for raw in ["no-such-video", "nowhere", demo.user.id.as_str()] {
            assert!(!value.contains(raw), "label {value:?} holds {raw:?}");
        }
    }
}

#[tokio::test]
async fn login_failures_and_lockouts_are_counted() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.sessions.max_failed_logins = 2;
    let (server, metrics_addr) = TestServer::start_with_metrics(config).await;
    let email = ytempire_server::DEMO_EMAIL;
    for _ in 0..2 {
        assert_eq!(
            server.login(email, "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        server.login(email, "wrong").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    let metrics = scrape(&server.http, metrics_addr).await;
    assert_eq!(metrics.value("ytempire_login_failures", &[]), 2.0);
    assert_eq!(metrics.value("ytempire_login_lockouts", &[]), 1.0);
    assert_eq!(metrics.value("ytempire_login_table_full", &[]), 0.0);
}

#[tokio::test]
async fn sign_ins_refused_for_a_full_lockout_table_are_counted_apart_from_lockouts() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.sessions.max_tracked_logins = 1;
    let (server, metrics_addr) = TestServer::start_with_metrics(config).await;
    assert_eq!(
        server.login("first@example.com", "wrong").await.status(),
        StatusCode::UNAUTHORIZED
    );
    for _ in 0..2 {
        assert_eq!(
            server.login("second@example.com", "wrong").await.status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    let metrics = scrape(&server.http, metrics_addr).await;
    assert_eq!(metrics.value("ytempire_login_table_full", &[]), 2.0);
    assert_eq!(metrics.value("ytempire_login_lockouts", &[]), 0.0);
}

#[tokio::test]
async fn two_servers_in_one_process_keep_separate_counts() {
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    let (a, metrics_a) = TestServer::start_with_metrics(config(dir_a.path())).await;
    let (b, metrics_b) = TestServer::start_with_metrics(config(dir_b.path())).await;
    let demo_a = a.demo().await;
    let demo_b = b.demo().await;
    for id in ["a1", "a2"] {
        assert!(!a.ingest(&completed(id, demo_a.channel(0), 0.1)).await);
    }
    assert!(!b.ingest(&completed("b1", demo_b.channel(0), 0.1)).await);

    let applied = [("type", "video.completed"), ("outcome", "applied")];
    assert_eq!(
        scrape(&a.http, metrics_a).await.value(INGESTED, &applied),
        2.0
    );
    assert_eq!(
        scrape(&b.http, metrics_b).await.value(INGESTED, &applied),
        1.0
    );
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_listener() {
    let dir = temp_dir();
    let (server, _) = TestServer::start_with_metrics(config(dir.path())).await;
    let response = server
        .http
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(!body.contains("ytempire_"), "{body}");
}

#[tokio::test]
async fn a_locked_database_and_connections_past_the_cap_are_counted() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.database.busy_timeout = Duration::from_millis(50);
    config.connections.max = Some(2);
    let (server, metrics_addr) = TestServer::start_with_metrics(config).await;
    let http = &server.http;
    let demo = server.demo().await;

    let holder = rusqlite::Connection::open(server.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let busy = server
        .post_event(&completed("v1", demo.channel(0), 0.25))
        .await;
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    holder.execute_batch("ROLLBACK").unwrap();
    scrape_until(http, metrics_addr, "the busy answer to be counted", |m| {
        m.value("ytempire_database_busy", &[]) == 1.0
    })
    .await;

    // Three more sockets than the cap leaves room for (the client's pooled
    // connection may hold one place): at least one is refused.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(
            within("a connect", tokio::net::TcpStream::connect(server.addr))
                .await
                .unwrap(),
        );
    }
    let counted = scrape_until(http, metrics_addr, "a refused connection", |m| {
        m.value("ytempire_connections_refused", &[]) >= 1.0
    })
    .await;
    assert!(counted.value("ytempire_open_connections", &[]) <= 2.0);
    drop(held);
}

#[tokio::test]
async fn metrics_are_served_through_the_drain_until_everything_else_has_closed() {
    let dir = temp_dir();
    let (server, metrics_addr) = TestServer::start_with_metrics(config(dir.path())).await;
    let (addr, http) = (server.addr, server.http.clone());
    // A request in flight, its handler waiting for the rest of the body,
    // holds the drain open.
    let mut in_flight = TcpStream::connect(addr).await.unwrap();
    in_flight
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\
              Expect: 100-continue\r\n\r\n",
        )
        .await
        .unwrap();
    let mut continued = [0; 12];
    within(
        "the handler to read the body",
        in_flight.read_exact(&mut continued),
    )
    .await
    .unwrap();
    assert_eq!(&continued, b"HTTP/1.1 100");

    let stopped = tokio::spawn(server.stop());
    within("the listener to close", async {
        while TcpStream::connect(addr).await.is_ok() {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    })
    .await;
    let metrics = scrape(&http, metrics_addr).await;
    assert!(metrics.value("ytempire_open_connections", &[]) >= 1.0);

    drop(in_flight);
    within("the server to stop", stopped).await.unwrap();
    assert!(TcpStream::connect(metrics_addr).await.is_err());
}

#[tokio::test]
async fn a_silent_socket_on_the_metrics_listener_is_closed_at_the_header_deadline() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.connections.header_timeout = Duration::from_millis(300);
    let (server, metrics_addr) = TestServer::start_with_metrics(config).await;

    let mut silent = within("a connect", tokio::net::TcpStream::connect(metrics_addr))
        .await
        .unwrap();
    let mut buf = [0; 64];
    let read = within(
        "the metrics listener to close a silent socket",
        tokio::io::AsyncReadExt::read(&mut silent, &mut buf),
    )
    .await;
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    scrape(&server.http, metrics_addr).await;
}
