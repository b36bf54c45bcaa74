//! The alert history: polled every 5 minutes, yet an alert raised a moment
//! ago (the one whose "View Details" opened this page) must show at once.
//! So the history is the polled list merged with alerts from the socket.

use ytempire_protocol::CostAlert;

/// Newest first, each alert once. An alert is identified by when it was
/// raised, its level and its threshold: a level fires at most once a day.
pub fn merge_alerts(polled: &[CostAlert], live: &[CostAlert]) -> Vec<CostAlert> {
    let mut all: Vec<CostAlert> = live.iter().chain(polled).cloned().collect();
    // Sorting on every part of the identity puts duplicates side by side.
    all.sort_by(|a, b| {
        (b.timestamp, b.level)
            .cmp(&(a.timestamp, a.level))
            .then(b.threshold.get().total_cmp(&a.threshold.get()))
    });
    all.dedup_by(|a, b| {
        a.timestamp == b.timestamp && a.level == b.level && a.threshold == b.threshold
    });
    all
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{AlertLevel, Timestamp, Usd};

    use super::*;

    fn alert(at: i64, level: AlertLevel) -> CostAlert {
        CostAlert {
            level,
            current_cost: Usd::new(40.0).unwrap(),
            threshold: Usd::new(40.0).unwrap(),
            message: "80% of the daily budget".into(),
            remaining_budget: 10.0,
            projected_daily_cost: Usd::new(60.0).unwrap(),
            timestamp: Timestamp::from_millis(at),
        }
    }

    #[test]
    fn a_live_alert_missing_from_the_poll_comes_first() {
        let polled = [
            alert(20, AlertLevel::Warning),
            alert(10, AlertLevel::Warning),
        ];
        let merged = merge_alerts(&polled, &[alert(30, AlertLevel::Limit)]);
        let times: Vec<_> = merged.iter().map(|a| a.timestamp.as_millis()).collect();
        assert_eq!(times, [30, 20, 10]);
    }

    #[test]
    fn an_alert_in_both_lists_shows_once() {
        let polled = [alert(30, AlertLevel::Limit), alert(10, AlertLevel::Warning)];
        let merged = merge_alerts(&polled, &[alert(30, AlertLevel::Limit)]);
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn different_alerts_at_the_same_moment_both_stay() {
        // One video can cross several budget levels at once.
        let live = [
            alert(30, AlertLevel::Critical),
            alert(30, AlertLevel::Warning),
        ];
        let polled = [
            alert(30, AlertLevel::Warning),
            alert(30, AlertLevel::Critical),
        ];
        assert_eq!(merge_alerts(&polled, &live).len(), 2);
    }
}
