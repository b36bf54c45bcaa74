//! Sums over a range of trend points: the headline figures of the
//! analytics and reports pages.

use ytempire_protocol::TrendPoint;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub videos: u64,
    pub failed: u64,
    pub cost: f64,
    pub revenue: f64,
}

impl Totals {
    pub fn of(points: &[TrendPoint]) -> Self {
        points.iter().fold(Self::default(), |t, p| Self {
            videos: t.videos + u64::from(p.videos),
            failed: t.failed + u64::from(p.failed),
            cost: t.cost + p.cost.get(),
            revenue: t.revenue + p.revenue.get(),
        })
    }

    /// Completed videos as a share of finished ones; `None` before any.
    pub fn success_rate(&self) -> Option<f64> {
        let finished = self.videos + self.failed;
        (finished > 0).then(|| self.videos as f64 / finished as f64)
    }

    /// Revenue per dollar spent; `None` before any spend.
    pub fn return_on_spend(&self) -> Option<f64> {
        (self.cost > 0.0).then(|| self.revenue / self.cost)
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{Date, Usd};

    use super::*;

    fn point(day: &str, videos: u32, failed: u32, cost: f64, revenue: f64) -> TrendPoint {
        TrendPoint {
            date: Date::parse(day).unwrap(),
            videos,
            failed,
            cost: Usd::new(cost).unwrap(),
            revenue: Usd::new(revenue).unwrap(),
        }
    }

    #[test]
    fn sums_and_ratios() {
        let t = Totals::of(&[
            point("2026-11-24", 3, 1, 1.5, 6.0),
            point("2026-11-25", 5, 1, 2.5, 10.0),
        ]);
        assert_eq!((t.videos, t.failed), (8, 2));
        assert_eq!((t.cost, t.revenue), (4.0, 16.0));
        assert_eq!(t.success_rate(), Some(0.8));
        assert_eq!(t.return_on_spend(), Some(4.0));
    }

    #[test]
    fn an_empty_range_has_no_ratios() {
        let t = Totals::of(&[]);
        assert_eq!(t.success_rate(), None);
        assert_eq!(t.return_on_spend(), None);
    }
}
