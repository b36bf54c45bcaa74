//! When to poll one resource: a pure state machine on a clock the caller
//! owns, so every rule is tested natively with time under the test's control.
//!
//! Rules: nothing while the tab is hidden; the cadence is a floor measured
//! from the start of the previous request; back from hidden, fetch at once
//! only if the data is older than that; one request in flight; failures back
//! off; only an explicit Refresh may go sooner than the floor.

use std::time::Duration;

use super::{Cadence, Moment};

/// Why a request would start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The timer fired or the tab came back: the floor applies.
    Due,
    /// The user pressed Refresh: the one thing allowed to beat the floor.
    Refresh,
}

/// What the poller should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Fetch,
    /// Look again at this moment.
    WaitUntil(Moment),
    /// Nothing until the tab is visible, a request settles or the user asks.
    Idle,
}

/// Failures never push the next attempt further out than this (unless the
/// tier's own interval is longer).
const MAX_BACKOFF: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone)]
pub struct Schedule {
    cadence: Cadence,
    visible: bool,
    in_flight: bool,
    last_start: Option<Moment>,
    /// When the request behind the data on screen started: the data is at
    /// least that fresh.
    data_from: Option<Moment>,
    failures: u32,
}

impl Schedule {
    pub fn new(cadence: Cadence) -> Self {
        Self {
            cadence,
            visible: true,
            in_flight: false,
            last_start: None,
            data_from: None,
            failures: 0,
        }
    }

    pub fn set_visible(&mut self, visible: bool) {
        self.visible = visible;
    }

    pub fn next(&self, now: Moment) -> Next {
        if self.in_flight || !self.visible {
            return Next::Idle;
        }
        let Some(interval) = self.cadence.interval() else {
            return Next::Idle;
        };
        match self.last_start {
            None => Next::Fetch,
            Some(start) => {
                let due = start.after(self.backoff(interval));
                if now >= due {
                    Next::Fetch
                } else {
                    Next::WaitUntil(due)
                }
            }
        }
    }

    /// Claims the single request slot if `trigger` allows a request now.
    pub fn begin(&mut self, now: Moment, trigger: Trigger) -> bool {
        let allowed = match trigger {
            Trigger::Refresh => !self.in_flight,
            Trigger::Due => self.next(now) == Next::Fetch,
        };
        if allowed {
            self.in_flight = true;
            self.last_start = Some(now);
        }
        allowed
    }

    /// The request answered with data, or with "not modified".
    pub fn succeed(&mut self) {
        self.in_flight = false;
        self.failures = 0;
        self.data_from = self.last_start;
    }

    /// The request failed or timed out; the data on screen stays.
    pub fn fail(&mut self) {
        self.in_flight = false;
        self.failures = self.failures.saturating_add(1);
    }

    /// What the screen needs to say about the data's age and health.
    pub fn freshness(&self) -> Freshness {
        Freshness {
            data_from: self.data_from,
            failures: self.failures,
            refreshing: self.in_flight,
            interval: self.cadence.interval(),
        }
    }

    /// The floor, doubled for each failure in a row: a struggling server is
    /// asked less often, never more.
    fn backoff(&self, interval: Duration) -> Duration {
        let doublings = self.failures.saturating_sub(1).min(16);
        let backed_off = interval.saturating_mul(1 << doublings);
        if self.failures == 0 {
            interval
        } else {
            backed_off.min(MAX_BACKOFF.max(interval))
        }
    }
}

/// A snapshot of how fresh a resource's data is, for "updated N s ago", the
/// stale marker and the quiet refreshing indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Freshness {
    /// When the request behind the data on screen started.
    pub data_from: Option<Moment>,
    /// Failed attempts in a row.
    pub failures: u32,
    pub refreshing: bool,
    interval: Option<Duration>,
}

impl Freshness {
    /// How old the data on screen is; `None` before the first success.
    pub fn age(&self, now: Moment) -> Option<Duration> {
        self.data_from.map(|from| now.since(from))
    }

