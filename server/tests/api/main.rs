//! Integration tests: the real server over real HTTP and WebSocket.

mod alerts;
mod auth;
mod common;
mod headers;
mod ingest;
mod persistence;
mod reports;
mod serving;
mod websocket;
