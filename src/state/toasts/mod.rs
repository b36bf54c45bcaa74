//! The toast store: the notification stack as a signal, with one timer armed
//! for the next toast to expire.

mod for_event;
mod queue;

pub use for_event::toast_for;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
pub use queue::{DEFAULT_CAPACITY, Toast, ToastAction, ToastId, ToastLevel, ToastQueue, ToastSpec};

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    queue: RwSignal<ToastQueue>,
}

pub fn provide_toasts() -> Toasts {
    let queue = RwSignal::new(ToastQueue::default());
    // Replacing the gloo `Timeout` cancels the previous one and frees its
    // closure; the timer is re-armed on every change to the stack.
    let timer = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        let deadline = queue.with(ToastQueue::next_deadline);
        let next = deadline.map(|at| {
            let wait_ms = (at - now()).clamp(0.0, f64::from(u32::MAX)) as u32;
            Timeout::new(wait_ms, move || _ = queue.try_update(|q| q.expire(now())))
        });
        timer.set_value(next);
    });
    on_cleanup(move || _ = timer.try_update_value(Option::take));
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

    pub fn clear(&self) {
        self.queue.update(ToastQueue::clear);
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
