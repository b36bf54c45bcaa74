use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use ytempire_protocol::MAX_FRAME_BYTES;

use super::connection;
use crate::error::AppError;
use crate::state::AppState;

/// Tungstenite may buffer at most this much unsent data per connection.
const MAX_WRITE_BUFFER: usize = 256 * 1024;

/// `GET /ws/{userId}`: upgrades, then authenticates over the socket itself
/// (browsers cannot set headers on a WebSocket request).
pub async fn upgrade(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    // A plain request gets the API's JSON error, not axum's plain text.
    let ws = ws.map_err(AppError::NotUpgrade)?;
    let config = state.config.websocket;
    let connections = state.connections.clone();
    Ok(ws
        .read_buffer_size(config.read_buffer_size)
        .write_buffer_size(config.write_buffer_size)
        .max_write_buffer_size(MAX_WRITE_BUFFER.max(config.write_buffer_size + 1))
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| {
            connections.track_future(connection::run(socket, user_id, state))
        }))
}
