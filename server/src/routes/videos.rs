use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use ytempire_protocol::{Id, RetryAccepted, VideoListQuery, VideoPage, VideoStatus};

use super::extract::ValidQuery;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::videos::{self, Retry};

const DEFAULT_PER_PAGE: u32 = 20;
const MAX_PER_PAGE: u32 = 100;

/// `GET /api/v1/videos`: the user's videos, newest first.
pub async fn list(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ValidQuery(query): ValidQuery<VideoListQuery>,
) -> Result<Json<VideoPage>, AppError> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(AppError::bad_field("page", "pages start at 1"));
    }
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::bad_field(
            "perPage",
            format!("must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let offset = u64::from(page - 1) * u64::from(per_page);
    let (items, total) = state
        .store
        .read(move |conn| {
            videos::page(conn, &user.id, query.status, offset, per_page).map_err(AppError::from)
        })
        .await?;
    Ok(Json(VideoPage {
        items,
        total,
        page,
        per_page,
    }))
}

/// `POST /api/v1/videos/{id}/retry`: queue a failed, retryable video again.
pub async fn retry(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<RetryAccepted>), AppError> {
    let id = Id::new(id).map_err(|_| AppError::NotFound("video"))?;
    let retry = state
        .store
        .call(move |conn| videos::retry(conn, &user.id, &id, clock::now()).map_err(AppError::from))
        .await?;
    let video = match retry {
        Retry::Requeued(video) => video,
        Retry::NotRetryable(video) => {
            let why = match video.status {
                VideoStatus::Failed => "its failure is not retryable".to_owned(),
                status => format!("it is {}", status.as_str()),
            };
            return Err(AppError::Conflict(format!(
                "only a failed, retryable video can be retried; {why}"
            )));
        }
        Retry::Missing => return Err(AppError::NotFound("video")),
    };
    Ok((StatusCode::ACCEPTED, Json(RetryAccepted { video })))
}
