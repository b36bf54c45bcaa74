//! The three real-time events, exactly as the product defines their payloads.

use serde::{Deserialize, Serialize};

use crate::{Attempt, HttpUrl, Id, Timestamp, Usd};

/// Per-user, strictly increasing event id.
pub type EventId = u64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCompleted {
    pub video_id: Id,
    pub channel_id: Id,
    pub channel_name: String,
    pub title: String,
    pub url: HttpUrl,
    pub cost: Usd,
    /// Seconds from start of generation to upload.
    pub generation_time: f64,
    pub timestamp: Timestamp,
    /// The attempt reported on; absent means the video's current attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<Attempt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Script,
    Audio,
    Video,
    Upload,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Script, Stage::Audio, Stage::Video, Stage::Upload];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Script => "script",
            Stage::Audio => "audio",
            Stage::Video => "video",
            Stage::Upload => "upload",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailureDetails {
    pub stage: Stage,
    pub message: String,
    pub retryable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoFailed {
    pub video_id: Id,
    pub channel_id: Id,
    pub channel_name: String,
    pub error: FailureDetails,
    pub cost: Usd,
    pub timestamp: Timestamp,
    /// The attempt reported on; absent means the video's current attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<Attempt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertLevel {
    Warning,
    Critical,
    Limit,
}

impl AlertLevel {
    pub const ALL: [AlertLevel; 3] = [AlertLevel::Warning, AlertLevel::Critical, AlertLevel::Limit];

    pub fn parse(s: &str) -> Option<AlertLevel> {
        AlertLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            AlertLevel::Warning => "warning",
            AlertLevel::Critical => "critical",
            AlertLevel::Limit => "limit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CostAlert {
    pub level: AlertLevel,
    pub current_cost: Usd,
    pub threshold: Usd,
    pub message: String,
    pub remaining_budget: f64,
    pub projected_daily_cost: Usd,
    pub timestamp: Timestamp,
}

/// An event's type and payload: `{"type": "...", "payload": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "payload")]
pub enum EventBody {
    #[serde(rename = "video.completed")]
    VideoCompleted(VideoCompleted),
    #[serde(rename = "video.failed")]
    VideoFailed(VideoFailed),
    #[serde(rename = "cost.alert")]
    CostAlert(CostAlert),
}

impl EventBody {
    pub const fn type_name(&self) -> &'static str {
        match self {
            EventBody::VideoCompleted(_) => "video.completed",
            EventBody::VideoFailed(_) => "video.failed",
            EventBody::CostAlert(_) => "cost.alert",
        }
    }

    /// When the event happened, by the server's or pipeline's clock.
    pub const fn timestamp(&self) -> Timestamp {
        match self {
            EventBody::VideoCompleted(e) => e.timestamp,
            EventBody::VideoFailed(e) => e.timestamp,
            EventBody::CostAlert(e) => e.timestamp,
        }
    }
}

/// A stored, numbered event as the WebSocket delivers it:
/// `{"id": 7, "type": "video.completed", "payload": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    #[serde(flatten)]
    pub body: EventBody,
}
