//! The signed-in layout: header with navigation and the connection chip,
//! the page, and the diagnostics footer.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::components::connection_chip::ConnectionChip;
use crate::components::diagnostics_panel::DiagnosticsPanel;
use crate::components::realtime_boundary::RealtimeBoundary;
use crate::polling::provide_overview_poller;
use crate::state::{use_dashboard_store, use_session};

const NAV: [(&str, &str); 6] = [
    ("/", "Overview"),
    ("/channels", "Channels"),
    ("/videos", "Videos"),
    ("/costs", "Costs"),
    ("/analytics", "Analytics"),
    ("/reports", "Reports"),
];

#[component]
pub fn AppShell() -> impl IntoView {
    let session = use_session();
    // Loads the overview for this sign-in, then keeps it fresh every 60 s.
    provide_overview_poller();
    // The videos that finished before this sign-in, once; cancelled if the
    // user signs out first.
    let store = use_dashboard_store();
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        if let Err(e) = store.load_recent_videos(session).await {
            leptos::logging::warn!("recent videos did not load: {e}");
        }
    });
    let user_name = move || session.user().map(|u| u.name);

    view! {
        <header class="app-shell__header">
            <a class="app-shell__brand" href="/">"YTEMPIRE"</a>
            <nav class="app-shell__nav" aria-label="Main">
                {NAV
                    .into_iter()
                    .map(|(href, label)| view! { <A href=href exact=true>{label}</A> })
                    .collect_view()}
            </nav>
            <div class="app-shell__status">
                <RealtimeBoundary>
                    <ConnectionChip />
                </RealtimeBoundary>
                <span class="app-shell__user">{user_name}</span>
                <button type="button" class="app-shell__logout" on:click=move |_| session.sign_out()>
                    "Log out"
                </button>
            </div>
        </header>
        <main class="app-shell__main" id="main">
            <Outlet />
        </main>
        <footer class="app-shell__footer">
            <RealtimeBoundary>
                <DiagnosticsPanel />
            </RealtimeBoundary>
        </footer>
    }
}
