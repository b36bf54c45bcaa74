//! `GET /api/v1/dashboard/overview`.

use ytempire_protocol::Overview;

use super::{ApiError, Client};

pub const PATH: &str = "/api/v1/dashboard/overview";

pub async fn fetch(client: &Client) -> Result<Overview, ApiError> {
    client.get(PATH).await
}
