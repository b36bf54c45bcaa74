//! The analytics page: `GET /api/v1/analytics/trends` and
//! `GET /api/v1/analytics/performance`.

use serde::{Deserialize, Serialize};

use crate::{Date, Usd};

/// One day of output and money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    pub date: Date,
    /// Completed videos.
    pub videos: u32,
    pub failed: u32,
    pub cost: Usd,
    /// Estimated revenue of the day's completed videos.
    pub revenue: Usd,
}

/// Daily series over an inclusive date range, oldest first, zero-filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trends {
    pub from: Date,
    pub to: Date,
    pub points: Vec<TrendPoint>,
}

/// One day of pipeline performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformancePoint {
    pub date: Date,
    /// Completed and failed videos.
    pub finished: u32,
    /// Completed / finished, from 0 to 1; absent on a day with nothing finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    /// Mean seconds from start to upload of the day's completed videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_generation_time: Option<f64>,
    /// Mean cost of the day's finished videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_cost: Option<Usd>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceHistory {
    pub from: Date,
    pub to: Date,
    pub points: Vec<PerformancePoint>,
}
