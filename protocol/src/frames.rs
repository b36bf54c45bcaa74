//! WebSocket frames in both directions.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Event, EventId, Id};

/// Close code for a missing, bad or foreign token.
pub const CLOSE_UNAUTHORIZED: u16 = 4401;

/// Close code when the server refuses a socket by policy (too many sockets
/// for one user); the close reason says which.
pub const CLOSE_POLICY_VIOLATION: u16 = 1008;

/// How often the server proves a quiet connection alive with a
/// [`ControlFrame::Heartbeat`]. Browser code cannot see protocol-level pings,
/// so this frame is what lets the dashboard notice a link that died silently.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(20);

/// Frames the dashboard sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ClientFrame {
    #[serde(rename_all = "camelCase")]
    Authenticate {
        token: String,
        last_event_id: Option<EventId>,
    },
}

/// Control frames the server sends; their `type` never collides with an event's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ControlFrame {
    /// The token was accepted; replay (if any) follows, then live events.
    #[serde(rename_all = "camelCase")]
    Authenticated {
        user_id: Id,
        /// The newest event id the server holds for this user.
        last_event_id: Option<EventId>,
    },
    /// The client's `lastEventId` is older than the retained log: reload everything.
    #[serde(rename_all = "camelCase")]
    Resync { oldest_event_id: Option<EventId> },
    /// Sent every [`HEARTBEAT_INTERVAL`]; carries nothing but liveness.
    Heartbeat,
}

/// Anything the server sends over the socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServerFrame {
    Event(Event),
    Control(ControlFrame),
}

/// Frames larger than this are rejected unread by both sides.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Why a server frame could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    TooLarge(usize),
    Malformed(String),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::TooLarge(n) => write!(f, "frame of {n} bytes exceeds {MAX_FRAME_BYTES}"),
            FrameError::Malformed(why) => write!(f, "malformed frame: {why}"),
        }
    }
}

impl std::error::Error for FrameError {}

impl ServerFrame {
    /// Parses an untrusted text frame. Never panics.
    pub fn parse(text: &str) -> Result<ServerFrame, FrameError> {
        if text.len() > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge(text.len()));
        }
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
        }
        let Envelope { kind } = parse_json(text)?;
        // Dispatch on `type` ourselves so a bad payload reports its real
        // cause instead of the untagged enum's "did not match any variant".
        match kind.as_ref() {
            "video.completed" | "video.failed" | "cost.alert" => {
                parse_json(text).map(ServerFrame::Event)
            }
            "authenticated" | "resync" | "heartbeat" => parse_json(text).map(ServerFrame::Control),
            other => Err(FrameError::Malformed(format!("unknown type {other:?}"))),
        }
    }
}

fn parse_json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, FrameError> {
    serde_json::from_str(text).map_err(|e| FrameError::Malformed(e.to_string()))
}
