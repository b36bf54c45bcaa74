//! Dollars are stored and summed as integer millionths so that totals are
//! exact; derived figures are rounded to the same precision.

use ytempire_protocol::Usd;

const MICROS_PER_USD: f64 = 1_000_000.0;

pub fn to_micros(amount: Usd) -> i64 {
    // Amounts are validated finite and non-negative; `as` saturates on overflow.
    (amount.get() * MICROS_PER_USD).round() as i64
}

pub fn from_micros(micros: i64) -> Usd {
    Usd::new(micros.max(0) as f64 / MICROS_PER_USD).unwrap_or(Usd::ZERO)
}

/// The exact sum of amounts.
pub fn sum(amounts: impl IntoIterator<Item = Usd>) -> Usd {
    from_micros(amounts.into_iter().map(to_micros).sum())
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
        assert_eq!(sum(dimes).get(), 0.3);
    }

    #[test]
    fn derived_figures_are_rounded_to_millionths() {
        assert_eq!(round(50.0 - 4.86), 45.14);
        assert_eq!(round(-95.139_999_999_999_99), -95.14);
        assert_eq!(round_usd(1.0 / 3.0).get(), 0.333_333);
    }
}
