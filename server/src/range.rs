//! The inclusive day range of a report, resolved from an untrusted query.

use ytempire_protocol::{Date, DateRangeQuery, Timestamp};

use crate::error::AppError;

/// Days shown when the query names no start.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest range a report covers, so a query cannot ask for a century.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: Date,
    pub to: Date,
}

impl DayRange {
    /// `to` defaults to today and `from` to 30 days ending at `to`.
    pub fn resolve(query: DateRangeQuery, today: Date) -> Result<Self, AppError> {
        let to = query.to.unwrap_or(today);
        let from = query.from.unwrap_or(to.add_days(1 - DEFAULT_DAYS));
        let days = from.days_until(to) + 1;
        if days < 1 {
            return Err(AppError::bad_field("from", "`from` must not be after `to`"));
        }
        if days > MAX_DAYS {
            return Err(AppError::bad_field(
                "from",
                format!("a range covers at most {MAX_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }

    /// Midnight UTC starting `from`.
    pub const fn start(self) -> Timestamp {
        self.from.start()
    }

    /// Midnight UTC ending `to` (exclusive bound).
    pub const fn end(self) -> Timestamp {
        self.to.end()
    }

    pub fn days(self) -> impl Iterator<Item = Date> {
        (0..=self.from.days_until(self.to)).map(move |n| self.from.add_days(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn defaults_to_the_last_thirty_days() {
        let range = DayRange::resolve(DateRangeQuery::default(), date("2026-11-25")).unwrap();
        assert_eq!(range.to, date("2026-11-25"));
        assert_eq!(range.from, date("2026-10-27"));
        assert_eq!(range.days().count(), 30);
    }

    #[test]
    fn rejects_reversed_and_huge_ranges() {
        let today = date("2026-11-25");
        let reversed = DateRangeQuery {
            from: Some(date("2026-11-26")),
            to: Some(today),
        };
        assert!(DayRange::resolve(reversed, today).is_err());
        let huge = DateRangeQuery {
            from: Some(date("2020-01-01")),
            to: Some(today),
        };
        assert!(DayRange::resolve(huge, today).is_err());
        let single = DateRangeQuery {
            from: Some(today),
            to: Some(today),
        };
        assert_eq!(DayRange::resolve(single, today).unwrap().days().count(), 1);
    }
}
