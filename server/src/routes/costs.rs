use axum::Json;
use axum::extract::State;
use ytempire_protocol::{BudgetStatus, CostBreakdown, Date, DateRangeQuery, Usd};

use super::extract::ValidQuery;
use crate::alerts::projected_daily_cost;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
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
            let total_cost = days.iter().fold(Usd::ZERO, |sum, (_, day)| sum + day.cost);
            let by_stage = reports::failed_by_stage(conn, id, range)?;
            let failed_cost = by_stage.iter().fold(Usd::ZERO, |sum, s| sum + s.cost);
            let spent_today = outcomes::spend_between(conn, id, today.start(), today.end())?;
            let daily_budget = users::daily_budget(conn, id, default_budget)?;
            Ok(CostBreakdown {
                from: range.from,
                to: range.to,
                total_cost,
                completed_cost: Usd::new(total_cost.get() - failed_cost.get()).unwrap_or(Usd::ZERO),
                by_stage,
                by_channel: reports::by_channel(conn, id, range)?,
                by_day: days
                    .iter()
                    .map(|(date, day)| reports::daily_cost(*date, day))
                    .collect(),
                budget: BudgetStatus {
                    daily_budget,
                    spent_today,
                    remaining_budget: daily_budget.get() - spent_today.get(),
                    projected_daily_cost: projected_daily_cost(spent_today, now),
                },
                alerts: alerts::between(conn, id, range.start(), range.end(), MAX_ALERTS)?,
            })
        })
        .await
        .map(Json)
}
