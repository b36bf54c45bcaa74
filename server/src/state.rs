use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::LoginThrottle;
use crate::config::Config;
use crate::exports::ExportSlots;
use crate::listener::Admission;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::ws::Hub;

/// Everything a handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub hub: Hub,
    /// Cancelled when a shutdown is asked for: `/readyz` fails from then on.
    pub draining: CancellationToken,
    /// Cancelled when the server begins shutting down.
    pub shutdown: CancellationToken,
    /// WebSocket connections, awaited on shutdown so each can close with 1001.
    pub connections: TaskTracker,
    /// Password checks running at once. Each takes ~19 MiB and a core for
    /// tens of milliseconds, so a burst of logins must queue, not pile up.
    pub password_checks: Arc<Semaphore>,
    pub login_throttle: Arc<LoginThrottle>,
    /// CSV exports running, per user.
    pub export_slots: Arc<ExportSlots>,
    /// The connection cap: open and refused connections.
    pub admission: Admission,
    /// This server's own registry: servers in one process never share one.
    pub metrics: Arc<Metrics>,
}
