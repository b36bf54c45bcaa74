//! Schema migrations, applied in order at start and tracked in `user_version`.
//! Append new steps; never edit a released one.

use rusqlite::Connection;

const STEPS: &[&str] = &[r"
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    daily_budget_micros INTEGER,
    -- Per-user event counter: survives pruning so ids never repeat.
    last_event_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    created_at INTEGER NOT NULL
);
CREATE INDEX channels_user ON channels(user_id);

CREATE TABLE videos (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
    stage TEXT,
    error_message TEXT,
    retryable INTEGER,
    -- Spend over every attempt, in millionths of a dollar so sums stay exact.
    cost_micros INTEGER NOT NULL DEFAULT 0,
    url TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX videos_channel_created ON videos(channel_id, created_at);
CREATE INDEX videos_status ON videos(status);

-- The spend ledger: one row per finished attempt of a video.
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    video_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'failed')),
    stage TEXT,
    cost_micros INTEGER NOT NULL,
    generation_time REAL,
    at INTEGER NOT NULL
);
CREATE INDEX outcomes_user_at ON outcomes(user_id, at);
CREATE INDEX outcomes_channel_at ON outcomes(channel_id, at);

-- The replay log: each frame exactly as it was sent.
CREATE TABLE events (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id INTEGER NOT NULL,
    frame TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    level TEXT NOT NULL,
    is_budget INTEGER NOT NULL,
    payload TEXT NOT NULL,
    at INTEGER NOT NULL
);
-- Each daily-budget level fires once per user per UTC day, restarts included.
CREATE UNIQUE INDEX alerts_budget_once ON alerts(user_id, day, level) WHERE is_budget = 1;
CREATE INDEX alerts_user_at ON alerts(user_id, at);
"];

pub fn apply(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, step) in STEPS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "applied database migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        apply(&mut conn).unwrap();
        let version: usize = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, STEPS.len());
    }
}
