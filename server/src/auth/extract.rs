//! Request guards. A handler that takes `AuthUser` cannot run without a
//! valid session; one that takes `PipelineAuth` only for the pipeline.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use ytempire_protocol::User;

use super::{session, token};
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in user of this request.
pub struct AuthUser(pub User);

/// The request's bearer token, whether or not it opens a session.
pub struct BearerToken(pub String);

/// Proof that the request carries the pipeline token.
pub struct PipelineAuth;

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts).ok_or(AppError::Unauthorized)?;
        session::user_for_token(state, token)
            .await?
            .map(AuthUser)
            .ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for BearerToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        bearer(parts)
            .map(|token| BearerToken(token.to_owned()))
            .ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for PipelineAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let presented = bearer(parts).ok_or(AppError::Unauthorized)?;
        // Comparing digests keeps the comparison time independent of the secret.
        if token::digest(presented) == token::digest(&state.config.pipeline_token) {
            Ok(PipelineAuth)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
