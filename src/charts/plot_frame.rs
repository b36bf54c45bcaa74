//! What the line and column charts share: caption, legend, HTML axis labels
//! around a stretched SVG plot with its grid and hover areas, and the data
//! table that states the same numbers for screen readers.

use leptos::prelude::*;

use super::axes::{XLabels, YLabels, grid};
use super::data_table::{DataTable, Legend};
use super::layout::{Frame, HitArea, Series};

#[component]
pub fn PlotFrame(
    /// The chart's caption and accessible name.
    title: String,
    /// What a category is, for the table's first column ("Day", "Channel").
    category: &'static str,
    labels: Signal<Vec<String>>,
    series: Signal<Vec<Series>>,
    format: fn(f64) -> String,
    testid: &'static str,
    frame: Signal<Frame>,
    /// The marks (bars, lines) drawn between the grid and the hover areas.
    children: Children,
) -> impl IntoView {
    let y_ticks = Signal::derive(move || frame.with(|f| f.y_ticks.clone()));
    let x_ticks = Signal::derive(move || frame.with(|f| f.x_ticks.clone()));
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart__title">{title.clone()}</figcaption>
            <Legend series=series />
            <div class="chart__frame">
                <YLabels ticks=y_ticks />
                <svg
                    class="chart__plot"
                    viewBox="0 0 100 100"
                    preserveAspectRatio="none"
                    role="img"
                    aria-label=title
                >
                    {move || y_ticks.with(|ticks| grid(ticks))}
                    {children()}
                    {move || frame.with(|f| hit_areas(&f.hits))}
                </svg>
                <XLabels ticks=x_ticks />
            </div>
            <DataTable category=category labels=labels series=series format=format />
        </figure>
    }
}

fn hit_areas(hits: &[HitArea]) -> impl IntoView + use<> {
    hits.iter()
        .map(|h| {
            view! {
                <rect class="chart__hit" x=h.x y="0" width=h.width height="100">
                    <title>{h.tooltip.clone()}</title>
                </rect>
            }
        })
        .collect_view()
}
