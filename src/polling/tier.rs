//! The product's polling tiers, and the cadence that may never beat them.

use std::time::Duration;

/// How fresh a kind of data has to be, as the product defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// Every 60 s: dashboard metrics, the channel list and stats, daily stats.
    Live,
    /// Every 5 min: analytics trends, cost breakdown, performance history.
    Slow,
    /// Only when the user asks: reports, exports, historical analysis.
    OnDemand,
}

impl Tier {
    /// The shortest time allowed between two scheduled requests.
    pub const fn floor(self) -> Option<Duration> {
        match self {
            Tier::Live => Some(Duration::from_secs(60)),
            Tier::Slow => Some(Duration::from_secs(5 * 60)),
            Tier::OnDemand => None,
        }
    }
}

/// How often one resource is polled: its tier's floor or slower.
///
/// The fields are private so that the only ways to build one go through the
/// floor; a typo in some page cannot hammer the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    tier: Tier,
    interval: Option<Duration>,
}

impl Cadence {
    /// Exactly the tier's own interval.
    pub const fn of(tier: Tier) -> Self {
        Self {
            tier,
            interval: tier.floor(),
        }
    }

    /// A custom interval, raised to the tier's floor when it is shorter.
    pub fn every(tier: Tier, interval: Duration) -> Self {
        Self {
            tier,
            interval: tier.floor().map(|floor| interval.max(floor)),
        }
    }

    /// An interval below the floor, so browser tests run in milliseconds.
    /// It exists only in builds with debug assertions: a release build has no
    /// way to poll faster than the product allows.
    #[cfg(debug_assertions)]
    pub const fn shortened_for_tests(tier: Tier, interval: Duration) -> Self {
        Self {
            tier,
            interval: Some(interval),
        }
    }

    pub const fn tier(self) -> Tier {
        self.tier
    }

    /// `None` for on-demand data, which is never polled on a timer.
    pub const fn interval(self) -> Option<Duration> {
        self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_match_the_product() {
        assert_eq!(
            Cadence::of(Tier::Live).interval(),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            Cadence::of(Tier::Slow).interval(),
            Some(Duration::from_secs(300))
        );
        assert_eq!(Cadence::of(Tier::OnDemand).interval(), None);
    }

    #[test]
    fn a_custom_interval_cannot_go_below_the_floor() {
        let fast = Cadence::every(Tier::Live, Duration::from_secs(5));
        assert_eq!(fast.interval(), Some(Duration::from_secs(60)));
        let slow = Cadence::every(Tier::Live, Duration::from_secs(90));
        assert_eq!(slow.interval(), Some(Duration::from_secs(90)));
        let on_demand = Cadence::every(Tier::OnDemand, Duration::from_secs(1));
        assert_eq!(on_demand.interval(), None);
    }
}
