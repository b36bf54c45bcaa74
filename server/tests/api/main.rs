//! Integration tests: the real server over real HTTP and WebSocket.

mod alerts;
mod auth;
mod common;
mod connections;
mod contention;
mod defaults;
mod error_bodies;
mod headers;
mod ingest;
mod isolation;
mod limits;
mod logging;
mod metrics;
mod persistence;
mod properties;
mod reports;
mod retries;
mod serving;
mod sessions;
mod websocket;
