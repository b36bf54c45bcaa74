//! Every open connection of every user: fan-out of live events, the cap on
//! connections per user, and the end of a token's connections at logout.
//!
//! Publishing never waits: each connection has a bounded queue, and one
//! that is full is evicted on the spot (its client reconnects and resumes
//! from `lastEventId`). So a slow client can delay neither the others nor
//! the ingest path that publishes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio_util::sync::CancellationToken;
use ytempire_protocol::{EventId, Id};

/// An event ready to send: serialised once, shared by every connection.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub id: EventId,
    pub frame: Utf8Bytes,
    /// When it was logged, in the transaction that commits it: the start of
    /// the fan-out latency.
    pub committed: Instant,
}

#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    queue_capacity: usize,
    max_per_user: usize,
    next_subscriber: AtomicU64,
    users: Mutex<HashMap<Id, Vec<Subscriber>>>,
}

struct Subscriber {
    id: u64,
    /// Digest of the token the connection authenticated with.
    token_hash: String,
    queue: mpsc::Sender<LiveEvent>,
    evicted: CancellationToken,
    logged_out: CancellationToken,
}

/// One connection's feed; leaves the hub when dropped.
pub struct Subscription {
    inner: Arc<Inner>,
    user: Id,
    id: u64,
    queue: mpsc::Receiver<LiveEvent>,
    evicted: CancellationToken,
    logged_out: CancellationToken,
}

/// Why a subscription ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Its queue was full: the client fell behind.
    FellBehind,
    /// Its token was logged out.
    LoggedOut,
}

/// The user already has the most connections allowed.
#[derive(Debug)]
pub struct TooManyConnections;

impl Hub {
    pub fn new(queue_capacity: usize, max_per_user: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                queue_capacity: queue_capacity.max(1),
                max_per_user: max_per_user.max(1),
                next_subscriber: AtomicU64::new(0),
                users: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Adds a connection of `user`, authenticated with the token of
    /// `token_hash`, unless the user is at the cap.
    pub fn subscribe(
        &self,
        user: &Id,
        token_hash: &str,
    ) -> Result<Subscription, TooManyConnections> {
        let mut users = self.inner.users();
        let subscribers = users.entry(user.clone()).or_default();
        if subscribers.len() >= self.inner.max_per_user {
            return Err(TooManyConnections);
        }
        let (tx, rx) = mpsc::channel(self.inner.queue_capacity);
        let id = self.inner.next_subscriber.fetch_add(1, Ordering::Relaxed);
        let evicted = CancellationToken::new();
        let logged_out = CancellationToken::new();
        subscribers.push(Subscriber {
            id,
            token_hash: token_hash.to_owned(),
            queue: tx,
            evicted: evicted.clone(),
            logged_out: logged_out.clone(),
        });
        Ok(Subscription {
            inner: Arc::clone(&self.inner),
            user: user.clone(),
            id,
            queue: rx,
            evicted,
            logged_out,
        })
    }

    /// Ends every connection authenticated with the token of `token_hash`.
    /// Looks at every connection: logouts are rare next to events.
    pub fn close_token(&self, token_hash: &str) {
        let mut users = self.inner.users();
        users.retain(|_, subscribers| {
            subscribers.retain(|subscriber| {
                let keep = subscriber.token_hash != token_hash;
                if !keep {
                    subscriber.logged_out.cancel();
                }
                keep
            });
            !subscribers.is_empty()
        });
    }

    /// Queues the events, in order, on every connection of the user.
    pub fn publish(&self, user: &Id, events: &[LiveEvent]) {
        if events.is_empty() {
            return;
        }
        let mut users = self.inner.users();
        let Some(subscribers) = users.get_mut(user) else {
            return;
        };
        subscribers.retain(|subscriber| {
            for event in events {
                match subscriber.queue.try_send(event.clone()) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => {
                        tracing::warn!(%user, "connection fell behind; disconnecting it");
                        subscriber.evicted.cancel();
                        return false;
                    }
                    Err(TrySendError::Closed(_)) => return false,
                }
            }
            true
        });
        if subscribers.is_empty() {
            users.remove(user);
        }
    }

    /// Open connections of the user.
    #[cfg(test)]
    pub fn connections(&self, user: &Id) -> usize {
        self.inner.users().get(user).map_or(0, Vec::len)
    }
}

