//! The WebSocket side: the upgrade route, one task per connection, and the
//! hub that fans each user's events out to all of their connections.

mod connection;
mod gateway;
mod hub;
mod resume;

pub use gateway::upgrade;
pub use hub::{Hub, LiveEvent};