    /// Whether the data on screen should be marked out of date: the last
    /// attempt failed, or a refresh is long overdue.
    pub fn is_stale(&self, now: Moment) -> bool {
        let Some(age) = self.age(now) else {
            return false;
        };
        let overdue = self.interval.is_some_and(|interval| age > interval * 2);
        self.failures > 0 || overdue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polling::Tier;

    const MINUTE: u64 = 60_000;

    fn at(ms: u64) -> Moment {
        Moment::from_millis(ms)
    }

    fn live() -> Schedule {
        Schedule::new(Cadence::of(Tier::Live))
    }

    /// Runs one request from `now` to success.
    fn fetch_ok(s: &mut Schedule, now: u64) {
        assert!(s.begin(at(now), Trigger::Due), "a fetch was due at {now}");
        s.succeed();
    }

    #[test]
    fn first_fetch_is_immediate_then_waits_the_interval() {
        let mut s = live();
        assert_eq!(s.next(at(0)), Next::Fetch);
        fetch_ok(&mut s, 0);
        assert_eq!(s.next(at(1)), Next::WaitUntil(at(MINUTE)));
        assert_eq!(s.next(at(MINUTE)), Next::Fetch);
    }

    #[test]
    fn a_hidden_tab_never_fetches() {
        let mut s = live();
        s.set_visible(false);
        for t in [0, MINUTE, 10 * MINUTE] {
            assert_eq!(s.next(at(t)), Next::Idle);
            assert!(!s.begin(at(t), Trigger::Due));
        }
    }

    #[test]
    fn visible_again_after_the_interval_fetches_once() {
        let mut s = live();
        fetch_ok(&mut s, 0);
        s.set_visible(false);
        s.set_visible(true);
        assert!(s.begin(at(2 * MINUTE), Trigger::Due));
        // Flapping while the request is out changes nothing.
        s.set_visible(false);
        s.set_visible(true);
        assert!(!s.begin(at(2 * MINUTE + 1), Trigger::Due));
        s.succeed();
        assert!(!s.begin(at(2 * MINUTE + 2), Trigger::Due));
    }

    #[test]
    fn visible_again_sooner_waits_for_the_floor() {
        let mut s = live();
        fetch_ok(&mut s, 0);
        s.set_visible(false);
        s.set_visible(true);
        assert_eq!(s.next(at(20_000)), Next::WaitUntil(at(MINUTE)));
        assert!(!s.begin(at(20_000), Trigger::Due));
    }

    #[test]
    fn only_an_explicit_refresh_beats_the_floor() {
        let mut s = live();
        fetch_ok(&mut s, 0);
        for t in 1..50 {
            assert!(!s.begin(at(t * 1000), Trigger::Due));
        }
        assert!(s.begin(at(50_000), Trigger::Refresh));
        s.succeed();
        // The refresh restarts the floor.
        assert_eq!(s.next(at(50_001)), Next::WaitUntil(at(50_000 + MINUTE)));
    }

    #[test]
    fn one_request_in_flight_even_for_refresh() {
        let mut s = live();
        assert!(s.begin(at(0), Trigger::Due));
        assert!(!s.begin(at(1), Trigger::Refresh));
        assert!(!s.begin(at(2 * MINUTE), Trigger::Due));
        assert_eq!(s.next(at(2 * MINUTE)), Next::Idle);
        s.succeed();
        assert!(s.begin(at(2 * MINUTE), Trigger::Refresh));
    }

    #[test]
    fn failures_back_off_from_the_floor_and_are_capped() {
        let mut s = live();
        let mut now = 0;
        let mut gaps = Vec::new();
        for _ in 0..6 {
            assert!(s.begin(at(now), Trigger::Due));
            s.fail();
            let Next::WaitUntil(due) = s.next(at(now)) else {
                panic!("expected a wait");
            };
            gaps.push((due.as_millis() - now) / 1000);
            now = due.as_millis();
        }
        assert_eq!(gaps, [60, 120, 240, 480, 600, 600]);
        assert!(s.begin(at(now), Trigger::Due));
        s.succeed();
        assert_eq!(s.freshness().failures, 0);
        assert_eq!(s.next(at(now)), Next::WaitUntil(at(now + MINUTE)));
    }

    #[test]
    fn stale_after_a_failure_or_when_long_overdue() {
        let mut s = live();
        assert!(
            !s.freshness().is_stale(at(0)),
            "nothing shown yet, nothing stale"
        );
        fetch_ok(&mut s, 0);
        assert!(!s.freshness().is_stale(at(90_000)));
        assert!(s.freshness().is_stale(at(2 * MINUTE + 1)));
        assert!(s.begin(at(2 * MINUTE + 1), Trigger::Due));
        assert!(s.freshness().refreshing);
        s.fail();
        let f = s.freshness();
        assert!(f.is_stale(at(2 * MINUTE + 2)) && !f.refreshing);
        assert_eq!(
            f.age(at(2 * MINUTE + 2)),
            Some(Duration::from_millis(2 * MINUTE + 2))
        );
    }

    #[test]
    fn on_demand_data_waits_for_the_user() {
        let mut s = Schedule::new(Cadence::of(Tier::OnDemand));
        assert_eq!(s.next(at(0)), Next::Idle);
        assert!(!s.begin(at(0), Trigger::Due));
        assert!(s.begin(at(0), Trigger::Refresh));
        s.succeed();
        assert!(!s.freshness().is_stale(at(100 * MINUTE)));
    }
}
