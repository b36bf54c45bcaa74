//! The WebSocket manager: one connection per mounted app, as a signal store.
//!
//! It owns the socket, the reconnect schedule and the resume cursor; the rest
//! of the app reads its state signals and subscribes to events.

use std::time::Duration;

use leptos::prelude::*;
use ytempire_protocol::{
    CLOSE_POLICY_VIOLATION, CLOSE_UNAUTHORIZED, ClientFrame, ControlFrame, Event, EventId,
    FrameError, HEARTBEAT_INTERVAL, Id, ServerFrame,
};

use super::backoff::SplitMix64;
use super::clock::{SharedClock, Timer};
use super::cursor::{EventCursor, Resume};
use super::listeners::{ListenerId, Listeners};
use super::payload::EventPayload;
use super::reconnect::{Next, Reconnect, ReconnectPolicy};
use super::socket::{Socket, SocketEvent};
use super::status::ConnectionState;
use crate::config;

#[derive(Debug, Clone, PartialEq)]
pub struct WsOptions {
    /// `ws(s)://host[:port]`; the manager appends `/ws/{userId}`.
    pub base_url: String,
    pub reconnect: ReconnectPolicy,
    /// Opening plus authentication must finish within this.
    pub connect_timeout: Duration,
    /// No frame for this long means the connection is dead even if the
    /// browser has not noticed (a dropped link often closes nothing). The
    /// server sends a heartbeat every `HEARTBEAT_INTERVAL`, so two missed
    /// heartbeats is the default; `None` turns the watchdog off.
    pub silence_timeout: Option<Duration>,
    /// Seeds the reconnect jitter.
    pub seed: u64,
    /// Time and timers; the browser's unless a test drives them.
    pub clock: SharedClock,
}

impl WsOptions {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            reconnect: ReconnectPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            silence_timeout: Some(HEARTBEAT_INTERVAL * 2),
            seed: js_sys::Date::now().to_bits() ^ (js_sys::Math::random() * 1e15) as u64,
            clock: SharedClock::default(),
        }
    }
}

/// How an event reached us: live, or replayed after a reconnect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Live,
    Replayed,
}

/// Things that happen to the connection rather than to videos.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Missed events cannot be replayed: reload the overview.
    Resync,
    /// The server refused the token.
    Unauthorized,
    /// A frame was unusable and dropped.
    Rejected(FrameError),
}

#[derive(Debug, Clone, Copy)]
pub struct WsManager {
    state: RwSignal<ConnectionState>,
    attempt: RwSignal<u32>,
    gave_up: RwSignal<bool>,
    refused: RwSignal<Option<String>>,
    inner: StoredValue<Inner, LocalStorage>,
}

struct Target {
    user_id: Id,
    token: String,
}

/// Pending timers; dropping one cancels it (the silence watchdog is re-armed
/// on every frame).
#[derive(Default)]
struct Timers {
    retry: Option<Timer>,
    connect: Option<Timer>,
    silence: Option<Timer>,
}

impl Timers {
    fn clear(slot: &mut Option<Timer>) {
        slot.take();
    }

    fn clear_all(&mut self) {
        Self::clear(&mut self.retry);
        Self::clear(&mut self.connect);
        Self::clear(&mut self.silence);
    }
}

struct Inner {
    options: WsOptions,
    target: Option<Target>,
    socket: Option<Socket>,
    /// Bumped per socket so late callbacks of a replaced socket are ignored.
    generation: u64,
    timers: Timers,
    reconnect: Reconnect,
    jitter: SplitMix64,
    cursor: EventCursor,
    /// The server's newest id when we authenticated: events up to it are replays.
    replay_until: Option<EventId>,
    events: Listeners<(Event, Delivery)>,
    notices: Listeners<Notice>,
}

/// A subscription; it also ends when the reactive owner it was made in is disposed.
#[derive(Debug, Clone, Copy)]
pub struct Subscription {
    manager: WsManager,
    id: ListenerId,
    list: List,
}

#[derive(Debug, Clone, Copy)]
enum List {
    Events,
    Notices,
}

impl Subscription {
    pub fn unsubscribe(self) {
        self.manager
            .inner
            .try_update_value(|inner| match self.list {
                List::Events => inner.events.remove(self.id),
                List::Notices => inner.notices.remove(self.id),
            });
    }
}

