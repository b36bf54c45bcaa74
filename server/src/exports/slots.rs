//! Admission of exports: a few running per user, and one page of all of
//! them read at a time. An export holds the client's bandwidth and, page by
//! page, a read connection and a core; taking turns keeps bulk downloads,
//! however many, from crowding out ingest and the dashboard's reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Semaphore, SemaphorePermit};
use ytempire_protocol::Id;

use crate::error::AppError;

pub struct ExportSlots {
    per_user: usize,
    /// Only users with an export running; bounded by the exports themselves.
    running: Mutex<HashMap<Id, usize>>,
    pages: Semaphore,
}

/// One running export; frees its slot when dropped.
pub struct ExportSlot {
    slots: Arc<ExportSlots>,
    user: Id,
}

impl ExportSlots {
    pub fn new(per_user: usize) -> Self {
        Self {
            per_user,
            running: Mutex::new(HashMap::new()),
            pages: Semaphore::new(1),
        }
    }

    /// A slot for one more export of `user`, unless they have all theirs.
    pub fn claim(self: &Arc<Self>, user: &Id) -> Option<ExportSlot> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let count = running.entry(user.clone()).or_insert(0);
        if *count >= self.per_user {
            return None;
        }
        *count += 1;
        Some(ExportSlot {
            slots: Arc::clone(self),
            user: user.clone(),
        })
    }
}

impl ExportSlot {
    /// Waits until this export may read its next page.
    pub async fn page_turn(&self) -> Result<SemaphorePermit<'_>, AppError> {
        self.slots.pages.acquire().await.map_err(AppError::internal)
    }
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut running = self
            .slots
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = running.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> Id {
        Id::new(name.to_owned()).unwrap()
    }

    #[test]
    fn a_user_gets_their_slots_and_no_more() {
        let slots = Arc::new(ExportSlots::new(2));
        let first = slots.claim(&user("a")).unwrap();
        let _second = slots.claim(&user("a")).unwrap();
        assert!(slots.claim(&user("a")).is_none());
        assert!(slots.claim(&user("b")).is_some(), "others are not affected");
        drop(first);
        assert!(
            slots.claim(&user("a")).is_some(),
            "a finished export frees its slot"
        );
    }

    #[test]
    fn users_without_exports_are_forgotten() {
        let slots = Arc::new(ExportSlots::new(2));
        drop(slots.claim(&user("a")));
        assert!(slots.running.lock().unwrap().is_empty());
    }
}
