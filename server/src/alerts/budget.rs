use ytempire_protocol::{AlertLevel, CostAlert};

use super::Spend;
use crate::money;

/// Daily-budget levels and the share of the budget at which each fires.
pub const BUDGET_LEVELS: [(AlertLevel, f64); 3] = [
    (AlertLevel::Warning, 0.80),
    (AlertLevel::Critical, 0.95),
    (AlertLevel::Limit, 1.00),
];

/// Every budget level reached that has not fired yet today, lowest first.
/// One expensive video can cross several levels; each still fires once.
pub fn budget_alerts(spend: &Spend, already_fired: &[AlertLevel]) -> Vec<CostAlert> {
    if spend.spent_today.get() <= 0.0 {
        return Vec::new();
    }
    BUDGET_LEVELS
        .into_iter()
        .filter(|(level, _)| !already_fired.contains(level))
        .filter_map(|(level, share)| {
            let threshold = spend.daily_budget.get() * share;
            (spend.spent_today.get() >= threshold).then(|| CostAlert {
                level,
                current_cost: spend.spent_today,
                threshold: money::round_usd(threshold),
                message: format!(
                    "{:.0}% of the ${:.2} daily budget used: ${:.2} spent today",
                    share * 100.0,
                    spend.daily_budget.get(),
                    spend.spent_today.get()
                ),
                remaining_budget: spend.remaining_budget(),
                projected_daily_cost: spend.projected_daily_cost(),
                timestamp: spend.now,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{Timestamp, Usd};

    use super::*;

    fn spend(spent: f64) -> Spend {
        Spend {
            spent_today: Usd::new(spent).unwrap(),
            daily_budget: Usd::new(50.0).unwrap(),
            now: Timestamp::parse("2026-11-25T06:00:00Z").unwrap(),
        }
    }

    fn levels(alerts: &[CostAlert]) -> Vec<AlertLevel> {
        alerts.iter().map(|a| a.level).collect()
    }

    #[test]
    fn nothing_below_eighty_percent() {
        assert!(budget_alerts(&spend(39.99), &[]).is_empty());
    }

    #[test]
    fn each_level_fires_at_its_share() {
        let warning = budget_alerts(&spend(40.0), &[]);
        assert_eq!(levels(&warning), [AlertLevel::Warning]);
        assert_eq!(warning[0].threshold.get(), 40.0);
        assert_eq!(warning[0].remaining_budget, 10.0);
        assert_eq!(warning[0].projected_daily_cost.get(), 160.0);

        let critical = budget_alerts(&spend(47.5), &[AlertLevel::Warning]);
        assert_eq!(levels(&critical), [AlertLevel::Critical]);
        assert_eq!(critical[0].threshold.get(), 47.5);

        let limit = budget_alerts(&spend(50.0), &[AlertLevel::Warning, AlertLevel::Critical]);
        assert_eq!(levels(&limit), [AlertLevel::Limit]);
        assert_eq!(limit[0].remaining_budget, 0.0);
    }

    #[test]
    fn a_jump_fires_every_level_crossed_once() {
        assert_eq!(
            levels(&budget_alerts(&spend(55.0), &[])),
            [AlertLevel::Warning, AlertLevel::Critical, AlertLevel::Limit]
        );
        assert!(
            budget_alerts(
                &spend(60.0),
                &[AlertLevel::Warning, AlertLevel::Critical, AlertLevel::Limit]
            )
            .is_empty()
        );
    }

    #[test]
    fn overspend_reports_a_negative_remainder() {
        let alerts = budget_alerts(&spend(52.0), &[AlertLevel::Warning, AlertLevel::Critical]);
        assert_eq!(alerts[0].remaining_budget, -2.0);
    }
}
