//! When to try again after a connection ends, and when to stop trying.

use std::time::Duration;

use super::backoff::{Backoff, Jitter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    pub backoff: Backoff,
    /// Retries after which the manager gives up until something external (a
    /// click; the browser coming online or the tab becoming visible, unless
    /// the server refused the last connection) tries again.
    pub max_retries: u32,
    /// A connection that stayed up this long counts as healthy again, so the
    /// next drop starts the schedule over.
    pub stable_after: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            backoff: Backoff::default(),
            max_retries: 5,
            stable_after: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    RetryIn(Duration),
    GiveUp,
}

/// Retry bookkeeping; times are milliseconds on any monotonic-enough clock.
#[derive(Debug, Clone)]
pub struct Reconnect {
    policy: ReconnectPolicy,
    retries: u32,
    up_since: Option<f64>,
}

impl Reconnect {
    pub const fn new(policy: ReconnectPolicy) -> Self {
        Self {
            policy,
            retries: 0,
            up_since: None,
        }
    }

    /// The retry currently scheduled or in flight; 0 while healthy.
    pub const fn retries(&self) -> u32 {
        self.retries
    }

    pub fn on_up(&mut self, now_ms: f64) {
        self.up_since = Some(now_ms);
    }

    /// The connection ended: the next delay follows the exponential schedule.
    pub fn on_down(&mut self, now_ms: f64, jitter: &mut impl Jitter) -> Next {
        let backoff = self.policy.backoff;
        self.next(now_ms, |retry| backoff.delay(retry, jitter))
    }

    /// The server refused the connection by policy: it counts as a retry,
    /// with the slow delay whatever the retry number.
    pub fn on_refused(&mut self, now_ms: f64, jitter: &mut impl Jitter) -> Next {
        let backoff = self.policy.backoff;
        self.next(now_ms, |_| backoff.slow_delay(jitter))
    }

    fn next(&mut self, now_ms: f64, delay: impl FnOnce(u32) -> Duration) -> Next {
        let stable_ms = self.policy.stable_after.as_secs_f64() * 1000.0;
        if self
            .up_since
            .take()
            .is_some_and(|t| now_ms - t >= stable_ms)
        {
            self.retries = 0;
        }
        if self.retries >= self.policy.max_retries {
            return Next::GiveUp;
        }
        let delay = delay(self.retries);
        self.retries += 1;
        Next::RetryIn(delay)
    }

    pub fn reset(&mut self) {
        self.retries = 0;
        self.up_since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::super::backoff::SplitMix64;
    use super::*;

    /// Always the top of the range, so delays equal the ceilings.
    struct Max;
    impl Jitter for Max {
        fn next_unit(&mut self) -> f64 {
            1.0
        }
    }

    fn secs(next: Next) -> Option<u64> {
        match next {
            Next::RetryIn(d) => Some(d.as_secs()),
            Next::GiveUp => None,
        }
    }

    #[test]
    fn gives_up_after_five_failed_retries() {
        let mut reconnect = Reconnect::new(ReconnectPolicy::default());
        let schedule: Vec<_> = (0..6)
            .map(|_| secs(reconnect.on_down(0.0, &mut Max)))
            .collect();
        assert_eq!(
            schedule,
            [Some(1), Some(2), Some(4), Some(8), Some(16), None]
        );
        assert_eq!(reconnect.retries(), 5);
    }

    #[test]
    fn a_connection_that_stayed_up_resets_the_schedule() {
        let mut reconnect = Reconnect::new(ReconnectPolicy::default());
        reconnect.on_down(0.0, &mut Max);
        reconnect.on_down(0.0, &mut Max);
        reconnect.on_up(1_000.0);
        assert_eq!(secs(reconnect.on_down(11_000.0, &mut Max)), Some(1));
    }

    #[test]
    fn a_connection_that_dropped_quickly_keeps_counting() {
        let mut reconnect = Reconnect::new(ReconnectPolicy::default());
        reconnect.on_down(0.0, &mut Max);
        reconnect.on_up(1_000.0);
        assert_eq!(secs(reconnect.on_down(2_000.0, &mut Max)), Some(2));
    }

    #[test]
    fn jittered_delays_never_exceed_the_ceiling() {
        let policy = ReconnectPolicy::default();
        let mut jitter = SplitMix64::new(3);
        let mut reconnect = Reconnect::new(policy);
        for retry in 0..policy.max_retries {
            match reconnect.on_down(0.0, &mut jitter) {
                Next::RetryIn(d) => assert!(d <= policy.backoff.ceiling(retry)),
                Next::GiveUp => panic!("gave up too early"),
            }
        }
    }

    #[test]
    fn a_refusal_waits_at_least_half_the_cap_and_counts_as_a_retry() {
        let policy = ReconnectPolicy::default();
        let mut reconnect = Reconnect::new(policy);
        let mut jitter = SplitMix64::new(5);
        match reconnect.on_refused(0.0, &mut jitter) {
            Next::RetryIn(d) => assert!(d >= policy.backoff.cap / 2, "{d:?}"),
            Next::GiveUp => panic!("gave up on the first refusal"),
        }
        assert_eq!(reconnect.retries(), 1);
    }

    #[test]
    fn reset_starts_over() {
        let mut reconnect = Reconnect::new(ReconnectPolicy::default());
        for _ in 0..6 {
            reconnect.on_down(0.0, &mut Max);
        }
        reconnect.reset();
        assert_eq!(secs(reconnect.on_down(0.0, &mut Max)), Some(1));
    }
}
