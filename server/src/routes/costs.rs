use axum::Json;
use axum::extract::State;
use ytempire_protocol::{CostBreakdown, Date, DateRangeQuery};

use super::extract::ValidQuery;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::range::DayRange;
use crate::state::AppState;
use crate::store::costs;

/// `GET /api/v1/costs/breakdown?from=&to=`.
pub async fn breakdown(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<Json<CostBreakdown>, AppError> {
    let now = clock::now();
    let range = DayRange::resolve(query, Date::of(now))?;
    let default_budget = state.config.default_daily_budget;
    state
        .store
        .read(move |conn| costs::breakdown(conn, &user.id, range, default_budget, now))
        .await
        .map(Json)
}
