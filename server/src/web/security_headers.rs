//! The headers every response carries, API and WebSocket included.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::response::Response;

use super::ContentSecurityPolicy;

static X_ROBOTS_TAG: HeaderName = HeaderName::from_static("x-robots-tag");

#[derive(Debug, Clone)]
pub struct SecurityHeaders(Arc<HeaderMap>);

impl SecurityHeaders {
    pub fn new(policy: &ContentSecurityPolicy) -> Self {
        let headers = HeaderMap::from_iter([
            (CONTENT_SECURITY_POLICY, policy.header()),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            // A private dashboard: no search engine should list any of it.
            (
                X_ROBOTS_TAG.clone(),
                HeaderValue::from_static("noindex, nofollow"),
            ),
        ]);
        Self(Arc::new(headers))
    }

    /// Middleware (`axum::middleware::map_response_with_state`) setting them.
    pub async fn apply(State(headers): State<Self>, mut response: Response) -> Response {
        for (name, value) in headers.0.iter() {
            response.headers_mut().insert(name, value.clone());
        }
        response
    }
}
