//! `/videos`: recent videos, filtered by status, with each failure's stage
//! and message and a Retry for retryable ones. Polled every 60 s.

mod filter;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use ytempire_protocol::{Video, VideoStatus};

use crate::api;
use crate::components::format;
use crate::pages::page_parts::{Ago, EmptyState, FirstLoad, PageHeader};
use crate::polling::{Tier, use_poller};
use crate::state::toasts::{ToastLevel, ToastSpec};
use crate::state::{use_session, use_toasts};
pub use filter::{VideoFilter, page_count};

#[component]
pub fn VideosPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| VideoFilter::from_query(q.get_str("status"), q.get_str("page")))
    });
    view! {
        <section class="videos-page" data-testid="videos-page">
            // A new filter is a new resource with its own poller.
            {move || view! { <VideoList filter=filter.get() /> }}
        </section>
    }
}

#[component]
fn VideoList(filter: VideoFilter) -> impl IntoView {
    let session = use_session();
    let poller = use_poller(Tier::Live, move |poll| async move {
        let client = session.client();
        session.check(
            &client,
            api::videos::list(&client, filter.query(), &poll).await,
        )
    });
    let page = poller.data;
    let refresh = Callback::new(move |()| (poller.refresh)());
    let items = move || page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
    let empty = move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty()));

    view! {
        <PageHeader title="Videos" freshness=poller.freshness error=poller.error on_refresh=refresh />
        <StatusFilter filter />
        <FirstLoad loaded=Signal::derive(move || page.with(Option::is_some)) error=poller.error on_retry=refresh>
            <Show
                when=move || !empty()
                fallback=move || {
                    view! {
                        <EmptyState title="No videos here" testid="videos-empty">
                            {match filter.status {
                                Some(_) => "Nothing has this status right now. Choose All to see every video.",
                                None => "Videos appear here as the pipeline starts them; check back after the next run.",
                            }}
                        </EmptyState>
                    }
                }
            >
                <div class="panel table-scroll">
                    <table class="data-table videos-page__table">
                        <thead>
                            <tr>
                                <th scope="col">"Video"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Failure"</th>
                                <th scope="col" class="num">"Cost"</th>
                                <th scope="col">"Created"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=items key=|v| (v.id.clone(), v.updated_at) let:video>
                                <VideoRow video refresh />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Pager filter total=Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.total))) />
            </Show>
        </FirstLoad>
    }
}

#[component]
fn StatusFilter(filter: VideoFilter) -> impl IntoView {
    let choices = std::iter::once(None).chain(VideoStatus::ALL.into_iter().map(Some));
    view! {
        <nav class="videos-page__filter" aria-label="Filter by status">
            {choices
                .map(|status| {
                    let label = status.map_or("All", VideoStatus::as_str);
                    let current = filter.status == status;
                    // A plain link: the router still navigates client-side,
                    // and `<A>` would mark every chip current (same path).
                    view! {
                        <a
                            href=filter.with_status(status).href()
                            class="videos-page__chip"
                            data-testid="video-filter"
                            data-status=label
                            aria-current=current.then_some("page")
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn VideoRow(video: Video, refresh: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let retrying = RwSignal::new(false);
    let requeued = RwSignal::new(false);
    let id = video.id.clone();
    let retry = move |_| {
        let id = id.clone();
        retrying.set(true);
        spawn_local(async move {
            let client = session.client();
            let result = session.check(&client, api::videos::retry(&client, &id).await);
            let spec = match result {
                Ok(()) => {
                    // Shown at once; the refresh (or the next poll, if one
                    // is already out) brings the server's row.
                    _ = requeued.try_set(true);
                    refresh.run(());
                    ToastSpec::new(
                        ToastLevel::Success,
                        "Retry Queued",
                        "The video is queued again.",
                        Some(Duration::from_secs(5)),
                    )
                }
                Err(e) => ToastSpec::new(
                    ToastLevel::Error,
                    "Retry Failed",
                    e.to_string(),
                    Some(Duration::from_secs(10)),
                ),
            };
            toasts.push(spec);
            _ = retrying.try_set(false);
        });
    };
    let retryable = video.status == VideoStatus::Failed && video.retryable == Some(true);
    let server_status = video.status;
    let status = move || {
        if requeued.get() {
            VideoStatus::Queued
        } else {
            server_status
        }
        .as_str()
    };
    let failure = (video.status == VideoStatus::Failed).then(|| {
        view! {
            <span class="videos-page__stage">{video.stage.map(|s| s.as_str())}</span>
            " "
            <span class="videos-page__message">{video.error_message.clone()}</span>
        }
    });
    let title = match video.url.clone() {
        Some(url) => view! { <a href=url.as_str().to_owned() target="_blank" rel="noopener noreferrer">{video.title.clone()}</a> }.into_any(),
        None => video.title.clone().into_any(),
    };

    view! {
        <tr data-testid="video-row" data-video-id=video.id.to_string() data-status=video.status.as_str()>
            <td>
                <span class="videos-page__title">{title}</span>
                <span class="videos-page__channel">{video.channel_name.clone()}</span>
            </td>
            <td>
                <span class="status-badge" data-testid="video-status" data-status=status>
                    {status}
                </span>
            </td>
            <td data-testid="video-failure">{failure}</td>
            <td class="num">{format::usd(video.cost)}</td>
            <td>
                <Ago at=video.created_at />
            </td>
            <td>
                {retryable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                data-testid="video-retry"
                                disabled=move || retrying.get()
                                hidden=move || requeued.get()
                                on:click=retry.clone()
                            >
                                {move || if retrying.get() { "Retrying…" } else { "Retry" }}
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}

#[component]
fn Pager(filter: VideoFilter, total: Signal<u32>) -> impl IntoView {
    let pages = move || page_count(total.get());
    view! {
        <nav class="videos-page__pager" aria-label="Pages" data-testid="videos-pager">
            <Show when=move || { filter.page > 1 }>
                <A href=filter.with_page(filter.page - 1).href()>"Newer"</A>
            </Show>
            <span>{move || format!("Page {} of {}", filter.page, pages())}</span>
            <Show when=move || { filter.page < pages() }>
                <A href=filter.with_page(filter.page + 1).href()>"Older"</A>
            </Show>
        </nav>
    }
}
