use rusqlite::{Connection, OptionalExtension, params};
use ytempire_protocol::{EventId, Id, Timestamp, Usd, User};

use crate::money;

/// A user as login needs it.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

pub struct NewUser<'a> {
    pub id: &'a Id,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub daily_budget: Option<Usd>,
    pub created_at: Timestamp,
}

pub fn insert(conn: &Connection, user: &NewUser<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO users (id, email, name, password_hash, daily_budget_micros, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            user.id.as_str(),
            user.email,
            user.name,
            user.password_hash,
            user.daily_budget.map(money::to_micros),
            user.created_at.as_millis(),
        ],
    )?;
    Ok(())
}

pub fn count(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
}

pub fn email_taken(conn: &Connection, email: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1)",
        [email],
        |row| row.get(0),
    )
}

pub fn credentials(conn: &Connection, email: &str) -> rusqlite::Result<Option<Credentials>> {
    conn.query_row(
        "SELECT id, name, email, password_hash FROM users WHERE email = ?1",
        [email],
        |row| {
            Ok(Credentials {
                user: user_from_row(row)?,
                password_hash: row.get(3)?,
            })
        },
    )
    .optional()
}

/// Every user with the number of channels they own, oldest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<(User, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT u.id, u.name, u.email, (SELECT COUNT(*) FROM channels c WHERE c.user_id = u.id)
         FROM users u ORDER BY u.created_at, u.id",
    )?;
    let rows = stmt.query_map([], |row| Ok((user_from_row(row)?, row.get(3)?)))?;
    rows.collect()
}

/// The user's own budget, or `default` when they have none.
pub fn daily_budget(conn: &Connection, user_id: &Id, default: Usd) -> rusqlite::Result<Usd> {
    let micros: Option<i64> = conn
        .prepare_cached("SELECT daily_budget_micros FROM users WHERE id = ?1")?
        .query_row([user_id.as_str()], |row| row.get(0))?;
    Ok(micros.map_or(default, money::from_micros))
}

/// Sets (or, with `None`, clears) a user's own daily budget; `false` if no
/// user has that email. Today's alerts follow it from the next video on.
pub fn set_daily_budget(
    conn: &Connection,
    email: &str,
    budget: Option<Usd>,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE users SET daily_budget_micros = ?2 WHERE email = ?1",
        rusqlite::params![email, budget.map(money::to_micros)],
    )?;
    Ok(changed > 0)
}

/// Reserves the user's next event id.
pub fn next_event_id(conn: &Connection, user_id: &Id) -> rusqlite::Result<EventId> {
    conn.prepare_cached(
        "UPDATE users SET last_event_id = last_event_id + 1 WHERE id = ?1 RETURNING last_event_id",
    )?
    .query_row([user_id.as_str()], |row| row.get(0))
}

/// The newest event id handed out to the user, if any.
pub fn last_event_id(conn: &Connection, user_id: &Id) -> rusqlite::Result<Option<EventId>> {
    let last: EventId = conn.query_row(
        "SELECT last_event_id FROM users WHERE id = ?1",
        [user_id.as_str()],
        |row| row.get(0),
    )?;
    Ok((last > 0).then_some(last))
}

pub(super) fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: parse_id(row, 0)?,
        name: row.get(1)?,
        email: row.get(2)?,
    })
}

/// Reads a column holding an id the server stored itself, as stored (see
/// [`Id::from_stored`]).
pub(super) fn parse_id(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Id> {
    row.get(index).map(Id::from_stored)
}
