//! The user's channels with today's figures.

use leptos::prelude::*;
use ytempire_protocol::{Channel, ChannelStatus};

use crate::components::format;
use crate::polling::use_channel_switch;
use crate::state::use_dashboard_store;

#[component]
pub fn ChannelList() -> impl IntoView {
    let channels = use_dashboard_store().channels();
    view! {
        <section class="channel-list" aria-labelledby="channel-list-title" data-testid="channel-list">
            <h2 id="channel-list-title" class="channel-list__title">"Channels"</h2>
            <Show
                when=move || channels.with(|c| !c.is_empty())
                fallback=|| view! { <p class="channel-list__empty">"No channels yet. Channels you create appear here."</p> }
            >
                <table class="channel-list__table">
                    <thead>
                        <tr>
                            <th scope="col">"Channel"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Videos today"</th>
                            <th scope="col" class="num">"Failed"</th>
                            <th scope="col" class="num">"Cost today"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || channels.get() key=|c| c.id.clone() let:channel>
                            <ChannelRow channel />
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[component]
fn ChannelRow(channel: Channel) -> impl IntoView {
    let channels = use_dashboard_store().channels();
    let id = channel.id.clone();
    // Rows are keyed by id, so live figures are read from the store.
    let current = Memo::new(move |_| channels.with(|c| c.iter().find(|c| c.id == id).cloned()));
    let figure = move |f: fn(&Channel) -> String| move || current.with(|c| c.as_ref().map(f));
    let switch = use_channel_switch();
    let (toggle_id, name) = (channel.id.clone(), channel.name.clone());
    view! {
        <tr data-testid="channel-row">
            <th scope="row">{channel.name}</th>
            <td>
                <span class="channel-list__status" data-status=move || current.with(|c| c.as_ref().map(|c| c.status.as_str()))>
                    {figure(|c| c.status.as_str().to_owned())}
                </span>
                {switch.map(|switch| {
                    let label = move || match current.with(|c| c.as_ref().map(|c| c.status)) {
                        Some(ChannelStatus::Active) => "Pause",
                        _ => "Resume",
                    };
                    view! {
                        <button
                            type="button"
                            class="channel-list__toggle"
                            data-testid="channel-toggle"
                            aria-label=move || format!("{} {name}", label())
                            on:click=move |_| switch.toggle(&toggle_id)
                        >
                            {label}
                        </button>
                    }
                })}
            </td>
            <td class="num">{figure(|c| format::count(c.videos_today))}</td>
            <td class="num">{figure(|c| format::count(c.failed_today))}</td>
            <td class="num">{figure(|c| format::usd(c.cost_today))}</td>
        </tr>
    }
}
