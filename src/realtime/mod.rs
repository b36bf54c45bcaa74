//! The real-time core: one WebSocket per app, reconnecting with backoff,
//! resuming from the last event id, and the latency monitor.
//!
//! `backoff`, `reconnect`, `cursor`, `latency`, `listeners` and `status` are
//! plain logic; `socket`, `manager`, `monitor` and `sync` wire it to the
//! browser and to Leptos.

pub mod backoff;
pub mod clock;
pub mod cursor;
pub mod latency;
mod listeners;
mod manager;
mod monitor;
mod payload;
pub mod reconnect;
mod socket;
pub mod status;
mod sync;

pub use latency::Series;
pub use manager::{
    Delivery, Notice, Subscription, WsManager, WsOptions, provide_ws_manager,
    provide_ws_manager_with_options, use_ws_manager,
};
pub use monitor::{LatencyStore, provide_latency_monitor, use_latency_monitor};
pub use payload::EventPayload;
pub use status::{ChipState, ConnectionState, Tooltip};
pub use sync::use_realtime_sync;
