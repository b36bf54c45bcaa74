//! `ColumnChart`: one column per category, stacking its series.

use leptos::prelude::*;

use super::axes::{XLabels, YLabels, grid};
use super::data_table::{DataTable, Legend};
use super::layout::{Series, column_layout};

#[component]
pub fn ColumnChart(
    /// The chart's caption and accessible name.
    #[prop(into)]
    title: String,
    /// What a category is, for the table's first column ("Day", "Channel").
    category: &'static str,
    #[prop(into)] labels: Signal<Vec<String>>,
    #[prop(into)] series: Signal<Vec<Series>>,
    format: fn(f64) -> String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let layout = Memo::new(move |_| labels.with(|l| series.with(|s| column_layout(l, s, format))));
    let plot = move || {
        layout.with(|l| {
            let bars = l
                .bars
                .iter()
                .map(|b| {
                    view! {
                        <rect
                            class=format!("chart__bar tone-{}", b.series)
                            x=b.x
                            y=b.y
                            width=b.width
                            height=b.height
                        ></rect>
                    }
                })
                .collect_view();
            let hits = l
                .hits
                .iter()
                .map(|h| {
                    view! {
                        <rect class="chart__hit" x=h.x y="0" width=h.width height="100">
                            <title>{h.tooltip.clone()}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                {grid(&l.y_ticks)}
                {bars}
                {hits}
            }
        })
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart__title">{title.clone()}</figcaption>
            <Legend series=series />
            <div class="chart__frame">
                <YLabels ticks=Signal::derive(move || layout.with(|l| l.y_ticks.clone())) />
                <svg
                    class="chart__plot"
                    viewBox="0 0 100 100"
                    preserveAspectRatio="none"
                    role="img"
                    aria-label=title
                >
                    {plot}
                </svg>
                <XLabels ticks=Signal::derive(move || layout.with(|l| l.x_ticks.clone())) />
            </div>
            <DataTable category=category labels=labels series=series format=format />
        </figure>
    }
}
