//! Integration tests: the real server over real HTTP and WebSocket.

mod alerts;
mod auth;
mod common;
mod ingest;
mod persistence;
mod reports;
mod retries;
mod serving;
mod websocket;
