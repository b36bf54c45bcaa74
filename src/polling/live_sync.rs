//! `LiveSync`: the channel switches' state, shared by the overview poller
//! and the switches through context, so a poll cannot undo a click.

use leptos::prelude::*;
use ytempire_protocol::{ChannelStatus, Id, Overview};

use super::{PollTicket, Settled, Toggles};
use crate::state::DashboardStore;
use crate::state::dashboard::Epoch;

#[derive(Debug, Clone, Copy)]
pub struct LiveSync {
    toggles: StoredValue<Toggles>,
}

/// Creates the switches' state and provides it.
pub fn provide_live_sync() -> LiveSync {
    let sync = LiveSync {
        toggles: StoredValue::new(Toggles::default()),
    };
    provide_context(sync);
    sync
}

impl LiveSync {
    /// Call as an overview request starts.
    pub fn poll_started(self) -> PollTicket {
        self.toggles
            .try_update_value(Toggles::poll_started)
            .unwrap_or_default()
    }

    /// Applies a polled overview, requested in `requested_in`, to the store,
    /// keeping the user's channel switches; the store's merger decides what
    /// else of it is news.
    pub fn apply_overview(
        self,
        store: DashboardStore,
        ticket: PollTicket,
        requested_in: Epoch,
        mut overview: Overview,
    ) {
        if self
            .toggles
            .try_update_value(|t| t.reconcile(ticket, &mut overview.channels))
            .is_some()
        {
            store.apply_requested(overview, requested_in);
        }
    }

    /// See [`Toggles::click`].
    pub fn click(self, id: &Id, shown: ChannelStatus) -> Option<ChannelStatus> {
        self.toggles
            .try_update_value(|t| t.click(id, shown))
            .flatten()
    }

    /// See [`Toggles::settle`]; `None` once the app is gone.
    pub fn settle(self, id: &Id, sent: ChannelStatus, ok: bool) -> Option<Settled> {
        self.toggles.try_update_value(|t| t.settle(id, sent, ok))
    }
}
