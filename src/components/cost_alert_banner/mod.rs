//! The banner for the latest cost alert, until dismissed.

use leptos::prelude::*;
use ytempire_protocol::CostAlert;

use crate::components::format;
use crate::state::use_dashboard_store;

#[component]
pub fn CostAlertBanner() -> impl IntoView {
    let store = use_dashboard_store();
    let alert = store.cost_alert();
    move || {
        alert
            .get()
            .map(|alert| view! { <Banner alert on_dismiss=move || store.dismiss_cost_alert() /> })
    }
}

#[component]
fn Banner(alert: CostAlert, on_dismiss: impl Fn() + Send + 'static) -> impl IntoView {
    view! {
        <aside class="cost-alert-banner" data-level=alert.level.as_str() data-testid="cost-alert-banner" role="alert">
            <p class="cost-alert-banner__message">{alert.message}</p>
            <p class="cost-alert-banner__figures">
                "Current cost " <strong>{format::usd(alert.current_cost)}</strong>
                " · remaining budget " <strong>{format::signed_usd(alert.remaining_budget)}</strong>
            </p>
            <a class="cost-alert-banner__details" href="/costs">"View Details"</a>
            <button type="button" class="cost-alert-banner__dismiss" aria-label="Dismiss cost alert" on:click=move |_| on_dismiss()>
                "×"
            </button>
        </aside>
    }
}
