//! The dashboard's data as a plain struct, and how overviews and real-time
//! events change it.

use std::collections::VecDeque;

use ytempire_protocol::{
    Channel, CostAlert, EventBody, Id, Metrics, Overview, Timestamp, Usd, VideoCompleted,
    VideoFailed,
};

/// How many recent videos are kept; older ones live on the videos page.
pub const RECENT_VIDEOS_CAP: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum RecentVideo {
    Completed(VideoCompleted),
    Failed(VideoFailed),
}

impl RecentVideo {
    pub fn video_id(&self) -> &Id {
        match self {
            RecentVideo::Completed(v) => &v.video_id,
            RecentVideo::Failed(v) => &v.video_id,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashboardState {
    /// `None` until the first overview arrives.
    pub metrics: Option<Metrics>,
    pub channels: Vec<Channel>,
    /// Newest first.
    pub recent_videos: VecDeque<RecentVideo>,
    /// The gravest recent cost alert, for the banner, until dismissed.
    pub cost_alert: Option<CostAlert>,
    /// `generatedAt` of the overview shown.
    pub overview_at: Option<Timestamp>,
}

impl DashboardState {
    /// Replaces metrics and channels with a server snapshot, unless it is
    /// older than the one already shown (responses can arrive out of order).
    pub fn apply_overview(&mut self, overview: Overview) -> bool {
        if self
            .overview_at
            .is_some_and(|at| overview.generated_at < at)
        {
            return false;
        }
        self.metrics = Some(overview.metrics);
        self.channels = overview.channels;
        self.overview_at = Some(overview.generated_at);
        true
    }

    pub fn apply_event(&mut self, body: &EventBody) {
        match body {
            EventBody::VideoCompleted(e) => {
                self.count(
                    &e.channel_id,
                    e.cost,
                    |m| &mut m.videos_today,
                    |c| {
                        c.total_videos += 1;
                        &mut c.videos_today
                    },
                );
                self.remember(RecentVideo::Completed(e.clone()));
            }
            EventBody::VideoFailed(e) => {
                self.count(
                    &e.channel_id,
                    e.cost,
                    |m| &mut m.failed_today,
                    |c| &mut c.failed_today,
                );
                self.remember(RecentVideo::Failed(e.clone()));
            }
            // `currentCost` is a single video's cost for an expensive-video
            // warning, so it never stands in for today's total; and a routine
            // warning never hides a graver alert still on the banner.
            EventBody::CostAlert(e) => {
                if self
                    .cost_alert
                    .as_ref()
                    .is_none_or(|shown| e.level >= shown.level)
                {
                    self.cost_alert = Some(e.clone());
                }
            }
        }
    }

    pub fn dismiss_cost_alert(&mut self) {
        self.cost_alert = None;
    }

    fn count(
        &mut self,
        channel_id: &Id,
        cost: Usd,
        metric: impl FnOnce(&mut Metrics) -> &mut u32,
        channel_metric: impl FnOnce(&mut Channel) -> &mut u32,
    ) {
        // Before the first overview there is nothing to add to; the overview
        // will already include this event.
        if let Some(metrics) = &mut self.metrics {
            *metric(metrics) += 1;
            metrics.cost_today += cost;
        }
        if let Some(channel) = self.channels.iter_mut().find(|c| &c.id == channel_id) {
            *channel_metric(channel) += 1;
            channel.cost_today += cost;
        }
    }

    fn remember(&mut self, video: RecentVideo) {
        self.recent_videos.push_front(video);
        self.recent_videos.truncate(RECENT_VIDEOS_CAP);
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{AlertLevel, ChannelStatus, FailureDetails, HttpUrl, Stage, Timestamp};

    use super::*;

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
        }
    }

    fn completed(video: &str) -> EventBody {
        EventBody::VideoCompleted(VideoCompleted {
            video_id: id(video),
            channel_id: id("c-1"),
            channel_name: "Tech".into(),
            title: "T".into(),
            url: HttpUrl::new("https://youtube.com/watch?v=1").unwrap(),
            cost: usd(0.5),
            generation_time: 60.0,
            timestamp: Timestamp::from_millis(1),
        })
    }

    fn failed() -> EventBody {
        EventBody::VideoFailed(VideoFailed {
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
        })
    }

    #[test]
    fn video_completed_counts_costs_and_lists_the_video() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&completed("v-1"));
        let metrics = state.metrics.as_ref().unwrap();
        assert_eq!(metrics.videos_today, 4);
        assert_eq!(metrics.cost_today, usd(10.5));
        assert_eq!(state.channels[0].videos_today, 4);
        assert_eq!(state.channels[0].total_videos, 101);
        assert_eq!(state.channels[0].cost_today, usd(10.5));
        assert_eq!(state.recent_videos[0].video_id(), &id("v-1"));
    }

