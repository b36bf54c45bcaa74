use ytempire_protocol::{AlertLevel, CostAlert, Usd};

use super::Spend;

/// A single video costing more than this raises a warning.
pub const VIDEO_COST_THRESHOLD: f64 = 0.40;

/// A warning for one expensive video, if it was one.
pub fn video_alert(title: &str, cost: Usd, spend: &Spend) -> Option<CostAlert> {
    (cost.get() > VIDEO_COST_THRESHOLD).then(|| CostAlert {
        level: AlertLevel::Warning,
        current_cost: cost,
        threshold: Usd::new(VIDEO_COST_THRESHOLD).unwrap_or(Usd::ZERO),
        message: format!(
            "Video \"{title}\" cost ${:.2}, above the ${VIDEO_COST_THRESHOLD:.2} per-video threshold",
            cost.get()
        ),
        remaining_budget: spend.remaining_budget(),
        projected_daily_cost: spend.projected_daily_cost(),
        timestamp: spend.now,
    })
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::Timestamp;

    use super::*;

    fn spend() -> Spend {
        Spend {
            spent_today: Usd::new(12.0).unwrap(),
            daily_budget: Usd::new(50.0).unwrap(),
            now: Timestamp::parse("2026-11-25T12:00:00Z").unwrap(),
        }
    }

    #[test]
    fn only_videos_above_the_threshold_warn() {
        assert!(video_alert("a", Usd::new(0.40).unwrap(), &spend()).is_none());
        let alert = video_alert("a", Usd::new(0.41).unwrap(), &spend()).unwrap();
        assert_eq!(alert.level, AlertLevel::Warning);
        assert_eq!(alert.threshold.get(), 0.40);
        assert_eq!(alert.current_cost.get(), 0.41);
        assert_eq!(alert.remaining_budget, 38.0);
        assert_eq!(alert.projected_daily_cost.get(), 24.0);
        assert_eq!(alert.timestamp, spend().now);
    }
}
