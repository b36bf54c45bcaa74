//! SQLite persistence. Writes go through one connection behind a mutex:
//! SQLite admits a single writer anyway, and serialising every write is what
//! lets ingest commit and publish events in id order (see `ingest`). Reads
//! run on a few read-only connections, each in one transaction, beside it
//! (WAL). Work runs on the blocking pool.

pub mod alerts;
pub mod channels;
pub mod costs;
mod db;
pub mod events;
mod migrations;
pub mod outcomes;
pub mod overview;
pub mod reports;
pub mod retries;
pub mod sessions;
pub mod users;
pub mod videos;

pub use db::Store;
