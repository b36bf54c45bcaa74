//! Where a (re)connecting client's stream starts, from its `lastEventId`.

use ytempire_protocol::EventId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// Nothing to replay: live events with ids above the newest follow.
    Live,
    /// Replay stored events with ids above this one, then go live.
    ReplayAfter(EventId),
    /// The client missed events that are no longer retained, or holds an id
    /// this server never issued: it must reload its data.
    Resync,
}

/// `newest` is the newest id issued to the user, `oldest_retained` the
/// oldest still in the log.
pub fn resume(
    client: Option<EventId>,
    newest: Option<EventId>,
    oldest_retained: Option<EventId>,
) -> Resume {
    let Some(seen) = client else {
        return Resume::Live;
    };
    let newest = newest.unwrap_or(0);
    if seen > newest {
        Resume::Resync
    } else if seen == newest {
        Resume::Live
    } else if oldest_retained.is_some_and(|oldest| oldest <= seen + 1) {
        Resume::ReplayAfter(seen)
    } else {
        Resume::Resync
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_client_goes_live() {
        assert_eq!(resume(None, Some(9), Some(1)), Resume::Live);
        assert_eq!(resume(None, None, None), Resume::Live);
    }

    #[test]
    fn an_up_to_date_client_goes_live() {
        assert_eq!(resume(Some(9), Some(9), Some(1)), Resume::Live);
        assert_eq!(resume(Some(0), None, None), Resume::Live);
    }

    #[test]
    fn a_client_behind_within_retention_replays() {
        assert_eq!(resume(Some(4), Some(9), Some(1)), Resume::ReplayAfter(4));
        assert_eq!(resume(Some(4), Some(9), Some(5)), Resume::ReplayAfter(4));
        assert_eq!(resume(Some(0), Some(3), Some(1)), Resume::ReplayAfter(0));
    }

    #[test]
    fn a_client_behind_retention_or_ahead_of_the_server_resyncs() {
        assert_eq!(resume(Some(4), Some(9), Some(6)), Resume::Resync);
        assert_eq!(resume(Some(4), Some(9), None), Resume::Resync);
        assert_eq!(resume(Some(12), Some(9), Some(1)), Resume::Resync);
        assert_eq!(resume(Some(1), None, None), Resume::Resync);
    }
}
