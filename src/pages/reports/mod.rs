//! `/reports`: on demand only. The user picks a date range and runs the
//! report; nothing is fetched on a timer. The CSV export downloads the
//! server's file for the same range.

mod download;
mod range;

use leptos::prelude::*;
use leptos::task::spawn_local;
use ytempire_protocol::{Date, Timestamp, TrendPoint, Trends};

use crate::api;
use crate::components::format;
use crate::pages::analytics::Totals;
use crate::pages::page_parts::EmptyState;
use crate::polling::{Cadence, PollStatus, Tier, UsePollerOptions, use_poller_with_options};
use crate::state::use_session;
pub use range::{RangeError, ReportRange};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let session = use_session();
    let today = Date::of(Timestamp::from_millis(js_sys::Date::now() as i64));
    let initial = ReportRange::last_days(today, 30);
    let from = RwSignal::new(initial.from.to_string());
    let to = RwSignal::new(initial.to.to_string());
    let chosen = RwSignal::new(initial);
    let problem = RwSignal::new(None::<String>);
    let downloading = RwSignal::new(false);

    let report = use_poller_with_options(
        move |poll| async move {
            let range = chosen.get_untracked().query();
            let client = session.client();
            session.check(&client, api::reports::trends(&client, range, &poll).await)
        },
        UsePollerOptions::new(Cadence::of(Tier::OnDemand)),
    );
    let run = report.refresh.clone();
    let refresh = Callback::new(move |()| (report.refresh)());
    let data = report.data;
    let busy = move || report.freshness.get().refreshing;

    let checked = move || ReportRange::parse(&from.get_untracked(), &to.get_untracked());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match checked() {
            Ok(range) => {
                problem.set(None);
                chosen.set(range);
                run();
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let download = move |_| {
        let range = match checked() {
            Ok(range) => range,
            Err(e) => return problem.set(Some(e.to_string())),
        };
        problem.set(None);
        downloading.set(true);
        spawn_local(async move {
            let client = session.client();
            let csv = session.check(
                &client,
                api::reports::videos_csv(&client, range.query()).await,
            );
            let saved = csv.map_err(|e| e.to_string()).and_then(|csv| {
                download::save_text(&range.file_name(), "text/csv", &csv)
                    .map_err(|_| "the browser refused the download".to_owned())
            });
            _ = problem.try_set(saved.err().map(|e| format!("Export failed: {e}")));
            _ = downloading.try_set(false);
        });
    };

    view! {
        <section class="reports-page" data-testid="reports-page">
            <header class="page-header">
                <h1 class="page-header__title">"Reports"</h1>
                <Show when=move || data.with(Option::is_some)>
                    <PollStatus freshness=report.freshness error=report.error on_refresh=refresh />
                </Show>
            </header>
            <form class="panel reports-page__form" on:submit=on_submit>
                <label>
                    "From"
                    <input type="date" required data-testid="report-from" bind:value=from />
                </label>
                <label>
                    "To"
                    <input type="date" required data-testid="report-to" bind:value=to />
                </label>
                <button type="submit" data-testid="report-run" disabled=busy>
                    {move || if busy() { "Running…" } else { "Run report" }}
                </button>
                <button
                    type="button"
                    data-testid="report-download"
                    disabled=move || downloading.get()
                    on:click=download
                >
                    {move || if downloading.get() { "Preparing…" } else { "Download CSV" }}
                </button>
            </form>
            {move || problem.get().map(|p| view! { <p class="load-error" role="alert" data-testid="report-error">{p}</p> })}
            {move || report.error.get().map(|e| view! { <p class="load-error" role="alert" data-testid="report-error">"Report failed: " {e.to_string()}</p> })}
            <Show
                when=move || data.with(Option::is_some)
                fallback=move || view! {
                    <EmptyState title="No report yet" testid="report-empty">
                        "Choose a date range and press Run report. Download CSV exports the videos created in that range."
                    </EmptyState>
                }
            >
                {move || data.get().map(|trends| view! { <ReportTable trends /> })}
            </Show>
        </section>
    }
}

#[component]
fn ReportTable(trends: Trends) -> impl IntoView {
    let totals = Totals::of(&trends.points);
    view! {
        <section class="panel" data-testid="report-summary" aria-labelledby="report-title">
            <h2 id="report-title" class="panel__title">
                {format!("{} to {}", trends.from, trends.to)}
            </h2>
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Day"</th>
                            <th scope="col" class="num">"Completed"</th>
                            <th scope="col" class="num">"Failed"</th>
                            <th scope="col" class="num">"Spend"</th>
                            <th scope="col" class="num">"Revenue"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trends.points.into_iter().rev().map(|p| view! { <ReportRow point=p /> }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr data-testid="report-total">
                            <th scope="row">"Total"</th>
                            <td class="num" data-testid="report-total-videos">{format::count_u64(totals.videos)}</td>
                            <td class="num" data-testid="report-total-failed">{format::count_u64(totals.failed)}</td>
                            <td class="num" data-testid="report-total-cost">{format::signed_usd(totals.cost)}</td>
                            <td class="num" data-testid="report-total-revenue">{format::signed_usd(totals.revenue)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
}

#[component]
fn ReportRow(point: TrendPoint) -> impl IntoView {
    view! {
        <tr data-testid="report-row" data-date=point.date.to_string()>
            <th scope="row">{point.date.to_string()}</th>
            <td class="num">{format::count(point.videos)}</td>
            <td class="num">{format::count(point.failed)}</td>
            <td class="num">{format::usd(point.cost)}</td>
            <td class="num">{format::usd(point.revenue)}</td>
        </tr>
    }
}
