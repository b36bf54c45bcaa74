//! Video actions.

use ytempire_protocol::Id;

use super::{ApiError, Client, path_segment};

/// `POST /api/v1/videos/{id}/retry`: queue a failed video for another run.
pub async fn retry(client: &Client, video_id: &Id) -> Result<(), ApiError> {
    client
        .post_empty(&format!(
            "/api/v1/videos/{}/retry",
            path_segment(video_id.as_str())
        ))
        .await
}
