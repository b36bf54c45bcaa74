//! `/channels`: every channel's figures for today and its switch. The data
//! is the overview the signed-in layout already polls every 60 s.

use leptos::prelude::*;
use ytempire_protocol::{Channel, ChannelStatus, Id};

use crate::charts::{BarList, Share};
use crate::components::format;
use crate::pages::page_parts::{EmptyState, FirstLoad, PageHeader};
use crate::polling::{use_channel_switch, use_overview_poll};
use crate::state::use_dashboard_store;

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let store = use_dashboard_store();
    let poll = use_overview_poll();
    let channels = store.channels();
    let loaded = Signal::derive(move || store.metrics().with(Option::is_some));
    let spend = Signal::derive(move || {
        channels.with(|channels| {
            channels
                .iter()
                .map(|c| Share {
                    label: c.name.clone(),
                    value: c.cost_today.get(),
                })
                .collect()
        })
    });

    view! {
        <section class="channels-page" data-testid="channels-page">
            <PageHeader
                title="Channels"
                freshness=poll.freshness
                error=poll.error
                on_refresh=poll.refresh
            />
            <FirstLoad loaded error=poll.error on_retry=poll.refresh>
                <Show
                    when=move || channels.with(|c| !c.is_empty())
                    fallback=|| {
                        view! {
                            <EmptyState title="No channels yet" testid="channels-empty">
                                "Channels appear here once they are set up for your account; "
                                "then press Refresh."
                            </EmptyState>
                        }
                    }
                >
                    <ul class="channels-page__grid">
                        <For each=move || channels.get() key=|c| c.id.clone() let:channel>
                            <ChannelCard id=channel.id />
                        </For>
                    </ul>
                    <div class="panel">
                        <BarList
                            title="Spend today by channel"
                            rows=spend
                            format=format::signed_usd
                            testid="channel-spend"
                        />
                    </div>
                </Show>
            </FirstLoad>
        </section>
    }
}

#[component]
fn ChannelCard(id: Id) -> impl IntoView {
    let channels = use_dashboard_store().channels();
    let switch = use_channel_switch();
    let (card_id, dom_id) = (id.clone(), id.to_string());
    // Cards are keyed by id; live figures are read from the store.
    let current =
        Memo::new(move |_| channels.with(|c| c.iter().find(|c| c.id == card_id).cloned()));
    let figure = move |f: fn(&Channel) -> String| move || current.with(|c| c.as_ref().map(f));
    let status = move || current.with(|c| c.as_ref().map(|c| c.status));

    view! {
        <li
            class="panel channels-page__card"
            data-testid="channel-card"
            data-channel-id=dom_id
            data-status=move || status().map(ChannelStatus::as_str)
        >
            <header class="channels-page__card-head">
                <h2 class="channels-page__name">{figure(|c| c.name.clone())}</h2>
                <span
                    class="status-badge"
                    data-testid="channel-status"
                    data-status=move || status().map(ChannelStatus::as_str)
                >
                    {move || status().map(ChannelStatus::as_str)}
                </span>
            </header>
            <dl class="channels-page__figures">
                <div>
                    <dt>"Videos today"</dt>
                    <dd data-testid="channel-videos-today">{figure(|c| format::count(c.videos_today))}</dd>
                </div>
                <div>
                    <dt>"Failed today"</dt>
                    <dd data-testid="channel-failed-today">{figure(|c| format::count(c.failed_today))}</dd>
                </div>
                <div>
                    <dt>"Success rate"</dt>
                    <dd data-testid="channel-success-rate">
                        {figure(|c| {
                            success_rate(c.videos_today, c.failed_today)
                                .map_or_else(|| "–".to_owned(), format::percent)
                        })}
                    </dd>
                </div>
                <div>
                    <dt>"Cost today"</dt>
                    <dd data-testid="channel-cost-today">{figure(|c| format::usd(c.cost_today))}</dd>
                </div>
                <div>
                    <dt>"All-time videos"</dt>
                    <dd>{figure(|c| format::count(c.total_videos))}</dd>
                </div>
            </dl>
            {switch
                .map(|switch| {
                    let label = move || match status() {
                        Some(ChannelStatus::Active) => "Pause channel",
                        _ => "Resume channel",
                    };
                    view! {
                        <button
                            type="button"
                            class="channels-page__toggle"
                            data-testid="channel-toggle"
                            aria-pressed=move || (status() == Some(ChannelStatus::Paused)).to_string()
                            on:click=move |_| switch.toggle(&id)
                        >
                            {label}
                        </button>
                    }
                })}
        </li>
    }
}

/// Completed videos as a share of finished ones; `None` before any finished.
fn success_rate(completed: u32, failed: u32) -> Option<f64> {
    let finished = completed + failed;
    (finished > 0).then(|| f64::from(completed) / f64::from(finished))
}

#[cfg(test)]
mod tests {
    use super::success_rate;

    #[test]
    fn success_rate_needs_finished_videos() {
        assert_eq!(success_rate(0, 0), None);
        assert_eq!(success_rate(3, 1), Some(0.75));
        assert_eq!(success_rate(0, 2), Some(0.0));
    }
}
