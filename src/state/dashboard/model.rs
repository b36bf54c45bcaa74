//! The dashboard's data as a plain struct, and how overviews and real-time
//! events change it.

use std::collections::VecDeque;

use ytempire_protocol::{Channel, CostAlert, Event, EventBody, Metrics, Overview, Video};

use super::merge::{Epoch, SyncMerger, Tally};
use super::recent_video::RecentVideo;

/// How many recent videos are kept; older ones live on the videos page.
pub const RECENT_VIDEOS_CAP: usize = 50;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashboardState {
    /// `None` until the first overview arrives.
    pub metrics: Option<Metrics>,
    pub channels: Vec<Channel>,
    /// Newest first.
    pub recent_videos: VecDeque<RecentVideo>,
    /// The gravest recent cost alert, for the banner, until dismissed.
    pub cost_alert: Option<CostAlert>,
    merger: SyncMerger,
}

impl DashboardState {
    /// Replaces metrics and channels with a server snapshot plus the events
    /// it does not include yet, unless it is older than the one shown
    /// (responses can arrive out of order).
    pub fn apply_overview(&mut self, overview: Overview) -> bool {
        let now = self.merger.epoch();
        self.apply_requested(overview, now)
    }

    /// [`Self::apply_overview`] for an overview requested in `requested_in`,
    /// dropped if a resync happened while it was on its way.
    pub fn apply_requested(&mut self, mut overview: Overview, requested_in: Epoch) -> bool {
        let Some(replay) = self.merger.admit_overview(&overview, requested_in) else {
            return false;
        };
        for tally in replay {
            tally.add_to(Some(&mut overview.metrics), &mut overview.channels);
        }
        self.metrics = Some(overview.metrics);
        self.channels = overview.channels;
        true
    }

    /// The epoch to request an overview in; see [`SyncMerger`].
    pub fn epoch(&self) -> Epoch {
        self.merger.epoch()
    }

    /// Forgets which events the figures count, once the server said events
    /// were lost (or its log was reset, so earlier ids mean nothing now).
    /// The next overview requested in the returned epoch is taken whole,
    /// plus the events that arrive from now on and it does not include yet.
    pub fn begin_resync(&mut self) -> Epoch {
        self.merger.begin_resync()
    }

    pub fn apply_event(&mut self, event: &Event) {
        if let Some(tally) = Tally::of(event)
            && let Some(tally) = self.merger.admit_event(tally)
        {
            tally.add_to(self.metrics.as_mut(), &mut self.channels);
        }
        if let Some(video) = RecentVideo::from_event(&event.body) {
            // A video the seed listed before its event arrived moves up.
            self.recent_videos.retain(|v| v.id != video.id);
            self.recent_videos.push_front(video);
            self.recent_videos.truncate(RECENT_VIDEOS_CAP);
        }
        // A routine warning never hides a graver alert still on the banner.
        if let EventBody::CostAlert(e) = &event.body
            && self
                .cost_alert
                .as_ref()
                .is_none_or(|shown| e.level >= shown.level)
        {
            self.cost_alert = Some(e.clone());
        }
    }

    /// Lists the finished ones among `videos` (newest first, from the videos
    /// API), after any the WebSocket has reported since.
    pub fn seed_recent_videos(&mut self, videos: Vec<Video>) {
        for video in videos.into_iter().filter_map(RecentVideo::from_video) {
            if self.recent_videos.len() == RECENT_VIDEOS_CAP {
                break;
            }
            if !self.recent_videos.iter().any(|v| v.id == video.id) {
                self.recent_videos.push_back(video);
            }
        }
    }

    /// Forgets everything shown, in the same epoch: signing in clears the
    /// store just as the first poll may already be on its way, and that poll
    /// is for the new user. (The last user's requests end with their pages.)
    pub fn clear(&mut self) {
        *self = DashboardState {
            merger: SyncMerger::in_epoch(self.merger.epoch()),
            ..DashboardState::default()
        };
    }

