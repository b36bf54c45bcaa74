//! Connection state and what the header chip says about it.

use std::fmt;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Connected,
    #[default]
    Disconnected,
}

impl ConnectionState {
    pub const fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Connected => "connected",
            ConnectionState::Disconnected => "disconnected",
        }
    }
}

/// What the operator sees: is data arriving live, only by polling, or not at all?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChipState {
    Live,
    Connecting,
    PollingOnly,
    Offline,
}

impl ChipState {
    pub const fn new(ws: ConnectionState, gave_up: bool, polling: bool) -> Self {
        match ws {
            ConnectionState::Connected => ChipState::Live,
            _ if gave_up => ChipState::Offline,
            ConnectionState::Connecting => ChipState::Connecting,
            ConnectionState::Disconnected if polling => ChipState::PollingOnly,
            ConnectionState::Disconnected => ChipState::Offline,
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ChipState::Live => "Live",
            ChipState::Connecting => "Connecting...",
            ChipState::PollingOnly => "Polling Only",
            ChipState::Offline => "Offline",
        }
    }

    /// A stable token for styling and tests.
    pub const fn key(self) -> &'static str {
        match self {
            ChipState::Live => "live",
            ChipState::Connecting => "connecting",
            ChipState::PollingOnly => "polling",
            ChipState::Offline => "offline",
        }
    }
}

/// The chip's tooltip: `WebSocket: <state>, Polling: <Active|Inactive>`,
/// followed by the server's reason when it refused the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tooltip<'a> {
    pub ws: ConnectionState,
    pub polling: bool,
    pub refused: Option<&'a str>,
}

impl fmt::Display for Tooltip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let polling = if self.polling { "Active" } else { "Inactive" };
        write!(f, "WebSocket: {}, Polling: {polling}", self.ws.as_str())?;
        match self.refused {
            Some(reason) => write!(f, " (refused: {reason})"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectionState::*;

    #[test]
    fn chip_states() {
        assert_eq!(ChipState::new(Connected, false, false), ChipState::Live);
        assert_eq!(ChipState::new(Connected, false, true), ChipState::Live);
        assert_eq!(
            ChipState::new(Connecting, false, true),
            ChipState::Connecting
        );
        assert_eq!(
            ChipState::new(Disconnected, false, true),
            ChipState::PollingOnly
        );
        assert_eq!(
            ChipState::new(Disconnected, false, false),
            ChipState::Offline
        );
        assert_eq!(ChipState::new(Disconnected, true, true), ChipState::Offline);
        assert_eq!(ChipState::new(Connecting, true, true), ChipState::Offline);
    }

    #[test]
    fn tooltip_text() {
        let tooltip = Tooltip {
            ws: Connecting,
            polling: true,
            refused: None,
        };
        assert_eq!(
            tooltip.to_string(),
            "WebSocket: connecting, Polling: Active"
        );
        let tooltip = Tooltip {
            ws: Connected,
            polling: false,
            refused: None,
        };
        assert_eq!(
            tooltip.to_string(),
            "WebSocket: connected, Polling: Inactive"
        );
        let tooltip = Tooltip {
            ws: Disconnected,
            polling: true,
            refused: Some("too many sockets"),
        };
        assert_eq!(
            tooltip.to_string(),
            "WebSocket: disconnected, Polling: Active (refused: too many sockets)"
        );
    }
}
