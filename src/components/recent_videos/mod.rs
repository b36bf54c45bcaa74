//! The newest videos as the WebSocket reports them.

use leptos::prelude::*;
use leptos::tachys::view::keyed::keyed;

use crate::components::format;
use crate::state::dashboard::RecentVideo;
use crate::state::use_dashboard_store;

#[component]
pub fn RecentVideos() -> impl IntoView {
    let videos = use_dashboard_store().recent_videos();
    view! {
        <section class="recent-videos" aria-labelledby="recent-videos-title" data-testid="recent-videos">
            <h2 id="recent-videos-title" class="recent-videos__title">"Recent videos"</h2>
            <Show
                when=move || videos.with(|v| !v.is_empty())
                fallback=|| view! { <p class="recent-videos__empty">"Videos appear here the moment they finish or fail."</p> }
            >
                <ul class="recent-videos__list">
                    // Not `<For>`, which leaks ~100 bytes per row ever shown
                    // (see ToastRegion); the rows are static.
                    {move || keyed(videos.get(), |v| v.video_id().clone(), |_, video| (drop, view! {
                        <li class="recent-videos__item" data-testid="recent-video">
                            {render(video)}
                        </li>
                    }))}
                </ul>
            </Show>
        </section>
    }
}

fn render(video: RecentVideo) -> impl IntoView {
    match video {
        RecentVideo::Completed(v) => view! {
            <span class="recent-videos__badge" data-status="completed">"Published"</span>
            <a class="recent-videos__name" href=v.url.as_str().to_owned() target="_blank" rel="noopener noreferrer">{v.title}</a>
            <span class="recent-videos__meta">{v.channel_name} " · " {format::usd(v.cost)}</span>
        }
        .into_any(),
        RecentVideo::Failed(v) => view! {
            <span class="recent-videos__badge" data-status="failed">"Failed"</span>
            <span class="recent-videos__name">{format!("{} stage: {}", v.error.stage.as_str(), v.error.message)}</span>
            <span class="recent-videos__meta">{v.channel_name} " · " {format::usd(v.cost)}</span>
        }
        .into_any(),
    }
}
