//! The HTTP surface. Handlers are thin: parse, call the domain, answer.

mod analytics;
mod auth;
mod channels;
mod costs;
mod error_body;
mod exports;
mod extract;
mod health;
mod overview;
mod pipeline;
mod videos;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Version};
use axum::middleware::{self, map_response};
use axum::routing::{any, get, patch, post};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use ytempire_protocol::MAX_FRAME_BYTES;

use crate::error::AppError;
use crate::metrics;
use crate::state::AppState;
use crate::web::{ContentSecurityPolicy, SecurityHeaders, Site};
use crate::ws;

/// The whole HTTP surface; fails when `--static` is not a built dashboard.
pub fn router(state: AppState) -> anyhow::Result<Router> {
    let v1 = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/dashboard/overview", get(overview::overview))
        .route("/channels/{id}/status", patch(channels::set_status))
        .route("/videos", get(videos::list))
        .route("/videos/{id}/retry", post(videos::retry))
        .route("/pipeline/events", post(pipeline::ingest))
        .route("/pipeline/retries/claim", post(pipeline::claim_retries))
        .route("/costs/breakdown", get(costs::breakdown))
        .route("/analytics/trends", get(analytics::trends))
        .route("/analytics/performance", get(analytics::performance))
        .route("/exports/videos.csv", get(exports::videos_csv))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method);
    let api = Router::new()
        .nest("/v1", v1)
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(MAX_FRAME_BYTES))
        .layer(map_response(error_body::json_error_body))
        .layer(compression())
        // Answers are per user and change by the second; the poller
        // revalidates with its own `If-None-Match`, which needs no cache.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let sockets = Router::new()
        .route("/{user_id}", get(ws::upgrade))
        .fallback(unknown_route)
        .layer(map_response(error_body::json_error_body));

    let app = Router::new()
        .nest("/api", api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/ws", sockets)
        // The nested router sees `/ws` and `/ws/…` but not `/ws/` itself.
        .route("/ws/", any(unknown_route));
    // Read once, before serving: a few milliseconds of blocking at start.
    let site = state
        .config
        .static_dir
        .as_deref()
        .map(Site::load)
        .transpose()?;
    let policy = ContentSecurityPolicy::new(
        site.as_ref().map(Site::index_html),
        &state.config.connect_src,
    );
    let app = match site {
        Some(site) => app.fallback_service(site.into_router()),
        None => app,
    };
    Ok(app
        .layer(middleware::map_response_with_state(
            SecurityHeaders::new(&policy),
            SecurityHeaders::apply,
        ))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track_requests,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state))
}

/// JSON and CSV answers over 1 KiB, compressed as the client accepts. Fast
/// levels: this runs per request (brotli's default, 11, costs far more
/// CPU than the bytes it saves over 4).
fn compression() -> CompressionLayer<impl Predicate> {
    let compressible = |_: StatusCode, _: Version, headers: &HeaderMap, _: &_| {
        headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|mime| {
                mime.starts_with("application/json") || mime.starts_with("text/csv")
            })
    };
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(1024).and(compressible))
}

async fn unknown_route() -> AppError {
    AppError::NotFound("route")
}

async fn wrong_method() -> AppError {
    AppError::MethodNotAllowed
}
