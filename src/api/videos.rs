//! Video actions.

use ytempire_protocol::{Id, VideoListQuery, VideoPage};

use super::{ApiError, Client, path_segment};
use crate::polling::{PollRequest, Polled};

/// `GET /api/v1/videos`: one page of videos, newest first.
pub async fn list(
    client: &Client,
    query: VideoListQuery,
    poll: &PollRequest,
) -> Result<Polled<VideoPage>, ApiError> {
    client.get_if_changed(&list_path(query), poll).await
}

/// `GET /api/v1/videos`, once.
pub async fn page(client: &Client, query: VideoListQuery) -> Result<VideoPage, ApiError> {
    client.get(&list_path(query)).await
}

fn list_path(query: VideoListQuery) -> String {
    let params: Vec<String> = [
        query.status.map(|s| format!("status={}", s.as_str())),
        query.page.map(|p| format!("page={p}")),
        query.per_page.map(|n| format!("perPage={n}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if params.is_empty() {
        "/api/v1/videos".to_owned()
    } else {
        format!("/api/v1/videos?{}", params.join("&"))
    }
}

/// `POST /api/v1/videos/{id}/retry`: queue a failed video for another run.
pub async fn retry(client: &Client, video_id: &Id) -> Result<(), ApiError> {
    client
        .post_empty(&format!(
            "/api/v1/videos/{}/retry",
            path_segment(video_id.as_str())
        ))
        .await
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::VideoStatus;

    use super::*;

    #[test]
    fn list_queries_name_only_what_is_set() {
        assert_eq!(list_path(VideoListQuery::default()), "/api/v1/videos");
        let query = VideoListQuery {
            status: Some(VideoStatus::Failed),
            page: Some(2),
            per_page: Some(50),
        };
        assert_eq!(
            list_path(query),
            "/api/v1/videos?status=failed&page=2&perPage=50"
        );
    }
}
