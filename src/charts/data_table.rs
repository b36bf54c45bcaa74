//! The table behind every chart: the same numbers as text, for screen
//! readers and for anyone who wants exact values. Collapsed by default.

use leptos::prelude::*;

use super::Series;

#[component]
pub fn DataTable(
    /// What the first column holds, e.g. "Day".
    category: &'static str,
    #[prop(into)] labels: Signal<Vec<String>>,
    #[prop(into)] series: Signal<Vec<Series>>,
    format: fn(f64) -> String,
) -> impl IntoView {
    let rows = move || {
        labels.with(|labels| {
            series.with(|series| {
                labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let cells = series
                            .iter()
                            .map(|s| {
                                let value = s.values.get(i).copied().flatten();
                                view! { <td>{value.map_or_else(|| "–".to_owned(), format)}</td> }
                            })
                            .collect_view();
                        view! {
                            <tr>
                                <th scope="row">{label.clone()}</th>
                                {cells}
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let heads = move || {
        series.with(|series| {
            series
                .iter()
                .map(|s| view! { <th scope="col">{s.name.clone()}</th> })
                .collect_view()
        })
    };
    view! {
        <details class="chart__table">
            <summary>"Show as table"</summary>
            <div class="chart__table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{category}</th>
                            {heads}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// The colour key of a chart's series.
#[component]
pub fn Legend(#[prop(into)] series: Signal<Vec<Series>>) -> impl IntoView {
    view! {
        <ul class="chart__legend" aria-hidden="true">
            {move || {
                series
                    .with(|series| {
                        series
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                view! {
                                    <li>
                                        <span class=format!("chart__swatch tone-{i}")></span>
                                        {s.name.clone()}
                                    </li>
                                }
                            })
                            .collect_view()
                    })
            }}
        </ul>
    }
}
