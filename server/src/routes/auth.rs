use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ytempire_protocol::{LoginRequest, LoginResponse};

use super::extract::ValidJson;
use crate::auth::{self, BearerToken};
use crate::error::AppError;
use crate::state::AppState;

pub async fn login(
    State(state): State<AppState>,
    ValidJson(request): ValidJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    auth::login(&state, request).await.map(Json)
}

pub async fn logout(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, AppError> {
    auth::logout(&state, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
