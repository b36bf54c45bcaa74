//! A clock the test advances by hand, for the WebSocket manager's timers:
//! the reconnect schedule, the connect timeout and the silence watchdog run
//! exactly when the test says time has passed, never on their own.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use std::time::Duration;

use ytempire_dashboard::realtime::clock::{Clock, SharedClock, Timer};

type Callback = Box<dyn FnOnce()>;

/// Pending callbacks keyed by (due time in µs, order of scheduling).
#[derive(Default)]
struct Pending {
    now_ms: Cell<f64>,
    next_seq: Cell<u64>,
    timers: RefCell<BTreeMap<(u64, u64), Callback>>,
}

#[derive(Clone, Default)]
pub struct FakeClock(Rc<Pending>);

/// Removes its callback from the clock when the manager drops the timer.
struct Cancel {
    pending: Weak<Pending>,
    key: (u64, u64),
}

impl Drop for Cancel {
    fn drop(&mut self) {
        if let Some(pending) = self.pending.upgrade() {
            // Dropped outside the borrow: the callback may own timers itself.
            let removed = pending.timers.borrow_mut().remove(&self.key);
            drop(removed);
        }
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> f64 {
        self.0.now_ms.get()
    }

    fn schedule(&self, after: Duration, callback: Callback) -> Timer {
        let seq = self.0.next_seq.get();
        self.0.next_seq.set(seq + 1);
        let key = (micros(self.now_ms()) + after.as_micros() as u64, seq);
        self.0.timers.borrow_mut().insert(key, callback);
        Timer::new(Cancel {
            pending: Rc::downgrade(&self.0),
            key,
        })
    }
}

impl FakeClock {
    pub fn shared(&self) -> SharedClock {
        SharedClock::new(self.clone())
    }

    /// How long from now each pending callback is due, soonest first.
    pub fn pending(&self) -> Vec<Duration> {
        let now = micros(self.now_ms());
        self.0
            .timers
            .borrow()
            .keys()
            .map(|(due, _)| Duration::from_micros(due - now))
            .collect()
    }

    /// Moves time forward by `by`, running every callback that falls due on
    /// the way, in order, each at its own due time.
    pub fn advance(&self, by: Duration) {
        let end = micros(self.now_ms()) + by.as_micros() as u64;
        loop {
            let due = {
                let mut timers = self.0.timers.borrow_mut();
                match timers.first_key_value() {
                    Some((&key, _)) if key.0 <= end => timers.remove_entry(&key),
                    _ => None,
                }
            };
            let Some(((at, _), callback)) = due else {
                break;
            };
            self.0.now_ms.set(at as f64 / 1000.0);
            callback();
        }
        self.0.now_ms.set(end as f64 / 1000.0);
    }
}

fn micros(ms: f64) -> u64 {
    (ms * 1000.0).round() as u64
}
