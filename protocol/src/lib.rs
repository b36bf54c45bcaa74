//! Wire types shared by the YTEMPIRE dashboard and `ytempire-server`.
//!
//! The one source of truth for JSON field names: both sides serialise these
//! types, so a renamed field breaks the build instead of the product.
//! Validating newtypes ([`Id`], [`HttpUrl`], [`Usd`], [`Timestamp`]) make
//! untrusted input fail at parse time rather than deep inside the app.

mod analytics;
mod auth;
mod costs;
mod dashboard;
mod date;
mod error;
mod events;
mod frames;
mod pipeline;
mod timestamp;
mod validated;
mod videos;

pub use analytics::{PerformanceHistory, PerformancePoint, TrendPoint, Trends};
pub use auth::{LoginRequest, LoginResponse, User};
pub use costs::{BudgetStatus, ChannelCost, CostBreakdown, DailyCost, StageCost};
pub use dashboard::{Channel, ChannelStatus, ChannelStatusUpdate, Metrics, Overview};
pub use date::{Date, DateRangeQuery};
pub use error::ApiError;
pub use events::{
    AlertLevel, CostAlert, Event, EventBody, EventId, FailureDetails, Stage, VideoCompleted,
    VideoFailed,
};
pub use frames::{
    CLOSE_POLICY_VIOLATION, CLOSE_UNAUTHORIZED, ClientFrame, ControlFrame, FrameError,
    HEARTBEAT_INTERVAL, MAX_FRAME_BYTES, ServerFrame,
};
pub use pipeline::{IngestAccepted, PipelineEvent, VideoStarted};
pub use timestamp::{Timestamp, TimestampError};
pub use validated::{HttpUrl, Id, Usd};
pub use videos::{RetryAccepted, Video, VideoListQuery, VideoPage, VideoStatus};
