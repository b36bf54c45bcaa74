//! The HTTP/1.1 listener: admits connections up to the cap, gives each one
//! its deadlines, and on shutdown closes them gracefully, then by force.

mod admission;
mod body_deadline;
mod head_timer;
mod limits;
mod stream;

use std::io;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use socket2::SockRef;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

pub use admission::Admission;
pub use limits::{connection_budget, raise_open_file_limit};

use body_deadline::BodyDeadline;
use head_timer::HeadTimer;
use stream::AdmittedStream;

/// Waits after an `accept` that failed for want of a resource (`EMFILE`,
/// `ENFILE`, `ENOBUFS`): retrying at once would fail again and spin.
/// Doubles up to the maximum while the failures last.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(5);
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
    pub write_stall_timeout: Duration,
}

/// The connections a stopped listener leaves behind.
pub struct Open {
    tasks: TaskTracker,
    abort: CancellationToken,
}

impl Open {
    /// Waits until every connection has closed or upgraded.
    pub async fn closed(&self) {
        self.tasks.wait().await;
    }

    /// Drops every connection still open, whatever it is doing.
    pub fn abort(&self) {
        self.abort.cancel();
    }
}

/// Accepts until `stop`, then closes the listener and shuts every
/// connection down gracefully: in-flight requests finish, idle ones close.
pub async fn run(
    listener: TcpListener,
    router: Router,
    admission: Admission,
    deadlines: Deadlines,
    send_buffer: Option<usize>,
    stop: CancellationToken,
) -> Open {
    let open = Open {
        tasks: TaskTracker::new(),
        abort: CancellationToken::new(),
    };
    let mut backoff = ACCEPT_BACKOFF;
    loop {
        let accepted = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => {
                backoff = ACCEPT_BACKOFF;
                tcp
            }
            Err(err) if is_about_that_connection(&err) => continue,
            Err(err) => {
                tracing::error!(error = %err, retry_in = ?backoff, "cannot accept connections");
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_ACCEPT_BACKOFF);
                continue;
            }
        };
        // Past the cap the socket is dropped, which closes it at once.
        let Some(place) = admission.admit() else {
            tracing::debug!(
                max = admission.max(),
                "at the connection cap; closing a new one"
            );
            continue;
        };
        tune(&tcp, send_buffer);
        let connection = serve_connection(
            AdmittedStream::new(tcp, place, deadlines.write_stall_timeout),
            router.clone(),
            deadlines,
            stop.clone(),
            open.abort.clone(),
        );
        open.tasks.spawn(connection);
    }
    open.tasks.close();
    open
}

async fn serve_connection(
    stream: AdmittedStream,
    router: Router,
    deadlines: Deadlines,
    stop: CancellationToken,
    abort: CancellationToken,
) {
    let timer = HeadTimer::new(
        stream.bytes_read(),
        deadlines.header_timeout,
        deadlines.idle_timeout,
    );
    let awaiting_head = timer.awaiting_head();
    let released = stream.released();
    let mut http = http1::Builder::new();
    http.timer(timer)
        .header_read_timeout(deadlines.header_timeout);
    let body_timeout = deadlines.body_timeout;
    let service = router.map_request(move |request: Request<Incoming>| {
        request.map(|body| BodyDeadline::new(body, body_timeout))
    });
    let mut connection = pin!(
        http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .with_upgrades()
    );
    let mut stopping = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                // Upgraded or closed: a WebSocket keeps its own deadlines.
                released.store(true, Ordering::Relaxed);
                if let Err(err) = result {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                return;
            }
            () = stop.cancelled(), if !stopping => {
                // Between requests nothing is lost by closing at once;
                // hyper itself would wait for a head that has begun.
                if awaiting_head.load(Ordering::Relaxed) {
                    return;
                }
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
            () = abort.cancelled() => return,
        }
    }
}

/// Errors that end only the connection being accepted, not the listener.
fn is_about_that_connection(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Socket options of an accepted connection. Failures only cost
/// performance, so they are logged rather than fatal.
fn tune(tcp: &TcpStream, send_buffer: Option<usize>) {
    // Events are small frames that must leave at once, not wait for Nagle's
    // algorithm to batch them with data that may never come.
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::warn!(error = %err, "cannot set TCP_NODELAY");
    }
    if let Some(bytes) = send_buffer
        && let Err(err) = SockRef::from(tcp).set_send_buffer_size(bytes)
    {
        tracing::warn!(error = %err, "cannot set the send buffer size");
    }
}
