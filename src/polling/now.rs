//! `use_now`: a ticking monotonic clock for "updated N s ago".

use std::time::Duration;

use leptos::prelude::*;

use super::clock::{Moment, now};

/// The current moment, refreshed every `period` until the calling owner is
/// cleaned up.
pub fn use_now(period: Duration) -> Signal<Moment> {
    let current = RwSignal::new(now());
    let ticker = set_interval_with_handle(move || current.set(now()), period).ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });
    current.into()
}