/// Creates the app's manager for the configured WebSocket base and provides it.
pub fn provide_ws_manager() -> WsManager {
    provide_ws_manager_with_options(WsOptions::new(config::ws_base()))
}

/// Creates a manager, provides it, drops the connection when the browser goes
/// offline, reconnects at once when it comes back online or the tab becomes
/// visible (unless a refusal holds), and closes it with its owner.
pub fn provide_ws_manager_with_options(options: WsOptions) -> WsManager {
    let manager = WsManager::new(options);
    provide_context(manager);

    let online = window_event_listener(leptos::ev::online, move |_| {
        manager.reconnect_unless_refused()
    });
    // A socket can outlive the network by minutes before the browser closes it.
    let offline = window_event_listener(leptos::ev::offline, move |_| manager.drop_connection());
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            manager.reconnect_unless_refused();
        }
    });
    on_cleanup(move || {
        online.remove();
        offline.remove();
        visible.remove();
        manager.disconnect();
    });
    manager
}

pub fn use_ws_manager() -> WsManager {
    expect_context()
}

impl WsManager {
    fn new(options: WsOptions) -> Self {
        let inner = Inner {
            reconnect: Reconnect::new(options.reconnect),
            jitter: SplitMix64::new(options.seed),
            options,
            target: None,
            socket: None,
            generation: 0,
            timers: Timers::default(),
            cursor: EventCursor::default(),
            replay_until: None,
            events: Listeners::default(),
            notices: Listeners::default(),
        };
        Self {
            state: RwSignal::new(ConnectionState::Disconnected),
            attempt: RwSignal::new(0),
            gave_up: RwSignal::new(false),
            refused: RwSignal::new(None),
            inner: StoredValue::new_local(inner),
        }
    }

    pub fn state(&self) -> ReadSignal<ConnectionState> {
        self.state.read_only()
    }

    /// The reconnect attempt in progress or scheduled; 0 when healthy.
    pub fn attempt(&self) -> ReadSignal<u32> {
        self.attempt.read_only()
    }

    /// True once the retries ran out; only [`Self::reconnect_now`] tries again.
    pub fn gave_up(&self) -> ReadSignal<bool> {
        self.gave_up.read_only()
    }

    /// Why the server refused the last connection (a `1008` close, such as
    /// too many sockets for this user), until a connection is accepted.
    pub fn refused(&self) -> ReadSignal<Option<String>> {
        self.refused.read_only()
    }

    pub fn last_event_id(&self) -> Option<EventId> {
        self.inner.with_value(|inner| inner.cursor.last())
    }

    /// Connects as `user_id`, replacing any previous connection.
    pub fn connect(&self, user_id: Id, token: String) {
        self.inner.update_value(|inner| {
            let same_user = inner.target.as_ref().is_some_and(|t| t.user_id == user_id);
            if !same_user {
                inner.cursor.clear();
            }
            inner.target = Some(Target { user_id, token });
            inner.reconnect.reset();
        });
        self.attempt.set(0);
        self.gave_up.set(false);
        self.refused.set(None);
        self.open();
    }

    /// Closes the connection and forgets the user and the resume cursor.
    pub fn disconnect(&self) {
        self.inner.try_update_value(|inner| {
            inner.target = None;
            inner.generation += 1;
            inner.socket = None;
            inner.timers.clear_all();
            inner.reconnect.reset();
            inner.cursor.clear();
        });
        self.state.try_set(ConnectionState::Disconnected);
        self.attempt.try_set(0);
        self.gave_up.try_set(false);
        self.refused.try_set(None);
    }

    /// Tries again immediately unless a socket is already open or opening.
    pub fn reconnect_now(&self) {
        let idle = self
            .inner
            .try_with_value(|inner| inner.target.is_some() && inner.socket.is_none())
            .unwrap_or(false);
        if idle {
            self.inner.update_value(|inner| inner.reconnect.reset());
            self.attempt.set(0);
            self.gave_up.set(false);
            self.open();
        }
    }

    /// What the browser coming online or the tab becoming visible does. After
    /// a `1008` it waits the slow retry: every tab of the user would otherwise
    /// come back at the same moment, into the same refusal.
    fn reconnect_unless_refused(&self) {
        let refused = self
            .refused
            .try_with_untracked(Option::is_some)
            .unwrap_or(true);
        if !refused {
            self.reconnect_now();
        }
    }

