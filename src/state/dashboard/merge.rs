//! The sync merger: the poller and the WebSocket both change today's
//! figures, and newer data must never be overwritten by older.
//!
//! Polled overviews are ordered among themselves by the server's
//! `generatedAt`. Against events they are ordered by the event log: an
//! overview names the newest event its figures include (`lastEventId`), so
//! what is shown is always the newest overview plus the events after it,
//! each counted exactly once, whichever of the two arrives first. Event
//! timestamps are the pipeline's clock and cannot be compared with
//! `generatedAt`; the browser's clock is never consulted.
//!
//! A resync (the server lost events this client missed, or its log
//! restarted) starts a new [`Epoch`]: overviews requested before it are
//! dropped, since they count by event ids that no longer line up.

use std::collections::{VecDeque, vec_deque};

use ytempire_protocol::{
    Channel, Event, EventBody, EventId, Id, Metrics, Overview, Timestamp, Usd,
};

/// Events kept to replay onto an overview that predates them. A poll's
/// snapshot trails the socket by one request at most, so this only binds
/// while polling is paused (a hidden tab) and the oldest are never needed.
pub const MAX_UNPOLLED: usize = 1_000;

/// What one video event adds to today's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    event_id: EventId,
    channel_id: Id,
    completed: bool,
    cost: Usd,
}

impl Tally {
    /// `None` for a cost alert, which changes no figure: its `currentCost`
    /// may be a single video's cost, never today's total.
    pub fn of(event: &Event) -> Option<Tally> {
        let (channel_id, completed, cost) = match &event.body {
            EventBody::VideoCompleted(e) => (&e.channel_id, true, e.cost),
            EventBody::VideoFailed(e) => (&e.channel_id, false, e.cost),
            EventBody::CostAlert(_) => return None,
        };
        Some(Tally {
            event_id: event.id,
            channel_id: channel_id.clone(),
            completed,
            cost,
        })
    }

    /// Adds the video to the totals, when there are any yet, and to its
    /// channel.
    pub fn add_to(&self, metrics: Option<&mut Metrics>, channels: &mut [Channel]) {
        if let Some(metrics) = metrics {
            if self.completed {
                metrics.videos_today += 1;
            } else {
                metrics.failed_today += 1;
            }
            metrics.cost_today += self.cost;
        }
        if let Some(channel) = channels.iter_mut().find(|c| c.id == self.channel_id) {
            if self.completed {
                channel.videos_today += 1;
                channel.total_videos += 1;
            } else {
                channel.failed_today += 1;
            }
            channel.cost_today += self.cost;
        }
    }
}

/// How many resyncs came before; an overview is only taken in the epoch it
/// was requested in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Epoch(u64);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncMerger {
    epoch: Epoch,
    /// `generatedAt` of the overview shown.
    shown_at: Option<Timestamp>,
    /// The newest event the figures shown include, by poll or by socket.
    counted_through: Option<EventId>,
    /// Events counted on top of the overview shown, oldest first.
    unpolled: VecDeque<Tally>,
}

impl SyncMerger {
    /// Nothing counted yet, in `epoch`.
    pub fn in_epoch(epoch: Epoch) -> Self {
        SyncMerger {
            epoch,
            ..SyncMerger::default()
        }
    }

    pub fn epoch(&self) -> Epoch {
        self.epoch
    }

    /// Forgets what the figures count and starts a new epoch; the next
    /// overview requested in it is taken whole.
    pub fn begin_resync(&mut self) -> Epoch {
        *self = SyncMerger::in_epoch(Epoch(self.epoch.0 + 1));
        self.epoch
    }

    /// Takes an event's tally; `None` when the figures shown already
    /// include it (a poll counted it before the socket delivered it).
    pub fn admit_event(&mut self, tally: Tally) -> Option<&Tally> {
        if self.counted_through >= Some(tally.event_id) {
            return None;
        }
        self.counted_through = Some(tally.event_id);
        if self.unpolled.len() == MAX_UNPOLLED {
            self.unpolled.pop_front();
        }
        self.unpolled.push_back(tally);
        self.unpolled.back()
    }

