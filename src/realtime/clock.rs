//! The time source and timers of the WebSocket manager, behind one seam so a
//! test can drive the reconnect schedule with a clock it advances by hand.

use std::any::Any;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::Timeout;

/// Milliseconds now, and one-shot timers.
pub trait Clock {
    /// Milliseconds on any clock that does not jump back while a page runs.
    fn now_ms(&self) -> f64;

    /// Calls `callback` once, `after` from now, unless the returned timer is dropped first.
    fn schedule(&self, after: Duration, callback: Box<dyn FnOnce()>) -> Timer;
}

/// A pending callback; dropping it cancels the callback and frees its closure.
pub struct Timer {
    _cancel_on_drop: Box<dyn Any>,
}

impl Timer {
    /// Wraps whatever cancels the callback when it is dropped.
    pub fn new(cancel_on_drop: impl Any) -> Self {
        Self {
            _cancel_on_drop: Box::new(cancel_on_drop),
        }
    }
}

/// The browser's clock: `performance.now()`, which a change of the system
/// time does not move (`Date.now()` does), and `setTimeout` through gloo.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|window| window.performance())
            .map_or_else(js_sys::Date::now, |performance| performance.now())
    }

    fn schedule(&self, after: Duration, callback: Box<dyn FnOnce()>) -> Timer {
        // A cancelled `set_timeout_with_handle` would leak its closure;
        // dropping a gloo `Timeout` frees it.
        let millis = after.as_millis().try_into().unwrap_or(u32::MAX);
        Timer::new(Timeout::new(millis, callback))
    }
}

/// A shared [`Clock`], as the manager's options hold it.
#[derive(Clone)]
pub struct SharedClock(Rc<dyn Clock>);

impl SharedClock {
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self(Rc::new(clock))
    }

    pub fn now_ms(&self) -> f64 {
        self.0.now_ms()
    }

    pub fn schedule(&self, after: Duration, callback: Box<dyn FnOnce()>) -> Timer {
        self.0.schedule(after, callback)
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        Self::new(BrowserClock)
    }
}

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedClock")
    }
}

/// Two handles are equal when they share one clock.
impl PartialEq for SharedClock {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
