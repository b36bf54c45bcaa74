//! How a pipeline learns of retries: `POST /api/v1/pipeline/retries/claim`.

use serde::{Deserialize, Serialize};

use crate::{Attempt, Id, Timestamp};

/// Asks for queued retries on behalf of one worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryClaimRequest {
    /// The worker's stable name. A worker that claims again under the same
    /// name gets back the retries it already holds, so a lost answer costs
    /// nothing.
    pub worker: Id,
    /// At most this many retries; defaults to 10, at most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One retry handed to the claiming worker: what it needs to report on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimedRetry {
    pub video_id: Id,
    pub channel_id: Id,
    pub channel_name: String,
    pub title: String,
    /// The attempt the worker's reports must name.
    pub attempt: Attempt,
    /// No other worker is handed this retry before then; claiming again
    /// renews the lease.
    pub lease_expires_at: Timestamp,
}

/// The answer to a claim: the worker's retries, oldest first; empty when
/// nothing is waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryClaimResponse {
    pub retries: Vec<ClaimedRetry>,
}
