//! A browser WebSocket whose handlers live exactly as long as this value:
//! dropping it detaches them and closes the connection.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEvent {
    Open,
    Text(String),
    /// The server sends text only; a binary frame is a protocol violation.
    Binary,
    Closed {
        code: u16,
        reason: String,
    },
}

pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    pub fn open(url: &str, handler: impl Fn(SocketEvent) + 'static) -> Result<Self, JsValue> {
        let ws = WebSocket::new(url)?;
        let handler = Rc::new(handler);

        let on_open = {
            let handler = Rc::clone(&handler);
            Closure::<dyn FnMut()>::new(move || handler(SocketEvent::Open))
        };
        let on_message = {
            let handler = Rc::clone(&handler);
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                handler(match e.data().as_string() {
                    Some(text) => SocketEvent::Text(text),
                    None => SocketEvent::Binary,
                });
            })
        };
        // `error` is always followed by `close`, which carries the code.
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            handler(SocketEvent::Closed {
                code: e.code(),
                reason: e.reason(),
            });
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));

        Ok(Self {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    pub fn send(&self, text: &str) -> Result<(), JsValue> {
        self.ws.send_with_str(text)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        // Closing an already closing socket is a no-op, never an error worth reporting.
        _ = self.ws.close();
    }
}
