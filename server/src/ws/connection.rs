//! One WebSocket connection: authenticate, replay, then live events, pings
//! and shutdown, all in a single task.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::SinkExt;
use tokio::time::{Instant, interval_at, timeout};
use ytempire_protocol::{CLOSE_UNAUTHORIZED, ClientFrame, ControlFrame, EventId, Id, User};

use super::hub::{LiveEvent, Subscription};
use super::resume::{Resume, resume};
use crate::auth;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{events, users};

const CLOSE_GOING_AWAY: u16 = 1001;
const CLOSE_INTERNAL_ERROR: u16 = 1011;
/// "Try again later": the client fell behind; it reconnects and resumes.
const CLOSE_TRY_AGAIN_LATER: u16 = 1013;
/// Queued events written together at most.
const MAX_BATCH: usize = 64;

pub async fn run(mut socket: WebSocket, path_user: String, state: AppState) {
    let _client = state.metrics.websocket_client();
    let ws = state.config.websocket;
    let (user, subscription, start) = match open(&mut socket, &path_user, &state).await {
        Ok(opened) => opened,
        Err(why) => {
            close(&mut socket, why, ws.write_timeout).await;
            return;
        }
    };
    tracing::debug!(user = %user.id, "WebSocket authenticated");
    let mut connection = Connection {
        socket,
        write_timeout: ws.write_timeout,
        last_sent: start.newest.unwrap_or(0),
    };
    if connection.send_start(&user.id, start).await.is_ok() {
        connection
            .live(subscription, &state, ws.ping_interval)
            .await;
    }
}

