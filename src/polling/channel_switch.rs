//! `use_channel_switch`: the optimistic active ⇄ paused switch wired to the
//! store, the API and the toasts. The rules are in [`super::Toggles`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use ytempire_protocol::{ChannelStatus, Id};

use super::{LiveSync, Settled};
use crate::api::{self, ApiError};
use crate::state::toasts::{ToastLevel, ToastSpec};
use crate::state::{DashboardStore, Session, Toasts, use_dashboard_store, use_session, use_toasts};

#[derive(Debug, Clone, Copy)]
pub struct ChannelSwitch {
    sync: LiveSync,
    store: DashboardStore,
    session: Session,
    toasts: Toasts,
}

/// The switch, where the signed-in layout provides the [`LiveSync`] it
/// needs; `None` elsewhere, where a channel list is read-only.
pub fn use_channel_switch() -> Option<ChannelSwitch> {
    Some(ChannelSwitch {
        sync: use_context()?,
        store: use_dashboard_store(),
        session: use_session(),
        toasts: use_toasts(),
    })
}

impl ChannelSwitch {
    /// Flips the channel on screen at once and tells the server.
    pub fn toggle(self, id: &Id) {
        let Some(shown) = self.status(id) else {
            return;
        };
        let send = self.sync.click(id, shown);
        self.show(id, shown.toggled());
        if let Some(status) = send {
            spawn_local(self.send(id.clone(), status));
        }
    }

    /// Sends `status`, then whatever the user clicked meanwhile, one request
    /// at a time so the server applies them in click order.
    async fn send(self, id: Id, mut status: ChannelStatus) {
        loop {
            let client = self.session.client();
            let result = self.session.check(
                &client,
                api::channels::set_status(&client, &id, status).await,
            );
            match self.sync.settle(&id, status, result.is_ok()) {
                Some(Settled::Send(next)) => status = next,
                Some(Settled::Reverted(back)) => {
                    self.show(&id, back);
                    if let Err(error) = result {
                        self.report(&id, status, &error);
                    }
                    return;
                }
                Some(Settled::Done) | None => return,
            }
        }
    }

    fn status(self, id: &Id) -> Option<ChannelStatus> {
        self.store
            .channels()
            .with_untracked(|channels| channels.iter().find(|c| &c.id == id).map(|c| c.status))
    }

    fn show(self, id: &Id, status: ChannelStatus) {
        self.store.update(|state| {
            if let Some(channel) = state.channels.iter_mut().find(|c| &c.id == id) {
                channel.status = status;
            }
        });
    }

    fn report(self, id: &Id, wanted: ChannelStatus, error: &ApiError) {
        let name = self
            .store
            .channels()
            .with_untracked(|channels| {
                channels
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.name.clone())
            })
            .unwrap_or_else(|| id.to_string());
        let verb = match wanted {
            ChannelStatus::Active => "resume",
            ChannelStatus::Paused => "pause",
        };
        self.toasts.push(ToastSpec::new(
            ToastLevel::Error,
            "Channel Not Changed",
            format!("Could not {verb} {name}: {error}"),
            Some(Duration::from_secs(10)),
        ));
    }
}
