//! What a browser gets besides the API: the built dashboard's files, and
//! the headers that every response carries.

mod cache;
mod content_security_policy;
mod inline_html;
mod security_headers;
mod site;

pub use content_security_policy::{ConnectOrigin, ContentSecurityPolicy};
pub use security_headers::SecurityHeaders;
pub use site::Site;
