//! Slows password guessing: after `max_failures` wrong passwords for one
//! email within `window`, that email is refused until the oldest of them
//! leaves the window, even with the right password. A successful login
//! clears its count. Kept in memory: a restart forgets, which only gives a
//! guesser a fresh window, never a way in.
//!
//! An attempt counts as failed from the moment it starts, so a burst of
//! parallel guesses cannot all pass before the first one is judged; one
//! that ends without a verdict (an internal error, a client that hung up)
//! gives its slot back.

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

    /// Admits an attempt at `email`, counted as failed until the returned
    /// [`Attempt`] says otherwise; `Err` with how long to wait while the
    /// email is locked out.
    pub fn attempt(&self, email: &str, now: Instant) -> Result<Attempt<'_>, Duration> {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, recent| {
                self.forget_old(recent, now);
                !recent.is_empty()
            });
        }
        let key = key(email);
        let recent = failures.entry(key.clone()).or_default();
        self.forget_old(recent, now);
        match recent.front() {
            Some(&oldest) if recent.len() >= self.max_failures => {
                Err(self.window.saturating_sub(now.duration_since(oldest)))
            }
            _ => {
                recent.push_back(now);
                Ok(Attempt {
                    throttle: self,
                    key,
                    at: now,
                    judged: false,
                })
            }
        }
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

/// One admitted login attempt, counted as a failure until judged.
#[derive(Debug)]
#[must_use = "an attempt dropped without a verdict gives its slot back"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: String,
    at: Instant,
    judged: bool,
}

impl Attempt<'_> {
    /// The password was wrong: the attempt stays counted.
    pub fn failed(mut self) {
        self.judged = true;
    }

    /// The password was right: the email's count starts over.
    pub fn succeeded(mut self) {
        self.judged = true;
        self.throttle.lock().remove(&self.key);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.judged {
            return;
        }
        let mut failures = self.throttle.lock();
        if let Some(recent) = failures.get_mut(&self.key)
            && let Some(slot) = recent.iter().position(|&at| at == self.at)
        {
            recent.remove(slot);
        }
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
            throttle.attempt(email, at).expect("admitted").failed();
        }
    }

    fn wait(throttle: &LoginThrottle, email: &str, at: Instant) -> Option<Duration> {
        throttle.attempt(email, at).err()
    }

    #[test]
    fn locks_out_after_the_limit_until_the_oldest_failure_expires() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let start = Instant::now();
        fail(&throttle, "a@x", start, 2);
        let third = start + Duration::from_secs(60);
        fail(&throttle, "a@x", third, 1);
        let locked = Some(WINDOW - Duration::from_secs(60));
        assert_eq!(wait(&throttle, "a@x", third), locked);
        assert_eq!(
            wait(&throttle, "A@X ", third),
            locked,
            "the same mailbox however it is typed"
        );
        assert_eq!(
            wait(&throttle, "b@x", third),
            None,
            "others are not affected"
        );
        assert_eq!(wait(&throttle, "a@x", start + WINDOW), None);
    }

    #[test]
    fn attempts_in_flight_count_before_they_are_judged() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let now = Instant::now();
        let in_flight: Vec<_> = (0..10)
            .filter_map(|_| throttle.attempt("a@x", now).ok())
            .collect();
        assert_eq!(in_flight.len(), 3);
        // None of them reached a verdict: their slots come back.
        drop(in_flight);
        assert_eq!(wait(&throttle, "a@x", now), None);
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = LoginThrottle::new(3, WINDOW);
        let now = Instant::now();
        fail(&throttle, "a@x", now, 2);
        throttle.attempt("a@x", now).expect("admitted").succeeded();
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
