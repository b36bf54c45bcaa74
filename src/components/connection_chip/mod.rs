//! The header chip: Live / Connecting... / Polling Only / Offline, with a
//! Reconnect button once the WebSocket gave up; if the server refused the
//! socket, its reason is in the title and, for touch and screen-reader users
//! who never see a title, in a note under the chip.

use leptos::prelude::*;

use crate::realtime::{ChipState, Tooltip, use_ws_manager};
use crate::state::use_dashboard_store;

#[component]
pub fn ConnectionChip() -> impl IntoView {
    let ws = use_ws_manager();
    let polling = use_dashboard_store().polling_active();
    let chip =
        Memo::new(move |_| ChipState::new(ws.state().get(), ws.gave_up().get(), polling.get()));
    let tooltip = move || {
        ws.refused().with(|refused| {
            Tooltip {
                ws: ws.state().get(),
                polling: polling.get(),
                refused: refused.as_deref(),
            }
            .to_string()
        })
    };

    view! {
        <div class="connection-chip">
            <span
                class="connection-chip__status"
                data-state=move || chip.get().key()
                data-testid="connection-status"
                title=tooltip
                role="status"
            >
                <span class="connection-chip__dot" aria-hidden="true"></span>
                {move || chip.get().label()}
            </span>
            <Show when=move || ws.gave_up().get()>
                <button
                    type="button"
                    class="connection-chip__reconnect"
                    data-testid="reconnect"
                    on:click=move |_| ws.reconnect_now()
                >
                    "Reconnect"
                </button>
            </Show>
            // Always in the DOM so screen readers announce the reason when it
            // appears; laid over the page below the chip so nothing moves.
            <p class="connection-chip__refusal" data-testid="connection-refusal" role="status">
                {move || ws.refused().get().map(|reason| format!("Refused: {reason}"))}
            </p>
        </div>
    }
}
