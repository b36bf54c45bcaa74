//! Slows password guessing: after `max_failures` wrong passwords for one
//! email within `window`, that email is refused until the oldest of them
//! leaves the window, even with the right password. A successful login
//! clears its count. Kept in memory: a restart forgets, which only gives a
//! guesser a fresh window, never a way in.
//!
//! An attempt counts as failed from the moment it starts, so a burst of
//! parallel guesses cannot all pass before the first one is judged.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many emails tracked, entries with no failure left in the
/// window are dropped; guesses are slow (each costs a password check), so
/// the map stays small.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self {
            max_failures: max_failures.max(1),
            window,
            failures: Mutex::default(),
        }
    }

    /// Admits an attempt at `email`, counted as failed until [`Self::succeeded`]
    /// says otherwise; `Err` with how long to wait while it is locked out.
    pub fn attempt(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, recent| {
                self.forget_old(recent, now);
                !recent.is_empty()
            });
        }
        let recent = failures.entry(key(email)).or_default();
        self.forget_old(recent, now);
        match recent.front() {
            Some(&oldest) if recent.len() >= self.max_failures => {
                Err(self.window.saturating_sub(now.duration_since(oldest)))
            }
            _ => {
                recent.push_back(now);
                Ok(())
            }
        }
    }

    pub fn succeeded(&self, email: &str) {
        self.lock().remove(&key(email));
    }

    fn forget_old(&self, recent: &mut VecDeque<Instant>, now: Instant) {
        while recent
            .front()
            .is_some_and(|&at| now.duration_since(at) >= self.window)
        {
            recent.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // The map holds no invariant a panic elsewhere could break.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Emails differ only in case for the same mailbox.
fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    fn fail(throttle: &LoginThrottle, email: &str, at: Instant, times: usize) {
        for _ in 0..times {
            assert_eq!(throttle.attempt(email, at), Ok(()));
        }
    }

    #[test]
    fn locks_out_after_the_limit_until_the_oldest_failure_expires() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let start = Instant::now();
        fail(&throttle, "a@x", start, 2);
        let third = start + Duration::from_secs(60);
        fail(&throttle, "a@x", third, 1);
        let wait = Err(WINDOW - Duration::from_secs(60));
        assert_eq!(throttle.attempt("a@x", third), wait);
        assert_eq!(
            throttle.attempt("A@X ", third),
            wait,
            "the same mailbox however it is typed"
        );
        assert_eq!(
            throttle.attempt("b@x", third),
            Ok(()),
            "others are not affected"
        );
        assert_eq!(throttle.attempt("a@x", start + WINDOW), Ok(()));
    }

    #[test]
    fn attempts_in_flight_count_before_they_are_judged() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let now = Instant::now();
        let admitted = (0..10)
            .filter(|_| throttle.attempt("a@x", now).is_ok())
            .count();
        assert_eq!(admitted, 3);
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let now = Instant::now();
        fail(&throttle, "a@x", now, 2);
        throttle.succeeded("a@x");
        fail(&throttle, "a@x", now, 3);
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let start = Instant::now();
        fail(&throttle, "a@x", start, 3);
        fail(&throttle, "a@x", start + WINDOW, 3);
    }
}
