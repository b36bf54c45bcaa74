//! The server's notion of "now", as the protocol's timestamp type.

use std::time::{SystemTime, UNIX_EPOCH};

use ytempire_protocol::Timestamp;

pub fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_millis(millis)
}
