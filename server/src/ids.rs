//! Random identifiers and secrets.

use rand::RngCore;
use ytempire_protocol::Id;

/// `bytes` random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh id such as `ch-3f9a0c1b2d4e`.
pub fn random_id(prefix: &str) -> Id {
    Id::new(format!("{prefix}-{}", random_hex(6))).expect("a non-empty id")
}