    /// Treats the current connection as dead: closes it and follows the
    /// reconnect schedule.
    pub fn drop_connection(&self) {
        let open = self
            .inner
            .try_with_value(|inner| inner.socket.is_some())
            .unwrap_or(false);
        if open {
            self.connection_lost();
        }
    }

    /// Calls `callback` for each new event of payload type `P`.
    pub fn subscribe<P: EventPayload>(
        &self,
        callback: impl Fn(EventId, &P) + 'static,
    ) -> Subscription {
        self.subscribe_all(move |event, _| {
            if let Some(payload) = P::from_body(&event.body) {
                callback(event.id, payload);
            }
        })
    }

    /// Calls `callback` for every new event, whatever its type.
    pub fn subscribe_all(&self, callback: impl Fn(&Event, Delivery) + 'static) -> Subscription {
        let id = self
            .inner
            .write_value()
            .events
            .add(move |(event, delivery): &(Event, Delivery)| callback(event, *delivery));
        self.owned(id, List::Events)
    }

    pub fn on_notice(&self, callback: impl Fn(&Notice) + 'static) -> Subscription {
        let id = self.inner.write_value().notices.add(callback);
        self.owned(id, List::Notices)
    }

    fn owned(&self, id: ListenerId, list: List) -> Subscription {
        let subscription = Subscription {
            manager: *self,
            id,
            list,
        };
        if Owner::current().is_some() {
            on_cleanup(move || subscription.unsubscribe());
        }
        subscription
    }

    /// Handles one text frame as received from the server. Public so that a
    /// frame can be fed in without a socket (tests, diagnostics).
    pub fn receive(&self, text: &str) {
        match ServerFrame::parse(text) {
            Err(error) => {
                leptos::logging::warn!("dropped WebSocket frame: {error}");
                self.notify(Notice::Rejected(error));
            }
            Ok(ServerFrame::Control(ControlFrame::Authenticated { last_event_id, .. })) => {
                let resume = self.inner.try_update_value(|inner| {
                    Timers::clear(&mut inner.timers.connect);
                    inner.reconnect.on_up(inner.options.clock.now_ms());
                    inner.replay_until = last_event_id;
                    inner.cursor.on_authenticated(last_event_id)
                });
                self.state.set(ConnectionState::Connected);
                self.attempt.set(0);
                self.refused.set(None);
                if resume == Some(Resume::Resync) {
                    self.notify(Notice::Resync);
                }
            }
            Ok(ServerFrame::Control(ControlFrame::Resync { .. })) => self.notify(Notice::Resync),
            // Its arrival has already re-armed the silence watchdog.
            Ok(ServerFrame::Control(ControlFrame::Heartbeat)) => {}
            Ok(ServerFrame::Event(event)) => self.dispatch(event),
        }
    }

    fn dispatch(&self, event: Event) {
        let admitted = self.inner.try_update_value(|inner| {
            let replayed = inner.replay_until.is_some_and(|until| event.id <= until);
            inner.cursor.admit(event.id).then(|| {
                let delivery = if replayed {
                    Delivery::Replayed
                } else {
                    Delivery::Live
                };
                (inner.events.snapshot(), delivery)
            })
        });
        let admitted = admitted.flatten();
        // Listeners run outside the store's lock so they may (un)subscribe.
        if let Some((listeners, delivery)) = admitted {
            let delivered = (event, delivery);
            listeners.iter().for_each(|listener| listener(&delivered));
        }
    }

    fn notify(&self, notice: Notice) {
        if let Some(listeners) = self.inner.try_with_value(|inner| inner.notices.snapshot()) {
            listeners.iter().for_each(|listener| listener(&notice));
        }
    }

    fn open(&self) {
        let opened = self.inner.try_update_value(|inner| {
            let target = inner.target.as_ref()?;
            let url = format!(
                "{}/ws/{}",
                inner.options.base_url,
                crate::api::path_segment(target.user_id.as_str())
            );
            inner.timers.clear_all();
            inner.socket = None;
            inner.generation += 1;
            let generation = inner.generation;
            let manager = *self;
            inner.socket = Socket::open(&url, move |event| manager.on_socket(generation, event))
                .inspect_err(|e| leptos::logging::warn!("cannot open {url}: {e:?}"))
                .ok();
            inner.timers.connect = Some(inner.options.clock.schedule(
                inner.options.connect_timeout,
                Box::new(move || manager.on_deadline(generation)),
            ));
            Some(inner.socket.is_some())
        });
        match opened.flatten() {
            Some(true) => self.state.set(ConnectionState::Connecting),
            Some(false) => self.connection_lost(),
            None => {}
        }
    }

