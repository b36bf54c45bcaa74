//! The app: stores provided once at the root, and the routes.

use leptos::prelude::*;
use leptos_router::components::{ProtectedParentRoute, ProtectedRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::app_shell::AppShell;
use crate::components::realtime_boundary::RealtimeBoundary;
use crate::components::toast::ToastRegion;
use crate::pages::analytics::AnalyticsPage;
use crate::pages::channels::ChannelsPage;
use crate::pages::costs::CostsPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::overview::OverviewPage;
use crate::pages::reports::ReportsPage;
use crate::pages::videos::VideosPage;
use crate::realtime::{provide_latency_monitor, provide_ws_manager, use_realtime_sync};
use crate::state::{provide_dashboard_store, provide_session, provide_toasts};

#[component]
pub fn App() -> impl IntoView {
    let session = provide_session();
    provide_dashboard_store();
    provide_toasts();
    provide_latency_monitor();
    provide_ws_manager();
    use_realtime_sync();

    let signed_in = move || Some(session.is_authenticated());
    let signed_out = move || Some(!session.is_authenticated());

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <ProtectedRoute path=path!("/login") view=LoginPage condition=signed_out redirect_path=|| "/" />
                <ProtectedParentRoute path=path!("") view=AppShell condition=signed_in redirect_path=|| "/login">
                    <Route path=path!("") view=OverviewPage />
                    <Route path=path!("channels") view=ChannelsPage />
                    <Route path=path!("videos") view=VideosPage />
                    <Route path=path!("costs") view=CostsPage />
                    <Route path=path!("analytics") view=AnalyticsPage />
                    <Route path=path!("reports") view=ReportsPage />
                </ProtectedParentRoute>
            </Routes>
            <RealtimeBoundary>
                <ToastRegion />
            </RealtimeBoundary>
        </Router>
    }
}
