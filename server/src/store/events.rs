//! The per-user replay log. Retention is by count: each user keeps their
//! newest `retention` events (see `Config::event_retention`).

use rusqlite::{Connection, OptionalExtension, params};
use ytempire_protocol::{EventId, Id, Timestamp};

/// Appends a serialised event frame and prunes what falls out of retention.
pub fn append(
    conn: &Connection,
    user_id: &Id,
    id: EventId,
    frame: &str,
    now: Timestamp,
    retention: u64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO events (user_id, id, frame, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![user_id.as_str(), id, frame, now.as_millis()])?;
    // Ids are contiguous per user, so the window is a simple id bound.
    conn.prepare_cached("DELETE FROM events WHERE user_id = ?1 AND id <= ?2")?
        .execute(params![user_id.as_str(), id.saturating_sub(retention)])?;
    Ok(())
}

pub fn oldest_id(conn: &Connection, user_id: &Id) -> rusqlite::Result<Option<EventId>> {
    conn.query_row(
        "SELECT MIN(id) FROM events WHERE user_id = ?1",
        [user_id.as_str()],
        |row| row.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// Stored frames with ids greater than `after`, in order.
pub fn after(
    conn: &Connection,
    user_id: &Id,
    after: EventId,
) -> rusqlite::Result<Vec<(EventId, String)>> {
    let mut stmt =
        conn.prepare("SELECT id, frame FROM events WHERE user_id = ?1 AND id > ?2 ORDER BY id")?;
    let rows = stmt.query_map(params![user_id.as_str(), after], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    rows.collect()
}