/// Why the server ends a connection: a close code and its reason text.
type CloseReason = (u16, &'static str);

const UNAUTHORIZED: CloseReason = (CLOSE_UNAUTHORIZED, "unauthorized");
const INTERNAL_ERROR: CloseReason = (CLOSE_INTERNAL_ERROR, "internal error");
const SHUTTING_DOWN: CloseReason = (CLOSE_GOING_AWAY, "server shutting down");
const TOO_SLOW: CloseReason = (CLOSE_TRY_AGAIN_LATER, "too slow; reconnect to resume");

/// Authenticates the peer as the user of the path, subscribes it to live
/// events and loads what it missed.
async fn open(
    socket: &mut WebSocket,
    path_user: &str,
    state: &AppState,
) -> Result<(User, Subscription, Start), CloseReason> {
    let authenticated = tokio::select! {
        biased;
        () = state.shutdown.cancelled() => return Err(SHUTTING_DOWN),
        result = timeout(state.config.websocket.auth_timeout, authenticate(socket, state)) => result,
    };
    let (user, last_seen) = match authenticated {
        Ok(Ok(Some((user, last_seen)))) if user.id.as_str() == path_user => (user, last_seen),
        Ok(Err(err)) => {
            tracing::error!(error = ?err, "authenticating a WebSocket failed");
            return Err(INTERNAL_ERROR);
        }
        _ => return Err(UNAUTHORIZED),
    };
    // Subscribe before reading the log: an event committed after the read is
    // then surely in the subscription, and one in both is skipped by id.
    let subscription = state.hub.subscribe(&user.id);
    let start = start(state, &user.id, last_seen).await.map_err(|err| {
        tracing::error!(error = ?err, "loading the event log failed");
        INTERNAL_ERROR
    })?;
    Ok((user, subscription, start))
}

/// Waits for the `authenticate` frame; `None` when it is missing or wrong.
async fn authenticate(
    socket: &mut WebSocket,
    state: &AppState,
) -> Result<Option<(User, Option<EventId>)>, AppError> {
    loop {
        let text = match socket.recv().await {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            _ => return Ok(None),
        };
        let Ok(ClientFrame::Authenticate {
            token,
            last_event_id,
        }) = serde_json::from_str(&text)
        else {
            return Ok(None);
        };
        let user = auth::user_for_token(state, &token).await?;
        return Ok(user.map(|user| (user, last_event_id)));
    }
}

/// What the connection sends before going live.
struct Start {
    newest: Option<EventId>,
    oldest: Option<EventId>,
    resume: Resume,
    replay: Vec<(EventId, String)>,
}

async fn start(state: &AppState, user: &Id, last_seen: Option<EventId>) -> Result<Start, AppError> {
    let user = user.clone();
    state
        .store
        .call(move |conn| {
            let newest = users::last_event_id(conn, &user)?;
            let oldest = events::oldest_id(conn, &user)?;
            let resume = resume(last_seen, newest, oldest);
            let replay = match resume {
                Resume::ReplayAfter(after) => events::after(conn, &user, after)?,
                Resume::Live | Resume::Resync => Vec::new(),
            };
            Ok(Start {
                newest,
                oldest,
                resume,
                replay,
            })
        })
        .await
}

struct Connection {
    socket: WebSocket,
    write_timeout: Duration,
    /// Newest event id the client has (or was told it has): live events at
    /// or below it are the replay's overlap and are skipped.
    last_sent: EventId,
}

/// The peer is gone or too slow to write to.
struct Gone;

impl Connection {
    async fn send_start(&mut self, user: &Id, start: Start) -> Result<(), Gone> {
        self.send_control(&ControlFrame::Authenticated {
            user_id: user.clone(),
            last_event_id: start.newest,
        })
        .await?;
        if start.resume == Resume::Resync {
            self.send_control(&ControlFrame::Resync {
                oldest_event_id: start.oldest,
            })
            .await?;
        }
        self.send_all(
            start
                .replay
                .into_iter()
                .map(|(_, frame)| Message::Text(frame.into())),
        )
        .await
    }

    async fn live(
        &mut self,
        mut subscription: Subscription,
        state: &AppState,
        ping_every: Duration,
    ) {
        let mut pings = interval_at(Instant::now() + ping_every, ping_every);
        let mut awaiting_pong = false;
        // Created once: a new one per event would register and unregister a
        // waiter on the token every connection shares (BENCHMARKS.md).
        let shutdown = state.shutdown.cancelled();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                biased;
                () = &mut shutdown => {
                    self.close(SHUTTING_DOWN).await;
                    return;
                }
                event = subscription.recv() => {
                    let Some(event) = event else {
                        state.metrics.slow_client_dropped();
                        self.close(TOO_SLOW).await;
                        return;
                    };
                    // Whatever else is already queued goes out in the same write.
                    let mut batch = vec![event];
                    while batch.len() < MAX_BATCH {
                        let Some(next) = subscription.try_recv() else { break };
                        batch.push(next);
                    }
                    batch.retain(|event| event.id > self.last_sent);
                    let Some(newest) = batch.last().map(|event| event.id) else {
                        continue;
                    };
                    if self.send_all(batch.iter().map(live_frame)).await.is_err() {
                        return;
                    }
                    state.metrics.delivered(batch.iter().map(|event| event.committed));
                    self.last_sent = newest;
                }
                incoming = self.socket.recv() => match incoming {
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                    // Any frame proves the peer alive; clients have nothing
                    // else to say after authenticating.
                    Some(Ok(_)) => awaiting_pong = false,
                },
                _ = pings.tick() => {
                    if awaiting_pong {
                        tracing::debug!("peer stopped answering pings; dropping it");
                        return;
                    }
                    awaiting_pong = true;
                    // The heartbeat is for the browser, which cannot see
                    // pings; the ping's pong is the peer's proof of life.
                    let heartbeat = self.send_control(&ControlFrame::Heartbeat).await;
                    if heartbeat.is_err() || self.send(Message::Ping(Default::default())).await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    async fn send_control(&mut self, frame: &ControlFrame) -> Result<(), Gone> {
        let text = serde_json::to_string(frame).map_err(|_| Gone)?;
        self.send(Message::Text(text.into())).await
    }

    async fn send(&mut self, message: Message) -> Result<(), Gone> {
        self.send_all([message]).await
    }

    /// Writes the frames with a single flush, within the write timeout.
    async fn send_all(&mut self, frames: impl IntoIterator<Item = Message>) -> Result<(), Gone> {
        let socket = &mut self.socket;
        let write = async move {
            for frame in frames {
                socket.feed(frame).await?;
            }
            socket.flush().await
        };
        match timeout(self.write_timeout, write).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(Gone),
        }
    }

    async fn close(&mut self, why: CloseReason) {
        close(&mut self.socket, why, self.write_timeout).await;
    }
}

/// A function, not a closure: a closure over a borrowed event held across
/// the write's `.await` is not `Send` for every lifetime.
fn live_frame(event: &LiveEvent) -> Message {
    Message::Text(event.frame.clone())
}

async fn close(socket: &mut WebSocket, (code, reason): CloseReason, within: Duration) {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    // Best effort: the peer may already be gone.
    let _ = timeout(within, socket.send(Message::Close(Some(frame)))).await;
}
