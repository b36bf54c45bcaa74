//! Passwords, bearer tokens and the extractors that guard routes.

mod extract;
pub mod password;
mod session;
mod token;

pub use extract::{AuthUser, PipelineAuth};
pub use session::{login, user_for_token};
