//! Small newtypes that can only hold valid values, so that what comes off the
//! wire is checked once, where it is parsed, and trusted from then on.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};

/// A non-empty identifier (video, channel or user id) of at most 128 bytes,
/// without leading or trailing whitespace or any control character: ids are
/// compared byte for byte, so `" v1"` would be a different video from `"v1"`
/// that no one could tell apart on screen.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn new(s: impl Into<String>) -> Result<Self, &'static str> {
        let s = s.into();
        if s.is_empty() {
            Err("must not be empty")
        } else if s.len() > 128 {
            Err("must be at most 128 bytes")
        } else if s.trim() != s {
            Err("must not start or end with whitespace")
        } else if s.chars().any(char::is_control) {
            Err("must not contain control characters")
        } else {
            Ok(Self(s))
        }
    }

    /// An id as the server stored it, unchecked. Databases from before
    /// [`Id::new`] refused surrounding whitespace and control characters may
    /// hold such ids; refusing them when read back would turn every query
    /// that meets one into an error, so only input is checked.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Id::new(String::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

/// An absolute `http` or `https` URL: safe to put in an `href`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn new(s: impl Into<String>) -> Result<Self, &'static str> {
        let s = s.into();
        let lower = s.get(..8).unwrap_or(&s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            return Err("must be an http(s) URL");
        };
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if rest[..host_end].is_empty() {
            return Err("must name a host");
        }
        if s.len() > 2048 || s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("must be a plain URL of at most 2048 bytes");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        HttpUrl::new(String::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

/// An amount of US dollars: finite and never negative (`-0.0` is `0`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
#[serde(transparent)]
pub struct Usd(f64);

impl Usd {
    pub const ZERO: Usd = Usd(0.0);
    /// The most one pipeline report may cost. Budgets and totals over many
    /// reports are not bound by it.
    pub const MAX_REPORT_COST: Usd = Usd(1000.0);

    pub fn new(amount: f64) -> Result<Self, &'static str> {
        if amount == 0.0 {
            // `-0.0 >= 0.0` holds, and it would be written back as `-0.0`.
            Ok(Self::ZERO)
        } else if amount.is_finite() && amount > 0.0 {
            Ok(Self(amount))
        } else {
            Err("must be a finite amount of at least 0")
        }
    }

    pub const fn get(self) -> f64 {
        self.0
    }
}

impl std::ops::Add for Usd {
    type Output = Usd;

    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Usd::new(f64::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_have_content() {
        assert!(Id::new("v-1").is_ok());
        assert!(Id::new("").is_err());
        assert!(Id::new("   ").is_err());
        assert!(Id::new("x".repeat(129)).is_err());
        assert!(Id::new("x".repeat(128)).is_ok());
    }

    #[test]
    fn ids_have_no_surrounding_whitespace_or_control_characters() {
        assert!(Id::new("video 1").is_ok(), "inner spaces are fine");
        for bad in [
            " v1", "v1 ", "\tv1", "v1\n", "v\u{0}1", "v\u{7f}1", "v\u{85}1", "\u{a0}v1",
        ] {
            assert!(Id::new(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(serde_json::from_str::<Id>(r#"" v1""#).is_err());
    }

    #[test]
    fn only_http_and_https_urls_pass() {
        assert!(HttpUrl::new("https://youtube.com/watch?v=1").is_ok());
        assert!(HttpUrl::new("HTTP://example.com").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "//example.com",
            "https://",
            "https:///path",
            "ftp://example.com",
            "https://exa mple.com",
            "",
        ] {
            assert!(HttpUrl::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn amounts_are_finite_and_non_negative() {
        assert!(Usd::new(0.0).is_ok());
        assert!(Usd::new(0.35).is_ok());
        assert!(Usd::new(-0.01).is_err());
        assert!(Usd::new(f64::NAN).is_err());
        assert!(Usd::new(f64::INFINITY).is_err());
        assert!(serde_json::from_str::<Usd>("-1").is_err());
    }

    #[test]
    fn negative_zero_is_zero() {
        let zero = serde_json::from_str::<Usd>("-0.0").unwrap();
        assert!(zero.get().is_sign_positive());
        assert_eq!(serde_json::to_string(&zero).unwrap(), "0.0");
        assert!(Usd::new(-0.0).unwrap().get().is_sign_positive());
    }
}
