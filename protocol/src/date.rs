//! Calendar dates (`YYYY-MM-DD`, UTC) and inclusive date ranges, for the
//! day-by-day reports and the CSV export.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::{Timestamp, TimestampError};

const MS_PER_DAY: i64 = 86_400_000;

/// A UTC calendar day, serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    /// The UTC day an instant falls on.
    pub const fn of(instant: Timestamp) -> Self {
        Self {
            days: instant.as_millis().div_euclid(MS_PER_DAY),
        }
    }

    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        // A bare date is exactly the date part of an RFC 3339 timestamp, so
        // reuse that parser's calendar checks instead of a second copy.
        if s.len() != 10 {
            return Err(TimestampError::new("expected YYYY-MM-DD"));
        }
        Timestamp::parse(&format!("{s}T00:00:00Z")).map(Self::of)
    }

    /// Midnight UTC at the start of this day.
    pub const fn start(self) -> Timestamp {
        Timestamp::from_millis(self.days * MS_PER_DAY)
    }

    /// Midnight UTC at the start of the next day.
    pub const fn end(self) -> Timestamp {
        Timestamp::from_millis((self.days + 1) * MS_PER_DAY)
    }

    pub const fn add_days(self, days: i64) -> Self {
        Self {
            days: self.days + days,
        }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub const fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.start().date())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&s).map_err(de::Error::custom)
    }
}

/// Query string of the date-ranged reports: `?from=YYYY-MM-DD&to=YYYY-MM-DD`,
/// both inclusive. The server fills in what is missing (see `docs/api.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateRangeQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_calendar_days() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(d.add_days(1).to_string(), "2024-03-01");
        assert_eq!(d.start().to_string(), "2024-02-29T00:00:00.000Z");
        assert_eq!(d.end(), d.add_days(1).start());
        assert_eq!(d.days_until(d.add_days(3)), 3);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "2025-02-29",
            "2024-2-29",
            "2024-02-29T00:00:00Z",
            "20240229",
            "x",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn the_day_of_an_instant_is_its_utc_day() {
        let t = Timestamp::parse("2026-11-25T23:30:00-02:00").unwrap();
        assert_eq!(Date::of(t).to_string(), "2026-11-26");
    }
}
