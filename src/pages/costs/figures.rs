//! What the costs page's charts show, worked out from the breakdown.

use ytempire_protocol::CostBreakdown;

use crate::charts::{Series, Share};
use crate::components::format;

/// Completed videos' spend, then what each failing stage burnt.
pub fn outcome_shares(b: &CostBreakdown) -> Vec<Share> {
    std::iter::once(Share {
        label: "Completed".to_owned(),
        value: b.completed_cost.get(),
    })
    .chain(b.by_stage.iter().map(|s| Share {
        label: format!("Failed at {}", s.stage.as_str()),
        value: s.cost.get(),
    }))
    .collect()
}

pub fn day_labels(b: &CostBreakdown) -> Vec<String> {
    b.by_day
        .iter()
        .map(|d| format::short_date(d.date))
        .collect()
}

pub fn daily_spend(b: &CostBreakdown) -> Vec<Series> {
    vec![Series::full("Spend", b.by_day.iter().map(|d| d.cost.get()))]
}

pub fn channel_spend(b: &CostBreakdown) -> Vec<Share> {
    b.by_channel
        .iter()
        .map(|c| Share {
            label: c.channel_name.clone(),
            value: c.cost.get(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{
        BudgetStatus, ChannelCost, DailyCost, Date, Id, Stage, StageCost, Usd,
    };

    use super::*;

    fn usd(x: f64) -> Usd {
        Usd::new(x).unwrap()
    }

    fn breakdown() -> CostBreakdown {
        let day = |d: &str, cost| DailyCost {
            date: Date::parse(d).unwrap(),
            videos: 1,
            cost: usd(cost),
        };
        CostBreakdown {
            from: Date::parse("2026-11-24").unwrap(),
            to: Date::parse("2026-11-25").unwrap(),
            total_cost: usd(5.0),
            completed_cost: usd(4.0),
            by_stage: vec![StageCost {
                stage: Stage::Audio,
                failed_videos: 2,
                cost: usd(1.0),
            }],
            by_channel: vec![ChannelCost {
                channel_id: Id::new("c-1").unwrap(),
                channel_name: "Tech Daily".into(),
                videos: 3,
                cost: usd(5.0),
            }],
            by_day: vec![day("2026-11-24", 2.0), day("2026-11-25", 3.0)],
            budget: BudgetStatus {
                daily_budget: usd(50.0),
                spent_today: usd(3.0),
                remaining_budget: 47.0,
                projected_daily_cost: usd(6.0),
            },
            alerts: vec![],
        }
    }

    #[test]
    fn outcomes_start_with_completed_then_each_failing_stage() {
        let shares = outcome_shares(&breakdown());
        let labels: Vec<_> = shares.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Completed", "Failed at audio"]);
        assert_eq!(shares[0].value, 4.0);
    }

    #[test]
    fn days_and_channels_become_chart_rows() {
        let b = breakdown();
        assert_eq!(day_labels(&b), ["Nov 24", "Nov 25"]);
        assert_eq!(daily_spend(&b)[0].values, [Some(2.0), Some(3.0)]);
        assert_eq!(channel_spend(&b)[0].label, "Tech Daily");
    }
}
