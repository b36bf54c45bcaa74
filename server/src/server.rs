//! Starting and stopping the whole server.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::serve::ListenerExt;
use socket2::SockRef;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::accounts::{self, DEMO_EMAIL, DEMO_PASSWORD, NewAccount};
use crate::auth::{LoginThrottle, password};
use crate::clock;
use crate::config::Config;
use crate::metrics::{self, CountedListener, Metrics};
use crate::routes;
use crate::simulator::Simulator;
use crate::state::AppState;
use crate::store::Store;
use crate::ws::Hub;

/// How long open WebSockets get to send their 1001 close on shutdown.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// What the server listens on, bound by the caller (tests bind port 0).
pub struct Listeners {
    /// The API, the WebSockets and the dashboard.
    pub api: TcpListener,
    /// Prometheus metrics, kept off the public listener.
    pub metrics: Option<TcpListener>,
}

impl From<TcpListener> for Listeners {
    fn from(api: TcpListener) -> Self {
        Self { api, metrics: None }
    }
}

/// Serves until `shutdown` completes; then stops accepting, lets in-flight
/// requests finish and closes every WebSocket with 1001.
pub async fn serve(
    config: Config,
    listeners: impl Into<Listeners>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let Listeners {
        api: listener,
        metrics: metrics_listener,
    } = listeners.into();
    let db_path = config.db_path.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&db_path)).await??;
    seed_demo(&store).await?;

    let state = AppState {
        hub: Hub::new(config.websocket.queue_capacity),
        login_throttle: Arc::new(LoginThrottle::new(
            config.sessions.max_failed_logins,
            config.sessions.failed_login_window,
        )),
        config: Arc::new(config),
        store,
        shutdown: CancellationToken::new(),
        connections: TaskTracker::new(),
        password_checks: Arc::new(Semaphore::new(
            std::thread::available_parallelism().map_or(2, usize::from),
        )),
        metrics: Arc::new(Metrics::new()),
    };
    let metrics_server = metrics_listener.map(|listener| {
        tokio::spawn(metrics::serve(
            listener,
            Arc::clone(&state.metrics),
            state.shutdown.clone(),
        ))
    });
    let router = routes::router(state.clone());
    let simulator = state.config.simulator.map(|sim| {
        let simulator = Simulator {
            router: router.clone(),
            store: state.store.clone(),
            pipeline_token: state.config.pipeline_token.clone(),
            interval: sim.interval,
        };
        tokio::spawn(simulator.run(state.shutdown.clone()))
    });

    tracing::info!(addr = %listener.local_addr()?, db = %state.config.db_path.display(), "listening");
    let send_buffer = state.config.tcp_send_buffer;
    let listener = CountedListener::new(
        listener.tap_io(move |tcp| tune(tcp, send_buffer)),
        &state.metrics,
    );
    let stopping = state.shutdown.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down");
            stopping.cancel();
        })
        .await
        .context("serving")?;

    if let Some(simulator) = simulator {
        simulator.await.context("simulator task")?;
    }
    if let Some(metrics_server) = metrics_server {
        metrics_server.await.context("metrics task")??;
    }
    state.connections.close();
    if tokio::time::timeout(CLOSE_GRACE, state.connections.wait())
        .await
        .is_err()
    {
        tracing::warn!("some WebSockets did not close in time");
    }
    Ok(())
}

/// Socket options of an accepted connection. Failures only cost
/// performance, so they are logged rather than fatal.
fn tune(tcp: &mut TcpStream, send_buffer: Option<usize>) {
    // Events are small frames that must leave at once, not wait for Nagle's
    // algorithm to batch them with data that may never come.
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::warn!(error = %err, "cannot set TCP_NODELAY");
    }
    if let Some(bytes) = send_buffer
        && let Err(err) = SockRef::from(&*tcp).set_send_buffer_size(bytes)
    {
        tracing::warn!(error = %err, "cannot set the send buffer size");
    }
}

/// Creates the demo account on a first start only.
async fn seed_demo(store: &Store) -> anyhow::Result<()> {
    if !store
        .call(|conn| Ok::<_, anyhow::Error>(accounts::is_empty(conn)?))
        .await?
    {
        return Ok(());
    }
    let hash = tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD)).await??;
    let user = store
        .call(move |conn| {
            let account = NewAccount {
                email: DEMO_EMAIL,
                name: "Demo Creator",
                password_hash: &hash,
                daily_budget: None,
                channels: accounts::demo_channels(),
            };
            Ok::<_, anyhow::Error>(accounts::create(conn, &account, clock::now())?)
        })
        .await?;
    tracing::info!(email = DEMO_EMAIL, user = %user.id, "seeded the demo account");
    Ok(())
}
