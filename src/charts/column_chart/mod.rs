//! `ColumnChart`: one column per category, stacking its series.

use leptos::prelude::*;

use super::layout::{Series, column_layout};
use super::plot_frame::PlotFrame;

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
    let bars = move || {
        layout.with(|l| {
            l.bars
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
                .collect_view()
        })
    };
    view! {
        <PlotFrame
            title=title
            category=category
            labels=labels
            series=series
            format=format
            testid=testid
            frame=Signal::derive(move || layout.with(|l| l.frame.clone()))
        >
            {bars}
        </PlotFrame>
    }
}
