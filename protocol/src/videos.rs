//! The recent-videos page: `GET /api/v1/videos` and `POST /api/v1/videos/{id}/retry`.

use serde::{Deserialize, Serialize};

use crate::{Attempt, HttpUrl, Id, Stage, Timestamp, Usd};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoStatus {
    Queued,
    Processing,
    Completed,
    Failed,
}

impl VideoStatus {
    pub const ALL: [VideoStatus; 4] = [
        VideoStatus::Queued,
        VideoStatus::Processing,
        VideoStatus::Completed,
        VideoStatus::Failed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            VideoStatus::Queued => "queued",
            VideoStatus::Processing => "processing",
            VideoStatus::Completed => "completed",
            VideoStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<VideoStatus> {
        VideoStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

/// One video as the recent-videos list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Video {
    pub id: Id,
    pub channel_id: Id,
    pub channel_name: String,
    pub title: String,
    pub status: VideoStatus,
    /// The stage a failed video stopped at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Whether a failed video may be retried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    pub cost: Usd,
    /// Set once the video is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<HttpUrl>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// 1 for the first run; each accepted Retry adds one.
    #[serde(default)]
    pub attempt: Attempt,
}

/// Query string of `GET /api/v1/videos`: `?status=failed&page=1&perPage=20`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// 1-based; defaults to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Defaults to 20, at most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// One page of videos, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoPage {
    pub items: Vec<Video>,
    /// How many videos match the filter, over all pages.
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

/// The answer to `POST /api/v1/videos/{id}/retry`: the video, queued again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryAccepted {
    pub video: Video,
}
