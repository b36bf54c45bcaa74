//! A record of every WebSocket the page opens: the frames it sent, the
//! frames it received and how it closed. Installed by wrapping the page's
//! `WebSocket` class, so the dashboard's own code runs unchanged; unlike the
//! toast stack, the record is never capped and nothing expires from it.

use serde::Deserialize;
use serde_json::Value;

use crate::Browser;

const INSTALL: &str = r#"
if (!window.__socketLog) {
  const Real = window.WebSocket;
  window.__socketLog = [];
  window.WebSocket = class extends Real {
    constructor(...args) {
      super(...args);
      const entry = { sent: [], received: [], closeCode: null };
      window.__socketLog.push(entry);
      this.addEventListener('message', (e) => entry.received.push(e.data));
      this.addEventListener('close', (e) => { entry.closeCode = e.code; });
      const send = this.send.bind(this);
      this.send = (data) => { entry.sent.push(data); send(data); };
    }
  };
}
"#;

/// One socket the page opened, oldest first in [`SocketLog::sockets`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedSocket {
    pub sent: Vec<String>,
    pub received: Vec<String>,
    /// `None` while it is open.
    pub close_code: Option<u16>,
}

impl LoggedSocket {
    /// The frames received, parsed.
    pub fn frames(&self) -> Vec<Value> {
        self.received
            .iter()
            .map(|text| serde_json::from_str(text).expect("the server sends JSON frames"))
            .collect()
    }

    /// The ids of the events received, in order.
    pub fn event_ids(&self) -> Vec<u64> {
        self.frames()
            .iter()
            .filter(|frame| frame.get("payload").is_some())
            .map(|frame| frame["id"].as_u64().expect("events have ids"))
            .collect()
    }

    /// The `lastEventId` this socket authenticated with.
    pub fn resumed_from(&self) -> Option<u64> {
        let first: Value = serde_json::from_str(self.sent.first()?).ok()?;
        first["lastEventId"].as_u64()
    }

    /// The server's newest event id when it accepted this socket: events up
    /// to it came by replay, later ones live.
    pub fn authenticated_at(&self) -> Option<u64> {
        self.frames()
            .into_iter()
            .find(|frame| frame["type"] == "authenticated")
            .and_then(|frame| frame["lastEventId"].as_u64())
    }
}

/// The record of one page; it lasts until the page is reloaded.
pub struct SocketLog<'a>(&'a Browser);

impl<'a> SocketLog<'a> {
    /// Starts recording the sockets the page opens from now on; install it
    /// on the login page, before the dashboard connects.
    pub async fn install(browser: &'a Browser) -> SocketLog<'a> {
        browser.run_script(INSTALL, vec![]).await;
        SocketLog(browser)
    }

    /// Every socket opened since [`Self::install`], oldest first.
    pub async fn sockets(&self) -> Vec<LoggedSocket> {
        let value = self
            .0
            .run_script("return window.__socketLog || [];", vec![])
            .await;
        serde_json::from_value(value).expect("the socket log has the shape INSTALL gives it")
    }
}
