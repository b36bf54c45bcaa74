//! Everything the running server is configured with, independent of how it
//! was given (command line in production, struct literals in tests).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ytempire_protocol::{HEARTBEAT_INTERVAL, Usd};

pub use crate::web::ConnectOrigin;

/// The pipeline token used when `YTEMPIRE_PIPELINE_TOKEN` is unset.
pub const DEV_PIPELINE_TOKEN: &str = "dev-pipeline-token";

#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite database file; created and migrated on start.
    pub db_path: PathBuf,
    /// Built dashboard to serve at `/`, with `index.html` for client routes.
    pub static_dir: Option<PathBuf>,
    /// Bearer token the video pipeline must present.
    pub pipeline_token: String,
    /// Seed the demo account (with its public password) into an empty
    /// database. `--demo`, and implied by `--simulate`.
    pub demo: bool,
    pub database: DatabaseConfig,
    /// CSV exports one user may have running at once; the next gets 429.
    pub max_exports_per_user: usize,
    /// Budget of users who have not set their own.
    pub default_daily_budget: Usd,
    /// Demo traffic, when enabled.
    pub simulator: Option<SimulatorConfig>,
    pub sessions: SessionConfig,
    pub websocket: WebSocketConfig,
    pub connections: ConnectionConfig,
    pub shutdown: ShutdownConfig,
    /// Events kept per user for replay; older ones are pruned.
    pub event_retention: u64,
    /// Caps the kernel send buffer of every accepted connection, in bytes.
    /// This bounds the kernel memory a stuck client can pin, and such a
    /// client falls behind (and is dropped) sooner. `None` keeps the
    /// kernel's autotuning, which lets a buffer grow to megabytes.
    pub tcp_send_buffer: Option<usize>,
    /// How long a retry claimed by a pipeline worker stays with it before
    /// another worker may claim it (a worker that died must not keep it).
    pub retry_lease: Duration,
    /// Origins besides this one that the dashboard may fetch from or open
    /// sockets to (its build-time `YTEMPIRE_API_URL` and `YTEMPIRE_WS_URL`),
    /// added to the Content-Security-Policy's `connect-src`.
    pub connect_src: Vec<ConnectOrigin>,
}

#[derive(Debug, Clone, Copy)]
pub struct DatabaseConfig {
    /// How long a write waits for another connection's write lock before
    /// the request answers 503.
    pub busy_timeout: Duration,
    /// Read-only connections beside the one writer.
    pub read_connections: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct SimulatorConfig {
    /// Time between two simulator steps (each starts or finishes videos).
    pub interval: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionConfig {
    /// How long a login token stays valid.
    pub token_ttl: Duration,
    /// Wrong passwords for one email within `failed_login_window` after
    /// which it is locked out for the rest of that window.
    pub max_failed_logins: usize,
    pub failed_login_window: Duration,
    /// Emails the lockout table tracks at most (~320 bytes each); when it is
    /// full of live entries, sign-ins for other emails are refused (503).
    pub max_tracked_logins: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct WebSocketConfig {
    /// A connection must authenticate within this time or is closed with 4401.
    pub auth_timeout: Duration,
    /// How often the server sends a heartbeat frame and a ping; a peer that
    /// answers neither within an interval is dropped.
    pub ping_interval: Duration,
    /// Frames waiting for one connection; a client that falls this far behind
    /// is disconnected (it resumes with `lastEventId`).
    pub queue_capacity: usize,
    /// A single write that takes longer than this drops the connection.
    pub write_timeout: Duration,
    /// tungstenite buffer sizes: small, so that many idle connections stay cheap.
    pub read_buffer_size: usize,
    pub write_buffer_size: usize,
    /// Sockets one user may have open on this server; the next is closed
    /// with 1008.
    pub max_per_user: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct ConnectionConfig {
    /// Client connections open at once (WebSockets included); `None`
    /// derives it from the open-file limit at start.
    pub max: Option<usize>,
    /// A request head must be complete within this time of the accept (or,
    /// on a kept-alive connection, of its first byte).
    pub header_timeout: Duration,
    /// A kept-alive connection that starts no new request for this long is
    /// closed.
    pub idle_timeout: Duration,
    /// A request body must be complete within this time of its head.
    pub body_timeout: Duration,
    /// An HTTP response write that makes no progress for this long ends the
    /// connection (not a WebSocket's, which has its own write timeout).
    pub write_stall_timeout: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct ShutdownConfig {
    /// Time between a shutdown signal (from which `/readyz` fails) and the
    /// listener closing, for load balancers to notice.
    pub delay: Duration,
    /// WebSockets are closed with 1001 at random moments within this time,
    /// so that their reconnects elsewhere do not arrive as one burst.
    pub close_spread: Duration,
    /// After the delay, what is still open then is dropped.
    pub deadline: Duration,
    /// Delay and drain together end within this time of the signal, cutting
    /// either short: with the second that stopping the metrics and the
    /// blocking threads may take, the process exits within 10 s.
    pub drain_limit: Duration,
}

impl Config {
    /// Production defaults for a server on the given database.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        Self {
            db_path: db_path.into(),
            static_dir: None,
            pipeline_token: DEV_PIPELINE_TOKEN.to_owned(),
            demo: false,
            database: DatabaseConfig::default(),
            max_exports_per_user: 2,
            default_daily_budget: Usd::new(50.0).expect("a valid constant"),
            simulator: None,
            sessions: SessionConfig {
                token_ttl: Duration::from_secs(7 * 24 * 3600),
                max_failed_logins: 5,
                failed_login_window: Duration::from_secs(15 * 60),
                max_tracked_logins: 100_000,
            },
            websocket: WebSocketConfig {
                auth_timeout: Duration::from_secs(5),
                ping_interval: HEARTBEAT_INTERVAL,
                queue_capacity: 256,
                write_timeout: Duration::from_secs(10),
                // tungstenite zeroes this much before every read attempt,
                // which each live event causes on every socket; clients
                // send little after authenticating (BENCHMARKS.md).
                read_buffer_size: 512,
                write_buffer_size: 4 * 1024,
                max_per_user: 32,
            },
            connections: ConnectionConfig {
                max: None,
                header_timeout: Duration::from_secs(10),
                idle_timeout: Duration::from_secs(60),
                body_timeout: Duration::from_secs(30),
                write_stall_timeout: Duration::from_secs(30),
            },
            shutdown: ShutdownConfig {
                delay: Duration::ZERO,
                close_spread: Duration::from_millis(1500),
                deadline: Duration::from_secs(8),
                drain_limit: Duration::from_secs(9),
            },
            event_retention: 1000,
            tcp_send_buffer: None,
            retry_lease: Duration::from_secs(300),
            connect_src: Vec::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
            read_connections: 4,
        }
    }
}

/// Where the server listens unless told otherwise.
pub fn default_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8000))
}
