//! Who is logged in, as persisted across reloads.

use serde::{Deserialize, Serialize};
use ytempire_protocol::{LoginResponse, Timestamp, User};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSession {
    pub token: String,
    pub user: User,
    pub expires_at: Timestamp,
}

impl From<LoginResponse> for AuthSession {
    fn from(response: LoginResponse) -> Self {
        Self {
            token: response.token,
            user: response.user,
            expires_at: response.expires_at,
        }
    }
}

impl AuthSession {
    /// Reads a stored session; anything unreadable or expired is no session,
    /// so a stale token never reaches the API.
    pub fn restore(stored: &str, now: Timestamp) -> Option<Self> {
        serde_json::from_str::<Self>(stored)
            .ok()
            .filter(|session| session.expires_at > now)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a session always serialises")
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::Id;

    use super::*;

    fn session(expires_at: i64) -> AuthSession {
        AuthSession {
            token: "t".into(),
            user: User {
                id: Id::new("u-1").unwrap(),
                name: "Demo".into(),
                email: "demo@ytempire.local".into(),
            },
            expires_at: Timestamp::from_millis(expires_at),
        }
    }

    #[test]
    fn round_trips_until_it_expires() {
        // 2026-11-25T18:30:00Z: timestamps parse only in the years 2000–2999.
        let expiry = 1_795_631_400_000;
        let stored = session(expiry).to_json();
        assert_eq!(
            AuthSession::restore(&stored, Timestamp::from_millis(expiry - 1)),
            Some(session(expiry))
        );
        assert_eq!(
            AuthSession::restore(&stored, Timestamp::from_millis(expiry)),
            None
        );
    }

    #[test]
    fn garbage_is_no_session() {
        let now = Timestamp::from_millis(0);
        assert_eq!(AuthSession::restore("", now), None);
        assert_eq!(AuthSession::restore("{\"token\":1}", now), None);
    }
}
