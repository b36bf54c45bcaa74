//! JSON over HTTP to the YTEMPIRE API, with the session's bearer token.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Serialize, de::DeserializeOwned};

use super::error::ApiError;
use crate::config;
use crate::polling::{PollRequest, Polled};

/// Where to send requests and as whom. Cheap to clone; build one per call
/// from the session so a token change takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    base_url: String,
    token: Option<String>,
}

impl Client {
    pub fn new(base_url: impl Into<String>, token: Option<String>) -> Self {
        Self {
            base_url: base_url.into(),
            token,
        }
    }

    /// The configured API base, anonymously.
    pub fn anonymous() -> Self {
        Self::new(config::api_base(), None)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = check(self.authorize(Request::get(&self.url(path))).send().await).await?;
        decode(response).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self
            .authorize(Request::post(&self.url(path)))
            .json(body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(check(request.send().await).await?).await
    }

    /// A POST whose answer carries nothing the caller needs beyond success.
    pub async fn post_empty(&self, path: &str) -> Result<(), ApiError> {
        check(self.authorize(Request::post(&self.url(path))).send().await)
            .await
            .map(drop)
    }

    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self
            .authorize(Request::patch(&self.url(path)))
            .json(body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(check(request.send().await).await?).await
    }

    /// A GET for polled data: revalidates with the `ETag` of the data on
    /// screen, so an unchanged answer costs a bodiless 304, and stops when
    /// the poller aborts it.
    pub async fn get_if_changed<T: DeserializeOwned>(
        &self,
        path: &str,
        poll: &PollRequest,
    ) -> Result<Polled<T>, ApiError> {
        let mut request = self
            .authorize(Request::get(&self.url(path)))
            .abort_signal(Some(&poll.signal));
        if let Some(etag) = &poll.etag {
            request = request.header("If-None-Match", etag);
        }
        let response = request.send().await;
        if matches!(&response, Ok(r) if r.status() == 304) {
            return Ok(Polled::NotModified);
        }
        let response = check(response).await?;
        let etag = response.headers().get("ETag");
        Ok(Polled::Fresh {
            data: decode(response).await?,
            etag,
        })
    }

    /// The body as text, for downloads such as the CSV export.
    pub async fn get_text(&self, path: &str) -> Result<String, ApiError> {
        let response = check(self.authorize(Request::get(&self.url(path))).send().await).await?;
        response
            .text()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    }

    fn authorize(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }
}

/// Turns a non-2xx answer into a typed error, decoding the JSON error body.
async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = response.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let body = response.json().await.ok();
    Err(ApiError::from_status(
        response.status(),
        response.status_text(),
        body,
    ))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}
