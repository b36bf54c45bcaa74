//! Counts and times every request of the public router by its route
//! template.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Metrics;
use crate::error::DatabaseBusy;

/// The route label of requests no route matched: unknown paths and the
/// static files of the dashboard. A raw path here would let any client
/// create a new series per request.
const UNMATCHED: &str = "unmatched";

pub async fn track_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.http_request(
        route.as_ref().map_or(UNMATCHED, MatchedPath::as_str),
        response.status(),
        started.elapsed(),
    );
    if response.extensions().get::<DatabaseBusy>().is_some() {
        metrics.database_busy();
    }
    response
}
