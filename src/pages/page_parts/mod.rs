//! Pieces every data page shares: the header with the poll status, the
//! first-load skeleton, the load error and the empty state.

use std::time::Duration;

use leptos::prelude::*;
use ytempire_protocol::Timestamp;

use crate::api::ApiError;
use crate::components::format;
use crate::polling::{Freshness, PollStatus};

/// The page title, with the freshness of the page's data beside it.
#[component]
pub fn PageHeader(
    title: &'static str,
    freshness: Signal<Freshness>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] on_refresh: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1 class="page-header__title">{title}</h1>
            <PollStatus freshness error on_refresh />
        </header>
    }
}

/// Shows `children` once data has loaded. Before that: a skeleton, or the
/// error with a way to try again. Later refreshes never come back here, so
/// data on screen is never replaced by a spinner.
#[component]
pub fn FirstLoad(
    #[prop(into)] loaded: Signal<bool>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] on_retry: Callback<()>,
    children: ChildrenFn,
) -> impl IntoView {
    let waiting = move || match error.get() {
        Some(error) => view! {
            <div class="load-error" role="alert" data-testid="load-error">
                <p>"Could not load this page: " {error.to_string()}</p>
                <button type="button" on:click=move |_| on_retry.run(())>
                    "Try again"
                </button>
            </div>
        }
        .into_any(),
        None => view! { <Skeleton /> }.into_any(),
    };
    view! {
        <Show when=move || loaded.get() fallback=waiting>
            {children()}
        </Show>
    }
}

/// Grey blocks where content is about to appear.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <div class="skeleton" data-testid="page-skeleton" aria-busy="true" aria-label="Loading">
            <span class="skeleton__block skeleton__block--wide"></span>
            <span class="skeleton__block"></span>
            <span class="skeleton__block"></span>
        </div>
    }
}

/// Nothing to show yet, and what to do about it.
#[component]
pub fn EmptyState(title: &'static str, testid: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state" data-testid=testid>
            <p class="empty-state__title">{title}</p>
            <p class="empty-state__hint">{children()}</p>
        </div>
    }
}

/// A server time as "2 min ago", exact on hover. Display only, so the
/// browser's clock is good enough here.
#[component]
pub fn Ago(at: Timestamp) -> impl IntoView {
    let elapsed = (js_sys::Date::now() as i64 - at.as_millis()).max(0);
    let exact = at.to_string();
    view! {
        <time datetime=exact.clone() title=exact>
            {format::ago(Duration::from_millis(elapsed as u64))}
        </time>
    }
}

/// A view of a page's polled data: `f` of it once loaded, the default (an
/// empty chart) before.
pub fn derive_from<S, T>(source: Signal<Option<S>>, f: fn(&S) -> T) -> Signal<T>
where
    S: Send + Sync + 'static,
    T: Default + Send + Sync + 'static,
{
    Signal::derive(move || source.with(|s| s.as_ref().map(f).unwrap_or_default()))
}
