//! Stand-ins for the browser's surroundings, for the polling and page tests:
//! a fake server behind `window.fetch`, a switchable Page Visibility state,
//! and a wait that checks something stays true for a while.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{Request, Response, ResponseInit};

/// A request the fake server received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, without the origin.
    pub path: String,
    pub body: String,
    pub if_none_match: Option<String>,
}

/// What the fake server answers.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub etag: Option<String>,
    pub delay_ms: u32,
}

impl Reply {
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        Self {
            status,
            body: serde_json::to_string(body).unwrap(),
            etag: None,
            delay_ms: 0,
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_owned(),
            etag: None,
            delay_ms: 0,
        }
    }

    pub fn after(mut self, delay_ms: u32) -> Self {
        self.delay_ms = delay_ms;
        self
    }
}

type Route = dyn Fn(&Seen) -> Reply;

/// Replaces `window.fetch` until dropped, so the app's real API client
/// talks to `route` instead of a server.
pub struct FakeServer {
    original: JsValue,
    log: Rc<RefCell<Vec<Seen>>>,
    answered: Rc<RefCell<Vec<Seen>>>,
    _handler: Closure<dyn FnMut(JsValue) -> Promise>,
}

impl FakeServer {
    pub fn install(route: impl Fn(&Seen) -> Reply + 'static) -> Self {
        let window = web_sys::window().unwrap();
        let original = pristine(&window, "fetch");
        let log = Rc::new(RefCell::new(Vec::new()));
        let answered = Rc::new(RefCell::new(Vec::new()));
        let route: Rc<Route> = Rc::new(route);
        let (seen_log, done_log) = (log.clone(), answered.clone());
        let handler = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |input: JsValue| {
            let (route, log, done) = (route.clone(), seen_log.clone(), done_log.clone());
            future_to_promise(async move {
                let request: Request = input.dyn_into()?;
                let body = JsFuture::from(request.text()?)
                    .await?
                    .as_string()
                    .unwrap_or_default();
                let url = web_sys::Url::new(&request.url())?;
                let seen = Seen {
                    method: request.method(),
                    path: format!("{}{}", url.pathname(), url.search()),
                    body,
                    if_none_match: request.headers().get("If-None-Match")?,
                };
                let reply = route(&seen);
                log.borrow_mut().push(seen.clone());
                if reply.delay_ms > 0 {
                    TimeoutFuture::new(reply.delay_ms).await;
                }
                done.borrow_mut().push(seen);
                let init = ResponseInit::new();
                init.set_status(reply.status);
                let headers = Object::new();
                Reflect::set(&headers, &"Content-Type".into(), &"application/json".into())?;
                if let Some(etag) = &reply.etag {
                    Reflect::set(&headers, &"ETag".into(), &etag.into())?;
                }
                init.set_headers(&headers);
                // 304 must not carry a body.
                let body = (reply.status != 304).then_some(reply.body.as_str());
                Ok(Response::new_with_opt_str_and_init(body, &init)?.into())
            })
        });
        Reflect::set(&window, &"fetch".into(), handler.as_ref()).unwrap();
        Self {
            original,
            log,
            answered,
            _handler: handler,
        }
    }

    /// Requests so far with this method whose path starts with `prefix`.
    pub fn count(&self, method: &str, prefix: &str) -> usize {
        matching(&self.log.borrow(), method, prefix)
    }

    /// Of those, how many have been answered.
    pub fn answered(&self, method: &str, prefix: &str) -> usize {
        matching(&self.answered.borrow(), method, prefix)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.log.borrow().clone()
    }
}

/// The browser's own `window[name]`, saved the first time a fake replaces
/// it. A failing wasm test panics without running destructors, so its fake
/// may still be installed: the next install and every restore go back to
/// this, never to whatever was there.
fn pristine(window: &web_sys::Window, name: &str) -> JsValue {
    let slot: JsValue = format!("__pristine_{name}").into();
    let saved = Reflect::get(window, &slot).unwrap();
    if !saved.is_undefined() {
        return saved;
    }
    let current = Reflect::get(window, &name.into()).unwrap();
    Reflect::set(window, &slot, &current).unwrap();
    current
}

fn matching(log: &[Seen], method: &str, prefix: &str) -> usize {
    log.iter()
        .filter(|s| s.method == method && s.path.starts_with(prefix))
        .count()
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        let window = web_sys::window().unwrap();
        Reflect::set(&window, &"fetch".into(), &self.original).unwrap();
    }
}

/// Makes the Page Visibility API report `hidden` or `visible`, and tells
/// listeners as the browser would.
pub fn set_page_hidden(hidden: bool) {
    let document = web_sys::window().unwrap().document().unwrap();
    let descriptor = Object::new();
    let state = if hidden { "hidden" } else { "visible" };
    Reflect::set(&descriptor, &"value".into(), &state.into()).unwrap();
    Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    Object::define_property(&document, &"visibilityState".into(), &descriptor);
    // The browser's event bubbles from the document up to the window.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("visibilitychange", &init).unwrap();
    document.dispatch_event(&event).unwrap();
}

/// Hands visibility back to the browser.
pub fn restore_page_visibility() {
    let document = web_sys::window().unwrap().document().unwrap();
    Reflect::delete_property(&document, &"visibilityState".into()).unwrap();
}

/// Checks that `condition` holds throughout `window_ms`: the way to assert
/// that something does *not* happen within a time.
pub async fn holds_for(what: &str, window_ms: f64, mut condition: impl FnMut() -> bool) {
    let end = js_sys::Date::now() + window_ms;
    while js_sys::Date::now() < end {
        assert!(condition(), "{what} stopped holding");
        TimeoutFuture::new(10).await;
    }
    assert!(condition(), "{what} stopped holding");
}