    /// Takes an overview requested in `requested_in`: `None` when it is
    /// older than the one shown, or from before a resync, and must be
    /// dropped; otherwise the tallies of the events it does not include yet,
    /// to add on top of it.
    pub fn admit_overview(
        &mut self,
        overview: &Overview,
        requested_in: Epoch,
    ) -> Option<vec_deque::Iter<'_, Tally>> {
        if requested_in != self.epoch || self.shown_at > Some(overview.generated_at) {
            return None;
        }
        self.shown_at = Some(overview.generated_at);
        if let Some(included) = overview.last_event_id {
            self.unpolled.retain(|tally| tally.event_id > included);
            self.counted_through = self.counted_through.max(Some(included));
        }
        Some(self.unpolled.iter())
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{ChannelStatus, HttpUrl, VideoCompleted};

    use super::*;

    fn usd(x: f64) -> Usd {
        Usd::new(x).unwrap()
    }

    fn overview(at: i64, last_event_id: Option<EventId>, videos: u32) -> Overview {
        Overview {
            metrics: Metrics {
                channel_count: 1,
                active_channels: 1,
                videos_today: videos,
                failed_today: 0,
                processing_now: 2,
                cost_today: usd(f64::from(videos)),
                daily_budget: usd(50.0),
                revenue_today: usd(12.0),
                average_cost_per_video: usd(1.0),
            },
            channels: vec![Channel {
                id: Id::new("c1").unwrap(),
                name: "Tech".into(),
                status: ChannelStatus::Active,
                videos_today: videos,
                failed_today: 0,
                cost_today: usd(f64::from(videos)),
                total_videos: 100 + videos,
            }],
            generated_at: Timestamp::from_millis(at),
            last_event_id,
        }
    }

    fn completed(id: EventId) -> Tally {
        Tally::of(&Event {
            id,
            body: EventBody::VideoCompleted(VideoCompleted {
                video_id: Id::new(format!("v{id}")).unwrap(),
                channel_id: Id::new("c1").unwrap(),
                channel_name: "Tech".into(),
                title: "t".into(),
                url: HttpUrl::new("https://youtu.be/x").unwrap(),
                cost: usd(1.0),
                generation_time: 60.0,
                // The pipeline's clock, deliberately far from the server's.
                timestamp: Timestamp::from_millis(0),
                attempt: None,
            }),
        })
        .unwrap()
    }

    /// What the store does: a poll replaces the figures, then the events it
    /// lacks are added again; an event adds itself unless already counted.
    #[derive(Default)]
    struct Shown {
        merger: SyncMerger,
        figures: Option<Overview>,
    }

    impl Shown {
        fn poll(&mut self, mut polled: Overview) -> bool {
            let epoch = self.merger.epoch();
            let Some(replay) = self.merger.admit_overview(&polled, epoch) else {
                return false;
            };
            for tally in replay {
                tally.add_to(Some(&mut polled.metrics), &mut polled.channels);
            }
            self.figures = Some(polled);
            true
        }

        fn event(&mut self, id: EventId) {
            if let Some(tally) = self.merger.admit_event(completed(id)) {
                let (metrics, channels) = match &mut self.figures {
                    Some(o) => (Some(&mut o.metrics), o.channels.as_mut_slice()),
                    None => (None, &mut [][..]),
                };
                tally.add_to(metrics, channels);
            }
        }

        fn videos(&self) -> (u32, u32, u32) {
            let o = self.figures.as_ref().unwrap();
            (
                o.metrics.videos_today,
                o.channels[0].videos_today,
                o.channels[0].total_videos,
            )
        }
    }

