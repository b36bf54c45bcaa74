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
//!
//! Memory is bounded: emails are tracked by the SHA-256 of their normalised
//! form (whatever length they came in) and at most `capacity` of them at
//! once. When the table is full, emails whose failures have all left the
//! window make room; a live entry is never evicted, since evicting would let
//! anyone clear a victim's lockout by failing logins for other emails. With
//! no room left, an email not yet tracked is refused until the earliest
//! entry expires (like nginx's `limit_req` when its zone is exhausted), and
//! the refusal is counted in [`LoginThrottle::table_full_refusals`] (and
//! logged at the 1st, 2nd, 4th, 8th… time: an operator hears of a flood
//! without the log becoming one).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// An email as the table knows it: fixed-size, whatever was submitted.
type Key = [u8; 32];

#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: usize,
    window: Duration,
    capacity: usize,
    table: Mutex<Table>,
    /// Attempts refused because the table was full of live entries.
    pub table_full_refusals: AtomicU64,
}

#[derive(Debug, Default)]
struct Table {
    failures: HashMap<Key, VecDeque<Instant>>,
    /// When the earliest tracked entry runs out of failures; until then a
    /// full table has nothing to evict, and is not scanned again.
    next_expiry: Option<Instant>,
}

/// Why an attempt was not admitted, with how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many recent failures for this email.
    LockedOut(Duration),
    /// The table is full of live entries and this email is not among them.
    TableFull(Duration),
}

impl LoginThrottle {
    pub fn new(max_failures: usize, window: Duration, capacity: usize) -> Self {
        Self {
            max_failures: max_failures.max(1),
            window,
            capacity: capacity.max(1),
            table: Mutex::default(),
            table_full_refusals: AtomicU64::new(0),
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().failures.len()
    }

    /// Admits an attempt at `email`, counted as failed until the returned
    /// [`Attempt`] says otherwise.
    pub fn attempt(&self, email: &str, now: Instant) -> Result<Attempt<'_>, Refusal> {
        let key = key(email);
        let mut table = self.lock();
        if !table.failures.contains_key(&key) && table.failures.len() >= self.capacity {
            self.evict_expired(&mut table, now);
            if table.failures.len() >= self.capacity {
                let refusals = self.table_full_refusals.fetch_add(1, Ordering::Relaxed) + 1;
                if refusals.is_power_of_two() {
                    tracing::warn!(
                        refusals,
                        capacity = self.capacity,
                        "the login lockout table is full of live entries: sign-ins for emails it does not track are refused"
                    );
                }
                let wait = table
                    .next_expiry
                    .map_or(self.window, |at| at.saturating_duration_since(now));
                return Err(Refusal::TableFull(wait));
            }
        }
        let recent = table.failures.entry(key).or_default();
        self.forget_old(recent, now);
        match recent.front() {
            Some(&oldest) if recent.len() >= self.max_failures => Err(Refusal::LockedOut(
                self.window.saturating_sub(now.duration_since(oldest)),
            )),
            _ => {
                recent.push_back(now);
                let expires = now + self.window;
                table.next_expiry = Some(table.next_expiry.map_or(expires, |at| at.min(expires)));
                Ok(Attempt {
                    throttle: self,
                    key,
                    at: now,
                    judged: false,
                })
            }
        }
    }

    /// Drops every entry whose failures have all left the window; scans only
    /// once the earliest of them can have.
    fn evict_expired(&self, table: &mut Table, now: Instant) {
        if table.next_expiry.is_some_and(|at| now < at) {
            return;
        }
        table.failures.retain(|_, recent| {
            self.forget_old(recent, now);
            !recent.is_empty()
        });
        table.next_expiry = table
            .failures
            .values()
            .filter_map(|recent| recent.back())
            .min()
            .map(|&newest| newest + self.window);
    }

    fn forget_old(&self, recent: &mut VecDeque<Instant>, now: Instant) {
        while recent
            .front()
            .is_some_and(|&at| now.duration_since(at) >= self.window)
        {
            recent.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // The table holds no invariant a panic elsewhere could break.
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One admitted login attempt, counted as a failure until judged.
#[derive(Debug)]
#[must_use = "an attempt dropped without a verdict gives its slot back"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: Key,
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
        self.throttle.lock().failures.remove(&self.key);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.judged {
            return;
        }
        let mut table = self.throttle.lock();
        if let Some(recent) = table.failures.get_mut(&self.key) {
            if let Some(slot) = recent.iter().position(|&at| at == self.at) {
                recent.remove(slot);
            }
            match recent.back() {
                None => {
                    table.failures.remove(&self.key);
                }
                // The entry may now expire sooner than any other.
                Some(&newest) => {
                    let expires = newest + self.throttle.window;
                    table.next_expiry = table.next_expiry.map(|at| at.min(expires));
                }
            }
        }
    }
}

/// Emails differ only in case (and stray spaces) for the same mailbox; the
/// login route trims the same way before looking the account up.
fn key(email: &str) -> Key {
    Sha256::digest(email.trim().to_lowercase().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);
    const CAPACITY: usize = 100;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(3, WINDOW, CAPACITY)
    }

