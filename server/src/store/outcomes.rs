//! The spend ledger: one row per finished attempt of a video. Every money
//! figure (today's spend, alerts, reports) is a sum over it.

use rusqlite::{Connection, params};
use ytempire_protocol::{Id, Stage, Timestamp, Usd};

use crate::money;

pub struct NewOutcome<'a> {
    pub user_id: &'a Id,
    pub channel_id: &'a Id,
    pub video_id: &'a Id,
    /// `None` for a completed video, else the stage it failed at.
    pub failed_at: Option<Stage>,
    pub cost: Usd,
    pub generation_time: Option<f64>,
    pub at: Timestamp,
}

pub fn insert(conn: &Connection, outcome: &NewOutcome<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO outcomes (user_id, channel_id, video_id, outcome, stage, cost_micros,
                               generation_time, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        outcome.user_id.as_str(),
        outcome.channel_id.as_str(),
        outcome.video_id.as_str(),
        if outcome.failed_at.is_some() {
            "failed"
        } else {
            "completed"
        },
        outcome.failed_at.map(Stage::as_str),
        money::to_micros(outcome.cost),
        outcome.generation_time,
        outcome.at.as_millis(),
    ])?;
    Ok(())
}

/// What the user spent in `[from, to)`.
pub fn spend_between(
    conn: &Connection,
    user_id: &Id,
    from: Timestamp,
    to: Timestamp,
) -> rusqlite::Result<Usd> {
    let micros: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(cost_micros), 0) FROM outcomes
         WHERE user_id = ?1 AND at >= ?2 AND at < ?3",
        )?
        .query_row(
            params![user_id.as_str(), from.as_millis(), to.as_millis()],
            |row| row.get(0),
        )?;
    Ok(money::from_micros(micros))
}
