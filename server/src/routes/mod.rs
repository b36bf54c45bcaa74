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
use axum::middleware::map_response;
use axum::routing::{any, get, patch, post};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;
use ytempire_protocol::MAX_FRAME_BYTES;

use crate::error::AppError;
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
        .layer(map_response(error_body::json_error_body));
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
    let app = match &state.config.static_dir {
        // Unknown paths get index.html so client-side routes load directly.
        Some(dir) => app
            .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))),
        None => app,
    };
    app.layer(TraceLayer::new_for_http()).with_state(state)
}

async fn unknown_route() -> AppError {
    AppError::NotFound("route")
}

async fn wrong_method() -> AppError {
    AppError::MethodNotAllowed
}
