//! hyper's clock for one connection, which tells a request head that is late
//! from a kept-alive connection that is merely idle.
//!
//! hyper arms its header-read timer as soon as it waits for a head, also
//! while a kept-alive connection waits for its next request, so on its own
//! one timeout would bound both. With this timer the first head of a
//! connection must be complete within the header timeout of the accept;
//! each later one within the header timeout of its first byte, and that byte
//! must come within the idle timeout.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

pub struct HeadTimer {
    bytes_read: Arc<AtomicU64>,
    header_timeout: Duration,
    idle_timeout: Duration,
    first_head: AtomicBool,
    awaiting_head: Arc<AtomicBool>,
}

impl HeadTimer {
    pub fn new(
        bytes_read: Arc<AtomicU64>,
        header_timeout: Duration,
        idle_timeout: Duration,
    ) -> Self {
        Self {
            bytes_read,
            header_timeout,
            idle_timeout,
            first_head: AtomicBool::new(true),
            awaiting_head: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether hyper is waiting for (the rest of) a request head: then no
    /// request is in flight on the connection.
    pub fn awaiting_head(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.awaiting_head)
    }
}

impl Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        Box::pin(HeadDeadline::at(Instant::now() + duration))
    }

    /// hyper asks for one deadline per request head and drops it once the
    /// head is in.
    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        self.awaiting_head.store(true, Ordering::Relaxed);
        if self.first_head.swap(false, Ordering::Relaxed) {
            let mut head = HeadDeadline::at(deadline);
            head.awaiting_head = Some(Arc::clone(&self.awaiting_head));
            return Box::pin(head);
        }
        let mut idle = HeadDeadline::at(Instant::now() + self.idle_timeout);
        idle.awaiting_head = Some(Arc::clone(&self.awaiting_head));
        idle.until_first_byte = Some(FirstByte {
            bytes_read: Arc::clone(&self.bytes_read),
            read_before: self.bytes_read.load(Ordering::Relaxed),
            header_timeout: self.header_timeout,
        });
        Box::pin(idle)
    }
}

/// Fires at its deadline; while `until_first_byte` is set, that deadline is
/// the idle one, replaced by a header deadline once a byte comes in.
struct HeadDeadline {
    sleep: Pin<Box<tokio::time::Sleep>>,
    until_first_byte: Option<FirstByte>,
    /// Cleared when the deadline of a head is dropped.
    awaiting_head: Option<Arc<AtomicBool>>,
}

struct FirstByte {
    bytes_read: Arc<AtomicU64>,
    read_before: u64,
    header_timeout: Duration,
}

impl HeadDeadline {
    fn at(deadline: Instant) -> Self {
        Self {
            sleep: Box::pin(tokio::time::sleep_until(deadline.into())),
            until_first_byte: None,
            awaiting_head: None,
        }
    }
}

impl Future for HeadDeadline {
    type Output = ();

    /// hyper polls this after every read that leaves the head incomplete,
    /// so the first byte is seen as it arrives.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if let Some(wait) = &this.until_first_byte
            && wait.bytes_read.load(Ordering::Relaxed) != wait.read_before
        {
            let deadline = tokio::time::Instant::now() + wait.header_timeout;
            this.until_first_byte = None;
            this.sleep.as_mut().reset(deadline);
        }
        this.sleep.as_mut().poll(cx)
    }
}

impl Drop for HeadDeadline {
    fn drop(&mut self) {
        if let Some(awaiting) = &self.awaiting_head {
            awaiting.store(false, Ordering::Relaxed);
        }
    }
}

impl Sleep for HeadDeadline {}
