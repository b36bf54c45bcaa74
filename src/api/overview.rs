//! `GET /api/v1/dashboard/overview`.

use ytempire_protocol::Overview;

use super::{ApiError, Client};
use crate::polling::{PollRequest, Polled};

pub const PATH: &str = "/api/v1/dashboard/overview";

pub async fn fetch(client: &Client) -> Result<Overview, ApiError> {
    client.get(PATH).await
}

/// The overview unless it is unchanged since the `ETag` the poller holds.
pub async fn fetch_if_changed(
    client: &Client,
    poll: &PollRequest,
) -> Result<Polled<Overview>, ApiError> {
    client.get_if_changed(PATH, poll).await
}
