//! One module per route.

pub mod analytics;
pub mod channels;
pub mod costs;
pub mod login;
pub mod not_found;
pub mod overview;
pub mod page_parts;
pub mod reports;
pub mod videos;
