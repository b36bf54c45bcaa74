//! The API's error body on every `/api` and `/ws` answer, including those
//! that never reach a handler's `AppError`: axum's own rejections (a body
//! over the limit while it streams in, a path parameter that is not UTF-8,
//! a method the route lacks) answer plain text or nothing. Rewriting them in
//! one place keeps the contract true for extractors and layers alike.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use ytempire_protocol::ApiError;

/// Framework rejections are one line; a longer body is not one of them.
const MAX_REJECTION_BYTES: usize = 1024;

/// Wraps a non-JSON error answer's text in `{"error": …}`, keeping its
/// status and headers (`Allow`, `Retry-After`, …).
pub async fn json_error_body(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = to_bytes(body, MAX_REJECTION_BYTES)
        .await
        .ok()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty());
    let error = text.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_lowercase()
    });
    let body =
        serde_json::to_vec(&ApiError { error, field: None }).expect("an ApiError serialises");
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}
