//! The sync merger: the poller and the WebSocket both write the overview,
//! and newer data must never be overwritten by older.
//!
//! Order is decided by the server's timestamps (`generatedAt` on polled
//! data, `timestamp` on events), never by the browser clock, which may be
//! minutes off and would make the rules depend on the user's machine.

use ytempire_protocol::{Channel, EventBody, Metrics, Overview, Timestamp};

/// The server time of the newest update applied to one kind of data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Watermark(Option<Timestamp>);

impl Watermark {
    /// Records an update made at `at`; `false` means it is older than what
    /// was already applied and must be dropped. An equal time is the same
    /// data again, so it passes.
    pub fn advance(&mut self, at: Timestamp) -> bool {
        if self.is_after(at) {
            return false;
        }
        self.0 = Some(at);
        true
    }

    /// Whether something newer than `at` has been applied.
    pub fn is_after(self, at: Timestamp) -> bool {
        self.0.is_some_and(|applied| applied > at)
    }
}

/// Reconciles polled overviews with what the WebSocket has already applied.
///
/// Real-time fields (today's counts and cost, which every video event moves
/// and a cost alert resets) keep the socket's value when the poll was
/// generated before the last such event; aggregate fields (totals, revenue,
/// averages, budget, the channel list) come from polling. The active cost
/// alert only ever comes from the socket, so polling cannot touch it.
#[derive(Debug, Clone, Default)]
pub struct OverviewSync {
    polled: Watermark,
    counts: Watermark,
    cost: Watermark,
}

impl OverviewSync {
    /// Notes an event the real-time side has just applied.
    pub fn record_event(&mut self, event: &EventBody) {
        let at = event.timestamp();
        if !matches!(event, EventBody::CostAlert(_)) {
            self.counts.advance(at);
        }
        self.cost.advance(at);
    }

