//! The process's open-file limit, and how many connections it affords.

/// Descriptors kept for everything that is not a client connection: standard
/// streams and logs, the listeners, the runtime's epoll and wake-up
/// descriptors, and the SQLite database with its WAL and shared-memory files
/// (a set per connection of the store).
const RESERVED: u64 = 64;

/// Raises the soft open-file limit to the hard one, logs both, and returns
/// the soft limit now in force.
#[cfg(unix)]
pub fn raise_open_file_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

    let before = getrlimit(Resource::Nofile);
    let raised = Rlimit {
        current: before.maximum,
        maximum: before.maximum,
    };
    if before.current != before.maximum
        && let Err(err) = setrlimit(Resource::Nofile, raised)
    {
        tracing::warn!(error = %err, "cannot raise the open-file limit");
    }
    let now = getrlimit(Resource::Nofile);
    tracing::info!(
        soft = ?now.current,
        hard = ?now.maximum,
        soft_at_start = ?before.current,
        "open-file limit"
    );
    now.current.unwrap_or(u64::MAX)
}

/// Without POSIX limits, the common default.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> u64 {
    1024
}

/// The default `--max-connections`: `(limit - 64) * 3 / 4`. The 64 cover the
/// process's own files; the last quarter covers files a request opens (a
/// static asset while it is sent) and the descriptor a connection turned
/// away at the cap holds for a moment, so the cap is reached before
/// `accept` ever fails with `EMFILE`.
pub fn connection_budget(open_file_limit: u64) -> usize {
    let budget = open_file_limit.saturating_sub(RESERVED) / 4 * 3;
    usize::try_from(budget).unwrap_or(usize::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_leaves_room_below_the_limit() {
        assert_eq!(connection_budget(256), 144);
        assert_eq!(connection_budget(1024), 720);
        assert_eq!(connection_budget(10), 1);
        assert!(connection_budget(u64::MAX) > 1 << 40);
    }
}
