//! The toast stack: timing, hover pause, dismiss, cap, actions, and that
//! payload text is never markup.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::components::toast::ToastRegion;
use ytempire_dashboard::state::toasts::{DEFAULT_CAPACITY, ToastAction, ToastLevel, ToastSpec};
use ytempire_dashboard::state::{Toasts, provide_session, provide_toasts};
use ytempire_protocol::Id;

use crate::fakes::{FakeServer, Reply, holds_for};
use crate::support::{Mounted, mount, toast_titles, wait_until};

fn mount_toasts() -> (Mounted, Toasts) {
    let handle = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();
    let mounted = mount(move || {
        provide_session();
        out.set(Some(provide_toasts()));
        view! { <ToastRegion /> }
    });
    (mounted, handle.take().unwrap())
}

fn info(title: &str, lifetime_ms: Option<u64>) -> ToastSpec {
    ToastSpec::new(
        ToastLevel::Info,
        title,
        "body",
        lifetime_ms.map(Duration::from_millis),
    )
}

#[wasm_bindgen_test]
async fn region_is_announced_to_screen_readers() {
    let (mounted, _toasts) = mount_toasts();
    let region = mounted.one("[data-testid=toasts]").unwrap();
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
async fn a_toast_shows_then_expires() {
    let (mounted, toasts) = mount_toasts();
    toasts.push(info("short", Some(150)));
    toasts.push(info("sticky", None));
    wait_until("both toasts shown", || {
        toast_titles(&mounted) == ["short", "sticky"]
    })
    .await;
    wait_until("short toast expired", || {
        toast_titles(&mounted) == ["sticky"]
    })
    .await;
}

#[wasm_bindgen_test]
async fn hovering_keeps_a_toast_until_the_pointer_leaves() {
    let (mounted, toasts) = mount_toasts();
    toasts.push(info("hovered", Some(200)));
    wait_until("toast shown", || toast_titles(&mounted) == ["hovered"]).await;
    let toast = mounted.one("[data-testid=toast]").unwrap();
    toast
        .dispatch_event(&web_sys::Event::new("mouseenter").unwrap())
        .unwrap();

    // Outlive the lifetime several times over while hovered: still there.
    holds_for("the hovered toast stays", 600.0, || {
        toast_titles(&mounted) == ["hovered"]
    })
    .await;

    toast
        .dispatch_event(&web_sys::Event::new("mouseleave").unwrap())
        .unwrap();
    wait_until("expired after leaving", || {
        toast_titles(&mounted).is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn dismiss_removes_the_toast() {
    let (mounted, toasts) = mount_toasts();
    toasts.push(info("one", None));
    toasts.push(info("two", None));
    wait_until("two toasts", || toast_titles(&mounted).len() == 2).await;
    mounted.click("[data-testid=toast-dismiss]");
    wait_until("first dismissed", || toast_titles(&mounted) == ["two"]).await;
}

#[wasm_bindgen_test]
async fn the_stack_is_capped() {
    let (mounted, toasts) = mount_toasts();
    let overflow = 3;
    let pushed = DEFAULT_CAPACITY + overflow;
    for n in 0..pushed {
        toasts.push(info(&format!("t{n}"), Some(60_000)));
    }
    let newest: Vec<String> = (overflow..pushed).map(|n| format!("t{n}")).collect();
    wait_until("capped stack", || toast_titles(&mounted) == newest).await;
}

#[wasm_bindgen_test]
async fn payload_text_is_rendered_as_text() {
    let (mounted, toasts) = mount_toasts();
    let hostile = r#"<img src=x onerror="window.pwned=1">"#;
    toasts.push(ToastSpec::new(ToastLevel::Error, hostile, hostile, None));
    wait_until("toast shown", || toast_titles(&mounted).len() == 1).await;
    assert!(mounted.one("[data-testid=toast] img").is_none());
    assert_eq!(
        mounted
            .text("[data-testid=toast] .toast__message")
            .as_deref(),
        Some(hostile)
    );
}

#[wasm_bindgen_test]
async fn view_details_links_to_the_costs_page() {
    let (mounted, toasts) = mount_toasts();
    toasts.push(info("Cost Warning", None).with_action(ToastAction::ViewCosts));
    wait_until("toast shown", || toast_titles(&mounted).len() == 1).await;
    let action = mounted.one("[data-testid=toast-action]").unwrap();
    assert_eq!(action.text_content().as_deref(), Some("View Details"));
    let href = action.unchecked_into::<web_sys::HtmlAnchorElement>().href();
    assert!(href.ends_with("/costs"), "{href}");
}

/// Pushes a failure toast for `v-1` with its Retry action and presses it.
async fn press_retry(mounted: &Mounted, toasts: Toasts) {
    toasts.push(
        ToastSpec::new(
            ToastLevel::Error,
            "Video Generation Failed",
            "Failed at audio: x",
            None,
        )
        .with_action(ToastAction::RetryVideo(Id::new("v-1").unwrap())),
    );
    wait_until("toast shown", || toast_titles(mounted).len() == 1).await;
    mounted.click("[data-testid=toast-action]");
}

fn toast_messages(mounted: &Mounted) -> Vec<String> {
    mounted
        .all("[data-testid=toast] .toast__message")
        .iter()
        .filter_map(|e| e.text_content())
        .collect()
}

#[wasm_bindgen_test]
async fn retry_reports_the_servers_refusal() {
    let server = FakeServer::install(|seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/api/v1/videos/v-1/retry") => {
            Reply::text(409, r#"{"error":"video v-1 is not failed","field":null}"#)
        }
        _ => Reply::text(404, r#"{"error":"no such route"}"#),
    });
    let (mounted, toasts) = mount_toasts();
    press_retry(&mounted, toasts).await;
    wait_until("the refusal reported", || {
        toast_titles(&mounted) == ["Retry Failed"]
    })
    .await;
    assert_eq!(toast_messages(&mounted), ["video v-1 is not failed"]);
    assert_eq!(server.count("POST", "/api/v1/videos/v-1/retry"), 1);
    assert_eq!(server.seen().len(), 1, "{:?}", server.seen());
}

#[wasm_bindgen_test]
async fn retry_reports_success() {
    let server = FakeServer::install(|seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/api/v1/videos/v-1/retry") => Reply::text(202, "{}"),
        _ => Reply::text(404, r#"{"error":"no such route"}"#),
    });
    let (mounted, toasts) = mount_toasts();
    press_retry(&mounted, toasts).await;
    wait_until("the retry reported", || {
        toast_titles(&mounted) == ["Retry Queued"]
    })
    .await;
    assert_eq!(
        toast_messages(&mounted),
        ["Video v-1 will be generated again."]
    );
    assert_eq!(server.count("POST", "/api/v1/videos/v-1/retry"), 1);
}
