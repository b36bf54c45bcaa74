//! Mounting, querying and waiting helpers shared by the browser tests.

use gloo_timers::future::TimeoutFuture;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use ytempire_dashboard::realtime::{
    WsManager, WsOptions, provide_latency_monitor, provide_ws_manager_with_options,
    use_realtime_sync,
};
use ytempire_dashboard::state::{provide_dashboard_store, provide_session, provide_toasts};

/// A view mounted into its own element; unmounting (and disposing its
/// owner) happens on drop.
pub struct Mounted {
    root: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

/// Mounts `view` under the signed-in app's stores and real-time wiring, with
/// a WebSocket manager pointed nowhere so frames are fed in by hand.
pub fn mount_signed_in_app<V: IntoView + 'static>(
    view: impl FnOnce() -> V + 'static,
) -> (Mounted, WsManager) {
    clear_local_storage();
    let ws = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = ws.clone();
    let mounted = mount(move || {
        provide_session();
        provide_dashboard_store();
        provide_toasts();
        provide_latency_monitor();
        out.set(Some(provide_ws_manager_with_options(WsOptions::new(
            "ws://127.0.0.1:1",
        ))));
        use_realtime_sync();
        view()
    });
    (mounted, ws.take().expect("the app was mounted"))
}

/// Forgets whatever an earlier test stored (a signed-in session above
/// all). A failing wasm test panics without running destructors, so tests
/// that start signed out cannot count on the last one having cleaned up.
pub fn clear_local_storage() {
    if let Some(storage) = window().local_storage().ok().flatten() {
        storage.clear().unwrap();
    }
}

pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), view);
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    pub fn one(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn text(&self, selector: &str) -> Option<String> {
        self.one(selector).and_then(|e| e.text_content())
    }

    pub fn click(&self, selector: &str) {
        self.one(selector)
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
            .unchecked_into::<HtmlElement>()
            .click();
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// How long any browser test waits for a condition: generous, so a loaded
/// machine makes a test slower, never failing; the e2e layer uses the same.
pub const DEADLINE_MS: f64 = 20_000.0;

/// Waits until `condition` holds, failing after [`DEADLINE_MS`].
pub async fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + DEADLINE_MS;
    loop {
        if condition() {
            return;
        }
        assert!(
            js_sys::Date::now() < deadline,
            "timed out after {DEADLINE_MS} ms waiting for {what}"
        );
        TimeoutFuture::new(10).await;
    }
}

/// The titles of the toasts on screen, oldest first.
pub fn toast_titles(mounted: &Mounted) -> Vec<String> {
    mounted
        .all("[data-testid=toast] .toast__title")
        .iter()
        .filter_map(|e| e.text_content())
        .collect()
}