    #[test]
    fn an_event_after_the_poll_is_added_once() {
        let mut shown = Shown::default();
        shown.poll(overview(1_000, Some(4), 4));
        shown.event(5);
        assert_eq!(shown.videos(), (5, 5, 105));
    }

    #[test]
    fn a_poll_that_already_counted_an_event_is_not_counted_twice() {
        let mut shown = Shown::default();
        shown.poll(overview(1_000, Some(4), 4));
        // The response counting event 5 lands before the socket delivers it.
        shown.poll(overview(2_000, Some(5), 5));
        shown.event(5);
        assert_eq!(shown.videos(), (5, 5, 105));
    }

    #[test]
    fn a_poll_that_predates_events_gets_them_added_on_top() {
        let mut shown = Shown::default();
        shown.poll(overview(1_000, Some(4), 4));
        shown.event(5);
        shown.event(6);
        // Generated after the last poll, but before event 6 was logged.
        assert!(shown.poll(overview(2_000, Some(5), 5)));
        assert_eq!(shown.videos(), (6, 6, 106));
        assert_eq!(shown.figures.as_ref().unwrap().metrics.cost_today, usd(6.0));
    }

    #[test]
    fn events_before_the_first_overview_count_once_it_arrives() {
        let mut shown = Shown::default();
        shown.event(5);
        shown.poll(overview(1_000, Some(4), 4));
        assert_eq!(shown.videos(), (5, 5, 105));
        let mut shown = Shown::default();
        shown.event(5);
        shown.poll(overview(1_000, Some(5), 5));
        assert_eq!(shown.videos(), (5, 5, 105));
    }

    #[test]
    fn an_older_poll_is_dropped_whatever_it_counted() {
        let mut shown = Shown::default();
        shown.poll(overview(2_000, Some(4), 4));
        assert!(!shown.poll(overview(1_000, Some(9), 9)));
        assert_eq!(shown.videos(), (4, 4, 104));
        assert!(shown.poll(overview(2_000, Some(4), 4)), "the same again");
    }

    #[test]
    fn before_any_event_every_event_is_new() {
        let mut shown = Shown::default();
        shown.poll(overview(1_000, None, 0));
        shown.event(1);
        shown.poll(overview(2_000, None, 0));
        assert_eq!(shown.videos(), (1, 1, 101));
    }

    #[test]
    fn a_resync_drops_overviews_requested_before_it() {
        let mut shown = Shown::default();
        shown.poll(overview(1_000, Some(40), 4));
        let before = shown.merger.epoch();
        // The server's log restarted: its ids begin again at 1.
        let after = shown.merger.begin_resync();
        shown.event(1);
        let stale = overview(2_000, Some(41), 5);
        assert!(shown.merger.admit_overview(&stale, before).is_none());
        shown.event(2);
        assert_eq!(
            shown
                .merger
                .admit_overview(&overview(3_000, Some(1), 1), after)
                .map(Iterator::count),
            Some(1)
        );
    }

    #[test]
    fn cost_alerts_tally_nothing() {
        let alert = Event {
            id: 3,
            body: EventBody::CostAlert(ytempire_protocol::CostAlert {
                level: ytempire_protocol::AlertLevel::Warning,
                current_cost: usd(0.5),
                threshold: usd(0.4),
                message: "expensive".into(),
                remaining_budget: 10.0,
                projected_daily_cost: usd(40.0),
                timestamp: Timestamp::from_millis(0),
            }),
        };
        assert_eq!(Tally::of(&alert), None);
    }

    #[test]
    fn unpolled_events_are_bounded() {
        let mut merger = SyncMerger::default();
        for id in 1..=(MAX_UNPOLLED as EventId + 10) {
            merger.admit_event(completed(id));
        }
        let replay: Vec<_> = merger
            .admit_overview(&overview(1_000, None, 0), Epoch::default())
            .unwrap()
            .map(|t| t.event_id)
            .collect();
        assert_eq!(replay.len(), MAX_UNPOLLED);
        assert_eq!(replay[0], 11);
    }
}
