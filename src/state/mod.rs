//! App-wide stores, each a `Copy` handle provided through context.

pub mod dashboard;
pub mod session;
pub mod toasts;

pub use dashboard::{DashboardStore, provide_dashboard_store, use_dashboard_store};
pub use session::{Session, provide_session, use_session};
pub use toasts::{Toasts, provide_toasts, use_toasts};
