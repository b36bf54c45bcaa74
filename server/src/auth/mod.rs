//! Passwords, bearer tokens and the extractors that guard routes.

mod extract;
pub mod password;
mod session;
mod throttle;
mod token;

pub use extract::{AuthUser, BearerToken, PipelineAuth};
pub use session::{ActiveSession, login, logout, session_for_token};
pub use throttle::{LoginThrottle, Refusal};
