//! The optimistic active ⇄ paused switch of each channel.
//!
//! A click shows its result at once. Requests for one channel go out one at
//! a time, so the server applies them in click order and the last click
//! wins. A poll cannot flip a channel back: its status is trusted only when
//! the poll started after that channel's last request settled, which is a
//! causal order (a local counter), not a clock.

use std::collections::HashMap;

use ytempire_protocol::{Channel, ChannelStatus, Id};

/// Marks when a poll started, relative to clicks and settlements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PollTicket(u64);

/// What to do once a status request has settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The channel now shows what the server holds.
    Done,
    /// The user clicked again meanwhile: send this status next.
    Send(ChannelStatus),
    /// The request failed; the channel shows the server's status again.
    Reverted(ChannelStatus),
}

#[derive(Debug, Clone)]
struct Switch {
    /// What the server is known to hold.
    confirmed: ChannelStatus,
    /// What the last click asked for, and what the screen shows.
    desired: ChannelStatus,
    in_flight: bool,
    /// The counter value at the last click or settlement.
    touched: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Toggles {
    switches: HashMap<Id, Switch>,
    counter: u64,
}

impl Toggles {
    /// The user clicked the channel's switch while it showed `shown`.
    /// Returns the status to send now, or `None` when a request for this
    /// channel is already out (its settlement will send the latest wish).
    pub fn click(&mut self, id: &Id, shown: ChannelStatus) -> Option<ChannelStatus> {
        let touched = self.tick();
        let switch = self.switches.entry(id.clone()).or_insert(Switch {
            confirmed: shown,
            desired: shown,
            in_flight: false,
            touched,
        });
        switch.desired = switch.desired.toggled();
        switch.touched = touched;
        if switch.in_flight {
            return None;
        }
        switch.in_flight = true;
        Some(switch.desired)
    }

    /// The status request for `id` answered: `sent` is what it asked for.
    pub fn settle(&mut self, id: &Id, sent: ChannelStatus, ok: bool) -> Settled {
        let touched = self.tick();
        let Some(switch) = self.switches.get_mut(id) else {
            return Settled::Done;
        };
        switch.touched = touched;
        switch.in_flight = false;
        if !ok {
            switch.desired = switch.confirmed;
            return Settled::Reverted(switch.confirmed);
        }
        switch.confirmed = sent;
        if switch.desired == sent {
            Settled::Done
        } else {
            switch.in_flight = true;
            Settled::Send(switch.desired)
        }
    }

    /// The status the screen shows for `id`, when a click has decided it.
    pub fn shown(&self, id: &Id) -> Option<ChannelStatus> {
        self.switches.get(id).map(|s| s.desired)
    }

    /// Call as a poll starts; pass the ticket to [`Toggles::reconcile`].
    pub fn poll_started(&mut self) -> PollTicket {
        PollTicket(self.counter)
    }

    /// Corrects the statuses of a polled channel list: a channel whose
    /// request is out, or settled after the poll started, keeps the status
    /// the user chose; for the others the poll is the truth.
    pub fn reconcile(&mut self, ticket: PollTicket, channels: &mut [Channel]) {
        for channel in channels {
            let Some(switch) = self.switches.get(&channel.id) else {
                continue;
            };
            if switch.in_flight || ticket.0 < switch.touched {
                channel.status = switch.desired;
            } else {
                self.switches.remove(&channel.id);
            }
        }
    }

    fn tick(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::Usd;

    use super::*;
    use ChannelStatus::{Active, Paused};

    fn id() -> Id {
        Id::new("c1").unwrap()
    }

    fn polled(status: ChannelStatus) -> Vec<Channel> {
        vec![Channel {
            id: id(),
            name: "Tech".into(),
            status,
            videos_today: 0,
            failed_today: 0,
            cost_today: Usd::ZERO,
            total_videos: 0,
        }]
    }

    #[test]
    fn a_click_shows_at_once_and_sends_once() {
        let mut t = Toggles::default();
        assert_eq!(t.click(&id(), Active), Some(Paused));
        assert_eq!(t.shown(&id()), Some(Paused));
        assert_eq!(t.settle(&id(), Paused, true), Settled::Done);
        assert_eq!(t.shown(&id()), Some(Paused));
    }

    #[test]
    fn quick_clicks_end_in_the_last_clicks_state() {
        let mut t = Toggles::default();
        assert_eq!(t.click(&id(), Active), Some(Paused));
        assert_eq!(t.click(&id(), Paused), None);
        assert_eq!(t.click(&id(), Active), None);
        assert_eq!(t.click(&id(), Paused), None);
        // Four clicks from active: the user wants active again.
        assert_eq!(t.shown(&id()), Some(Active));
        assert_eq!(t.settle(&id(), Paused, true), Settled::Send(Active));
        assert_eq!(t.shown(&id()), Some(Active));
        assert_eq!(t.settle(&id(), Active, true), Settled::Done);
        assert_eq!(t.shown(&id()), Some(Active));
    }

    #[test]
    fn a_failure_reverts_to_the_servers_status() {
        let mut t = Toggles::default();
        t.click(&id(), Active);
        assert_eq!(t.settle(&id(), Paused, false), Settled::Reverted(Active));
        assert_eq!(t.shown(&id()), Some(Active));
    }

    #[test]
    fn a_poll_landing_mid_flight_does_not_flip_it_back() {
        let mut t = Toggles::default();
        let before = t.poll_started();
        t.click(&id(), Active);
        let during = t.poll_started();
        let mut channels = polled(Active);
        t.reconcile(before, &mut channels);
        assert_eq!(channels[0].status, Paused);
        t.settle(&id(), Paused, true);
        // Started while the request was out: it may predate the change.
        let mut channels = polled(Active);
        t.reconcile(during, &mut channels);
        assert_eq!(channels[0].status, Paused);
    }

    #[test]
    fn a_poll_started_after_settling_is_the_truth() {
        let mut t = Toggles::default();
        t.click(&id(), Active);
        t.settle(&id(), Paused, true);
        let after = t.poll_started();
        // Someone else resumed the channel since.
        let mut channels = polled(Active);
        t.reconcile(after, &mut channels);
        assert_eq!(channels[0].status, Active);
        assert_eq!(
            t.shown(&id()),
            None,
            "the switch is forgotten once the poll agrees"
        );
    }
}
