//! The last applied event id: what to ask the server to replay after, and
//! what to drop because it was already shown.

use ytempire_protocol::EventId;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCursor {
    last: Option<EventId>,
}

/// What the server's newest id at authentication says about our resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// The server's log continues ours; replay (if any) follows.
    Continue,
    /// The server's log no longer contains ours (it restarted or forgot):
    /// our view may be wrong and must be reloaded.
    Resync,
}

impl EventCursor {
    pub const fn last(&self) -> Option<EventId> {
        self.last
    }

    /// True if `id` is new; ids are strictly increasing per user, so anything
    /// at or below the last applied one is a duplicate.
    pub fn admit(&mut self, id: EventId) -> bool {
        if self.last.is_some_and(|last| id <= last) {
            return false;
        }
        self.last = Some(id);
        true
    }

    pub fn on_authenticated(&mut self, server_last: Option<EventId>) -> Resume {
        // Ids start at 1, so 0 stands for "the server had none yet": the next
        // reconnect still asks for everything after it, and events posted
        // while we were away are replayed instead of lost.
        let theirs = server_last.unwrap_or(0);
        match self.last {
            // A fresh client takes its state from the overview, so whatever
            // the server might replay is already counted there.
            None => {
                self.last = Some(theirs);
                Resume::Continue
            }
            Some(ours) if theirs < ours => {
                self.last = Some(theirs);
                Resume::Resync
            }
            Some(_) => Resume::Continue,
        }
    }

    pub fn clear(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_each_id_once_in_order() {
        let mut cursor = EventCursor::default();
        assert!(cursor.admit(1));
        assert!(cursor.admit(2));
        assert!(!cursor.admit(2));
        assert!(!cursor.admit(1));
        assert!(cursor.admit(5));
        assert_eq!(cursor.last(), Some(5));
    }

    #[test]
    fn replay_after_reconnect_drops_what_was_already_applied() {
        let mut cursor = EventCursor::default();
        (1..=3).for_each(|id| assert!(cursor.admit(id)));
        assert_eq!(cursor.on_authenticated(Some(6)), Resume::Continue);
        let applied: Vec<_> = [2, 3, 4, 5, 6]
            .into_iter()
            .filter(|id| cursor.admit(*id))
            .collect();
        assert_eq!(applied, [4, 5, 6]);
    }

    #[test]
    fn a_server_that_lost_our_history_forces_a_resync() {
        let mut cursor = EventCursor::default();
        cursor.admit(9);
        assert_eq!(cursor.on_authenticated(Some(2)), Resume::Resync);
        assert_eq!(cursor.last(), Some(2));
        assert!(cursor.admit(3), "new numbering is accepted after resync");

        let mut cursor = EventCursor::default();
        cursor.admit(9);
        assert_eq!(cursor.on_authenticated(None), Resume::Resync);
        assert!(cursor.admit(1));
    }

    #[test]
    fn a_fresh_client_starts_after_the_servers_newest_event() {
        let mut cursor = EventCursor::default();
        assert_eq!(cursor.on_authenticated(Some(40)), Resume::Continue);
        assert!(!cursor.admit(40));
        assert!(cursor.admit(41));

        let mut cursor = EventCursor::default();
        assert_eq!(cursor.on_authenticated(None), Resume::Continue);
        assert_eq!(cursor.last(), Some(0), "a reconnect asks for every event");
        assert_eq!(cursor.on_authenticated(None), Resume::Continue);
        assert!(cursor.admit(1));
    }
}
