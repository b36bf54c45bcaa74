//! `LineChart`: trends over days, as lines or filled areas.

use leptos::prelude::*;

use super::layout::{Series, line_layout};
use super::plot_frame::PlotFrame;

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
    let paths = move || {
        layout.with(|l| {
            l.paths
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
                .collect_view()
        })
    };
    view! {
        <PlotFrame
            title=title
            category="Day"
            labels=labels
            series=series
            format=format
            testid=testid
            frame=Signal::derive(move || layout.with(|l| l.frame.clone()))
        >
            {paths}
        </PlotFrame>
    }
}
