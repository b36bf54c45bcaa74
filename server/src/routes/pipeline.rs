use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use ytempire_protocol::IngestAccepted;

use super::extract::parse_pipeline_event;
use crate::auth::PipelineAuth;
use crate::error::AppError;
use crate::ingest;
use crate::state::AppState;

/// `POST /api/v1/pipeline/events`. The token is checked before the body is
/// looked at, so an unauthenticated caller learns nothing about validation.
pub async fn ingest(
    State(state): State<AppState>,
    _: PipelineAuth,
    body: Bytes,
) -> Result<(StatusCode, Json<IngestAccepted>), AppError> {
    let event = parse_pipeline_event(&body)?;
    let event_type = event.type_name();
    let ingested = ingest::ingest(&state, event).await?;
    state.metrics.ingested(event_type, ingested.duplicate);
    Ok((
        StatusCode::ACCEPTED,
        Json(IngestAccepted {
            duplicate: ingested.duplicate,
        }),
    ))
}
