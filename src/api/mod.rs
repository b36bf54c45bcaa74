//! The YTEMPIRE HTTP API: one module per resource, over a shared [`Client`].

pub mod auth;
pub mod channels;
mod client;
mod error;
pub mod overview;
mod path;
pub mod reports;
pub mod videos;

pub use client::Client;
pub use error::ApiError;
pub use path::path_segment;
