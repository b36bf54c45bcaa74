use rusqlite::{Connection, OptionalExtension, params};
use ytempire_protocol::{ChannelStatus, Id, Timestamp};

use super::users::parse_id;

#[derive(Debug, Clone)]
pub struct ChannelRow {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
}

pub fn insert(
    conn: &Connection,
    id: &Id,
    user_id: &Id,
    name: &str,
    created_at: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO channels (id, user_id, name, status, created_at)
         VALUES (?1, ?2, ?3, 'active', ?4)",
        params![id.as_str(), user_id.as_str(), name, created_at.as_millis()],
    )?;
    Ok(())
}

pub fn find(conn: &Connection, id: &Id) -> rusqlite::Result<Option<ChannelRow>> {
    conn.prepare_cached("SELECT id, user_id, name FROM channels WHERE id = ?1")?
        .query_row([id.as_str()], channel_from_row)
        .optional()
}

/// Sets the status of one of the user's channels; false when the user owns
/// no such channel.
pub fn set_status(
    conn: &Connection,
    user_id: &Id,
    id: &Id,
    status: ChannelStatus,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE channels SET status = ?1 WHERE id = ?2 AND user_id = ?3",
        params![status.as_str(), id.as_str(), user_id.as_str()],
    )?;
    Ok(changed == 1)
}

/// Active channels of every user: where demo traffic comes from.
pub fn all_active(conn: &Connection) -> rusqlite::Result<Vec<ChannelRow>> {
    let mut stmt =
        conn.prepare("SELECT id, user_id, name FROM channels WHERE status = 'active' ORDER BY id")?;
    let rows = stmt.query_map([], channel_from_row)?;
    rows.collect()
}

fn channel_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ChannelRow> {
    Ok(ChannelRow {
        id: parse_id(row, 0)?,
        user_id: parse_id(row, 1)?,
        name: row.get(2)?,
    })
}
