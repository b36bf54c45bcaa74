use rusqlite::{Connection, OptionalExtension, params};
use ytempire_protocol::{
    Attempt, FailureDetails, HttpUrl, Id, Stage, Timestamp, Usd, Video, VideoStatus,
};

use super::users::parse_id;
use crate::money;

/// Where a video stands, as ingest needs it.
pub struct VideoState {
    pub channel_id: Id,
    pub status: VideoStatus,
    pub attempt: Attempt,
}

pub fn state(conn: &Connection, id: &Id) -> rusqlite::Result<Option<VideoState>> {
    conn.prepare_cached("SELECT channel_id, status, attempt FROM videos WHERE id = ?1")?
        .query_row([id.as_str()], |row| {
            Ok(VideoState {
                channel_id: parse_id(row, 0)?,
                status: parse_status(row, 1)?,
                attempt: parse_attempt(row, 2)?,
            })
        })
        .optional()
}

pub fn mark_processing(
    conn: &Connection,
    id: &Id,
    channel_id: &Id,
    title: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO videos (id, channel_id, title, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'processing', ?4, ?4)
         ON CONFLICT (id) DO UPDATE SET status = 'processing', title = excluded.title,
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        id.as_str(),
        channel_id.as_str(),
        title,
        now.as_millis()
    ])?;
    Ok(())
}

pub fn mark_completed(
    conn: &Connection,
    id: &Id,
    channel_id: &Id,
    title: &str,
    url: &HttpUrl,
    cost: Usd,
    now: Timestamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO videos (id, channel_id, title, status, cost_micros, url, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'completed', ?4, ?5, ?6, ?6)
         ON CONFLICT (id) DO UPDATE SET status = 'completed', title = excluded.title,
             stage = NULL, error_message = NULL, retryable = NULL, url = excluded.url,
             cost_micros = cost_micros + excluded.cost_micros, updated_at = excluded.updated_at")?.execute(params![
            id.as_str(),
            channel_id.as_str(),
            title,
            money::to_micros(cost),
            url.as_str(),
            now.as_millis()
        ],
    )?;
    Ok(())
}

pub fn mark_failed(
    conn: &Connection,
    id: &Id,
    channel_id: &Id,
    error: &FailureDetails,
    cost: Usd,
    now: Timestamp,
) -> rusqlite::Result<()> {
    // A failure report carries no title; a video first seen failing is
    // listed under its id.
    conn.prepare_cached(
        "INSERT INTO videos (id, channel_id, title, status, stage, error_message, retryable,
                             cost_micros, created_at, updated_at)
         VALUES (?1, ?2, ?1, 'failed', ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (id) DO UPDATE SET status = 'failed', stage = excluded.stage,
             error_message = excluded.error_message, retryable = excluded.retryable,
             cost_micros = cost_micros + excluded.cost_micros, updated_at = excluded.updated_at",
    )?
    .execute(params![
        id.as_str(),
        channel_id.as_str(),
        error.stage.as_str(),
        error.message,
        error.retryable,
        money::to_micros(cost),
        now.as_millis()
    ])?;
    Ok(())
}

/// What a retry request came to.
pub enum Retry {
    Requeued(Video),
    /// The video is not failed, or its failure is not retryable.
    NotRetryable(Video),
    /// No such video of this user.
    Missing,
}

/// Puts one of the user's failed, retryable videos back in the queue, as its
/// next attempt and claimed by no pipeline worker yet.
pub fn retry(
    conn: &mut Connection,
    user_id: &Id,
    id: &Id,
    now: Timestamp,
) -> rusqlite::Result<Retry> {
    let tx = conn.transaction()?;
    let requeued = requeue(&tx, user_id, id, now)?;
    let outcome = match get(&tx, user_id, id)? {
        None => Retry::Missing,
        Some(video) if requeued => Retry::Requeued(video),
        Some(video) => Retry::NotRetryable(video),
    };
    tx.commit()?;
    Ok(outcome)
}

