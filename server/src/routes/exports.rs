use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use ytempire_protocol::{Date, DateRangeQuery};

use super::extract::ValidQuery;
use crate::auth::AuthUser;
use crate::clock;
use crate::csv;
use crate::error::AppError;
use crate::range::DayRange;
use crate::state::AppState;
use crate::store::videos;

/// `GET /api/v1/exports/videos.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the
/// user's videos created in the range, oldest first.
pub async fn videos_csv(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<DateRangeQuery>,
) -> Result<impl IntoResponse, AppError> {
    let range = DayRange::resolve(query, Date::of(clock::now()))?;
    let videos = state
        .store
        .call(move |conn| {
            videos::created_between(conn, &user.id, range.start(), range.end())
                .map_err(AppError::from)
        })
        .await?;
    let disposition = format!(
        "attachment; filename=\"videos-{}-to-{}.csv\"",
        range.from, range.to
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        csv::videos(&videos),
    ))
}
