//! Demo traffic (`--simulate`). The simulator is just another pipeline
//! client: it claims retries and sends its reports as HTTP requests, with
//! the pipeline token, through the same router the real pipeline reaches
//! over the network.

mod traffic;

use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Request, Response, StatusCode};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use ytempire_protocol::{
    ClaimedRetry, Id, PipelineEvent, RetryClaimRequest, RetryClaimResponse, VideoStarted,
};

use crate::clock;
use crate::store::{Store, channels};
use traffic::InFlight;

/// The name the simulator claims retries under.
const WORKER: &str = "simulator";
/// Far above what a claim of a few retries answers.
const MAX_CLAIM_ANSWER_BYTES: usize = 1 << 20;

pub struct Simulator {
    pub router: Router,
    pub store: Store,
    pub pipeline_token: String,
    pub interval: Duration,
}

impl Simulator {
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(
            interval_ms = self.interval.as_millis(),
            "demo simulator running"
        );
        let mut ticker = tokio::time::interval(self.interval);
        // A seeded `StdRng` rather than `rand::rng()`: it is `Send`, so it
        // can live across the awaits of this task.
        let mut rng = StdRng::from_os_rng();
        let mut in_flight: Vec<InFlight> = Vec::new();
        let mut step: u64 = 0;
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = ticker.tick() => {}
            }
            step += 1;
            if let Err(err) = self.step(step, &mut in_flight, &mut rng).await {
                tracing::warn!(error = ?err, "simulator step failed");
            }
        }
    }

    /// Finishes the videos that are due, then starts one: a claimed retry
    /// if there is one, else a new video on a random active channel.
    async fn step(
        &self,
        step: u64,
        in_flight: &mut Vec<InFlight>,
        rng: &mut StdRng,
    ) -> anyhow::Result<()> {
        let (due, pending): (Vec<_>, Vec<_>) = in_flight
            .drain(..)
            .partition(|video| video.due_step <= step);
        *in_flight = pending;
        for video in due {
            self.post(&traffic::finish(rng, &video, clock::now()))
                .await?;
        }

        let started = match self.claim_retry(in_flight).await? {
            Some(retry) => InFlight::retry(retry, step, rng),
            None => {
                let active = self
                    .store
                    .read(|conn| channels::all_active(conn).map_err(anyhow::Error::from))
                    .await?;
                let Some(channel) = active.choose(rng) else {
                    return Ok(());
                };
                InFlight::new_video(channel, step, rng)
            }
        };
        self.post(&PipelineEvent::VideoStarted(VideoStarted {
            video_id: started.video_id.clone(),
            channel_id: started.channel_id.clone(),
            title: started.title.clone(),
            timestamp: clock::now(),
            attempt: Some(started.attempt),
        }))
        .await?;
        in_flight.push(started);
        Ok(())
    }

    /// One queued retry that is not already running here, claimed through
    /// the pipeline's retry endpoint. The simulator holds its claims first,
    /// so asking for one more than it runs finds any other that waits.
    async fn claim_retry(&self, in_flight: &[InFlight]) -> anyhow::Result<Option<ClaimedRetry>> {
        let claim = RetryClaimRequest {
            worker: Id::new(WORKER).map_err(anyhow::Error::msg)?,
            limit: Some(u32::try_from(in_flight.len() + 1)?),
        };
        let response = self.send("/api/v1/pipeline/retries/claim", &claim).await?;
        anyhow::ensure!(
            response.status() == StatusCode::OK,
            "claiming retries answered {}",
            response.status()
        );
        let body = axum::body::to_bytes(response.into_body(), MAX_CLAIM_ANSWER_BYTES)
            .await
            .context("reading the claimed retries")?;
        let claimed: RetryClaimResponse = serde_json::from_slice(&body)?;
        Ok(claimed
            .retries
            .into_iter()
            .find(|retry| in_flight.iter().all(|v| v.video_id != retry.video_id)))
    }

    /// Posts one report through the router, as the pipeline would.
    async fn post(&self, event: &PipelineEvent) -> anyhow::Result<()> {
        let response = self.send("/api/v1/pipeline/events", event).await?;
        if response.status() != StatusCode::ACCEPTED {
            // Not fatal: a channel may have been deleted or a video retried
            // meanwhile; the demo goes on.
            tracing::warn!(status = %response.status(), video = %event.video_id(), "simulated report rejected");
        }
        Ok(())
    }

    /// Sends `body` as JSON with the pipeline token through the router.
    async fn send(&self, path: &str, body: &impl Serialize) -> anyhow::Result<Response<Body>> {
        let request = Request::post(path)
            .header(AUTHORIZATION, format!("Bearer {}", self.pipeline_token))
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(body)?))?;
        let Ok(response) = self.router.clone().oneshot(request).await;
        Ok(response)
    }
}
