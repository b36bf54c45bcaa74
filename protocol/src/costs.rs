//! The cost page: `GET /api/v1/costs/breakdown`.

use serde::{Deserialize, Serialize};

use crate::{CostAlert, Date, Id, Stage, Usd};

/// Spend on videos that failed at one stage: money that bought no video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageCost {
    pub stage: Stage,
    pub failed_videos: u32,
    pub cost: Usd,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelCost {
    pub channel_id: Id,
    pub channel_name: String,
    /// Completed and failed videos.
    pub videos: u32,
    pub cost: Usd,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyCost {
    pub date: Date,
    pub videos: u32,
    pub cost: Usd,
}

/// Today's spend against the budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetStatus {
    pub daily_budget: Usd,
    pub spent_today: Usd,
    /// Negative once the budget is overspent.
    pub remaining_budget: f64,
    /// Today's run rate projected to midnight UTC.
    pub projected_daily_cost: Usd,
}

/// Where the money went over an inclusive date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostBreakdown {
    pub from: Date,
    pub to: Date,
    pub total_cost: Usd,
    /// Spend of completed videos; the rest is in `byStage`.
    pub completed_cost: Usd,
    pub by_stage: Vec<StageCost>,
    /// Every channel of the user, highest spend first.
    pub by_channel: Vec<ChannelCost>,
    /// One entry per day of the range, oldest first, zero-filled.
    pub by_day: Vec<DailyCost>,
    pub budget: BudgetStatus,
    /// Cost alerts raised in the range, newest first (at most 100).
    pub alerts: Vec<CostAlert>,
}
