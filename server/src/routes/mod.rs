//! The HTTP surface. Handlers are thin: parse, call the domain, answer.

mod analytics;
mod auth;
mod channels;
mod costs;
mod exports;
mod extract;
mod overview;
mod pipeline;
mod videos;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, patch, post};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;
use ytempire_protocol::MAX_FRAME_BYTES;

use crate::error::AppError;
use crate::metrics;
use crate::state::AppState;
use crate::ws;

pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/dashboard/overview", get(overview::overview))
        .route("/channels/{id}/status", patch(channels::set_status))
        .route("/videos", get(videos::list))
        .route("/videos/{id}/retry", post(videos::retry))
        .route("/pipeline/events", post(pipeline::ingest))
        .route("/costs/breakdown", get(costs::breakdown))
        .route("/analytics/trends", get(analytics::trends))
        .route("/analytics/performance", get(analytics::performance))
        .route("/exports/videos.csv", get(exports::videos_csv))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method);
    let api = Router::new()
        .nest("/v1", v1)
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(MAX_FRAME_BYTES));

    let app = Router::new()
        .nest("/api", api)
        .route("/ws/{user_id}", get(ws::upgrade));
    let app = match &state.config.static_dir {
        // Unknown paths get index.html so client-side routes load directly.
        Some(dir) => app
            .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))),
        None => app,
    };
    app.layer(middleware::from_fn_with_state(
        state.metrics.clone(),
        metrics::track_requests,
    ))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}

async fn unknown_route() -> AppError {
    AppError::NotFound("route")
}

async fn wrong_method() -> AppError {
    AppError::MethodNotAllowed
}
