//! Login.

use serde::{Deserialize, Serialize};

use crate::{Id, Timestamp};

/// The longest email a login may name: the most an address can be, by
/// RFC 5321's path limit (256 bytes, less the angle brackets).
pub const MAX_EMAIL_BYTES: usize = 254;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Id,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub token: String,
    pub user: User,
    pub expires_at: Timestamp,
}
