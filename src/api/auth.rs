//! `POST /api/v1/auth/login`.

use ytempire_protocol::{LoginRequest, LoginResponse};

use super::{ApiError, Client};

pub async fn login(client: &Client, request: &LoginRequest) -> Result<LoginResponse, ApiError> {
    client.post("/api/v1/auth/login", request).await
}