    #[test]
    fn video_failed_counts_failures_and_costs() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&failed());
        let metrics = state.metrics.as_ref().unwrap();
        assert_eq!(metrics.failed_today, 1);
        assert_eq!(metrics.videos_today, 3);
        assert_eq!(metrics.cost_today, usd(10.25));
        assert_eq!(state.channels[0].failed_today, 1);
        assert!(matches!(state.recent_videos[0], RecentVideo::Failed(_)));
    }

    fn alert(level: AlertLevel, current_cost: f64) -> EventBody {
        EventBody::CostAlert(CostAlert {
            level,
            current_cost: usd(current_cost),
            threshold: usd(45.0),
            message: format!("{} alert", level.as_str()),
            remaining_budget: 3.0,
            projected_daily_cost: usd(70.0),
            timestamp: Timestamp::from_millis(2),
        })
    }

    fn banner_level(state: &DashboardState) -> Option<AlertLevel> {
        state.cost_alert.as_ref().map(|a| a.level)
    }

    #[test]
    fn cost_alerts_set_the_banner_but_not_todays_cost() {
        let mut state = DashboardState::default();
        state.apply_overview(overview(0, 3));
        state.apply_event(&alert(AlertLevel::Warning, 0.47));
        assert_eq!(banner_level(&state), Some(AlertLevel::Warning));
        assert_eq!(state.metrics.as_ref().unwrap().cost_today, usd(10.0));
        state.dismiss_cost_alert();
        assert!(state.cost_alert.is_none());
    }

    #[test]
    fn a_warning_never_hides_a_graver_alert() {
        let mut state = DashboardState::default();
        state.apply_event(&alert(AlertLevel::Critical, 47.0));
        state.apply_event(&alert(AlertLevel::Warning, 0.5));
        assert_eq!(banner_level(&state), Some(AlertLevel::Critical));
        state.apply_event(&alert(AlertLevel::Limit, 50.0));
        assert_eq!(banner_level(&state), Some(AlertLevel::Limit));
        state.dismiss_cost_alert();
        state.apply_event(&alert(AlertLevel::Warning, 0.5));
        assert_eq!(banner_level(&state), Some(AlertLevel::Warning));
    }

    #[test]
    fn events_before_the_first_overview_only_list_the_video() {
        let mut state = DashboardState::default();
        state.apply_event(&completed("v-1"));
        assert!(state.metrics.is_none());
        assert_eq!(state.recent_videos.len(), 1);
    }

    #[test]
    fn recent_videos_are_bounded_newest_first() {
        let mut state = DashboardState::default();
        for n in 0..(RECENT_VIDEOS_CAP + 10) {
            state.apply_event(&completed(&format!("v-{n}")));
        }
        assert_eq!(state.recent_videos.len(), RECENT_VIDEOS_CAP);
        assert_eq!(
            state.recent_videos[0].video_id(),
            &id(&format!("v-{}", RECENT_VIDEOS_CAP + 9))
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
}
