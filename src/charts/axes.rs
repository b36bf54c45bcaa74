//! The HTML axis labels around a stretched SVG plot. Labels are HTML so text
//! keeps its size at any width while the plot stretches to fill it.

use leptos::prelude::*;

use super::Tick;

#[component]
pub fn YLabels(#[prop(into)] ticks: Signal<Vec<Tick>>) -> impl IntoView {
    view! {
        <div class="chart__y" aria-hidden="true">
            {move || {
                ticks
                    .get()
                    .into_iter()
                    .map(|t| view! { <span style:top=format!("{:.2}%", t.at)>{t.label}</span> })
                    .collect_view()
            }}
        </div>
    }
}

#[component]
pub fn XLabels(#[prop(into)] ticks: Signal<Vec<Tick>>) -> impl IntoView {
    view! {
        <div class="chart__x" aria-hidden="true">
            {move || {
                ticks
                    .get()
                    .into_iter()
                    .map(|t| view! { <span style:left=format!("{:.2}%", t.at)>{t.label}</span> })
                    .collect_view()
            }}
        </div>
    }
}

/// Horizontal grid lines at the value ticks, inside the plot's SVG.
pub fn grid(ticks: &[Tick]) -> impl IntoView + use<> {
    ticks
        .iter()
        .map(|t| view! { <line class="chart__grid" x1="0" x2="100" y1=t.at y2=t.at></line> })
        .collect_view()
}
