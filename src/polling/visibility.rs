//! `use_document_visibility`: whether the tab is visible, by the Page
//! Visibility API.

use leptos::prelude::*;
use web_sys::VisibilityState;

/// `true` while the page is visible; follows `visibilitychange` until the
/// calling owner is cleaned up.
pub fn use_document_visibility() -> Signal<bool> {
    let visible = RwSignal::new(is_visible());
    let listener =
        window_event_listener_untyped("visibilitychange", move |_| visible.set(is_visible()));
    on_cleanup(move || listener.remove());
    visible.into()
}

fn is_visible() -> bool {
    document().visibility_state() != VisibilityState::Hidden
}
