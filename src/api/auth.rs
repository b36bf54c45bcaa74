//! `POST /api/v1/auth/login` and `/logout`.

use ytempire_protocol::{LoginRequest, LoginResponse};

use super::{ApiError, Client};

pub async fn login(client: &Client, request: &LoginRequest) -> Result<LoginResponse, ApiError> {
    client.post("/api/v1/auth/login", request).await
}

/// Revokes the client's token on the server.
pub async fn logout(client: &Client) -> Result<(), ApiError> {
    client.post_empty("/api/v1/auth/logout").await
}
