//! One headline number with its label.

use leptos::prelude::*;

#[component]
pub fn MetricCard(
    #[prop(into)] label: String,
    /// The figure; `None` (not loaded yet) shows a placeholder.
    #[prop(into)]
    value: Signal<Option<String>>,
    /// `data-testid` of the value element.
    testid: &'static str,
    /// A line of context under the figure.
    #[prop(optional, into)]
    detail: Option<Signal<Option<String>>>,
) -> impl IntoView {
    view! {
        <article class="metric-card">
            <h3 class="metric-card__label">{label}</h3>
            <p class="metric-card__value" data-testid=testid aria-busy=move || value.with(Option::is_none).to_string()>
                {move || value.get().unwrap_or_else(|| "—".to_owned())}
            </p>
            {detail.map(|detail| view! { <p class="metric-card__detail">{move || detail.get()}</p> })}
        </article>
    }
}
