//! `BarList`: labelled horizontal bars on one scale (spend by channel).
//! Plain HTML rows, so names and amounts are text that wraps on a phone.

use leptos::prelude::*;

use super::share_bar::Share;
use super::stack::relative;

#[component]
pub fn BarList(
    #[prop(into)] title: String,
    #[prop(into)] rows: Signal<Vec<Share>>,
    format: fn(f64) -> String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let laid_out = Memo::new(move |_| {
        rows.with(|rows| {
            let values: Vec<f64> = rows.iter().map(|r| r.value).collect();
            rows.iter()
                .cloned()
                .zip(relative(&values))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <figure class="chart bar-list" data-testid=testid>
            <figcaption class="chart__title">{title}</figcaption>
            <ul>
                {move || {
                    laid_out
                        .get()
                        .into_iter()
                        .map(|(row, width)| {
                            view! {
                                <li class="bar-list__row">
                                    <span class="bar-list__label">{row.label.clone()}</span>
                                    <span class="bar-list__value">{format(row.value)}</span>
                                    <span class="bar-list__track" aria-hidden="true">
                                        <span
                                            class="bar-list__fill tone-0"
                                            style:width=format!("{width:.2}%")
                                        ></span>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </figure>
    }
}
