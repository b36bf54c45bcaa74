//! Probes for load balancers and orchestrators: outside `/api`, without
//! authentication, and cheap.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::AppError;
use crate::state::AppState;

/// A database that takes longer than this to answer counts as down.
const DATABASE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: the process is serving.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers and the server is not shutting down.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    if state.draining.is_cancelled() {
        return Err(AppError::NotReady("shutting down"));
    }
    // On a read connection: a long write queue is no reason to take this
    // server out of rotation.
    let ping = state.store.read(|conn| {
        conn.query_row("SELECT 1", [], |_| Ok(()))
            .map_err(AppError::from)
    });
    match tokio::time::timeout(DATABASE_CHECK_TIMEOUT, ping).await {
        Ok(Ok(())) => Ok(Json(json!({"status": "ready"}))),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness: the database failed");
            Err(AppError::NotReady("database unavailable"))
        }
        Err(_) => Err(AppError::NotReady("database unavailable")),
    }
}
