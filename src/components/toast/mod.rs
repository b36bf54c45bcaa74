//! The notification stack: an `aria-live` region of toasts that pause their
//! timeout while hovered or focused.

use leptos::prelude::*;
use leptos::tachys::view::keyed::keyed;

use crate::api;
use crate::state::toasts::{Toast, ToastAction, ToastId, ToastLevel, ToastSpec};
use crate::state::{Toasts, use_session, use_toasts};

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <section class="toast-region" aria-live="polite" aria-label="Notifications" data-testid="toasts">
            // Not `<For>`: it gives each row an `Owner` registered under this
            // long-lived owner, whose `children` list (reactive_graph 0.2)
            // keeps every dead row's allocation, about 100 bytes of wasm
            // memory per toast ever shown. The rows are static, so they need
            // no owner of their own.
            {move || keyed(toasts.list(), |toast| toast.id, |_, toast| (drop, view! { <ToastItem toast /> }))}
        </section>
    }
}

#[component]
fn ToastItem(toast: Toast) -> impl IntoView {
    let toasts = use_toasts();
    let Toast { id, spec, .. } = toast;
    let ToastSpec {
        level,
        title,
        message,
        link,
        action,
        ..
    } = spec;
    // Payload text goes in as text nodes, never as markup; links only come
    // from validated http(s) URLs.
    view! {
        <div
            class="toast"
            data-level=level.as_str()
            data-testid="toast"
            on:mouseenter=move |_| toasts.pause(id)
            on:mouseleave=move |_| toasts.resume(id)
            on:focusin=move |_| toasts.pause(id)
            on:focusout=move |_| toasts.resume(id)
        >
            <div class="toast__body">
                <p class="toast__title">{title}</p>
                <p class="toast__message">{message}</p>
                {link.map(|url| {
                    view! {
                        <a class="toast__link" href=url.as_str().to_owned() target="_blank" rel="noopener noreferrer">
                            "Open video"
                        </a>
                    }
                })}
            </div>
            {action.map(|action| view! { <ToastActionControl id action /> })}
            <button
                type="button"
                class="toast__dismiss"
                aria-label="Dismiss notification"
                data-testid="toast-dismiss"
                on:click=move |_| toasts.dismiss(id)
            >
                "×"
            </button>
        </div>
    }
}

#[component]
fn ToastActionControl(id: ToastId, action: ToastAction) -> impl IntoView {
    let toasts = use_toasts();
    let label = action.label();
    match action {
        ToastAction::ViewCosts => view! {
            <a class="toast__action" href="/costs" data-testid="toast-action" on:click=move |_| toasts.dismiss(id)>
                {label}
            </a>
        }
        .into_any(),
        ToastAction::RetryVideo(video_id) => {
            let session = use_session();
            let retry = move |_| {
                toasts.dismiss(id);
                let video_id = video_id.clone();
                leptos::task::spawn_local(async move {
                    let client = session.client();
                    let result = session.check(&client, api::videos::retry(&client, &video_id).await);
                    report_retry(toasts, &video_id, result);
                });
            };
            view! {
                <button type="button" class="toast__action" data-testid="toast-action" on:click=retry>
                    {label}
                </button>
            }
            .into_any()
        }
    }
}

fn report_retry(
    toasts: Toasts,
    video_id: &ytempire_protocol::Id,
    result: Result<(), api::ApiError>,
) {
    let spec = match result {
        Ok(()) => ToastSpec::new(
            ToastLevel::Success,
            "Retry Queued",
            format!("Video {video_id} will be generated again."),
            Some(std::time::Duration::from_secs(5)),
        ),
        Err(e) => ToastSpec::new(
            ToastLevel::Error,
            "Retry Failed",
            e.to_string(),
            Some(std::time::Duration::from_secs(10)),
        ),
    };
    toasts.push(spec);
}
