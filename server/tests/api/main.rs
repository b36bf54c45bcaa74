//! Integration tests: the real server over real HTTP and WebSocket.

mod alerts;
mod auth;
mod common;
mod ingest;
mod logging;
mod metrics;
mod persistence;
mod reports;
mod serving;
mod websocket;
