//! The one error type of the HTTP API; every failure answers with the
//! protocol's `ApiError` JSON body.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ytempire_protocol::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<String>,
    },
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid email or password")]
    BadCredentials,
    #[error("too many failed sign-ins for this email; try again in {} min", whole_seconds(*.0).div_ceil(60))]
    LockedOut(std::time::Duration),
    #[error("a WebSocket upgrade is required: {}", .0.body_text())]
    NotUpgrade(axum::extract::ws::rejection::WebSocketUpgradeRejection),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("request body too large")]
    TooLarge,
    /// The server cannot take requests now (`/readyz`).
    #[error("not ready: {0}")]
    NotReady(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::LockedOut(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotUpgrade(rejection) => rejection.status(),
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Rounded up: a client that waits this long must not be early.
fn whole_seconds(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> Self {
        AppError::Internal(err.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            AppError::LockedOut(wait) => Some(whole_seconds(*wait).max(1)),
            _ => None,
        };
        let body = match self {
            AppError::BadRequest { message, field } => ApiError {
                error: message,
                field,
            },
            AppError::Internal(err) => {
                // Details stay in the log; clients learn only that it was us.
                tracing::error!(error = ?err, "request failed");
                ApiError {
                    error: "internal server error".to_owned(),
                    field: None,
                }
            }
            other => ApiError {
                error: other.to_string(),
                field: None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
