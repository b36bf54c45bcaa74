use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use rusqlite::ffi;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::migrations;
use crate::config::DatabaseConfig;

/// Shared handle to the database: one writer, and a few read-only
/// connections so that reads never queue behind ingest.
#[derive(Clone)]
pub struct Store {
    /// Taken before a blocking thread is: a write waiting its turn holds
    /// no thread, and gives up after `busy_timeout` like one waiting for
    /// SQLite's lock.
    writer: Arc<tokio::sync::Mutex<Connection>>,
    busy_timeout: Duration,
    readers: Arc<ReadPool>,
}

/// Idle read-only connections; a permit is a claim on one of them.
struct ReadPool {
    idle: Mutex<Vec<Connection>>,
    available: Arc<Semaphore>,
}

impl Store {
    /// Opens (or creates, readable by its owner only) the database file and
    /// brings its schema up to date.
    pub fn open(path: &Path, config: DatabaseConfig) -> anyhow::Result<Self> {
        create_private(path).with_context(|| format!("creating {}", path.display()))?;
        let mut conn =
            Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        // WAL lets readers run beside the writer, and `user add` write while
        // a server runs on the same file. SQLite creates the -wal and -shm
        // files with the database file's mode.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(config.busy_timeout)?;
        // A transaction takes the write lock when it begins, where waiting is
        // safe: a deferred one that read first and then finds the lock taken
        // fails at once, whatever the busy timeout.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        // Room for every statement of the hot paths (token lookup, ingest),
        // which are prepared once and then taken from this cache.
        conn.set_prepared_statement_cache_capacity(32);
        migrations::apply(&mut conn).context("migrating the database")?;

        let readers = (0..config.read_connections.max(1))
            .map(|_| open_reader(path, config))
            .collect::<rusqlite::Result<Vec<_>>>()
            .context("opening read connections")?;
        Ok(Self {
            writer: Arc::new(tokio::sync::Mutex::new(conn)),
            busy_timeout: config.busy_timeout,
            readers: Arc::new(ReadPool {
                available: Arc::new(Semaphore::new(readers.len())),
                idle: Mutex::new(readers),
            }),
        })
    }

    /// Runs `f` with the writing connection on the blocking thread pool.
    /// Writes are serialised here, which is what lets ingest commit and
    /// publish events in id order. A write that cannot have the writer
    /// within the busy timeout fails as SQLite's own busy error does.
    pub async fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<anyhow::Error> + From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer).lock_owned();
        let Ok(mut conn) = tokio::time::timeout(self.busy_timeout, writer).await else {
            return Err(E::from(rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_BUSY),
                Some("waited for the writer past the busy timeout".to_owned()),
            )));
        };
        // A panic mid-transaction rolls that transaction back as it unwinds
        // and releases the writer, which is still sound.
        tokio::task::spawn_blocking(move || f(&mut conn))
            .await
            .map_err(|join| E::from(anyhow::Error::new(join).context("database task failed")))?
    }

    /// Runs `f` inside one read transaction on a read-only connection: every
    /// query of `f` sees the same committed state, and none waits for a
    /// writer. Waits (without a thread) while every read connection is busy.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<anyhow::Error> + From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let mut lease = self.readers.lease().await.map_err(E::from)?;
        tokio::task::spawn_blocking(move || {
            let tx = lease.conn().transaction()?;
            // Ending a read-only transaction by rollback (on drop) is all
            // it needs.
            f(&tx)
        })
        .await
        .map_err(|join| E::from(anyhow::Error::new(join).context("database task failed")))?
    }

    /// Runs `f` on the calling thread: for the command line, which has no runtime.
    pub fn call_sync<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut self.writer.blocking_lock())
    }
}

impl ReadPool {
    async fn lease(self: &Arc<Self>) -> anyhow::Result<Lease> {
        let permit = Arc::clone(&self.available)
            .acquire_owned()
            .await
            .context("the read pool is closed")?;
        let conn = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .context("a read permit without an idle connection")?;
        Ok(Lease {
            conn: Some(conn),
            pool: Arc::clone(self),
            _permit: permit,
        })
    }
}

/// A read connection taken from the pool; goes back when dropped, also when
/// the work on it panicked (its transaction rolled back as that unwound).
struct Lease {
    conn: Option<Connection>,
    pool: Arc<ReadPool>,
    // Released after `drop` has put the connection back.
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn conn(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}

fn open_reader(path: &Path, config: DatabaseConfig) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Readers of a WAL database wait only in rare moments (recovery after a
    // crash); bounded like writers all the same.
    conn.busy_timeout(config.busy_timeout)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// Creates the database file with mode 0600 if it does not exist yet, so
/// that SQLite, which otherwise creates it under the umask (often 0644),
/// opens a file only its owner can read.
fn create_private(path: &Path) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn config() -> DatabaseConfig {
        DatabaseConfig {
            busy_timeout: Duration::ZERO,
            read_connections: 2,
        }
    }

    #[test]
    fn a_write_transaction_takes_the_write_lock_when_it_begins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let store = Store::open(&path, config()).unwrap();
        let other = Connection::open(&path).unwrap();
        store.call_sync(|conn| {
            let _tx = conn.transaction().unwrap();
            let err = other.execute_batch("BEGIN IMMEDIATE").unwrap_err();
            assert_eq!(
                err.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy)
            );
        });
    }

    #[tokio::test]
    async fn reads_see_one_snapshot_and_do_not_wait_for_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let store = Store::open(&path, config()).unwrap();
        let writer = Arc::clone(&store.writer);
        let held = writer.lock().await;
        let count = |conn: &Connection| -> rusqlite::Result<u64> {
            conn.query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
        };
        let (first, second) = store
            .read(move |conn| {
                let first = count(conn)?;
                // Committed by another connection between the two queries.
                let other = Connection::open(&path).unwrap();
                other
                    .execute(
                        "INSERT INTO users (id, email, name, password_hash, created_at)
                         VALUES ('u', 'u@x', 'U', 'h', 0)",
                        [],
                    )
                    .unwrap();
                Ok::<_, anyhow::Error>((first, count(conn)?))
            })
            .await
            .unwrap();
        drop(held);
        assert_eq!((first, second), (0, 0));
        let after = store.read(move |conn| Ok::<_, anyhow::Error>(count(conn)?));
        assert_eq!(after.await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_write_that_cannot_have_the_writer_in_time_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("test.db"), config()).unwrap();
        let held = Arc::clone(&store.writer).lock_owned().await;
        let err = store
            .call(|_| Ok::<_, crate::error::AppError>(()))
            .await
            .unwrap_err();
        assert!(matches!(err, crate::error::AppError::Busy), "{err:?}");
        drop(held);
        store
            .call(|_| Ok::<_, crate::error::AppError>(()))
            .await
            .unwrap();
    }
}