impl Inner {
    fn users(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Vec<Subscriber>>> {
        // Nothing here panics while holding the lock; recover rather than cascade.
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Subscription {
    /// The next live event, until the hub ends this connection.
    pub async fn recv(&mut self) -> Result<LiveEvent, Ended> {
        tokio::select! {
            biased;
            () = self.logged_out.cancelled() => Err(Ended::LoggedOut),
            () = self.evicted.cancelled() => Err(Ended::FellBehind),
            event = self.queue.recv() => event.ok_or(Ended::FellBehind),
        }
    }

    /// An event already queued, without waiting; `None` when there is none
    /// or the connection has ended.
    pub fn try_recv(&mut self) -> Option<LiveEvent> {
        if self.evicted.is_cancelled() || self.logged_out.is_cancelled() {
            return None;
        }
        self.queue.try_recv().ok()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut users = self.inner.users();
        if let Some(subscribers) = users.get_mut(&self.user) {
            subscribers.retain(|s| s.id != self.id);
            if subscribers.is_empty() {
                users.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: EventId) -> LiveEvent {
        LiveEvent {
            id,
            frame: Utf8Bytes::from(format!("{{\"id\":{id}}}")),
            committed: Instant::now(),
        }
    }

    fn user(name: &str) -> Id {
        Id::new(name).unwrap()
    }

    fn subscribe(hub: &Hub, name: &str) -> Subscription {
        hub.subscribe(&user(name), &format!("token of {name}"))
            .unwrap()
    }

    #[tokio::test]
    async fn every_connection_of_the_user_and_no_other_gets_the_event() {
        let hub = Hub::new(8, 8);
        let mut tab1 = subscribe(&hub, "a");
        let mut tab2 = subscribe(&hub, "a");
        let mut other = subscribe(&hub, "b");
        hub.publish(&user("a"), &[event(1), event(2)]);
        for tab in [&mut tab1, &mut tab2] {
            assert_eq!(tab.recv().await.unwrap().id, 1);
            assert_eq!(tab.try_recv().unwrap().id, 2);
            assert!(tab.try_recv().is_none());
        }
        assert!(other.queue.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_full_queue_evicts_only_that_connection() {
        let hub = Hub::new(2, 8);
        let mut slow = subscribe(&hub, "a");
        let mut fast = subscribe(&hub, "a");
        hub.publish(&user("a"), &[event(1), event(2)]);
        assert_eq!(fast.recv().await.unwrap().id, 1);
        assert_eq!(fast.recv().await.unwrap().id, 2);
        hub.publish(&user("a"), &[event(3)]);
        assert!(
            slow.try_recv().is_none(),
            "an evicted connection gets nothing more"
        );
        assert_eq!(
            slow.recv().await.unwrap_err(),
            Ended::FellBehind,
            "the slow connection is evicted"
        );
        assert_eq!(fast.recv().await.unwrap().id, 3);
        assert_eq!(hub.connections(&user("a")), 1);
    }

    #[tokio::test]
    async fn dropping_a_subscription_leaves_the_hub() {
        let hub = Hub::new(2, 8);
        let sub = subscribe(&hub, "a");
        assert_eq!(hub.connections(&user("a")), 1);
        drop(sub);
        assert_eq!(hub.connections(&user("a")), 0);
    }

    #[tokio::test]
    async fn a_user_at_the_cap_gets_no_more_until_one_leaves() {
        let hub = Hub::new(2, 2);
        let first = subscribe(&hub, "a");
        let _second = subscribe(&hub, "a");
        assert!(hub.subscribe(&user("a"), "t").is_err());
        let _other_user = subscribe(&hub, "b");
        drop(first);
        assert!(hub.subscribe(&user("a"), "t").is_ok());
    }

    #[tokio::test]
    async fn closing_a_token_ends_its_connections_only() {
        let hub = Hub::new(2, 8);
        let mut tab1 = hub.subscribe(&user("a"), "t1").unwrap();
        let mut tab2 = hub.subscribe(&user("a"), "t1").unwrap();
        let mut other_login = hub.subscribe(&user("a"), "t2").unwrap();
        hub.close_token("t1");
        assert_eq!(tab1.recv().await.unwrap_err(), Ended::LoggedOut);
        assert_eq!(tab2.recv().await.unwrap_err(), Ended::LoggedOut);
        assert_eq!(hub.connections(&user("a")), 1);
        hub.publish(&user("a"), &[event(1)]);
        assert_eq!(other_login.recv().await.unwrap().id, 1);
    }
}
