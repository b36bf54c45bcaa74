use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::store::Store;
use crate::ws::Hub;

/// Everything a handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub hub: Hub,
    /// Cancelled when the server begins shutting down.
    pub shutdown: CancellationToken,
    /// WebSocket connections, awaited on shutdown so each can close with 1001.
    pub connections: TaskTracker,
}
