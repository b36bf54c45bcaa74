//! The dashboard overview, polled every 60 s.

use serde::{Deserialize, Serialize};

use crate::{EventId, Id, Timestamp, Usd};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelStatus {
    Active,
    Paused,
}

impl ChannelStatus {
    pub const fn toggled(self) -> Self {
        match self {
            ChannelStatus::Active => ChannelStatus::Paused,
            ChannelStatus::Paused => ChannelStatus::Active,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Active => "active",
            ChannelStatus::Paused => "paused",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelStatus> {
        [ChannelStatus::Active, ChannelStatus::Paused]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    pub id: Id,
    pub name: String,
    pub status: ChannelStatus,
    pub videos_today: u32,
    pub failed_today: u32,
    pub cost_today: Usd,
    pub total_videos: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub channel_count: u32,
    pub active_channels: u32,
    pub videos_today: u32,
    pub failed_today: u32,
    pub processing_now: u32,
    pub cost_today: Usd,
    pub daily_budget: Usd,
    pub revenue_today: Usd,
    pub average_cost_per_video: Usd,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub metrics: Metrics,
    pub channels: Vec<Channel>,
    pub generated_at: Timestamp,
    /// The newest of the user's events these figures include; `None` before
    /// the first. Orders the snapshot against events exactly, where event
    /// timestamps (the pipeline's clock) cannot.
    pub last_event_id: Option<EventId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelStatusUpdate {
    pub status: ChannelStatus,
}