fn requeue(conn: &Connection, user_id: &Id, id: &Id, now: Timestamp) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE videos SET status = 'queued', stage = NULL, error_message = NULL,
             retryable = NULL, attempt = attempt + 1, claimed_by = NULL,
             claim_expires_at = NULL, updated_at = ?3
         WHERE id = ?1 AND status = 'failed' AND retryable = 1
           AND channel_id IN (SELECT id FROM channels WHERE user_id = ?2)",
        params![id.as_str(), user_id.as_str(), now.as_millis()],
    )?;
    Ok(changed == 1)
}

const SELECT_VIDEO: &str = "SELECT v.id, v.channel_id, c.name, v.title, v.status, v.stage,
        v.error_message, v.retryable, v.cost_micros, v.url, v.created_at, v.updated_at,
        v.attempt
     FROM videos v JOIN channels c ON c.id = v.channel_id";

/// One of the user's videos; `None` for unknown ids and other users' videos alike.
pub fn get(conn: &Connection, user_id: &Id, id: &Id) -> rusqlite::Result<Option<Video>> {
    conn.query_row(
        &format!("{SELECT_VIDEO} WHERE v.id = ?1 AND c.user_id = ?2"),
        params![id.as_str(), user_id.as_str()],
        video_from_row,
    )
    .optional()
}

/// A page of the user's videos, newest first, and the number matching in all.
pub fn page(
    conn: &Connection,
    user_id: &Id,
    status: Option<VideoStatus>,
    offset: u64,
    limit: u32,
) -> rusqlite::Result<(Vec<Video>, u32)> {
    let status = status.map(VideoStatus::as_str);
    let total = conn.query_row(
        "SELECT COUNT(*) FROM videos v JOIN channels c ON c.id = v.channel_id
         WHERE c.user_id = ?1 AND (?2 IS NULL OR v.status = ?2)",
        params![user_id.as_str(), status],
        |row| row.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT_VIDEO} WHERE c.user_id = ?1 AND (?2 IS NULL OR v.status = ?2)
         ORDER BY v.created_at DESC, v.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let items = stmt
        .query_map(
            params![user_id.as_str(), status, limit, offset],
            video_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok((items, total))
}

/// A place in the order of [`created_between`]: just after the video created
/// at `created_at` with id `id`. An empty id is before every video of that
/// millisecond.
pub struct Position<'a> {
    pub created_at: Timestamp,
    pub id: &'a str,
}

/// Up to `limit` of the user's videos created after `after` and before `to`,
/// oldest first: one page of an export, the next starting after its last.
pub fn created_between(
    conn: &Connection,
    user_id: &Id,
    after: &Position<'_>,
    to: Timestamp,
    limit: u32,
) -> rusqlite::Result<Vec<Video>> {
    // `created_at >= ?2` keeps the (channel, created_at) index usable; the
    // OR then excludes what the previous page already had.
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_VIDEO} WHERE c.user_id = ?1 AND v.created_at >= ?2 AND v.created_at < ?3
           AND (v.created_at > ?2 OR v.id > ?4)
         ORDER BY v.created_at, v.id LIMIT ?5"
    ))?;
    let rows = stmt.query_map(
        params![
            user_id.as_str(),
            after.created_at.as_millis(),
            to.as_millis(),
            after.id,
            limit
        ],
        video_from_row,
    )?;
    rows.collect()
}

fn video_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Video> {
    let stage: Option<String> = row.get(5)?;
    let url: Option<String> = row.get(9)?;
    Ok(Video {
        id: parse_id(row, 0)?,
        channel_id: parse_id(row, 1)?,
        channel_name: row.get(2)?,
        title: row.get(3)?,
        status: parse_status(row, 4)?,
        stage: stage.as_deref().and_then(Stage::parse),
        error_message: row.get(6)?,
        retryable: row.get(7)?,
        cost: money::from_micros(row.get(8)?),
        url: url.and_then(|u| HttpUrl::new(u).ok()),
        created_at: Timestamp::from_millis(row.get(10)?),
        updated_at: Timestamp::from_millis(row.get(11)?),
        attempt: parse_attempt(row, 12)?,
    })
}

fn parse_status(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<VideoStatus> {
    let raw: String = row.get(index)?;
    VideoStatus::parse(&raw).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown video status {raw:?}").into(),
        )
    })
}

pub(super) fn parse_attempt(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Attempt> {
    let raw: u32 = row.get(index)?;
    Attempt::new(raw).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Integer,
            "attempt 0".into(),
        )
    })
}
