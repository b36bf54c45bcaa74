//! `LineChart`: trends over days, as lines or filled areas.

use leptos::prelude::*;

use super::axes::{XLabels, YLabels, grid};
use super::data_table::{DataTable, Legend};
use super::layout::{Series, line_layout};

#[component]
pub fn LineChart(
    /// The chart's caption and accessible name.
    #[prop(into)]
    title: String,
    /// One label per category (day), oldest first.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    #[prop(into)] series: Signal<Vec<Series>>,
    /// Formats values for the axis, the tooltips and the table.
    format: fn(f64) -> String,
    /// Fill the area under each line.
    #[prop(optional)]
    area: bool,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let layout = Memo::new(move |_| labels.with(|l| series.with(|s| line_layout(l, s, format))));
    let plot = move || {
        layout.with(|l| {
            let paths = l
                .paths
                .iter()
                .enumerate()
                .map(|(i, (line, fill))| {
                    view! {
                        {area
                            .then(|| {
                                view! {
                                    <path class=format!("chart__area tone-{i}") d=fill.clone()></path>
                                }
                            })}
                        <path class=format!("chart__line tone-{i}") d=line.clone()></path>
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
                {paths}
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
            <DataTable category="Day" labels=labels series=series format=format />
        </figure>
    }
}
