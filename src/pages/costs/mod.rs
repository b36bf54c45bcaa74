//! `/costs`: today's spend against the budget, where the money went over
//! the last 30 days, and the alert history. The "View Details" target of
//! cost alerts. The breakdown is polled every 5 minutes; today's spend and
//! new alerts come live.

mod alerts;
mod figures;

use leptos::prelude::*;
use ytempire_protocol::{CostAlert, CostBreakdown, DateRangeQuery};

use crate::api;
use crate::charts::{BarList, BudgetGauge, ColumnChart, ShareBar};
use crate::components::format;
use crate::pages::page_parts::{Ago, EmptyState, FirstLoad, PageHeader, derive_from};
use crate::polling::{Tier, use_poller};
use crate::realtime::use_ws_manager;
use crate::state::{use_dashboard_store, use_session};
pub use alerts::merge_alerts;

#[component]
pub fn CostsPage() -> impl IntoView {
    let session = use_session();
    let store = use_dashboard_store();
    let poller = use_poller(Tier::Slow, move |poll| async move {
        let client = session.client();
        session.check(
            &client,
            api::reports::cost_breakdown(&client, DateRangeQuery::default(), &poll).await,
        )
    });
    let breakdown = poller.data;
    let refresh = Callback::new(move |()| (poller.refresh)());

    // Alerts the socket delivered: the latest one (which may have brought
    // the user here) and any raised while the page is open.
    let live = RwSignal::new(
        store
            .cost_alert()
            .get_untracked()
            .into_iter()
            .collect::<Vec<_>>(),
    );
    use_ws_manager().subscribe::<CostAlert>(move |_, alert| live.update(|l| l.push(alert.clone())));
    let alerts = Memo::new(move |_| {
        breakdown.with(|b| {
            let polled = b.as_ref().map_or(&[][..], |b| b.alerts.as_slice());
            live.with(|live| merge_alerts(polled, live))
        })
    });

    // Today's spend moves with every video: prefer the live overview.
    let metrics = store.metrics();
    let spent = Signal::derive(move || {
        metrics
            .with(|m| m.as_ref().map(|m| m.cost_today.get()))
            .unwrap_or_else(|| {
                breakdown.with(|b| b.as_ref().map_or(0.0, |b| b.budget.spent_today.get()))
            })
    });
    let budget = Signal::derive(move || {
        metrics
            .with(|m| m.as_ref().map(|m| m.daily_budget.get()))
            .unwrap_or_else(|| {
                breakdown.with(|b| b.as_ref().map_or(0.0, |b| b.budget.daily_budget.get()))
            })
    });
    let projected = Signal::derive(move || {
        breakdown.with(|b| b.as_ref().map(|b| b.budget.projected_daily_cost.get()))
    });
    let part = move |f: fn(&CostBreakdown) -> String| move || breakdown.with(|b| b.as_ref().map(f));

    view! {
        <section class="costs-page" data-testid="costs-page">
            <PageHeader title="Costs" freshness=poller.freshness error=poller.error on_refresh=refresh />
            <FirstLoad loaded=Signal::derive(move || breakdown.with(Option::is_some)) error=poller.error on_retry=refresh>
                <div class="panel-grid">
                    <div class="panel">
                        <h2 class="panel__title">"Today"</h2>
                        <BudgetGauge spent budget projected />
                    </div>
                    <div class="panel">
                        <h2 class="panel__title">
                            "Spend " {part(|b| format!("{} – {}", format::short_date(b.from), format::short_date(b.to)))}
                        </h2>
                        <p class="costs-page__total" data-testid="cost-total">
                            {part(|b| format::usd(b.total_cost))}
                        </p>
                        <ShareBar
                            title="By outcome"
                            parts=derive_from(breakdown, figures::outcome_shares)
                            format=format::signed_usd
                            testid="cost-by-stage"
                        />
                    </div>
                </div>
                <div class="panel-grid">
                    <div class="panel">
                        <ColumnChart
                            title="Spend per day"
                            category="Day"
                            labels=derive_from(breakdown, figures::day_labels)
                            series=derive_from(breakdown, figures::daily_spend)
                            format=format::usd_compact
                            testid="cost-by-day"
                        />
                    </div>
                    <div class="panel">
                        <BarList
                            title="By channel"
                            rows=derive_from(breakdown, figures::channel_spend)
                            format=format::signed_usd
                            testid="cost-by-channel"
                        />
                    </div>
                </div>
                <section class="panel" aria-labelledby="alert-history-title" data-testid="alert-history">
                    <h2 id="alert-history-title" class="panel__title">"Alert history"</h2>
                    <Show
                        when=move || alerts.with(|a| !a.is_empty())
                        fallback=|| view! {
                            <EmptyState title="No cost alerts" testid="alerts-empty">
                                "Alerts are raised at 80 %, 95 % and 100 % of the daily budget and for videos over $0.40. Nothing to act on."
                            </EmptyState>
                        }
                    >
                        <div class="table-scroll">
                            <table class="data-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Level"</th>
                                        <th scope="col">"Alert"</th>
                                        <th scope="col" class="num">"Cost"</th>
                                        <th scope="col" class="num">"Threshold"</th>
                                        <th scope="col">"Raised"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    <For each=move || alerts.get() key=|a| (a.timestamp, a.level, a.threshold.get().to_bits()) let:alert>
                                        <AlertRow alert />
                                    </For>
                                </tbody>
                            </table>
                        </div>
                    </Show>
                </section>
            </FirstLoad>
        </section>
    }
}

#[component]
fn AlertRow(alert: CostAlert) -> impl IntoView {
    let level = alert.level.as_str();
    view! {
        <tr data-testid="alert-row" data-level=level>
            <td>
                <span class="status-badge" data-level=level>{level}</span>
            </td>
            <td>{alert.message}</td>
            <td class="num">{format::usd(alert.current_cost)}</td>
            <td class="num">{format::usd(alert.threshold)}</td>
            <td>
                <Ago at=alert.timestamp />
            </td>
        </tr>
    }
}
