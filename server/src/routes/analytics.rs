use axum::Json;
use axum::extract::State;
use ytempire_protocol::{Date, DateRangeQuery, PerformanceHistory, Trends};

use super::extract::ValidQuery;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::range::DayRange;
use crate::state::AppState;
use crate::store::reports;

/// `GET /api/v1/analytics/trends?from=&to=`.
pub async fn trends(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<Json<Trends>, AppError> {
    let range = DayRange::resolve(query, Date::of(clock::now()))?;
    let days = state
        .store
        .read(move |conn| reports::daily(conn, &user.id, range).map_err(AppError::from))
        .await?;
    Ok(Json(Trends {
        from: range.from,
        to: range.to,
        points: days
            .iter()
            .map(|(date, day)| reports::trend_point(*date, day))
            .collect(),
    }))
}

/// `GET /api/v1/analytics/performance?from=&to=`.
pub async fn performance(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<Json<PerformanceHistory>, AppError> {
    let range = DayRange::resolve(query, Date::of(clock::now()))?;
    let days = state
        .store
        .read(move |conn| reports::daily(conn, &user.id, range).map_err(AppError::from))
        .await?;
    Ok(Json(PerformanceHistory {
        from: range.from,
        to: range.to,
        points: days
            .iter()
            .map(|(date, day)| reports::performance_point(*date, day))
            .collect(),
    }))
}
