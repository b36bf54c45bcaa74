//! The cost page: where the money went over a range, and today's budget.

use rusqlite::Connection;
use ytempire_protocol::{BudgetStatus, CostBreakdown, Date, Id, Timestamp, Usd};

use super::{alerts, outcomes, reports, users};
use crate::alerts::Spend;
use crate::error::AppError;
use crate::money;
use crate::range::DayRange;

/// Alerts listed at most in one breakdown.
const MAX_ALERTS: u32 = 100;

pub fn breakdown(
    conn: &Connection,
    user_id: &Id,
    range: DayRange,
    default_budget: Usd,
    now: Timestamp,
) -> Result<CostBreakdown, AppError> {
    let days = reports::daily(conn, user_id, range)?;
    let by_stage = reports::failed_by_stage(conn, user_id, range)?;
    let total = money::sum(days.iter().map(|(_, day)| day.cost))?;
    let failed = money::sum(by_stage.iter().map(|stage| stage.cost))?;
    let today = Date::of(now);
    let spend = Spend {
        spent_today: outcomes::spend_between(conn, user_id, today.start(), today.end())?,
        daily_budget: users::daily_budget(conn, user_id, default_budget)?,
        now,
    };
    Ok(CostBreakdown {
        from: range.from,
        to: range.to,
        total_cost: total,
        completed_cost: money::from_micros(money::to_micros(total) - money::to_micros(failed)),
        by_stage,
        by_channel: reports::by_channel(conn, user_id, range)?,
        by_day: days
            .iter()
            .map(|(date, day)| reports::daily_cost(*date, day))
            .collect(),
        budget: BudgetStatus {
            daily_budget: spend.daily_budget,
            spent_today: spend.spent_today,
            remaining_budget: spend.remaining_budget(),
            projected_daily_cost: spend.projected_daily_cost(),
        },
        alerts: alerts::between(conn, user_id, range.start(), range.end(), MAX_ALERTS)?,
    })
}