    fn fail(throttle: &LoginThrottle, email: &str, at: Instant, times: usize) {
        for _ in 0..times {
            throttle.attempt(email, at).expect("admitted").failed();
        }
    }

    fn wait(throttle: &LoginThrottle, email: &str, at: Instant) -> Option<Refusal> {
        throttle.attempt(email, at).err()
    }

    #[test]
    fn locks_out_after_the_limit_until_the_oldest_failure_expires() {
        let throttle = throttle();
        let start = Instant::now();
        fail(&throttle, "a@x", start, 2);
        let third = start + Duration::from_secs(60);
        fail(&throttle, "a@x", third, 1);
        let locked = Some(Refusal::LockedOut(WINDOW - Duration::from_secs(60)));
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
        let throttle = throttle();
        let now = Instant::now();
        let in_flight: Vec<_> = (0..10)
            .filter_map(|_| throttle.attempt("a@x", now).ok())
            .collect();
        assert_eq!(in_flight.len(), 3);
        // None of them reached a verdict: their slots come back.
        drop(in_flight);
        assert_eq!(wait(&throttle, "a@x", now), None);
        assert_eq!(throttle.tracked(), 0, "an entry with no slot left is gone");
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = throttle();
        let now = Instant::now();
        fail(&throttle, "a@x", now, 2);
        throttle.attempt("a@x", now).expect("admitted").succeeded();
        fail(&throttle, "a@x", now, 3);
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let throttle = throttle();
        let start = Instant::now();
        fail(&throttle, "a@x", start, 3);
        fail(&throttle, "a@x", start + WINDOW, 3);
    }

    #[test]
    fn a_flood_of_other_emails_neither_grows_the_table_nor_frees_a_victim() {
        let throttle = throttle();
        let start = Instant::now();
        fail(&throttle, "victim@x", start, 3);
        let flood = start + Duration::from_secs(1);
        let refused = (0..10 * CAPACITY)
            .filter(|n| {
                let email = format!("{n}@flood");
                match throttle.attempt(&email, flood) {
                    Ok(attempt) => {
                        attempt.failed();
                        false
                    }
                    Err(refusal) => {
                        assert_eq!(refusal, Refusal::TableFull(WINDOW - Duration::from_secs(1)));
                        true
                    }
                }
            })
            .count();
        assert_eq!(throttle.tracked(), CAPACITY);
        assert_eq!(refused, 10 * CAPACITY - (CAPACITY - 1));
        assert_eq!(
            throttle.table_full_refusals.load(Ordering::Relaxed),
            refused as u64
        );
        assert!(
            matches!(
                wait(&throttle, "victim@x", flood),
                Some(Refusal::LockedOut(_))
            ),
            "the victim is still locked out"
        );
    }

    #[test]
    fn expired_entries_make_room_first() {
        let throttle = throttle();
        let start = Instant::now();
        fail(&throttle, "victim@x", start + Duration::from_secs(10), 3);
        for n in 1..CAPACITY {
            fail(&throttle, &format!("{n}@old"), start, 1);
        }
        assert!(matches!(
            wait(&throttle, "new@x", start + Duration::from_secs(10)),
            Some(Refusal::TableFull(_))
        ));
        // The old entries have expired; the victim's failures have not.
        let later = start + WINDOW;
        throttle
            .attempt("new@x", later)
            .expect("room was made")
            .failed();
        assert_eq!(throttle.tracked(), 2);
        assert!(matches!(
            wait(&throttle, "victim@x", later),
            Some(Refusal::LockedOut(_))
        ));
    }

    #[test]
    fn long_emails_cost_no_more_than_short_ones() {
        let throttle = throttle();
        let now = Instant::now();
        fail(&throttle, &"x".repeat(60_000), now, 3);
        assert!(matches!(
            wait(&throttle, &"X".repeat(60_000), now),
            Some(Refusal::LockedOut(_))
        ));
        assert_eq!(std::mem::size_of::<Key>(), 32);
    }

    /// Not a check but a measurement for BENCHMARKS.md:
    /// `cargo test -p ytempire-server --lib throttle::tests::memory_of_10000_failed_logins -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement; run by hand"]
    fn memory_of_10000_failed_logins() {
        fn rss_kib() -> u64 {
            let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
                .expect("a VmRSS line")
        }
        let throttle = LoginThrottle::new(5, WINDOW, 100_000);
        let now = Instant::now();
        let before = rss_kib();
        for n in 0..10_000 {
            // Long emails, as an attacker would send them: only the digest stays.
            let email = format!("{n}-{}@example.com", "x".repeat(200));
            throttle.attempt(&email, now).expect("admitted").failed();
        }
        let after = rss_kib();
        assert_eq!(throttle.tracked(), 10_000);
        println!(
            "10,000 distinct failed logins: RSS {before} KiB -> {after} KiB (+{} KiB)",
            after - before
        );
    }
}
