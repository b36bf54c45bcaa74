//! `PATCH /api/v1/channels/{id}/status`: pause or resume a channel.

use ytempire_protocol::{Channel, ChannelStatus, ChannelStatusUpdate, Id};

use super::{ApiError, Client, path_segment};

/// Sets the status and returns the channel as the server now holds it.
pub async fn set_status(
    client: &Client,
    channel_id: &Id,
    status: ChannelStatus,
) -> Result<Channel, ApiError> {
    client
        .patch(
            &format!(
                "/api/v1/channels/{}/status",
                path_segment(channel_id.as_str())
            ),
            &ChannelStatusUpdate { status },
        )
        .await
}
