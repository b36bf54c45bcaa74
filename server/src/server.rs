//! Starting and stopping the whole server.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, sleep_until, timeout, timeout_at};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::accounts::{self, DEMO_EMAIL, DEMO_PASSWORD, NewAccount};
use crate::auth::{LoginThrottle, password};
use crate::clock;
use crate::config::Config;
use crate::exports::ExportSlots;
use crate::listener::{self, Admission, Deadlines};
use crate::metrics::{self, Metrics};
use crate::routes;
use crate::simulator::Simulator;
use crate::state::AppState;
use crate::store::Store;
use crate::ws::Hub;

/// How long scrapes in progress get to finish once everything else has
/// closed.
const METRICS_STOP: Duration = Duration::from_millis(500);

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

/// Serves on `listener` until `shutdown` completes. Then `/readyz` fails at
/// once; after the configured delay the listener closes, in-flight requests
/// finish and WebSockets close with 1001, and whatever is still open at the
/// deadline is dropped.
pub async fn serve(
    config: Config,
    listeners: impl Into<Listeners>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let Listeners {
        api: listener,
        metrics: metrics_listener,
    } = listeners.into();
    let open_files = listener::raise_open_file_limit();
    let max_connections = config
        .connections
        .max
        .unwrap_or_else(|| listener::connection_budget(open_files));
    let (db_path, database) = (config.db_path.clone(), config.database);
    let store = tokio::task::spawn_blocking(move || Store::open(&db_path, database)).await??;
    if config.demo {
        seed_demo(&store).await?;
    }

    let metrics = Arc::new(Metrics::new());
    let state = AppState {
        hub: Hub::new(
            config.websocket.queue_capacity,
            config.websocket.max_per_user,
        ),
        login_throttle: Arc::new(LoginThrottle::new(
            config.sessions.max_failed_logins,
            config.sessions.failed_login_window,
            config.sessions.max_tracked_logins,
        )),
        export_slots: Arc::new(ExportSlots::new(config.max_exports_per_user)),
        config: Arc::new(config),
        store,
        draining: CancellationToken::new(),
        shutdown: CancellationToken::new(),
        connections: TaskTracker::new(),
        password_checks: Arc::new(Semaphore::new(
            std::thread::available_parallelism().map_or(2, usize::from),
        )),
        admission: Admission::new(max_connections, metrics.connection_counters()),
        metrics,
    };
    let router = routes::router(state.clone())?;
    let deadlines = Deadlines {
        header_timeout: state.config.connections.header_timeout,
        idle_timeout: state.config.connections.idle_timeout,
        body_timeout: state.config.connections.body_timeout,
        write_stall_timeout: state.config.connections.write_stall_timeout,
    };
    // Metrics stay up through the drain, which is when an operator wants
    // them, and stop last; also if serving fails before that.
    let stop_metrics = CancellationToken::new();
    let _stop_metrics_on_return = stop_metrics.clone().drop_guard();
    let metrics_server = metrics_listener.map(|listener| {
        tokio::spawn(metrics::serve(
            listener,
            Arc::clone(&state.metrics),
            deadlines,
            stop_metrics.clone(),
        ))
    });
    let simulator = state.config.simulator.map(|sim| {
        let simulator = Simulator {
            router: router.clone(),
            store: state.store.clone(),
            pipeline_token: state.config.pipeline_token.clone(),
            interval: sim.interval,
        };
        tokio::spawn(simulator.run(state.shutdown.clone()))
    });

    tracing::info!(
        addr = %listener.local_addr()?,
        db = %state.config.db_path.display(),
        max_connections = state.admission.max(),
        "listening"
    );
    let accepting = tokio::spawn(listener::run(
        listener,
        router,
        state.admission.clone(),
        deadlines,
        state.config.tcp_send_buffer,
        state.shutdown.clone(),
    ));

    shutdown.await;
    let limits = state.config.shutdown;
    let drained_by = Instant::now() + limits.drain_limit;
    tracing::info!("shutdown requested; no longer ready");
    if limits.delay + limits.deadline > limits.drain_limit {
        tracing::warn!(
            delay = ?limits.delay,
            deadline = ?limits.deadline,
            limit = ?limits.drain_limit,
            "the shutdown delay and deadline are cut to end within the limit of the signal"
        );
    }
    state.draining.cancel();
    sleep_until(drained_by.min(Instant::now() + limits.delay)).await;
    let deadline = drained_by.min(Instant::now() + limits.deadline);
    tracing::info!("shutting down");
    state.shutdown.cancel();
    let open = accepting.await.context("the listener task")?;
    state.connections.close();
    let everything_closed = async {
        if let Some(simulator) = simulator {
            simulator.await.context("simulator task")?;
        }
        open.closed().await;
        state.connections.wait().await;
        anyhow::Ok(())
    };
    match timeout_at(deadline, everything_closed).await {
        Ok(closed) => closed?,
        Err(_) => {
            tracing::warn!(
                open = state.admission.open(),
                "connections still open at the shutdown deadline; dropping them"
            );
            open.abort();
        }
    }
    stop_metrics.cancel();
    if let Some(mut metrics_server) = metrics_server {
        match timeout(METRICS_STOP, &mut metrics_server).await {
            Ok(stopped) => stopped.context("metrics task")??,
            Err(_) => {
                tracing::warn!("a metrics scrape outlived the shutdown; dropping it");
                metrics_server.abort();
            }
        }
    }
    tracing::info!(refused_at_the_cap = state.admission.refused(), "stopped");
    Ok(())
}

/// Creates the demo account on a first start only (with `--demo`).
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
