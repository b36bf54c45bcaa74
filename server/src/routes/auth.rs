use axum::Json;
use axum::extract::State;
use ytempire_protocol::{LoginRequest, LoginResponse};

use super::extract::ValidJson;
use crate::auth;
use crate::error::AppError;
use crate::state::AppState;

pub async fn login(
    State(state): State<AppState>,
    ValidJson(request): ValidJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    auth::login(&state, request).await.map(Json)
}
