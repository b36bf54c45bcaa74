//! The toast store: the notification stack as a signal, with one timer armed
//! for the next toast to expire.

mod for_event;
mod queue;

use std::time::Duration;

pub use for_event::toast_for;
use leptos::prelude::*;
pub use queue::{Toast, ToastAction, ToastId, ToastLevel, ToastQueue, ToastSpec};

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    queue: RwSignal<ToastQueue>,
}

pub fn provide_toasts() -> Toasts {
    let queue = RwSignal::new(ToastQueue::default());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let deadline = queue.with(ToastQueue::next_deadline);
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = deadline.and_then(|at| {
            let wait = Duration::from_secs_f64((at - now()).max(0.0) / 1000.0);
            set_timeout_with_handle(move || _ = queue.try_update(|q| q.expire(now())), wait).ok()
        });
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    });
    let toasts = Toasts { queue };
    provide_context(toasts);
    toasts
}

pub fn use_toasts() -> Toasts {
    expect_context()
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Toasts {
    pub fn push(&self, spec: ToastSpec) -> ToastId {
        self.queue.write().push(spec, now())
    }

    pub fn dismiss(&self, id: ToastId) {
        self.queue.update(|q| _ = q.dismiss(id));
    }

    /// Stops the toast's clock, e.g. while it is hovered.
    pub fn pause(&self, id: ToastId) {
        self.queue.update(|q| q.pause(id, now()));
    }

    pub fn resume(&self, id: ToastId) {
        self.queue.update(|q| q.resume(id, now()));
    }

    /// The visible toasts, oldest first.
    pub fn list(&self) -> Vec<Toast> {
        self.queue.with(|q| q.toasts().to_vec())
    }
}
