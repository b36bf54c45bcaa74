use axum::Json;
use axum::extract::{Path, State};
use ytempire_protocol::{Channel, ChannelStatusUpdate, Id};

use super::extract::ValidJson;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{channels, overview};

/// `PATCH /api/v1/channels/{id}/status`: pause or resume one's own channel.
pub async fn set_status(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ValidJson(update): ValidJson<ChannelStatusUpdate>,
) -> Result<Json<Channel>, AppError> {
    let id = Id::new(id).map_err(|_| AppError::NotFound("channel"))?;
    state
        .store
        .call(move |conn| {
            if !channels::set_status(conn, &user.id, &id, update.status)? {
                return Err(AppError::NotFound("channel"));
            }
            overview::channel_today(conn, &user.id, &id, clock::now())?
                .ok_or(AppError::NotFound("channel"))
        })
        .await
        .map(Json)
}
