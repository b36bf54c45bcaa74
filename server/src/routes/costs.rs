use axum::Json;
use axum::extract::State;
use ytempire_protocol::{BudgetStatus, CostBreakdown, Date, DateRangeQuery, Usd};

use super::extract::ValidQuery;
use crate::alerts::projected_daily_cost;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::money;
use crate::range::DayRange;
use crate::state::AppState;
use crate::store::{alerts, outcomes, reports, users};

/// Alerts listed at most in one breakdown.
const MAX_ALERTS: u32 = 100;

/// `GET /api/v1/costs/breakdown?from=&to=`.
pub async fn breakdown(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<Json<CostBreakdown>, AppError> {
    let now = clock::now();
    let today = Date::of(now);
    let range = DayRange::resolve(query, today)?;
    let default_budget = state.config.default_daily_budget;
    state
        .store
        .call(move |conn| {
            let id = &user.id;
            let days = reports::daily(conn, id, range)?;
            let micros =
                |costs: &mut dyn Iterator<Item = Usd>| -> i64 { costs.map(money::to_micros).sum() };
            let total = micros(&mut days.iter().map(|(_, day)| day.cost));
            let by_stage = reports::failed_by_stage(conn, id, range)?;
            let failed = micros(&mut by_stage.iter().map(|s| s.cost));
            let spent_today = outcomes::spend_between(conn, id, today.start(), today.end())?;
            let daily_budget = users::daily_budget(conn, id, default_budget)?;
            Ok(CostBreakdown {
                from: range.from,
                to: range.to,
                total_cost: money::from_micros(total),
                completed_cost: money::from_micros(total - failed),
                by_stage,
                by_channel: reports::by_channel(conn, id, range)?,
                by_day: days
                    .iter()
                    .map(|(date, day)| reports::daily_cost(*date, day))
                    .collect(),
                budget: BudgetStatus {
                    daily_budget,
                    spent_today,
                    remaining_budget: money::round(daily_budget.get() - spent_today.get()),
                    projected_daily_cost: projected_daily_cost(spent_today, now),
                },
                alerts: alerts::between(conn, id, range.start(), range.end(), MAX_ALERTS)?,
            })
        })
        .await
        .map(Json)
}
