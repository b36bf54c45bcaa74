//! Time for scheduling: the page's monotonic clock, never the wall clock,
//! so a laptop waking from sleep or a clock change cannot reorder polls.

use std::time::Duration;

/// A reading of a monotonic clock in milliseconds (`performance.now()` in the
/// browser, a plain number in tests). Only differences between readings mean
/// anything, and it never goes backwards, unlike the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Moment(u64);

impl Moment {
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    pub const fn as_millis(self) -> u64 {
        self.0
    }

    pub fn since(self, earlier: Moment) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }

    pub fn after(self, d: Duration) -> Moment {
        Moment(
            self.0
                .saturating_add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        )
    }
}

/// Now, by `performance.now()`.
pub fn now() -> Moment {
    let millis = window_performance().map_or(0.0, |p| p.now());
    Moment::from_millis(millis as u64)
}

fn window_performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}
