//! What the video pipeline posts to `POST /api/v1/pipeline/events`.

use serde::{Deserialize, Serialize};

use crate::{Attempt, Id, Timestamp, VideoCompleted, VideoFailed};

/// The pipeline reports that a video has started processing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoStarted {
    pub video_id: Id,
    pub channel_id: Id,
    pub title: String,
    pub timestamp: Timestamp,
    /// The attempt reported on; absent means the video's current attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<Attempt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "payload", deny_unknown_fields)]
pub enum PipelineEvent {
    #[serde(rename = "video.started")]
    VideoStarted(VideoStarted),
    #[serde(rename = "video.completed")]
    VideoCompleted(VideoCompleted),
    #[serde(rename = "video.failed")]
    VideoFailed(VideoFailed),
}

impl PipelineEvent {
    pub fn video_id(&self) -> &Id {
        match self {
            PipelineEvent::VideoStarted(e) => &e.video_id,
            PipelineEvent::VideoCompleted(e) => &e.video_id,
            PipelineEvent::VideoFailed(e) => &e.video_id,
        }
    }

    pub fn channel_id(&self) -> &Id {
        match self {
            PipelineEvent::VideoStarted(e) => &e.channel_id,
            PipelineEvent::VideoCompleted(e) => &e.channel_id,
            PipelineEvent::VideoFailed(e) => &e.channel_id,
        }
    }

    /// The attempt the report names, if any.
    pub const fn attempt(&self) -> Option<Attempt> {
        match self {
            PipelineEvent::VideoStarted(e) => e.attempt,
            PipelineEvent::VideoCompleted(e) => e.attempt,
            PipelineEvent::VideoFailed(e) => e.attempt,
        }
    }

    pub const fn type_name(&self) -> &'static str {
        match self {
            PipelineEvent::VideoStarted(_) => "video.started",
            PipelineEvent::VideoCompleted(_) => "video.completed",
            PipelineEvent::VideoFailed(_) => "video.failed",
        }
    }
}

/// The answer to an accepted pipeline post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestAccepted {
    /// False when the same video and type had already been accepted (a retry).
    pub duplicate: bool,
}
