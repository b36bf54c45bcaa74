//! The YTEMPIRE operations dashboard.
//!
//! - [`api`]: the HTTP API, typed by `ytempire-protocol`.
//! - [`state`]: the session, dashboard and toast stores (plain models + signal handles).
//! - [`realtime`]: the WebSocket manager, reconnect, resume and latency monitor.
//! - [`polling`]: the 60 s / 5 min poller, the sync merger and the optimistic channel switch.
//! - [`charts`]: small SVG charts, each with a text alternative.
//! - [`components`] and [`pages`]: views that only wire stores to the DOM.

pub mod api;
pub mod app;
pub mod charts;
pub mod components;
pub mod config;
pub mod pages;
pub mod polling;
pub mod realtime;
pub mod state;

pub use app::App;
