use ytempire_protocol::{Timestamp, Usd};

use crate::money;

const MS_PER_DAY: f64 = 86_400_000.0;
/// Projections from the first seconds of a day are noise; extrapolate from
/// at least this much of the day.
const MIN_ELAPSED_MS: f64 = 60_000.0;

/// Today's spend extrapolated at its run rate to midnight UTC.
pub fn projected_daily_cost(spent_today: Usd, now: Timestamp) -> Usd {
    let elapsed = (now.as_millis() - now.start_of_day().as_millis()) as f64;
    let rate = spent_today.get() / elapsed.max(MIN_ELAPSED_MS);
    money::round_usd(rate * MS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn doubles_at_midday_and_holds_at_midnight() {
        let spent = Usd::new(10.0).unwrap();
        assert_eq!(
            projected_daily_cost(spent, at("2026-11-25T12:00:00Z")).get(),
            20.0
        );
        let almost_midnight = projected_daily_cost(spent, at("2026-11-25T23:59:59.999Z"));
        assert!((almost_midnight.get() - 10.0).abs() < 0.001);
    }

    #[test]
    fn the_first_minute_does_not_explode() {
        let projected =
            projected_daily_cost(Usd::new(1.0).unwrap(), at("2026-11-25T00:00:00.001Z"));
        assert_eq!(projected.get(), 1440.0);
        assert_eq!(
            projected_daily_cost(Usd::ZERO, at("2026-11-25T00:00:00Z")),
            Usd::ZERO
        );
    }
}
