//! `BudgetGauge`: today's spend against the daily budget as a half-circle
//! gauge, exposed to assistive technology as a `meter` with the same words.

use leptos::prelude::*;

use super::arc::{BudgetLevel, gauge_arc};
use crate::components::format;

#[component]
pub fn BudgetGauge(
    #[prop(into)] spent: Signal<f64>,
    #[prop(into)] budget: Signal<f64>,
    /// Today's run rate projected to midnight, when known.
    #[prop(into)]
    projected: Signal<Option<f64>>,
) -> impl IntoView {
    let ratio = move || {
        let budget = budget.get();
        if budget > 0.0 {
            spent.get() / budget
        } else {
            0.0
        }
    };
    let level = move || BudgetLevel::of(ratio());
    let summary = move || {
        format!(
            "{} of {} ({})",
            format::signed_usd(spent.get()),
            format::signed_usd(budget.get()),
            format::percent(ratio())
        )
    };
    view! {
        <figure
            class="chart budget-gauge"
            data-testid="budget-gauge"
            data-level=move || level().as_str()
            role="meter"
            aria-label="Today's spend against the daily budget"
            aria-valuemin="0"
            aria-valuemax=move || budget.get().to_string()
            aria-valuenow=move || spent.get().min(budget.get()).to_string()
            aria-valuetext=summary
        >
            <svg class="budget-gauge__dial" viewBox="0 0 100 56" aria-hidden="true">
                <path class="budget-gauge__track" d=gauge_arc(1.0)></path>
                <path class="budget-gauge__value" d=move || gauge_arc(ratio())>
                    <title>{summary}</title>
                </path>
            </svg>
            <figcaption>
                <strong class="budget-gauge__spent" data-testid="budget-spent">
                    {move || format::signed_usd(spent.get())}
                </strong>
                <span>" of " {move || format::signed_usd(budget.get())} " today"</span>
                <span class="budget-gauge__percent">{move || format::percent(ratio())}</span>
                {move || {
                    projected
                        .get()
                        .map(|p| {
                            view! {
                                <span class="budget-gauge__projected">
                                    "Projected by midnight: " {format::signed_usd(p)}
                                </span>
                            }
                        })
                }}
            </figcaption>
        </figure>
    }
}
