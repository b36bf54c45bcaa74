//! Reconnect delays: exponential from one second, capped, with full jitter so
//! that a server restart is not met by every client at the same instant.

use std::time::Duration;

/// A uniform random source in `[0, 1)`; injectable so schedules are reproducible in tests.
pub trait Jitter {
    fn next_unit(&mut self) -> f64;
}

/// SplitMix64: tiny and seedable, plenty to spread reconnects apart.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }
}

impl Jitter for SplitMix64 {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits fill an f64 mantissa exactly.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The longest wait before retry number `retry` (0-based): `base * 2^retry`, capped.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Full jitter: uniform in `[0, ceiling(retry)]`.
    pub fn delay(&self, retry: u32, jitter: &mut impl Jitter) -> Duration {
        self.ceiling(retry).mul_f64(jitter.next_unit())
    }

    /// After a refusal: uniform in `[cap / 2, cap]`, so a refused client
    /// never comes back fast, and its tabs not all at once.
    pub fn slow_delay(&self, jitter: &mut impl Jitter) -> Duration {
        self.cap.mul_f64(0.5 + 0.5 * jitter.next_unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_from_one_second_up_to_the_cap() {
        let backoff = Backoff::default();
        let secs: Vec<u64> = (0..8).map(|n| backoff.ceiling(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(backoff.ceiling(200), backoff.cap);
    }

    #[test]
    fn delays_stay_within_the_ceiling_and_are_spread() {
        let backoff = Backoff::default();
        let mut jitter = SplitMix64::new(7);
        let delays: Vec<Duration> = (0..200).map(|_| backoff.delay(3, &mut jitter)).collect();
        assert!(delays.iter().all(|d| *d <= backoff.ceiling(3)));
        let min = delays.iter().min().unwrap();
        let max = delays.iter().max().unwrap();
        assert!(
            *max - *min > Duration::from_secs(6),
            "jitter should cover most of [0, 8 s]"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let backoff = Backoff::default();
        let schedule = |seed| {
            let mut jitter = SplitMix64::new(seed);
            (0..5)
                .map(|n| backoff.delay(n, &mut jitter))
                .collect::<Vec<_>>()
        };
        assert_eq!(schedule(42), schedule(42));
        assert_ne!(schedule(42), schedule(43));
    }

    #[test]
    fn slow_delays_stay_in_the_upper_half_of_the_cap() {
        let backoff = Backoff::default();
        let mut jitter = SplitMix64::new(11);
        let delays: Vec<Duration> = (0..200).map(|_| backoff.slow_delay(&mut jitter)).collect();
        assert!(
            delays
                .iter()
                .all(|d| (backoff.cap / 2..=backoff.cap).contains(d))
        );
    }

    #[test]
    fn unit_values_are_in_range() {
        let mut jitter = SplitMix64::new(0);
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&jitter.next_unit())));
    }
}