    pub fn dismiss_cost_alert(&mut self) {
        self.cost_alert = None;
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{
        AlertLevel, ChannelStatus, EventId, FailureDetails, HttpUrl, Id, Stage, Timestamp, Usd,
        VideoCompleted, VideoFailed, VideoStatus,
    };

    use super::*;
    use crate::state::dashboard::recent_video::Outcome;

    fn usd(amount: f64) -> Usd {
        Usd::new(amount).unwrap()
    }

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn overview(at: i64, videos_today: u32) -> Overview {
        Overview {
            metrics: Metrics {
                channel_count: 1,
                active_channels: 1,
                videos_today,
                failed_today: 0,
                processing_now: 2,
                cost_today: usd(10.0),
                daily_budget: usd(50.0),
                revenue_today: usd(80.0),
                average_cost_per_video: usd(0.5),
            },
            channels: vec![Channel {
                id: id("c-1"),
                name: "Tech".into(),
                status: ChannelStatus::Active,
                videos_today,
                failed_today: 0,
                cost_today: usd(10.0),
                total_videos: 100,
            }],
            generated_at: Timestamp::from_millis(at),
            last_event_id: None,
        }
    }

    fn completed(event_id: EventId, video: &str) -> Event {
        let body = EventBody::VideoCompleted(VideoCompleted {
            video_id: id(video),
            channel_id: id("c-1"),
            channel_name: "Tech".into(),
            title: "T".into(),
            url: HttpUrl::new("https://youtube.com/watch?v=1").unwrap(),
            cost: usd(0.5),
            generation_time: 60.0,
            timestamp: Timestamp::from_millis(1),
            attempt: None,
        });
        Event { id: event_id, body }
    }

    fn failed(event_id: EventId) -> Event {
        let body = EventBody::VideoFailed(VideoFailed {
            video_id: id("v-f"),
            channel_id: id("c-1"),
            channel_name: "Tech".into(),
            error: FailureDetails {
                stage: Stage::Upload,
                message: "quota".into(),
                retryable: true,
            },
            cost: usd(0.25),
            timestamp: Timestamp::from_millis(1),
            attempt: None,
        });
        Event { id: event_id, body }
    }

    #[test]
    fn video_completed_counts_costs_and_lists_the_video() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&completed(1, "v-1"));
        let metrics = state.metrics.as_ref().unwrap();
        assert_eq!(metrics.videos_today, 4);
        assert_eq!(metrics.cost_today, usd(10.5));
        assert_eq!(state.channels[0].videos_today, 4);
        assert_eq!(state.channels[0].total_videos, 101);
        assert_eq!(state.channels[0].cost_today, usd(10.5));
        assert_eq!(state.recent_videos[0].id, id("v-1"));
    }

    #[test]
    fn video_failed_counts_failures_and_costs() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&failed(1));
        let metrics = state.metrics.as_ref().unwrap();
        assert_eq!(metrics.failed_today, 1);
        assert_eq!(metrics.videos_today, 3);
        assert_eq!(metrics.cost_today, usd(10.25));
        assert_eq!(state.channels[0].failed_today, 1);
        assert!(matches!(
            state.recent_videos[0].outcome,
            Outcome::Failed { .. }
        ));
    }

    fn alert(event_id: EventId, level: AlertLevel, current_cost: f64) -> Event {
        let body = EventBody::CostAlert(CostAlert {
            level,
            current_cost: usd(current_cost),
            threshold: usd(45.0),
            message: format!("{} alert", level.as_str()),
            remaining_budget: 3.0,
            projected_daily_cost: usd(70.0),
            timestamp: Timestamp::from_millis(2),
        });
        Event { id: event_id, body }
    }

    fn banner_level(state: &DashboardState) -> Option<AlertLevel> {
        state.cost_alert.as_ref().map(|a| a.level)
    }

    #[test]
    fn cost_alerts_set_the_banner_but_not_todays_cost() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&alert(1, AlertLevel::Warning, 0.47));
        assert_eq!(banner_level(&state), Some(AlertLevel::Warning));
        assert_eq!(state.metrics.as_ref().unwrap().cost_today, usd(10.0));
        state.dismiss_cost_alert();
        assert!(state.cost_alert.is_none());
    }

    #[test]
    fn a_warning_never_hides_a_graver_alert() {
        let mut state = DashboardState::default();
        state.apply_event(&alert(1, AlertLevel::Critical, 47.0));
        state.apply_event(&alert(2, AlertLevel::Warning, 0.5));
        assert_eq!(banner_level(&state), Some(AlertLevel::Critical));
        state.apply_event(&alert(3, AlertLevel::Limit, 50.0));
        assert_eq!(banner_level(&state), Some(AlertLevel::Limit));
        state.dismiss_cost_alert();
        state.apply_event(&alert(4, AlertLevel::Warning, 0.5));
        assert_eq!(banner_level(&state), Some(AlertLevel::Warning));
    }

    #[test]
    fn events_before_the_first_overview_count_once_it_arrives() {
        let mut state = DashboardState::default();
        state.apply_event(&completed(1, "v-1"));
        assert!(state.metrics.is_none());
        assert_eq!(state.recent_videos.len(), 1);
        state.apply_overview(overview(0, 3));
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 4);
    }

    #[test]
    fn a_resync_starts_over_from_the_snapshot() {
        let mut state = DashboardState::default();
        state.apply_overview(Overview {
            last_event_id: Some(40),
            ..overview(5_000, 3)
        });
        // The server's log was reset: its ids start again below ours. An
        // event arrives while the reload is on its way.
        let requested_in = state.begin_resync();
        state.apply_event(&completed(2, "v-2"));
        state.apply_requested(
            Overview {
                last_event_id: Some(1),
                ..overview(6_000, 1)
            },
            requested_in,
        );
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 2);
        state.apply_event(&completed(3, "v-3"));
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 3);
    }

    #[test]
    fn recent_videos_are_bounded_newest_first() {
        let mut state = DashboardState::default();
        for n in 0..(RECENT_VIDEOS_CAP + 10) {
            state.apply_event(&completed(n as EventId + 1, &format!("v-{n}")));
        }
        assert_eq!(state.recent_videos.len(), RECENT_VIDEOS_CAP);
        assert_eq!(
            state.recent_videos[0].id,
            id(&format!("v-{}", RECENT_VIDEOS_CAP + 9))
        );
    }

    #[test]
    fn an_older_overview_never_replaces_a_newer_one() {
        let mut state = DashboardState::default();
        assert!(state.apply_overview(overview(2_000, 7)));
        assert!(!state.apply_overview(overview(1_000, 3)));
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 7);
        assert!(state.apply_overview(overview(3_000, 8)));
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 8);
    }

    fn listed(state: &DashboardState) -> Vec<&str> {
        state.recent_videos.iter().map(|v| v.id.as_str()).collect()
    }

    fn published(video: &str) -> Video {
        Video {
            id: id(video),
            channel_id: id("c-1"),
            channel_name: "Tech".into(),
            title: "T".into(),
            status: VideoStatus::Completed,
            stage: None,
            error_message: None,
            retryable: None,
            cost: usd(0.5),
            url: Some(HttpUrl::new("https://youtube.com/watch?v=1").unwrap()),
            created_at: Timestamp::from_millis(0),
            updated_at: Timestamp::from_millis(0),
            attempt: ytempire_protocol::Attempt::FIRST,
        }
    }

    #[test]
    fn the_seed_lists_earlier_videos_after_live_ones_without_repeats() {
        let mut state = DashboardState::default();
        state.apply_event(&completed(1, "v-9"));
        let processing = Video {
            status: VideoStatus::Processing,
            url: None,
            ..published("v-10")
        };
        state.seed_recent_videos(vec![processing, published("v-9"), published("v-8")]);
        assert_eq!(listed(&state), ["v-9", "v-8"]);
        // The seed had v-7 before its event arrived: it moves up, once.
        state.seed_recent_videos(vec![published("v-7")]);
        state.apply_event(&completed(2, "v-7"));
        assert_eq!(listed(&state), ["v-7", "v-9", "v-8"]);
    }

    #[test]
    fn an_overview_requested_just_before_a_clear_is_still_taken() {
        let mut state = DashboardState::default();
        state.begin_resync();
        let requested_in = state.epoch();
        state.apply_event(&completed(1, "v-1"));
        state.clear();
        assert!(state.recent_videos.is_empty());
        assert!(state.apply_requested(overview(0, 3), requested_in));
        assert_eq!(state.metrics.as_ref().unwrap().videos_today, 3);
    }

    #[test]
    fn the_seed_stops_at_the_cap() {
        let mut state = DashboardState::default();
        state.seed_recent_videos(
            (0..RECENT_VIDEOS_CAP + 5)
                .map(|n| published(&format!("v-{n}")))
                .collect(),
        );
        assert_eq!(state.recent_videos.len(), RECENT_VIDEOS_CAP);
    }
}
