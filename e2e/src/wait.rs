use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// Long enough for a cold page load on a loaded 2-core machine.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(20);

const POLL_EVERY: Duration = Duration::from_millis(50);

/// Polls `probe` until it yields `Some`, or panics with `what` once
/// `deadline` has passed. The sleep only spaces out polls; the condition,
/// not the time, decides when the wait ends.
pub async fn eventually<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let give_up = Instant::now() + deadline;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            Instant::now() < give_up,
            "timed out after {deadline:?} waiting for {what}"
        );
        sleep(POLL_EVERY).await;
    }
}
