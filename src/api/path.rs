//! Building URL paths from untrusted ids.

/// Percent-encodes a path segment: ids come off the wire and must not be able
/// to add path segments or a query.
pub fn path_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(path_segment("v-123_a.b~"), "v-123_a.b~");
        assert_eq!(path_segment("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
        assert_eq!(path_segment("é"), "%C3%A9");
    }
}
