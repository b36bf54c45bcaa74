//! Schema migrations, applied in order at start and tracked in `user_version`.
//! Append new steps; never edit a released one.

use rusqlite::Connection;

const STEPS: &[&str] = &[
    r"
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
",
    r"
-- Which run of a video its reports belong to: a Retry starts the next one,
-- and reports of an earlier attempt are refused.
ALTER TABLE videos ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
-- Every finished attempt left one outcome row, and a video not yet finished
-- is on one attempt more, so existing videos get their true number.
UPDATE videos SET attempt = finished.count + (videos.status IN ('queued', 'processing'))
FROM (SELECT video_id, COUNT(*) AS count FROM outcomes GROUP BY video_id) AS finished
WHERE finished.video_id = videos.id;
-- The pipeline worker holding a queued retry, and until when (ms).
ALTER TABLE videos ADD COLUMN claimed_by TEXT;
ALTER TABLE videos ADD COLUMN claim_expires_at INTEGER;
",
    r"
-- Before the per-report cap ($1,000), a cost of 1e308 was booked as
-- i64::MAX micros, and summing such rows overflows. Clamp them to the cap.
UPDATE outcomes SET cost_micros = 1000000000 WHERE cost_micros > 1000000000;
UPDATE videos SET cost_micros = 1000000000 * attempt
WHERE cost_micros > 1000000000 * attempt;
",
];

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

    #[test]
    fn existing_videos_get_the_attempt_they_are_on() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(STEPS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'e', 'n', 'h', 0);
             INSERT INTO channels (id, user_id, name, status, created_at) VALUES ('c', 'u', 'C', 'active', 0);
             INSERT INTO videos (id, channel_id, title, status, created_at, updated_at) VALUES
                 ('new', 'c', 't', 'processing', 0, 0),
                 ('done', 'c', 't', 'completed', 0, 0),
                 ('retried', 'c', 't', 'queued', 0, 0),
                 ('retried-and-done', 'c', 't', 'completed', 0, 0);
             INSERT INTO outcomes (user_id, channel_id, video_id, outcome, cost_micros, at) VALUES
                 ('u', 'c', 'done', 'completed', 1, 0),
                 ('u', 'c', 'retried', 'failed', 1, 0),
                 ('u', 'c', 'retried-and-done', 'failed', 1, 0),
                 ('u', 'c', 'retried-and-done', 'completed', 1, 0);",
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let attempt = |id: &str| -> u32 {
            conn.query_row("SELECT attempt FROM videos WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .unwrap()
        };
        assert_eq!(attempt("new"), 1);
        assert_eq!(attempt("done"), 1);
        assert_eq!(attempt("retried"), 2);
        assert_eq!(attempt("retried-and-done"), 2);
    }

    #[test]
    fn costs_above_the_report_cap_are_clamped_so_sums_do_not_overflow() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(STEPS[0]).unwrap();
        conn.execute_batch(STEPS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'e', 'n', 'h', 0);
             INSERT INTO channels (id, user_id, name, status, created_at) VALUES ('c', 'u', 'C', 'active', 0);
             INSERT INTO videos (id, channel_id, title, status, cost_micros, created_at, updated_at) VALUES
                 ('huge', 'c', 't', 'completed', 9223372036854775807, 0, 0),
                 ('fine', 'c', 't', 'completed', 250000, 0, 0);
             INSERT INTO outcomes (user_id, channel_id, video_id, outcome, cost_micros, at) VALUES
                 ('u', 'c', 'huge', 'completed', 9223372036854775807, 0),
                 ('u', 'c', 'huge', 'completed', 9223372036854775807, 0),
                 ('u', 'c', 'fine', 'completed', 250000, 0);",
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let total: i64 = conn
            .query_row("SELECT SUM(cost_micros) FROM outcomes", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(total, 2_000_250_000);
        let video = |id: &str| -> i64 {
            conn.query_row(
                "SELECT cost_micros FROM videos WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .unwrap()
        };
        assert_eq!(video("huge"), 1_000_000_000);
        assert_eq!(video("fine"), 250_000);
    }
}
