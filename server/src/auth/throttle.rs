//! Slows password guessing: after `max_failures` wrong passwords for one
//! email within `window`, that email is refused until the oldest of them
//! leaves the window, even with the right password. A successful login
//! clears its count. Kept in memory: a restart forgets, which only gives a
//! guesser a fresh window, never a way in.

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

    /// `Err` with how long to wait while `email` is locked out.
    pub fn check(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let mut failures = self.lock();
        let Some(recent) = failures.get_mut(&key(email)) else {
            return Ok(());
        };
        self.forget_old(recent, now);
        match recent.front() {
            Some(&oldest) if recent.len() >= self.max_failures => {
                Err(self.window.saturating_sub(now.duration_since(oldest)))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, email: &str, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, recent| {
                self.forget_old(recent, now);
                !recent.is_empty()
            });
        }
        let recent = failures.entry(key(email)).or_default();
        self.forget_old(recent, now);
        if recent.len() == self.max_failures {
            recent.pop_front();
        }
        recent.push_back(now);
    }

    pub fn record_success(&self, email: &str) {
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
            throttle.record_failure(email, at);
        }
    }

    #[test]
    fn locks_out_after_the_limit_until_the_oldest_failure_expires() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let start = Instant::now();
        fail(&throttle, "a@x", start, 2);
        assert_eq!(throttle.check("a@x", start), Ok(()));
        let third = start + Duration::from_secs(60);
        fail(&throttle, "a@x", third, 1);
        assert_eq!(
            throttle.check("a@x", third),
            Err(WINDOW - Duration::from_secs(60))
        );
        assert_eq!(
            throttle.check("A@X ", third),
            Err(WINDOW - Duration::from_secs(60)),
            "the same mailbox however it is typed"
        );
        assert_eq!(
            throttle.check("b@x", third),
            Ok(()),
            "others are not affected"
        );
        assert_eq!(throttle.check("a@x", start + WINDOW), Ok(()));
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let now = Instant::now();
        fail(&throttle, "a@x", now, 2);
        throttle.record_success("a@x");
        fail(&throttle, "a@x", now, 2);
        assert_eq!(throttle.check("a@x", now), Ok(()));
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let start = Instant::now();
        fail(&throttle, "a@x", start, 2);
        let later = start + WINDOW;
        fail(&throttle, "a@x", later, 2);
        assert_eq!(throttle.check("a@x", later), Ok(()));
    }
}
