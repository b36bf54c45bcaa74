//! `/`: today's figures, the channels and the newest videos.

use leptos::prelude::*;
use ytempire_protocol::Metrics;

use crate::components::channel_list::ChannelList;
use crate::components::cost_alert_banner::CostAlertBanner;
use crate::components::format;
use crate::components::metric_card::MetricCard;
use crate::components::realtime_boundary::RealtimeBoundary;
use crate::components::recent_videos::RecentVideos;
use crate::polling::{OverviewPoll, PollStatus};
use crate::state::use_dashboard_store;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let metrics = use_dashboard_store().metrics();
    let figure = move |f: fn(&Metrics) -> String| {
        Signal::derive(move || metrics.with(|m| m.as_ref().map(f)))
    };

    view! {
        <header class="page-header">
            <h1 class="page-header__title">"Overview"</h1>
            // The poller lives in the signed-in layout; absent elsewhere.
            {use_context::<OverviewPoll>()
                .map(|poll| {
                    view! {
                        <PollStatus
                            freshness=poll.freshness
                            error=poll.error
                            on_refresh=poll.refresh
                        />
                    }
                })}
        </header>
        <RealtimeBoundary>
            <CostAlertBanner />
        </RealtimeBoundary>
        <RealtimeBoundary>
            <section class="overview-page__metrics" aria-label="Today">
                <MetricCard label="Videos today" testid="metric-videos-today" value=figure(|m| format::count(m.videos_today)) />
                <MetricCard label="Failed today" testid="metric-failed-today" value=figure(|m| format::count(m.failed_today)) />
                <MetricCard
                    label="Processing now"
                    testid="metric-processing-now"
                    value=figure(|m| format::count(m.processing_now))
                />
                <MetricCard
                    label="Cost today"
                    testid="metric-cost-today"
                    value=figure(|m| format::usd(m.cost_today))
                    detail=figure(|m| format!("of {} budget", format::usd(m.daily_budget)))
                />
                <MetricCard label="Revenue today" testid="metric-revenue-today" value=figure(|m| format::usd(m.revenue_today)) />
            </section>
        </RealtimeBoundary>
        <div class="overview-page__lists">
            <RealtimeBoundary>
                <ChannelList />
            </RealtimeBoundary>
            <RealtimeBoundary>
                <RecentVideos />
            </RealtimeBoundary>
        </div>
    }
}
