//! RFC 3339 timestamps as milliseconds since the Unix epoch.
//!
//! Kept dependency-free so the crate stays `serde`-only and builds the same
//! for wasm32 and native. Parsing is strict: a value that is not RFC 3339 is
//! rejected at the edge instead of travelling through the app as a string.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// An instant, serialised as RFC 3339 in UTC with millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

/// Why a string is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(&'static str);

impl TimestampError {
    pub(crate) const fn new(why: &'static str) -> Self {
        Self(why)
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 timestamp: {}", self.0)
    }
}

impl std::error::Error for TimestampError {}

const MS_PER_DAY: i64 = 86_400_000;

/// The widest offset in use on Earth (UTC+14:00, Line Islands; the lowest
/// is −12:00), as RFC 3339 timestamps in the wild carry them.
const MAX_OFFSET_MINUTES: i64 = 14 * 60;
/// Parsed instants lie in the UTC years 2000–2999: anything else is a
/// pipeline bug, and every such instant prints as a plain four-digit year.
const EARLIEST: Timestamp = Timestamp(946_684_800_000);
const LATEST: Timestamp = Timestamp(32_503_680_000_000 - 1);

impl Timestamp {
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Milliseconds since the Unix epoch of the start of this instant's UTC day.
    pub const fn start_of_day(self) -> Self {
        Self(self.0.div_euclid(MS_PER_DAY) * MS_PER_DAY)
    }

    /// The UTC calendar date, `YYYY-MM-DD`.
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return Err(TimestampError("too short"));
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, TimestampError> {
            let part = &b[range];
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(TimestampError("expected digits"));
            }
            Ok(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let sep = |i: usize, expected: &[u8]| {
            if expected.contains(&b[i]) {
                Ok(())
            } else {
                Err(TimestampError("misplaced separator"))
            }
        };
        let year = num(0..4)?;
        sep(4, b"-")?;
        let month = num(5..7)?;
        sep(7, b"-")?;
        let day = num(8..10)?;
        sep(10, b"Tt ")?;
        let hour = num(11..13)?;
        sep(13, b":")?;
        let minute = num(14..16)?;
        sep(16, b":")?;
        let second = num(17..19)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(TimestampError("no such date"));
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TimestampError("no such time"));
        }

        let mut i = 19;
        let mut millis = 0;
        if b[i] == b'.' {
            let start = i + 1;
            i = start;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(TimestampError("empty fraction"));
            }
            // Only milliseconds are kept; finer digits are truncated.
            millis = b[start..i]
                .iter()
                .chain(std::iter::repeat(&b'0'))
                .take(3)
                .fold(0, |n, d| n * 10 + i64::from(d - b'0'));
        }

        let offset_minutes = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return Err(TimestampError("bad offset"));
                }
                let d = |x: u8| i64::from(x - b'0');
                let (hours, minutes) = (d(*h1) * 10 + d(*h2), d(*m1) * 10 + d(*m2));
                let total = hours * 60 + minutes;
                if minutes > 59 || total > MAX_OFFSET_MINUTES {
                    return Err(TimestampError("offset beyond ±14:00"));
                }
                if *sign == b'-' { -total } else { total }
            }
            _ => return Err(TimestampError("bad offset")),
        };

        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
        let instant = Self(secs * 1000 + millis);
        if !(EARLIEST..=LATEST).contains(&instant) {
            return Err(TimestampError("year outside 2000–2999 (UTC)"));
        }
        Ok(instant)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms_of_day = self.0.rem_euclid(MS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&s).map_err(de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets_to_the_same_instant() {
        let utc = Timestamp::parse("2026-11-25T18:30:00Z").unwrap();
        let offset = Timestamp::parse("2026-11-25T19:30:00+01:00").unwrap();
        assert_eq!(utc, offset);
        assert_eq!(utc.as_millis(), 1_795_631_400_000);
    }

    #[test]
    fn keeps_milliseconds_and_truncates_finer_fractions() {
        let t = Timestamp::parse("2000-01-01T00:00:01.2345Z").unwrap();
        assert_eq!(t.as_millis() - EARLIEST.as_millis(), 1234);
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "2024-02-29T23:59:59.999Z",
            "2000-01-01T00:00:00.000Z",
            "2999-12-31T23:59:59.999Z",
        ] {
            assert_eq!(Timestamp::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            Timestamp::from_millis(-86_400_000).to_string(),
            "1969-12-31T00:00:00.000Z"
        );
    }

    #[test]
    fn offsets_reach_fourteen_hours_and_no_further() {
        for good in [
            "2026-11-25T18:30:00+14:00",
            "2026-11-25T18:30:00-14:00",
            "2026-11-25T18:30:00+13:59",
            "2026-11-25T18:30:00-00:00",
        ] {
            assert!(
                Timestamp::parse(good).is_ok(),
                "{good:?} should be accepted"
            );
        }
        for bad in [
            "2026-11-25T18:30:00+99:99",
            "2026-11-25T18:30:00+14:01",
            "2026-11-25T18:30:00-15:00",
            "2026-11-25T18:30:00+10:60",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn instants_lie_in_the_years_2000_to_2999() {
        for bad in [
            "0000-01-01T00:00:00Z",
            "1999-12-31T23:59:59.999Z",
            "3000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            // Written in 2000, but 1999 in UTC.
            "2000-01-01T00:30:00+01:00",
            // Written in 2999, but 3000 in UTC.
            "2999-12-31T23:30:00-01:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Timestamp::parse("2000-01-01T00:00:00Z").unwrap(), EARLIEST);
        assert_eq!(
            Timestamp::parse("2999-12-31T23:59:59.999Z").unwrap(),
            LATEST
        );
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for bad in [
            "",
            "yesterday",
            "2026-11-25",
            "2026-11-25T18:30:00",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T18:30:00.Z",
            "2026-11-25T18:30:00+0100",
            "２０２6-11-25T18:30:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn start_of_day_and_date() {
        let t = Timestamp::parse("2026-11-25T18:30:00Z").unwrap();
        assert_eq!(t.start_of_day().to_string(), "2026-11-25T00:00:00.000Z");
        assert_eq!(t.date(), "2026-11-25");
    }
}
