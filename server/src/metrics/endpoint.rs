//! `GET /metrics` on its own listener: operators scrape it on a private
//! address, and the public router never exposes it. It goes through the
//! same accept loop as the public listener, with its own small cap, so a
//! client that reaches it holds nothing without a bound or a deadline.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{ConnectionCounters, Metrics};
use crate::listener::{self, Admission, Deadlines};

/// Scrapers connected at once; a Prometheus setup needs one or two.
const MAX_SCRAPERS: usize = 16;

const OPENMETRICS_TEXT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Serves the metrics until `shutdown` is cancelled, then lets scrapes in
/// flight finish.
pub async fn serve(
    tcp: TcpListener,
    metrics: Arc<Metrics>,
    deadlines: Deadlines,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    tracing::info!(addr = %tcp.local_addr()?, "serving metrics");
    let router = Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics);
    // Counted apart from the public registry's connection figures.
    let admission = Admission::new(MAX_SCRAPERS, ConnectionCounters::default());
    let open = listener::run(tcp, router, admission, deadlines, None, shutdown).await;
    open.closed().await;
    Ok(())
}

async fn scrape(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    ([(CONTENT_TYPE, OPENMETRICS_TEXT)], metrics.encode())
}
