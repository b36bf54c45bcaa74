//! Dollars are stored as integer millionths so that sums are exact.

use ytempire_protocol::Usd;

const MICROS_PER_USD: f64 = 1_000_000.0;

pub fn to_micros(amount: Usd) -> i64 {
    // Amounts are validated finite and non-negative; `as` saturates on overflow.
    (amount.get() * MICROS_PER_USD).round() as i64
}

pub fn from_micros(micros: i64) -> Usd {
    Usd::new(micros.max(0) as f64 / MICROS_PER_USD).unwrap_or(Usd::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_survive_the_round_trip_and_sum_exactly() {
        let a = to_micros(Usd::new(0.1).unwrap());
        let b = to_micros(Usd::new(0.2).unwrap());
        assert_eq!(from_micros(a + b).get(), 0.3);
    }
}
