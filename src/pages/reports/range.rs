//! The report's date range as the user types it: checked here, before any
//! request, with the same limits the server enforces.

use std::fmt;

use ytempire_protocol::{Date, DateRangeQuery};

/// The server's longest range.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    BadDate(&'static str),
    Reversed,
    TooLong,
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::BadDate(which) => write!(f, "Choose a valid {which} date."),
            RangeError::Reversed => f.write_str("The start date must not be after the end date."),
            RangeError::TooLong => write!(f, "Choose at most {MAX_DAYS} days."),
        }
    }
}

impl ReportRange {
    /// The `days` days up to and including `today`.
    pub fn last_days(today: Date, days: i64) -> Self {
        Self {
            from: today.add_days(1 - days.max(1)),
            to: today,
        }
    }

    /// From the form's `YYYY-MM-DD` inputs.
    pub fn parse(from: &str, to: &str) -> Result<Self, RangeError> {
        let from = Date::parse(from).map_err(|_| RangeError::BadDate("start"))?;
        let to = Date::parse(to).map_err(|_| RangeError::BadDate("end"))?;
        if from > to {
            return Err(RangeError::Reversed);
        }
        if from.days_until(to) + 1 > MAX_DAYS {
            return Err(RangeError::TooLong);
        }
        Ok(Self { from, to })
    }

    pub fn query(self) -> DateRangeQuery {
        DateRangeQuery {
            from: Some(self.from),
            to: Some(self.to),
        }
    }

    /// What the downloaded export is saved as; the server's own name.
    pub fn file_name(self) -> String {
        format!("videos-{}-to-{}.csv", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn last_thirty_days_include_today() {
        let r = ReportRange::last_days(date("2026-11-25"), 30);
        assert_eq!((r.from, r.to), (date("2026-10-27"), date("2026-11-25")));
    }

    #[test]
    fn parses_and_checks_like_the_server() {
        assert!(ReportRange::parse("2026-11-01", "2026-11-01").is_ok());
        assert_eq!(
            ReportRange::parse("", "2026-11-01"),
            Err(RangeError::BadDate("start"))
        );
        assert_eq!(
            ReportRange::parse("2026-11-01", "x"),
            Err(RangeError::BadDate("end"))
        );
        assert_eq!(
            ReportRange::parse("2026-11-02", "2026-11-01"),
            Err(RangeError::Reversed)
        );
        assert!(
            ReportRange::parse("2025-11-25", "2026-11-25").is_ok(),
            "366 days"
        );
        assert_eq!(
            ReportRange::parse("2025-11-24", "2026-11-25"),
            Err(RangeError::TooLong)
        );
    }

    #[test]
    fn the_export_is_named_after_its_range() {
        let r = ReportRange::parse("2026-11-01", "2026-11-25").unwrap();
        assert_eq!(r.file_name(), "videos-2026-11-01-to-2026-11-25.csv");
        assert_eq!(r.query().from, Some(date("2026-11-01")));
    }
}
