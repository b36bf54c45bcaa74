use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use ytempire_protocol::{IngestAccepted, RetryClaimRequest, RetryClaimResponse, Timestamp};

use super::extract::{ValidJson, parse_pipeline_event};
use crate::auth::PipelineAuth;
use crate::clock;
use crate::error::AppError;
use crate::ingest;
use crate::state::AppState;
use crate::store::retries;

const DEFAULT_CLAIM_LIMIT: u32 = 10;
const MAX_CLAIM_LIMIT: u32 = 100;

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

/// `POST /api/v1/pipeline/retries/claim`: leases queued retries to one
/// worker, so that no two workers run the same retry.
pub async fn claim_retries(
    State(state): State<AppState>,
    _: PipelineAuth,
    ValidJson(request): ValidJson<RetryClaimRequest>,
) -> Result<Json<RetryClaimResponse>, AppError> {
    let limit = request.limit.unwrap_or(DEFAULT_CLAIM_LIMIT);
    if !(1..=MAX_CLAIM_LIMIT).contains(&limit) {
        return Err(AppError::bad_field(
            "limit",
            format!("must be between 1 and {MAX_CLAIM_LIMIT}"),
        ));
    }
    let now = clock::now();
    let lease = i64::try_from(state.config.retry_lease.as_millis()).unwrap_or(i64::MAX);
    let until = Timestamp::from_millis(now.as_millis().saturating_add(lease));
    let retries = state
        .store
        .call(move |conn| {
            retries::claim(conn, &request.worker, limit, now, until).map_err(AppError::from)
        })
        .await?;
    Ok(Json(RetryClaimResponse { retries }))
}
