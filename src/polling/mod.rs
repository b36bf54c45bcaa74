//! Polling: everything the WebSocket does not push reaches the dashboard
//! here, at the product's cadence and never faster.
//!
//! The rules are plain types tested natively: [`Tier`]/[`Cadence`] (the
//! floors), [`Schedule`] (when to fetch) and [`Toggles`] (the optimistic
//! channel switch). Polled overviews meet the WebSocket's events in the
//! dashboard store's sync merger (`state::dashboard`). The hooks and the
//! component only wire them to the browser.

mod channel_switch;
mod clock;
mod live_sync;
mod now;
mod overview_poller;
mod poll_status;
mod schedule;
mod tier;
mod toggle;
mod use_poller;
mod visibility;

pub use channel_switch::{ChannelSwitch, use_channel_switch};
pub use clock::{Moment, now};
pub use live_sync::{LiveSync, provide_live_sync};
pub use now::use_now;
pub use overview_poller::{
    OverviewPoll, provide_overview_poller, provide_overview_poller_with, use_overview_poll,
};
pub use poll_status::PollStatus;
pub use schedule::{Freshness, Next, Schedule, Trigger};
pub use tier::{Cadence, Tier};
pub use toggle::{PollTicket, Settled, Toggles};
pub use use_poller::{
    PollRequest, Polled, UsePollerOptions, UsePollerReturn, use_poller, use_poller_with_options,
};
pub use visibility::use_document_visibility;
