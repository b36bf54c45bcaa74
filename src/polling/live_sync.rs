//! `LiveSync`: the overview's merge state, shared by the overview poller,
//! the WebSocket subscription and the channel switches, through context.

use leptos::prelude::*;
use ytempire_protocol::{ChannelStatus, Id, Overview};

use super::{OverviewSync, PollTicket, Settled, Toggles};
use crate::realtime::use_ws_manager;
use crate::state::DashboardStore;

#[derive(Debug, Default)]
struct State {
    merger: OverviewSync,
    toggles: Toggles,
}

#[derive(Debug, Clone, Copy)]
pub struct LiveSync {
    state: StoredValue<State>,
}

/// Creates the merge state, provides it, and records every event the
/// WebSocket applies, for as long as the calling owner lives.
pub fn provide_live_sync() -> LiveSync {
    let sync = LiveSync {
        state: StoredValue::new(State::default()),
    };
    use_ws_manager().subscribe_all(move |event, _| {
        sync.state
            .update_value(|s| s.merger.record_event(&event.body));
    });
    provide_context(sync);
    sync
}

impl LiveSync {
    /// Call as an overview request starts.
    pub fn poll_started(self) -> PollTicket {
        self.state
            .try_update_value(|s| s.toggles.poll_started())
            .unwrap_or_default()
    }

    /// Applies a polled overview to the store unless it is older than what
    /// is shown, keeping real-time fields and the user's channel switches.
    pub fn apply_overview(self, store: DashboardStore, ticket: PollTicket, mut overview: Overview) {
        self.state.try_update_value(|s| {
            s.toggles.reconcile(ticket, &mut overview.channels);
            store.update(|shown| {
                if s.merger
                    .reconcile(&mut overview, shown.metrics.as_ref(), &shown.channels)
                {
                    shown.apply_overview(overview);
                }
            });
        });
    }

    /// See [`Toggles::click`].
    pub fn click(self, id: &Id, shown: ChannelStatus) -> Option<ChannelStatus> {
        self.state
            .try_update_value(|s| s.toggles.click(id, shown))
            .flatten()
    }

    /// See [`Toggles::settle`]; `None` once the app is gone.
    pub fn settle(self, id: &Id, sent: ChannelStatus, ok: bool) -> Option<Settled> {
        self.state
            .try_update_value(|s| s.toggles.settle(id, sent, ok))
    }
}
