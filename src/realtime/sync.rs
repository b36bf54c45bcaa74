//! Wires the WebSocket to the rest of the app: each new event updates the
//! dashboard store, raises its toast and feeds the latency monitor.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use super::latency::Series;
use super::manager::{Delivery, Notice, use_ws_manager};
use super::monitor::use_latency_monitor;
use crate::state::toasts::toast_for;
use crate::state::{use_dashboard_store, use_session, use_toasts};

/// Connects while someone is signed in, applies what arrives, and clears the
/// dashboard and its toasts on sign-out. Call once, below the providers of
/// the session, stores and manager.
pub fn use_realtime_sync() {
    let ws = use_ws_manager();
    let store = use_dashboard_store();
    let toasts = use_toasts();
    let monitor = use_latency_monitor();
    let session = use_session();

    ws.subscribe_all(move |event, delivery| {
        store.apply_event(event);
        toasts.push(toast_for(&event.body));
        // A replayed event is old by design; its age is not latency.
        if delivery == Delivery::Live {
            let age = js_sys::Date::now() - event.body.timestamp().as_millis() as f64;
            monitor.record(Series::WebSocket, age);
        }
    });

    // Socket callbacks run outside any reactive owner; the reload belongs to
    // this one, so it is cancelled rather than left running if the app goes.
    // Weak, because the manager's listeners must not keep their owner alive.
    let owner = Owner::current()
        .expect("use_realtime_sync runs inside the app")
        .downgrade();
    ws.on_notice(move |notice| match notice {
        Notice::Resync => {
            // At once, so the events that arrive during the reload count.
            let epoch = store.begin_resync();
            if let Some(owner) = owner.upgrade() {
                owner.with(|| {
                    leptos::task::spawn_local_scoped_with_cancellation(async move {
                        if let Err(e) = store.reload_overview(session, epoch).await {
                            leptos::logging::warn!("overview reload after resync failed: {e}");
                        }
                    });
                });
            }
        }
        Notice::Unauthorized => session.logout(),
        Notice::Rejected(_) => monitor.record_rejected_frame(),
    });

    // Signing out unmounts the signed-in pages in this same turn of the event
    // loop, and their render effects must not wake on the teardown's changes
    // while their owners are being disposed: reactive_graph panics on
    // reading a disposed value. So the teardown waits for the next task.
    let teardown = StoredValue::new_local(None::<Timeout>);
    on_cleanup(move || _ = teardown.try_update_value(Option::take));
    let forget_user = move || {
        store.clear();
        toasts.clear();
    };
    Effect::new(move |was_signed_in: Option<bool>| {
        match (session.user_id(), session.token()) {
            (Some(user_id), Some(token)) => {
                // Nothing of the last user's may linger for the next one,
                // even if their teardown has not run yet (dropping cancels it).
                _ = teardown.try_update_value(Option::take);
                forget_user();
                ws.connect(user_id, token);
                true
            }
            _ if was_signed_in == Some(true) => {
                let after_unmount = Timeout::new(0, move || {
                    ws.disconnect();
                    forget_user();
                });
                teardown.set_value(Some(after_unmount));
                false
            }
            _ => {
                ws.disconnect();
                false
            }
        }
    });
}
