//! Prometheus metrics of one server: the counters, gauges and histograms,
//! the middleware that feeds the HTTP ones, and the separate endpoint that
//! serves them.
//!
//! Every [`Metrics`] owns its registry, so servers started side by side in
//! one process (the integration tests) never mix their counts. Labels are
//! bounded by construction: route templates, status codes and event types,
//! never raw paths or user ids.

mod endpoint;
mod http;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

pub use endpoint::serve;
pub use http::track_requests;

pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_duration: Family<RouteLabels, Histogram>,
    open_connections: Gauge,
    connections_refused: Counter,
    websocket_clients: Gauge,
    events_ingested: Family<IngestLabels, Counter>,
    frames_delivered: Counter,
    fanout_latency: Histogram,
    slow_clients_dropped: Counter,
    login_failures: Counter,
    login_lockouts: Counter,
    login_table_full: Counter,
    database_busy: Counter,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct IngestLabels {
    r#type: &'static str,
    outcome: &'static str,
}

/// 1 ms to about 16 s: a request is either fast or something is wrong.
fn request_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("ytempire");
        let http_requests = Family::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template and status",
            http_requests.clone(),
        );
        let http_duration = Family::new_with_constructor(request_buckets as fn() -> Histogram);
        // Histograms carry their unit in the name only: some strict parsers
        // refuse a UNIT line on a histogram.
        registry.register(
            "http_request_duration_seconds",
            "Time from a request to its response head, by route template",
            http_duration.clone(),
        );
        let open_connections = Gauge::default();
        registry.register(
            "open_connections",
            "TCP connections open on the public listener",
            open_connections.clone(),
        );
        let connections_refused = Counter::default();
        registry.register(
            "connections_refused",
            "Connections closed at once because the connection cap was reached",
            connections_refused.clone(),
        );
        let websocket_clients = Gauge::default();
        registry.register(
            "websocket_clients",
            "WebSocket connections open",
            websocket_clients.clone(),
        );
        let events_ingested = Family::default();
        registry.register(
            "events_ingested",
            "Pipeline reports accepted, by type and whether they were new or duplicates",
            events_ingested.clone(),
        );
        let frames_delivered = Counter::default();
        registry.register(
            "frames_delivered",
            "Live event frames written to WebSockets",
            frames_delivered.clone(),
        );
        // 0.5 ms to about 8 s.
        let fanout_latency = Histogram::new(exponential_buckets(0.0005, 2.0, 15));
        registry.register(
            "fanout_latency_seconds",
            "Time from an event's commit to its write on each socket; the top of the distribution is the last socket",
            fanout_latency.clone(),
        );
        let slow_clients_dropped = Counter::default();
        registry.register(
            "slow_clients_dropped",
            "WebSockets closed because their queue of live events was full",
            slow_clients_dropped.clone(),
        );
        let login_failures = Counter::default();
        registry.register(
            "login_failures",
            "Sign-ins refused for a wrong email or password",
            login_failures.clone(),
        );
        let login_lockouts = Counter::default();
        registry.register(
            "login_lockouts",
            "Sign-ins refused because the email is locked out",
            login_lockouts.clone(),
        );
        let login_table_full = Counter::default();
        registry.register(
            "login_table_full",
            "Sign-ins refused because the lockout table was full of live entries",
            login_table_full.clone(),
        );
        let database_busy = Counter::default();
        registry.register(
            "database_busy",
            "Requests answered 503 because another writer held the database past the busy timeout",
            database_busy.clone(),
        );
        Self {
            registry,
            http_requests,
            http_duration,
            open_connections,
            connections_refused,
            websocket_clients,
            events_ingested,
            frames_delivered,
            fanout_latency,
            slow_clients_dropped,
            login_failures,
            login_lockouts,
            login_table_full,
            database_busy,
        }
    }

    /// The OpenMetrics text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }

    pub fn http_request(&self, route: &str, status: StatusCode, took: Duration) {
        self.http_requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                status: status.as_u16(),
            })
            .inc();
        self.http_duration
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts a WebSocket as open until the returned guard is dropped.
    pub fn websocket_client(&self) -> Open {
        Open::new(&self.websocket_clients)
    }

    /// What the connection cap counts in: connections open now, and those
    /// refused at the cap.
    pub fn connection_counters(&self) -> ConnectionCounters {
        ConnectionCounters {
            open: self.open_connections.clone(),
            refused: self.connections_refused.clone(),
        }
    }

    /// `event_type` is the report's wire type (`video.completed`, …).
    pub fn ingested(&self, event_type: &'static str, duplicate: bool) {
        self.events_ingested
            .get_or_create(&IngestLabels {
                r#type: event_type,
                outcome: if duplicate { "duplicate" } else { "applied" },
            })
            .inc();
    }

    /// Records live events just written to one socket, given when each was
    /// committed.
    pub fn delivered(&self, committed: impl IntoIterator<Item = Instant>) {
        let now = Instant::now();
        for at in committed {
            self.frames_delivered.inc();
            self.fanout_latency
                .observe(now.saturating_duration_since(at).as_secs_f64());
        }
    }

    pub fn slow_client_dropped(&self) {
        self.slow_clients_dropped.inc();
    }

    pub fn login_failed(&self) {
        self.login_failures.inc();
    }

    pub fn login_locked_out(&self) {
        self.login_lockouts.inc();
    }

    pub fn login_table_full(&self) {
        self.login_table_full.inc();
    }

    pub fn database_busy(&self) {
        self.database_busy.inc();
    }
}

/// The connection cap's counts (`listener::Admission`).
#[derive(Clone, Default)]
pub struct ConnectionCounters {
    pub open: Gauge,
    pub refused: Counter,
}

/// Holds one unit of a gauge: added on creation, taken back on drop.
pub struct Open(Gauge);

impl Open {
    pub fn new(gauge: &Gauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.dec();
    }
}
