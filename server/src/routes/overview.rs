use axum::Json;
use axum::extract::State;
use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use ytempire_protocol::Overview;

use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::overview;

pub async fn overview(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let default_budget = state.config.default_daily_budget;
    let overview = state
        .store
        .read(move |conn| overview::overview(conn, &user.id, default_budget, clock::now()))
        .await?;
    let etag = etag(&overview)?;
    let cache = [(ETAG, etag.clone())];
    if headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .any(|value| matches(value, &etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, Json(overview)).into_response())
}

/// A strong validator over everything but `generatedAt`, which changes on
/// every request while the data it describes may not.
fn etag(overview: &Overview) -> Result<HeaderValue, AppError> {
    let content =
        serde_json::to_vec(&(&overview.metrics, &overview.channels)).map_err(AppError::internal)?;
    let digest = Sha256::digest(&content);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).map_err(AppError::internal)
}

/// `If-None-Match` holds `*` or a list of (possibly weak) tags.
fn matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    list.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}
