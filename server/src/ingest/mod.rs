//! Pipeline ingest: the one path by which videos change and events are born,
//! whether the poster is the real pipeline or the demo simulator.

mod apply;
mod transition;
mod validate;

pub use apply::ingest;
