//! Demo traffic (`--simulate`). The simulator is just another pipeline
//! client: it sends its reports as HTTP requests, with the pipeline token,
//! through the same router the real pipeline reaches over the network.

mod traffic;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Request, StatusCode};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use ytempire_protocol::{PipelineEvent, VideoStarted};

use crate::clock;
use crate::ids::random_id;
use crate::store::{Store, channels, videos};
use traffic::InFlight;

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

    /// Finishes the videos that are due, then starts one: a queued retry if
    /// there is one, else a new video on a random active channel.
    async fn step(
        &self,
        step: u64,
        in_flight: &mut Vec<InFlight>,
        rng: &mut StdRng,
    ) -> anyhow::Result<()> {
        let (active, queued) = self
            .store
            .call(|conn| -> anyhow::Result<_> {
                Ok((channels::all_active(conn)?, videos::queued(conn, 16)?))
            })
            .await?;

        let (due, pending): (Vec<_>, Vec<_>) = in_flight
            .drain(..)
            .partition(|video| video.due_step <= step);
        *in_flight = pending;
        for video in due {
            self.post(&traffic::finish(rng, &video, clock::now()))
                .await?;
        }

        let retry = queued
            .into_iter()
            .find(|queued| in_flight.iter().all(|v| v.video_id != queued.id));
        let started = match retry {
            Some(queued) => {
                let Some(channel) = active.iter().find(|c| c.id == queued.channel_id) else {
                    return Ok(());
                };
                InFlight::start(queued.id, channel, queued.title, step, rng)
            }
            None => {
                let Some(channel) = active.choose(rng) else {
                    return Ok(());
                };
                let title = traffic::title(rng);
                InFlight::start(random_id("sim"), channel, title, step, rng)
            }
        };
        self.post(&PipelineEvent::VideoStarted(VideoStarted {
            video_id: started.video_id.clone(),
            channel_id: started.channel_id.clone(),
            title: started.title.clone(),
            timestamp: clock::now(),
        }))
        .await?;
        in_flight.push(started);
        Ok(())
    }

    /// Posts one report through the router, as the pipeline would.
    async fn post(&self, event: &PipelineEvent) -> anyhow::Result<()> {
        let request = Request::post("/api/v1/pipeline/events")
            .header(AUTHORIZATION, format!("Bearer {}", self.pipeline_token))
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(event)?))?;
        let Ok(response) = self.router.clone().oneshot(request).await;
        if response.status() != StatusCode::ACCEPTED {
            // Not fatal: a channel may have been deleted or a video retried
            // meanwhile; the demo goes on.
            tracing::warn!(status = %response.status(), video = %event.video_id(), "simulated report rejected");
        }
        Ok(())
    }
}
