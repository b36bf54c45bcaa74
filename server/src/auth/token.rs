//! Bearer tokens: 256 random bits, stored and compared only as SHA-256
//! digests (which also makes the comparison independent of the secret).

use sha2::{Digest, Sha256};

use crate::ids::random_hex;

pub fn generate() -> String {
    random_hex(32)
}

/// Hex SHA-256 of a token, as stored in the database.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_digests_stable() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), a);
    }
}
