//! `/analytics`: output, money and pipeline performance over the last 30
//! days, polled every 5 minutes.

mod series;
mod totals;

use leptos::prelude::*;
use ytempire_protocol::DateRangeQuery;

use crate::api;
use crate::charts::LineChart;
use crate::components::format;
use crate::pages::page_parts::{FirstLoad, PageHeader, derive_from};
use crate::polling::{Tier, use_poller};
use crate::state::use_session;
pub use totals::Totals;

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let session = use_session();
    let trends = use_poller(Tier::Slow, move |poll| async move {
        let client = session.client();
        session.check(
            &client,
            api::reports::trends(&client, DateRangeQuery::default(), &poll).await,
        )
    });
    let performance = use_poller(Tier::Slow, move |poll| async move {
        let client = session.client();
        session.check(
            &client,
            api::reports::performance(&client, DateRangeQuery::default(), &poll).await,
        )
    });
    let (trend_data, perf_data) = (trends.data, performance.data);
    let refresh = Callback::new(move |()| {
        (trends.refresh)();
        (performance.refresh)();
    });

    let totals = Memo::new(move |_| trend_data.with(|t| t.as_ref().map(|t| Totals::of(&t.points))));
    let figure = move |f: fn(&Totals) -> String| move || totals.with(|t| t.as_ref().map(f));

    view! {
        <section class="analytics-page" data-testid="analytics-page">
            <PageHeader title="Analytics" freshness=trends.freshness error=trends.error on_refresh=refresh />
            <FirstLoad loaded=Signal::derive(move || trend_data.with(Option::is_some)) error=trends.error on_retry=refresh>
                <dl class="analytics-page__totals" data-testid="analytics-totals">
                    <div><dt>"Videos (30 days)"</dt><dd>{figure(|t| format::compact(t.videos as f64))}</dd></div>
                    <div><dt>"Failed"</dt><dd>{figure(|t| format::compact(t.failed as f64))}</dd></div>
                    <div><dt>"Success rate"</dt><dd>{figure(|t| t.success_rate().map_or_else(|| "–".to_owned(), format::percent))}</dd></div>
                    <div><dt>"Spend"</dt><dd>{figure(|t| format::usd_compact(t.cost))}</dd></div>
                    <div><dt>"Revenue"</dt><dd>{figure(|t| format::usd_compact(t.revenue))}</dd></div>
                    <div><dt>"Revenue per $1"</dt><dd>{figure(|t| t.return_on_spend().map_or_else(|| "–".to_owned(), format::signed_usd))}</dd></div>
                </dl>
                <div class="panel-grid">
                    <div class="panel">
                        <LineChart
                            title="Videos per day"
                            labels=derive_from(trend_data, series::trend_days)
                            series=derive_from(trend_data, series::videos)
                            format=format::compact
                            area=true
                            testid="trend-videos"
                        />
                    </div>
                    <div class="panel">
                        <LineChart
                            title="Spend and revenue per day"
                            labels=derive_from(trend_data, series::trend_days)
                            series=derive_from(trend_data, series::money)
                            format=format::usd_compact
                            testid="trend-money"
                        />
                    </div>
                    <div class="panel">
                        <LineChart
                            title="Success rate"
                            labels=derive_from(perf_data, series::performance_days)
                            series=derive_from(perf_data, series::success_rate)
                            format=format::percent
                            area=true
                            testid="trend-success"
                        />
                    </div>
                    <div class="panel">
                        <LineChart
                            title="Average generation time"
                            labels=derive_from(perf_data, series::performance_days)
                            series=derive_from(perf_data, series::generation_time)
                            format=|secs| format!("{} s", format::compact(secs))
                            testid="trend-generation"
                        />
                    </div>
                </div>
            </FirstLoad>
        </section>
    }
}