    /// Prepares `polled` to replace what is on screen (`shown_metrics`,
    /// `shown_channels`): real-time fields the socket updated after the poll
    /// was generated are carried over. Returns `false` when `polled` is older
    /// than an overview already applied and must be dropped.
    pub fn reconcile(
        &mut self,
        polled: &mut Overview,
        shown_metrics: Option<&Metrics>,
        shown_channels: &[Channel],
    ) -> bool {
        let at = polled.generated_at;
        if !self.polled.advance(at) {
            return false;
        }
        let keep_counts = self.counts.is_after(at);
        let keep_cost = self.cost.is_after(at);
        if let Some(shown) = shown_metrics {
            let metrics = &mut polled.metrics;
            if keep_counts {
                metrics.videos_today = shown.videos_today;
                metrics.failed_today = shown.failed_today;
            }
            if keep_cost {
                metrics.cost_today = shown.cost_today;
            }
        }
        for channel in &mut polled.channels {
            let Some(shown) = shown_channels.iter().find(|c| c.id == channel.id) else {
                continue;
            };
            if keep_counts {
                channel.videos_today = shown.videos_today;
                channel.failed_today = shown.failed_today;
                channel.total_videos = shown.total_videos;
            }
            if keep_cost {
                channel.cost_today = shown.cost_today;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{
        AlertLevel, Channel, ChannelStatus, CostAlert, Id, Metrics, Usd, VideoCompleted,
    };

    use super::*;

    fn ts(secs: i64) -> Timestamp {
        Timestamp::from_millis(1_795_600_000_000 + secs * 1000)
    }

    fn usd(x: f64) -> Usd {
        Usd::new(x).unwrap()
    }

    fn overview(at: i64, videos: u32, cost: f64, revenue: f64) -> Overview {
        Overview {
            metrics: Metrics {
                channel_count: 1,
                active_channels: 1,
                videos_today: videos,
                failed_today: 0,
                processing_now: 2,
                cost_today: usd(cost),
                daily_budget: usd(50.0),
                revenue_today: usd(revenue),
                average_cost_per_video: usd(0.4),
            },
            channels: vec![Channel {
                id: Id::new("c1").unwrap(),
                name: "Tech".into(),
                status: ChannelStatus::Active,
                videos_today: videos,
                failed_today: 0,
                cost_today: usd(cost),
                total_videos: 100 + videos,
            }],
            generated_at: ts(at),
        }
    }

    fn completed(at: i64) -> EventBody {
        EventBody::VideoCompleted(VideoCompleted {
            video_id: Id::new("v").unwrap(),
            channel_id: Id::new("c1").unwrap(),
            channel_name: "Tech".into(),
            title: "t".into(),
            url: ytempire_protocol::HttpUrl::new("https://youtu.be/x").unwrap(),
            cost: usd(0.5),
            generation_time: 60.0,
            timestamp: ts(at),
        })
    }

    #[test]
    fn watermark_drops_older_and_passes_equal() {
        let mut w = Watermark::default();
        assert!(w.advance(ts(10)));
        assert!(w.advance(ts(10)));
        assert!(!w.advance(ts(9)));
        assert!(w.advance(ts(11)));
        assert!(w.is_after(ts(10)) && !w.is_after(ts(11)));
    }

    /// Runs a poll through the merger onto `shown`, as the store does.
    fn apply(sync: &mut OverviewSync, shown: &mut Option<Overview>, mut polled: Overview) -> bool {
        let (metrics, channels) = match shown {
            Some(o) => (Some(&o.metrics), o.channels.as_slice()),
            None => (None, &[][..]),
        };
        let fresh = sync.reconcile(&mut polled, metrics, channels);
        if fresh {
            *shown = Some(polled);
        }
        fresh
    }

    #[test]
    fn a_response_older_than_the_one_shown_is_dropped() {
        let mut sync = OverviewSync::default();
        let mut shown = None;
        assert!(apply(&mut sync, &mut shown, overview(20, 5, 2.0, 10.0)));
        assert!(!apply(&mut sync, &mut shown, overview(10, 1, 0.5, 1.0)));
        assert_eq!(shown.unwrap().generated_at, ts(20));
    }

    #[test]
    fn an_older_poll_keeps_real_time_fields_and_takes_aggregates() {
        let mut sync = OverviewSync::default();
        let mut shown = None;
        apply(&mut sync, &mut shown, overview(0, 5, 2.0, 10.0));
        // The socket applies a completion at t=30: counts and cost move.
        sync.record_event(&completed(30));
        let live = shown.as_mut().unwrap();
        live.metrics.videos_today = 6;
        live.metrics.cost_today = usd(2.5);
        live.channels[0].videos_today = 6;
        live.channels[0].total_videos = 106;
        // A poll generated at t=20, before that event, lands afterwards.
        assert!(apply(&mut sync, &mut shown, overview(20, 5, 2.0, 12.0)));
        let merged = shown.as_ref().unwrap();
        assert_eq!(merged.metrics.videos_today, 6);
        assert_eq!(merged.metrics.cost_today, usd(2.5));
        assert_eq!(merged.channels[0].videos_today, 6);
        assert_eq!(merged.channels[0].total_videos, 106);
        assert_eq!(
            merged.metrics.revenue_today,
            usd(12.0),
            "aggregates come from polling"
        );
        assert_eq!(merged.metrics.processing_now, 2);
    }

    #[test]
    fn a_poll_newer_than_the_last_event_wins_everywhere() {
        let mut sync = OverviewSync::default();
        let mut shown = None;
        apply(&mut sync, &mut shown, overview(0, 5, 2.0, 10.0));
        sync.record_event(&completed(30));
        shown.as_mut().unwrap().metrics.videos_today = 6;
        assert!(apply(&mut sync, &mut shown, overview(40, 7, 3.0, 12.0)));
        assert_eq!(shown.unwrap().metrics.videos_today, 7);
    }

    #[test]
    fn a_cost_alert_protects_the_cost_but_not_the_counts() {
        let mut sync = OverviewSync::default();
        let mut shown = None;
        apply(&mut sync, &mut shown, overview(0, 5, 2.0, 10.0));
        sync.record_event(&EventBody::CostAlert(CostAlert {
            level: AlertLevel::Warning,
            current_cost: usd(40.0),
            threshold: usd(40.0),
            message: "80% of budget".into(),
            remaining_budget: 10.0,
            projected_daily_cost: usd(55.0),
            timestamp: ts(50),
        }));
        shown.as_mut().unwrap().metrics.cost_today = usd(40.0);
        assert!(apply(&mut sync, &mut shown, overview(45, 9, 38.0, 12.0)));
        let merged = shown.unwrap();
        assert_eq!(merged.metrics.cost_today, usd(40.0));
        assert_eq!(merged.metrics.videos_today, 9);
    }
}
