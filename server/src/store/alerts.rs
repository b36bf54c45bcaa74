//! Cost alerts that were raised, kept for the cost page and so that each
//! daily-budget level fires once per user per day, across restarts.

use rusqlite::{Connection, params};
use ytempire_protocol::{AlertLevel, CostAlert, Date, Id, Timestamp};

/// The daily-budget levels already raised for the user on `day`.
pub fn budget_levels_fired(
    conn: &Connection,
    user_id: &Id,
    day: Date,
) -> rusqlite::Result<Vec<AlertLevel>> {
    let mut stmt =
        conn.prepare("SELECT level FROM alerts WHERE user_id = ?1 AND day = ?2 AND is_budget = 1")?;
    let rows = stmt.query_map(params![user_id.as_str(), day.start().as_millis()], |row| {
        row.get::<_, String>(0)
    })?;
    let mut levels = Vec::new();
    for level in rows {
        levels.extend(AlertLevel::parse(&level?));
    }
    Ok(levels)
}

pub fn insert(
    conn: &Connection,
    user_id: &Id,
    alert: &CostAlert,
    is_budget: bool,
) -> rusqlite::Result<()> {
    let payload = serde_json::to_string(alert)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.execute(
        "INSERT INTO alerts (user_id, day, level, is_budget, payload, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            user_id.as_str(),
            Date::of(alert.timestamp).start().as_millis(),
            alert.level.as_str(),
            is_budget,
            payload,
            alert.timestamp.as_millis(),
        ],
    )?;
    Ok(())
}

/// Alerts raised in `[from, to)`, newest first.
pub fn between(
    conn: &Connection,
    user_id: &Id,
    from: Timestamp,
    to: Timestamp,
    limit: u32,
) -> rusqlite::Result<Vec<CostAlert>> {
    let mut stmt = conn.prepare(
        "SELECT payload FROM alerts WHERE user_id = ?1 AND at >= ?2 AND at < ?3
         ORDER BY at DESC, id DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![user_id.as_str(), from.as_millis(), to.as_millis(), limit],
        |row| row.get::<_, String>(0),
    )?;
    let mut alerts = Vec::new();
    for payload in rows {
        let payload = payload?;
        let alert = serde_json::from_str(&payload).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?;
        alerts.push(alert);
    }
    Ok(alerts)
}
