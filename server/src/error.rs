//! The one error type of the HTTP API; every failure answers with the
//! protocol's `ApiError` JSON body.

use axum::Json;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::{HeaderValue, StatusCode, header};
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
    #[error("too many sign-ins are failing right now; try again in {} min", whole_seconds(*.0).div_ceil(60))]
    LoginsSaturated(std::time::Duration),
    #[error("a WebSocket upgrade is required: {}", .0.body_text())]
    NotUpgrade(WebSocketUpgradeRejection),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("request body too large")]
    TooLarge,
    /// Another connection held the database's write lock past the busy timeout.
    #[error("the database is busy; try again shortly")]
    Busy,
    #[error("too many exports running for this user; try again when one has finished")]
    TooManyExports,
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
            AppError::LoginsSaturated(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::NotUpgrade(rejection) => upgrade_status(rejection),
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooManyExports => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A request to a WebSocket route that does not ask for the upgrade at all
/// needs one (426, RFC 9110 §15.5.22); a botched upgrade is a bad request.
fn upgrade_status(rejection: &WebSocketUpgradeRejection) -> StatusCode {
    match rejection {
        WebSocketUpgradeRejection::InvalidConnectionHeader(_)
        | WebSocketUpgradeRejection::InvalidUpgradeHeader(_)
        | WebSocketUpgradeRejection::ConnectionNotUpgradable(_) => StatusCode::UPGRADE_REQUIRED,
        other => other.status(),
    }
}

/// Rounded up: a client that waits this long must not be early.
fn whole_seconds(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl From<crate::auth::Refusal> for AppError {
    fn from(refusal: crate::auth::Refusal) -> Self {
        match refusal {
            crate::auth::Refusal::LockedOut(wait) => AppError::LockedOut(wait),
            crate::auth::Refusal::TableFull(wait) => AppError::LoginsSaturated(wait),
        }
    }
}

impl From<crate::money::Overflow> for AppError {
    fn from(err: crate::money::Overflow) -> Self {
        AppError::Internal(err.into())
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> Self {
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
            return AppError::Busy;
        }
        AppError::Internal(err.into())
    }
}

/// Marks a response that the database's write lock refused, for the
/// metrics middleware: the error itself has no way to reach the registry.
#[derive(Debug, Clone, Copy)]
pub struct DatabaseBusy;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let upgrade = matches!(self, AppError::NotUpgrade(_));
        let busy = matches!(self, AppError::Busy);
        let retry_after = match &self {
            AppError::LockedOut(wait) | AppError::LoginsSaturated(wait) => {
                Some(whole_seconds(*wait).max(1))
            }
            AppError::Busy => Some(1),
            AppError::TooManyExports => Some(2),
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
                .insert(header::RETRY_AFTER, seconds.into());
        }
        let required = match status {
            StatusCode::UNAUTHORIZED => Some((header::WWW_AUTHENTICATE, "Bearer")),
            StatusCode::UPGRADE_REQUIRED => Some((header::UPGRADE, "websocket")),
            // WebSocket routes answer GET only; other routes' 405s come from
            // the router, which names their methods itself.
            StatusCode::METHOD_NOT_ALLOWED if upgrade => Some((header::ALLOW, "GET")),
            _ => None,
        };
        if let Some((name, value)) = required {
            response
                .headers_mut()
                .insert(name, HeaderValue::from_static(value));
        }
        if busy {
            response.extensions_mut().insert(DatabaseBusy);
        }
        response
    }
}
