//! Dollars are stored and summed as integer millionths so that totals are
//! exact; derived figures are rounded to the same precision.
//!
//! A single report costs at most [`Usd::MAX_REPORT_COST`] ($10⁹ micros), so
//! the ledger would need billions of reports before an `i64` sum overflowed;
//! sums are checked anyway, and an overflow is an error, never a wrapped or
//! clamped total.

use ytempire_protocol::Usd;

const MICROS_PER_USD: f64 = 1_000_000.0;

/// A money sum beyond what an `i64` of micro-dollars holds (~$9.2 trillion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a money total exceeds the range of micro-dollars in 64 bits")]
pub struct Overflow;

pub fn to_micros(amount: Usd) -> i64 {
    // Amounts are validated finite and non-negative, and reports are capped;
    // `as` saturates (an absurd budget is read as ~$9.2 trillion).
    (amount.get() * MICROS_PER_USD).round() as i64
}

pub fn from_micros(micros: i64) -> Usd {
    Usd::new(micros.max(0) as f64 / MICROS_PER_USD).unwrap_or(Usd::ZERO)
}

/// The exact sum of amounts.
pub fn sum(amounts: impl IntoIterator<Item = Usd>) -> Result<Usd, Overflow> {
    amounts
        .into_iter()
        .try_fold(0_i64, |total, amount| total.checked_add(to_micros(amount)))
        .map(from_micros)
        .ok_or(Overflow)
}

/// A derived dollar figure (a difference, a ratio) rounded to whole millionths,
/// so that `50 - 4.86` is `45.14` and not `45.139999999999997`.
pub fn round(amount: f64) -> f64 {
    (amount * MICROS_PER_USD).round() / MICROS_PER_USD
}

/// `round` for figures that cannot be negative.
pub fn round_usd(amount: f64) -> Usd {
    Usd::new(round(amount)).unwrap_or(Usd::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_survive_the_round_trip_and_sum_exactly() {
        let a = to_micros(Usd::new(0.1).unwrap());
        let b = to_micros(Usd::new(0.2).unwrap());
        assert_eq!(from_micros(a + b).get(), 0.3);
        let dimes = std::iter::repeat_n(Usd::new(0.1).unwrap(), 3);
        assert_eq!(sum(dimes).unwrap().get(), 0.3);
    }

    #[test]
    fn a_sum_beyond_i64_micros_is_an_error() {
        let most = from_micros(i64::MAX);
        assert_eq!(sum([most, from_micros(1)]), Err(Overflow));
        assert_eq!(sum([most, Usd::ZERO]), Ok(most));
    }

    #[test]
    fn derived_figures_are_rounded_to_millionths() {
        assert_eq!(round(50.0 - 4.86), 45.14);
        assert_eq!(round(-95.139_999_999_999_99), -95.14);
        assert_eq!(round_usd(1.0 / 3.0).get(), 0.333_333);
    }
}
