//! One WebSocket connection: authenticate, replay, then live events, pings
//! and shutdown, all in a single task.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::SinkExt;
use tokio::time::{Instant, interval_at, sleep, sleep_until, timeout};
use ytempire_protocol::{
    CLOSE_POLICY_VIOLATION, CLOSE_UNAUTHORIZED, ClientFrame, ControlFrame, EventId, Id, Timestamp,
};

use super::hub::{Ended, LiveEvent, Subscription};
use super::resume::{Resume, resume};
use crate::auth::{self, ActiveSession};
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{events, sessions, users};

const CLOSE_GOING_AWAY: u16 = 1001;
const CLOSE_INTERNAL_ERROR: u16 = 1011;
/// "Try again later": the client fell behind; it reconnects and resumes.
const CLOSE_TRY_AGAIN_LATER: u16 = 1013;
/// Queued events written together at most.
const MAX_BATCH: usize = 64;

pub async fn run(mut socket: WebSocket, path_user: String, state: AppState) {
    let _client = state.metrics.websocket_client();
    let ws = state.config.websocket;
    let (session, subscription, start) = match open(&mut socket, &path_user, &state).await {
        Ok(opened) => opened,
        Err(why) => {
            close(&mut socket, why, ws.write_timeout).await;
            return;
        }
    };
    tracing::debug!(user = %session.user.id, "WebSocket authenticated");
    let mut connection = Connection {
        socket,
        write_timeout: ws.write_timeout,
        last_sent: start.newest.unwrap_or(0),
    };
    if connection.send_start(&session.user.id, start).await.is_ok() {
        let expiry = instant_of(session.expires_at);
        connection
            .live(subscription, expiry, &state, ws.ping_interval)
            .await;
    }
}

/// When `at` comes on the runtime's clock; `None` when beyond its range.
fn instant_of(at: Timestamp) -> Option<Instant> {
    let remaining = at.as_millis().saturating_sub(clock::now().as_millis());
    Instant::now().checked_add(Duration::from_millis(u64::try_from(remaining).unwrap_or(0)))
}

/// Why the server ends a connection: a close code and its reason text.
type CloseReason = (u16, &'static str);

const UNAUTHORIZED: CloseReason = (CLOSE_UNAUTHORIZED, "unauthorized");
const LOGGED_OUT: CloseReason = (CLOSE_UNAUTHORIZED, "logged out");
const EXPIRED: CloseReason = (CLOSE_UNAUTHORIZED, "session expired");
const TOO_MANY_SOCKETS: CloseReason = (
    CLOSE_POLICY_VIOLATION,
    "too many sockets open for this user",
);
const INTERNAL_ERROR: CloseReason = (CLOSE_INTERNAL_ERROR, "internal error");
const SHUTTING_DOWN: CloseReason = (CLOSE_GOING_AWAY, "server shutting down");
const TOO_SLOW: CloseReason = (CLOSE_TRY_AGAIN_LATER, "too slow; reconnect to resume");

/// Authenticates the peer as the user of the path, subscribes it to live
/// events and loads what it missed.
async fn open(
    socket: &mut WebSocket,
    path_user: &str,
    state: &AppState,
) -> Result<(ActiveSession, Subscription, Start), CloseReason> {
    let authenticated = tokio::select! {
        biased;
        () = state.shutdown.cancelled() => return Err(SHUTTING_DOWN),
        result = timeout(state.config.websocket.auth_timeout, authenticate(socket, state)) => result,
    };
    let (session, last_seen) = match authenticated {
        Ok(Ok(Some((session, last_seen)))) if session.user.id.as_str() == path_user => {
            (session, last_seen)
        }
        Ok(Err(err)) => {
            tracing::error!(error = ?err, "authenticating a WebSocket failed");
            return Err(INTERNAL_ERROR);
        }
        _ => return Err(UNAUTHORIZED),
    };
    // Subscribe before reading the log: an event committed after the read is
    // then surely in the subscription, and one in both is skipped by id.
    // The read also checks the session again: a logout between the first
    // check and the subscription found no socket to close.
    let subscription = state
        .hub
        .subscribe(&session.user.id, &session.token_hash)
        .map_err(|_| TOO_MANY_SOCKETS)?;
    let start = start(state, &session, last_seen).await.map_err(|err| {
        tracing::error!(error = ?err, "loading the event log failed");
        INTERNAL_ERROR
    })?;
    Ok((session, subscription, start.ok_or(LOGGED_OUT)?))
}

/// Waits for the `authenticate` frame; `None` when it is missing or wrong.
async fn authenticate(
    socket: &mut WebSocket,
    state: &AppState,
) -> Result<Option<(ActiveSession, Option<EventId>)>, AppError> {
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
        let session = auth::session_for_token(state, &token).await?;
        return Ok(session.map(|session| (session, last_event_id)));
    }
}

/// What the connection sends before going live.
struct Start {
    newest: Option<EventId>,
    oldest: Option<EventId>,
    resume: Resume,
    replay: Vec<(EventId, String)>,
}

/// `None` when the session has ended meanwhile.
async fn start(
    state: &AppState,
    session: &ActiveSession,
    last_seen: Option<EventId>,
) -> Result<Option<Start>, AppError> {
    let user = session.user.id.clone();
    let token_hash = session.token_hash.clone();
    state
        .store
        .read(move |conn| {
            if sessions::user_until(conn, &token_hash, clock::now())?.is_none() {
                return Ok(None);
            }
            let newest = users::last_event_id(conn, &user)?;
            let oldest = events::oldest_id(conn, &user)?;
            let resume = resume(last_seen, newest, oldest);
            let replay = match resume {
                Resume::ReplayAfter(after) => events::after(conn, &user, after)?,
                Resume::Live | Resume::Resync => Vec::new(),
            };
            Ok(Some(Start {
                newest,
                oldest,
                resume,
                replay,
            }))
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

    /// Serves live events until the peer leaves, the server shuts down, or
    /// the session ends by logout or at `expiry`.
    async fn live(
        &mut self,
        mut subscription: Subscription,
        expiry: Option<Instant>,
        state: &AppState,
        ping_every: Duration,
    ) {
        let mut pings = interval_at(Instant::now() + ping_every, ping_every);
        let mut awaiting_pong = false;
        let expired = async {
            match expiry {
                Some(at) => sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let mut expired = std::pin::pin!(expired);
        // Created once: a new one per event would register and unregister a
        // waiter on the token every connection shares (BENCHMARKS.md).
        let mut shutdown = std::pin::pin!(state.shutdown.cancelled());
        loop {
            tokio::select! {
                biased;
                () = &mut shutdown => {
                    // At a random moment within the spread, so that the
                    // clients do not all reconnect elsewhere at once.
                    sleep(state.config.shutdown.close_spread.mul_f64(rand::random())).await;
                    self.close(SHUTTING_DOWN).await;
                    return;
                }
                () = &mut expired => {
                    self.close(EXPIRED).await;
                    return;
                }
                event = subscription.recv() => {
                    let event = match event {
                        Ok(event) => event,
                        Err(Ended::FellBehind) => {
                            state.metrics.slow_client_dropped();
                            return self.close(TOO_SLOW).await;
                        }
                        Err(Ended::LoggedOut) => return self.close(LOGGED_OUT).await,
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
