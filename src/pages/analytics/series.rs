//! What each analytics chart plots, worked out from the polled reports.

use ytempire_protocol::{PerformanceHistory, Trends};

use crate::charts::Series;
use crate::components::format;

pub fn trend_days(t: &Trends) -> Vec<String> {
    t.points
        .iter()
        .map(|p| format::short_date(p.date))
        .collect()
}

pub fn performance_days(p: &PerformanceHistory) -> Vec<String> {
    p.points
        .iter()
        .map(|p| format::short_date(p.date))
        .collect()
}

pub fn videos(t: &Trends) -> Vec<Series> {
    vec![
        Series::full("Completed", t.points.iter().map(|p| f64::from(p.videos))),
        Series::full("Failed", t.points.iter().map(|p| f64::from(p.failed))),
    ]
}

pub fn money(t: &Trends) -> Vec<Series> {
    vec![
        Series::full("Spend", t.points.iter().map(|p| p.cost.get())),
        Series::full("Revenue", t.points.iter().map(|p| p.revenue.get())),
    ]
}

/// Days without finished videos have no rate: a gap, not a zero.
pub fn success_rate(p: &PerformanceHistory) -> Vec<Series> {
    vec![Series::new(
        "Success rate",
        p.points.iter().map(|p| p.success_rate),
    )]
}

pub fn generation_time(p: &PerformanceHistory) -> Vec<Series> {
    vec![Series::new(
        "Generation time",
        p.points.iter().map(|p| p.average_generation_time),
    )]
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{Date, PerformancePoint};

    use super::*;

    #[test]
    fn days_without_finished_videos_are_gaps() {
        let point = |d: &str, rate: Option<f64>| PerformancePoint {
            date: Date::parse(d).unwrap(),
            finished: u32::from(rate.is_some()),
            success_rate: rate,
            average_generation_time: rate.map(|_| 120.0),
            average_cost: None,
        };
        let history = PerformanceHistory {
            from: Date::parse("2026-11-24").unwrap(),
            to: Date::parse("2026-11-25").unwrap(),
            points: vec![point("2026-11-24", None), point("2026-11-25", Some(0.9))],
        };
        assert_eq!(success_rate(&history)[0].values, [None, Some(0.9)]);
        assert_eq!(generation_time(&history)[0].values, [None, Some(120.0)]);
        assert_eq!(performance_days(&history), ["Nov 24", "Nov 25"]);
    }
}
