//! Typed access to an event's payload, for typed subscriptions.

use ytempire_protocol::{CostAlert, EventBody, VideoCompleted, VideoFailed};

/// A payload type that can be picked out of an [`EventBody`].
pub trait EventPayload: 'static {
    fn from_body(body: &EventBody) -> Option<&Self>;
}

impl EventPayload for VideoCompleted {
    fn from_body(body: &EventBody) -> Option<&Self> {
        match body {
            EventBody::VideoCompleted(payload) => Some(payload),
            _ => None,
        }
    }
}

impl EventPayload for VideoFailed {
    fn from_body(body: &EventBody) -> Option<&Self> {
        match body {
            EventBody::VideoFailed(payload) => Some(payload),
            _ => None,
        }
    }
}

impl EventPayload for CostAlert {
    fn from_body(body: &EventBody) -> Option<&Self> {
        match body {
            EventBody::CostAlert(payload) => Some(payload),
            _ => None,
        }
    }
}
