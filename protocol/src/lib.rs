//! Wire types shared by the YTEMPIRE dashboard and `ytempire-server`.
//!
//! The one source of truth for JSON field names: both sides serialise these
//! types, so a renamed field breaks the build instead of the product.
//! Validating newtypes ([`Id`], [`HttpUrl`], [`Usd`], [`Timestamp`]) make
//! untrusted input fail at parse time rather than deep inside the app.

mod auth;
mod dashboard;
mod error;
mod events;
mod frames;
mod pipeline;
mod timestamp;
mod validated;

pub use auth::{LoginRequest, LoginResponse, User};
pub use dashboard::{Channel, ChannelStatus, ChannelStatusUpdate, Metrics, Overview};
pub use error::ApiError;
pub use events::{
    AlertLevel, CostAlert, Event, EventBody, EventId, FailureDetails, Stage, VideoCompleted,
    VideoFailed,
};
pub use frames::{
    CLOSE_UNAUTHORIZED, ClientFrame, ControlFrame, FrameError, MAX_FRAME_BYTES, ServerFrame,
};
pub use pipeline::{IngestAccepted, PipelineEvent, VideoStarted};
pub use timestamp::{Timestamp, TimestampError};
pub use validated::{HttpUrl, Id, Usd};
