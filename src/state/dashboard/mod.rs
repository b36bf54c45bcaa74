//! The dashboard store: a `Copy` handle over the dashboard's signals.

mod merge;
mod model;
mod recent_video;

use std::collections::VecDeque;

use leptos::prelude::*;
pub use merge::Epoch;
pub use model::{DashboardState, RECENT_VIDEOS_CAP};
pub use recent_video::{Outcome, RecentVideo};
use ytempire_protocol::{Channel, CostAlert, Event, Metrics, Overview, VideoListQuery};

use crate::api::{self, ApiError};
use crate::state::Session;

#[derive(Debug, Clone, Copy)]
pub struct DashboardStore {
    state: RwSignal<DashboardState>,
    polling_active: RwSignal<bool>,
    metrics: Memo<Option<Metrics>>,
    channels: Memo<Vec<Channel>>,
    recent_videos: Memo<VecDeque<RecentVideo>>,
    cost_alert: Memo<Option<CostAlert>>,
}

pub fn provide_dashboard_store() -> DashboardStore {
    let state = RwSignal::new(DashboardState::default());
    // Per-field memos, so a new channel list does not re-render the metrics.
    let store = DashboardStore {
        state,
        polling_active: RwSignal::new(false),
        metrics: Memo::new(move |_| state.with(|s| s.metrics.clone())),
        channels: Memo::new(move |_| state.with(|s| s.channels.clone())),
        recent_videos: Memo::new(move |_| state.with(|s| s.recent_videos.clone())),
        cost_alert: Memo::new(move |_| state.with(|s| s.cost_alert.clone())),
    };
    provide_context(store);
    store
}

pub fn use_dashboard_store() -> DashboardStore {
    expect_context()
}

impl DashboardStore {
    /// `None` until the first overview arrives.
    pub fn metrics(&self) -> Memo<Option<Metrics>> {
        self.metrics
    }

    pub fn channels(&self) -> Memo<Vec<Channel>> {
        self.channels
    }

    /// Newest first, at most [`RECENT_VIDEOS_CAP`].
    pub fn recent_videos(&self) -> Memo<VecDeque<RecentVideo>> {
        self.recent_videos
    }

    pub fn cost_alert(&self) -> Memo<Option<CostAlert>> {
        self.cost_alert
    }

    /// Whether polling currently gets answers; the connection chip shows it.
    pub fn polling_active(&self) -> ReadSignal<bool> {
        self.polling_active.read_only()
    }

    pub fn set_polling_active(&self, active: bool) {
        self.polling_active.set(active);
    }

    /// Applies a server snapshot; false if it was older than the one shown.
    pub fn apply_overview(&self, overview: Overview) -> bool {
        self.state
            .try_update(|s| s.apply_overview(overview))
            .unwrap_or(false)
    }

    /// The epoch to request an overview in: read it as the request starts.
    pub fn epoch(&self) -> Epoch {
        self.state.with_untracked(DashboardState::epoch)
    }

    /// See [`DashboardState::apply_requested`].
    pub fn apply_requested(&self, overview: Overview, requested_in: Epoch) -> bool {
        self.state
            .try_update(|s| s.apply_requested(overview, requested_in))
            .unwrap_or(false)
    }

    pub fn apply_event(&self, event: &Event) {
        self.state.update(|s| s.apply_event(event));
    }

    /// Forgets everything shown, e.g. when the user signs out.
    pub fn clear(&self) {
        self.state.update(DashboardState::clear);
    }

    pub fn dismiss_cost_alert(&self) {
        self.state.update(DashboardState::dismiss_cost_alert);
    }

    /// Any other change to the plain state, for reducers that live elsewhere.
    pub fn update(&self, f: impl FnOnce(&mut DashboardState)) {
        self.state.update(f);
    }

    /// Lists the finished ones among the newest videos the server knows
    /// (newest created first; those still processing are skipped), so the
    /// list is not empty after a reload. The WebSocket reports the rest.
    pub async fn load_recent_videos(self, session: Session) -> Result<(), ApiError> {
        let query = VideoListQuery {
            per_page: Some(RECENT_VIDEOS_CAP as u32),
            ..VideoListQuery::default()
        };
        let client = session.client();
        let page = session.check(&client, api::videos::page(&client, query).await)?;
        self.state.try_update(|s| s.seed_recent_videos(page.items));
        Ok(())
    }

    /// See [`DashboardState::begin_resync`]; follow with
    /// [`Self::reload_overview`] in the epoch it returns.
    pub fn begin_resync(&self) -> Epoch {
        self.state
            .try_update(DashboardState::begin_resync)
            .unwrap_or_default()
    }

    /// Fetches the overview now and applies it, unless the session changed
    /// while it was on its way (it would be someone else's).
    pub async fn reload_overview(
        self,
        session: Session,
        requested_in: Epoch,
    ) -> Result<(), ApiError> {
        let client = session.client();
        let result = api::overview::fetch(&client).await;
        if session.client() != client {
            return Ok(());
        }
        let result = session.check(&client, result);
        self.polling_active.try_set(result.is_ok());
        self.apply_requested(result?, requested_in);
        Ok(())
    }
}