    fn on_socket(&self, generation: u64, event: SocketEvent) {
        let current = self
            .inner
            .try_with_value(|inner| inner.generation == generation)
            .unwrap_or(false);
        if !current {
            return;
        }
        match event {
            SocketEvent::Open => self.authenticate(generation),
            SocketEvent::Text(text) => {
                self.watch_silence(generation);
                self.receive(&text);
            }
            SocketEvent::Binary => {
                self.watch_silence(generation);
                self.notify(Notice::Rejected(FrameError::Malformed(
                    "binary frame".into(),
                )));
            }
            SocketEvent::Closed { code, .. } if code == CLOSE_UNAUTHORIZED => {
                self.disconnect();
                self.notify(Notice::Unauthorized);
            }
            // Retrying at once would only be refused again, by every tab of
            // this user at the same time: wait the slow schedule.
            SocketEvent::Closed { code, reason } if code == CLOSE_POLICY_VIOLATION => {
                let reason = if reason.is_empty() {
                    "refused by the server".to_owned()
                } else {
                    reason
                };
                leptos::logging::warn!("WebSocket refused: {reason}");
                self.refused.set(Some(reason));
                self.schedule_retry(Pace::Slow);
            }
            SocketEvent::Closed { .. } => self.connection_lost(),
        }
    }

    fn authenticate(&self, generation: u64) {
        self.inner.update_value(|inner| {
            let (Some(target), Some(socket)) = (&inner.target, &inner.socket) else {
                return;
            };
            let frame = ClientFrame::Authenticate {
                token: target.token.clone(),
                last_event_id: inner.cursor.last(),
            };
            let text = serde_json::to_string(&frame).expect("client frames always serialise");
            if let Err(e) = socket.send(&text) {
                leptos::logging::warn!("cannot send authenticate frame: {e:?}");
            }
        });
        self.watch_silence(generation);
    }

    /// (Re)arms the watchdog that declares a silent connection dead.
    fn watch_silence(&self, generation: u64) {
        let manager = *self;
        self.inner.update_value(|inner| {
            Timers::clear(&mut inner.timers.silence);
            let clock = &inner.options.clock;
            inner.timers.silence = inner.options.silence_timeout.map(|after| {
                clock.schedule(after, Box::new(move || manager.on_deadline(generation)))
            });
        });
    }

    /// The connect timeout or the silence watchdog fired: both are cleared
    /// whenever they no longer apply, so firing means the connection is dead.
    fn on_deadline(&self, generation: u64) {
        let current = self
            .inner
            .try_with_value(|inner| inner.generation == generation)
            .unwrap_or(false);
        if current {
            leptos::logging::warn!("WebSocket timed out; reconnecting");
            self.connection_lost();
        }
    }

    /// The connection died or the server went away: the exponential schedule.
    fn connection_lost(&self) {
        self.schedule_retry(Pace::Backoff);
    }

    /// Drops the socket and schedules the next attempt at `pace`, or gives up.
    fn schedule_retry(&self, pace: Pace) {
        let next = self.inner.try_update_value(|inner| {
            inner.generation += 1;
            inner.socket = None;
            inner.timers.clear_all();
            inner.target.as_ref()?;
            let now = inner.options.clock.now_ms();
            let next = match pace {
                Pace::Backoff => inner.reconnect.on_down(now, &mut inner.jitter),
                Pace::Slow => inner.reconnect.on_refused(now, &mut inner.jitter),
            };
            Some((next, inner.reconnect.retries()))
        });
        self.state.try_set(ConnectionState::Disconnected);
        let Some(Some((next, retries))) = next else {
            return;
        };
        self.attempt.set(retries);
        match next {
            Next::RetryIn(delay) => {
                let manager = *self;
                self.inner.update_value(|inner| {
                    let retry = inner
                        .options
                        .clock
                        .schedule(delay, Box::new(move || manager.open()));
                    inner.timers.retry = Some(retry);
                });
            }
            Next::GiveUp => self.gave_up.set(true),
        }
    }
}

/// How soon to try again after a connection ends.
#[derive(Debug, Clone, Copy)]
enum Pace {
    /// The exponential schedule: the connection died or the server went away.
    Backoff,
    /// The server refused this connection by policy: no sooner than half the cap.
    Slow,
}
