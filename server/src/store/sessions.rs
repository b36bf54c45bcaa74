//! Login sessions. Only a hash of each bearer token is stored, so a leaked
//! database does not hand out live tokens.

use rusqlite::{Connection, OptionalExtension, params};
use ytempire_protocol::{Id, Timestamp, User};

use super::users::user_from_row;

pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: &Id,
    expires_at: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user_id.as_str(), expires_at.as_millis()],
    )?;
    Ok(())
}

/// The user a live session belongs to.
pub fn user(conn: &Connection, token_hash: &str, now: Timestamp) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(
        "SELECT u.id, u.name, u.email FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )?
    .query_row(params![token_hash, now.as_millis()], user_from_row)
    .optional()
}

/// The user of a live session and when it expires.
pub fn user_until(
    conn: &Connection,
    token_hash: &str,
    now: Timestamp,
) -> rusqlite::Result<Option<(User, Timestamp)>> {
    conn.prepare_cached(
        "SELECT u.id, u.name, u.email, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )?
    .query_row(params![token_hash, now.as_millis()], |row| {
        Ok((user_from_row(row)?, Timestamp::from_millis(row.get(3)?)))
    })
    .optional()
}

/// Ends the session with this token, if there is one.
/// Whether it ended one.
pub fn delete(conn: &Connection, token_hash: &str) -> rusqlite::Result<bool> {
    let deleted = conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(deleted > 0)
}

/// Whether a session (expired or not) has this token.
pub fn exists(conn: &Connection, token_hash: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM sessions WHERE token_hash = ?1")?
        .exists([token_hash])
}

pub fn delete_expired(conn: &Connection, now: Timestamp) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        [now.as_millis()],
    )
}
