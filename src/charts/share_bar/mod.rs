//! `ShareBar`: one bar split into parts of a whole (spend by stage), with
//! a key that states every part as text.

use leptos::prelude::*;

use super::stack::shares;
use crate::components::format;

/// One part of the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub label: String,
    pub value: f64,
}

#[component]
pub fn ShareBar(
    #[prop(into)] title: String,
    #[prop(into)] parts: Signal<Vec<Share>>,
    format: fn(f64) -> String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let laid_out = Memo::new(move |_| {
        parts.with(|parts| {
            let values: Vec<f64> = parts.iter().map(|p| p.value).collect();
            parts
                .iter()
                .cloned()
                .zip(shares(&values))
                .enumerate()
                .collect::<Vec<_>>()
        })
    });
    let describe = move |part: &Share, width: f64| {
        format!(
            "{}: {} ({})",
            part.label,
            format(part.value),
            format::percent(width / 100.0)
        )
    };
    view! {
        <figure class="chart share-bar" data-testid=testid>
            <figcaption class="chart__title">{title}</figcaption>
            <div class="share-bar__track" aria-hidden="true">
                {move || {
                    laid_out
                        .get()
                        .into_iter()
                        .map(|(i, (part, (start, width)))| {
                            view! {
                                <span
                                    class=format!("share-bar__part tone-{i}")
                                    style:left=format!("{start:.2}%")
                                    style:width=format!("{width:.2}%")
                                    title=describe(&part, width)
                                ></span>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <ul class="share-bar__key">
                {move || {
                    laid_out
                        .get()
                        .into_iter()
                        .map(|(i, (part, (_, width)))| {
                            view! {
                                <li>
                                    <span class=format!("chart__swatch tone-{i}")></span>
                                    <span class="share-bar__label">{part.label.clone()}</span>
                                    <strong>{format(part.value)}</strong>
                                    <span class="share-bar__percent">
                                        {format::percent(width / 100.0)}
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
