//! At most `max` client connections at once (WebSockets included); the
//! ones past the cap are closed as soon as they are accepted, and counted.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::metrics::{ConnectionCounters, Open};

#[derive(Clone)]
pub struct Admission {
    max: usize,
    permits: Arc<Semaphore>,
    counters: ConnectionCounters,
}

/// One connection's place under the cap, held until its socket closes.
pub struct Place {
    _permit: OwnedSemaphorePermit,
    _open: Open,
}

impl Admission {
    pub fn new(max: usize, counters: ConnectionCounters) -> Self {
        let max = max.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            max,
            permits: Arc::new(Semaphore::new(max)),
            counters,
        }
    }

    /// A place for one more connection, held for as long as its socket is
    /// open; `None` (and counted) at the cap.
    pub fn admit(&self) -> Option<Place> {
        match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => Some(Place {
                _permit: permit,
                _open: Open::new(&self.counters.open),
            }),
            Err(_) => {
                self.counters.refused.inc();
                None
            }
        }
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
        self.counters.refused.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_cap_connections_are_refused_and_counted_until_one_closes() {
        let admission = Admission::new(2, ConnectionCounters::default());
        let first = admission.admit().unwrap();
        let _second = admission.admit().unwrap();
        assert!(admission.admit().is_none());
        assert!(admission.admit().is_none());
        assert_eq!((admission.open(), admission.refused()), (2, 2));
        assert_eq!(admission.counters.open.get(), 2);
        drop(first);
        assert!(admission.admit().is_some());
        assert_eq!(admission.max(), 2);
    }
}
