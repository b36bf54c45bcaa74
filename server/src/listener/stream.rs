//! An admitted client socket: it holds its place under the connection cap
//! until it is closed, also after an upgrade hands it to a WebSocket, and
//! counts the bytes it reads for the head timer.
//!
//! While hyper serves HTTP on it, a write that makes no progress for the
//! write-stall timeout fails, which ends the connection: a client that
//! never reads its response does not keep its place. A WebSocket has its own
//! write timeout and heartbeats, so the deadline ends at the upgrade.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use super::admission::Place;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

pub struct AdmittedStream {
    tcp: TcpStream,
    bytes_read: Arc<AtomicU64>,
    write_stall: WriteStall,
    _place: Place,
}

struct WriteStall {
    timeout: Duration,
    /// Armed while a write waits; reset by any progress.
    deadline: Option<Pin<Box<Sleep>>>,
    /// Set once hyper has handed the socket on (or let it go).
    released: Arc<AtomicBool>,
}

impl WriteStall {
    fn check<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if polled.is_ready() || self.released.load(Ordering::Relaxed) {
            self.deadline = None;
            return polled;
        }
        let timeout = self.timeout;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.deadline = None;
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the client read nothing for {timeout:?}"),
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AdmittedStream {
    pub fn new(tcp: TcpStream, place: Place, write_stall_timeout: Duration) -> Self {
        Self {
            tcp,
            bytes_read: Arc::new(AtomicU64::new(0)),
            write_stall: WriteStall {
                timeout: write_stall_timeout,
                deadline: None,
                released: Arc::new(AtomicBool::new(false)),
            },
            _place: place,
        }
    }

    /// Set it when hyper no longer serves HTTP on the socket: from then on,
    /// writes have no stall deadline.
    pub fn released(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.write_stall.released)
    }

    /// Bytes read so far, as they are read.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes_read)
    }
}

impl AsyncRead for AdmittedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.tcp).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            this.bytes_read.fetch_add(read as u64, Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for AdmittedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.tcp).poll_write(cx, buf);
        this.write_stall.check(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.tcp).poll_write_vectored(cx, bufs);
        this.write_stall.check(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.tcp).poll_flush(cx);
        this.write_stall.check(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.tcp).poll_shutdown(cx);
        this.write_stall.check(cx, polled)
    }
}
