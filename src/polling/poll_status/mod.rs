//! `PollStatus`: "Updated 12 s ago", a stale marker and a quiet refreshing
//! indicator next to polled data, with the explicit Refresh button. It never
//! covers the data: a refresh must not block what is already on screen.

use std::time::Duration;

use leptos::prelude::*;

use super::schedule::Freshness;
use super::use_now;
use crate::api::ApiError;
use crate::components::format;

#[component]
pub fn PollStatus(
    freshness: Signal<Freshness>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] on_refresh: Callback<()>,
) -> impl IntoView {
    let now = use_now(Duration::from_secs(1));
    let stale = move || freshness.get().is_stale(now.get());
    let refreshing = move || freshness.get().refreshing;
    let age = move || match freshness.get().age(now.get()) {
        Some(age) => format!("Updated {}", format::ago(age)),
        None if refreshing() => "Loading…".to_owned(),
        None => "Not loaded".to_owned(),
    };
    let problem = move || {
        error
            .get()
            .map(|e| format!("Refresh failed: {e}. Showing the last data received."))
    };

    view! {
        <div class="poll-status" data-testid="poll-status" data-stale=move || stale().to_string()>
            <span class="poll-status__age" data-testid="updated-ago">{age}</span>
            <Show when=stale>
                <span class="poll-status__stale" data-testid="stale-marker" title=problem>
                    "Stale"
                </span>
            </Show>
            <span class="poll-status__dot" class:is-active=refreshing aria-hidden="true"></span>
            <button
                type="button"
                class="poll-status__refresh"
                data-testid="refresh"
                aria-busy=move || refreshing().to_string()
                on:click=move |_| on_refresh.run(())
            >
                "Refresh"
            </button>
        </div>
    }
}
