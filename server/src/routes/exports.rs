use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use ytempire_protocol::{Date, DateRangeQuery};

use super::extract::ValidQuery;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::exports;
use crate::range::DayRange;
use crate::state::AppState;

/// `GET /api/v1/exports/videos.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the
/// user's videos created in the range, oldest first, streamed.
pub async fn videos_csv(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<impl IntoResponse, AppError> {
    let range = DayRange::resolve(query, Date::of(clock::now()))?;
    let slot = state
        .export_slots
        .claim(&user.id)
        .ok_or(AppError::TooManyExports)?;
    let disposition = format!(
        "attachment; filename=\"videos-{}-to-{}.csv\"",
        range.from, range.to
    );
    let rows = exports::videos_csv(state.store.clone(), user.id, range, slot);
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(rows),
    ))
}
