//! The newest finished videos: those the WebSocket reports, then those the
//! videos API listed when the page was opened.

use leptos::prelude::*;
use leptos::tachys::view::keyed::keyed;

use crate::components::format;
use crate::state::dashboard::{Outcome, RecentVideo};
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
                    {move || keyed(videos.get(), |v| v.id.clone(), |_, video| (drop, view! {
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
    let meta = view! {
        <span class="recent-videos__meta">{video.channel_name} " · " {format::usd(video.cost)}</span>
    };
    match video.outcome {
        Outcome::Published { title, url } => view! {
            <span class="recent-videos__badge" data-status="completed">"Published"</span>
            <a class="recent-videos__name" href=url.as_str().to_owned() target="_blank" rel="noopener noreferrer">{title}</a>
            {meta}
        }
        .into_any(),
        Outcome::Failed { stage, message } => view! {
            <span class="recent-videos__badge" data-status="failed">"Failed"</span>
            <span class="recent-videos__name">{format!("{} stage: {message}", stage.as_str())}</span>
            {meta}
        }
        .into_any(),
    }
}
