//! A stand-in for the browser's `WebSocket`, installed on `window` so the
//! manager's real socket code runs against sockets the test opens, feeds
//! and closes by hand.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

const CLASS: &str = r#"
window.__realWebSocket = window.__realWebSocket || window.WebSocket;
window.__fakeSockets = [];
window.WebSocket = class {
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closed = false;
    window.__fakeSockets.push(this);
  }
  send(text) { this.sent.push(text); }
  close() { this.closed = true; }
};
"#;

/// Replaces `window.WebSocket` until dropped.
pub struct FakeSockets;

impl FakeSockets {
    pub fn install() -> Self {
        js_sys::eval(CLASS).unwrap();
        FakeSockets
    }

    /// Sockets opened so far, oldest first.
    pub fn opened(&self) -> Vec<FakeSocket> {
        let list: Array = Reflect::get(&window(), &"__fakeSockets".into())
            .unwrap()
            .unchecked_into();
        list.iter().map(FakeSocket).collect()
    }

    pub fn latest(&self) -> FakeSocket {
        self.opened().pop().expect("a socket was opened")
    }
}

impl Drop for FakeSockets {
    fn drop(&mut self) {
        js_sys::eval("window.WebSocket = window.__realWebSocket;").unwrap();
    }
}

pub struct FakeSocket(JsValue);

impl FakeSocket {
    pub fn url(&self) -> String {
        self.get("url").as_string().unwrap()
    }

    pub fn sent(&self) -> Vec<String> {
        let sent: Array = self.get("sent").unchecked_into();
        sent.iter().filter_map(|v| v.as_string()).collect()
    }

    /// Whether the app closed it.
    pub fn closed(&self) -> bool {
        self.get("closed").as_bool().unwrap()
    }

    pub fn open(&self) {
        self.fire("onopen", &JsValue::UNDEFINED);
    }

    pub fn message(&self, text: &str) {
        self.fire("onmessage", &event(&[("data", text.into())]));
    }

    /// The server (or the network) closed it.
    pub fn close(&self, code: u16) {
        self.close_with_reason(code, "");
    }

    pub fn close_with_reason(&self, code: u16, reason: &str) {
        self.fire(
            "onclose",
            &event(&[("code", code.into()), ("reason", reason.into())]),
        );
    }

    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &key.into()).unwrap()
    }

    /// Calls the handler the app set, if it still has one.
    fn fire(&self, handler: &str, event: &JsValue) {
        if let Some(f) = self.get(handler).dyn_ref::<Function>() {
            f.call1(&self.0, event).unwrap();
        }
    }
}

fn event(fields: &[(&str, JsValue)]) -> JsValue {
    let event = js_sys::Object::new();
    for (key, value) in fields {
        Reflect::set(&event, &(*key).into(), value).unwrap();
    }
    event.into()
}

fn window() -> JsValue {
    web_sys::window().unwrap().into()
}
