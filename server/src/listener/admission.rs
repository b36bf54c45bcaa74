//! At most `max` client connections at once (WebSockets included); the
//! ones past the cap are closed as soon as they are accepted, and counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Clone)]
pub struct Admission {
    max: usize,
    permits: Arc<Semaphore>,
    refused: Arc<AtomicU64>,
}

impl Admission {
    pub fn new(max: usize) -> Self {
        let max = max.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            max,
            permits: Arc::new(Semaphore::new(max)),
            refused: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A place for one more connection, held for as long as its socket is
    /// open; `None` (and counted) at the cap.
    pub fn admit(&self) -> Option<OwnedSemaphorePermit> {
        let permit = Arc::clone(&self.permits).try_acquire_owned().ok();
        if permit.is_none() {
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
        permit
    }

    /// The cap.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Client connections open now.
    pub fn open(&self) -> usize {
        self.max - self.permits.available_permits()
    }

    /// Connections closed at the cap since the start.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_cap_connections_are_refused_and_counted_until_one_closes() {
        let admission = Admission::new(2);
        let first = admission.admit().unwrap();
        let _second = admission.admit().unwrap();
        assert!(admission.admit().is_none());
        assert!(admission.admit().is_none());
        assert_eq!((admission.open(), admission.refused()), (2, 2));
        drop(first);
        assert!(admission.admit().is_some());
        assert_eq!(admission.max(), 2);
    }
}
