use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ytempire_protocol::{LoginRequest, LoginResponse, MAX_EMAIL_BYTES};

use super::extract::ValidJson;
use crate::auth::{self, BearerToken};
use crate::error::AppError;
use crate::state::AppState;

pub async fn login(
    State(state): State<AppState>,
    ValidJson(request): ValidJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    // Refused before the lockout table or the database sees it.
    if request.email.trim().len() > MAX_EMAIL_BYTES {
        return Err(AppError::bad_field(
            "email",
            format!("must be at most {MAX_EMAIL_BYTES} bytes"),
        ));
    }
    auth::login(&state, request).await.map(Json)
}

pub async fn logout(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, AppError> {
    auth::logout(&state, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
