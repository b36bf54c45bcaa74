//! An error boundary for real-time panels: one bad value blanks only its
//! own panel, never the page.

use leptos::prelude::*;

#[component]
pub fn RealtimeBoundary(children: Children) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=|errors| {
            view! {
                <p class="realtime-boundary" role="alert" data-testid="panel-error">
                    "This panel is unavailable: "
                    {move || {
                        errors.with(|errors| {
                            errors.iter().next().map(|(_, e)| e.to_string()).unwrap_or_default()
                        })
                    }}
                </p>
            }
        }>{children()}</ErrorBoundary>
    }
}
