//! Queued retries as pipeline workers claim them. A claim is a lease: only
//! its worker is handed the retry until the lease runs out, and claiming
//! again renews it, so the retries of a worker that died go to another.

use rusqlite::{Connection, params};
use ytempire_protocol::{ClaimedRetry, Id, Timestamp};

use super::users::parse_id;
use super::videos::parse_attempt;

/// Hands `worker` up to `limit` queued retries of active channels, leased
/// until `until`: first those it already holds, then the oldest no live
/// lease holds. Repeating a claim returns the same retries.
pub fn claim(
    conn: &mut Connection,
    worker: &Id,
    limit: u32,
    now: Timestamp,
    until: Timestamp,
) -> rusqlite::Result<Vec<ClaimedRetry>> {
    let tx = conn.transaction()?;
    let retries = {
        let mut stmt = tx.prepare_cached(
            "SELECT v.id, v.channel_id, c.name, v.title, v.attempt
             FROM videos v JOIN channels c ON c.id = v.channel_id
             WHERE v.status = 'queued' AND c.status = 'active'
               AND (v.claimed_by IS NULL OR v.claimed_by = ?1 OR v.claim_expires_at <= ?2)
             ORDER BY v.claimed_by IS ?1 DESC, v.updated_at, v.id
             LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![worker.as_str(), now.as_millis(), limit], |row| {
            Ok(ClaimedRetry {
                video_id: parse_id(row, 0)?,
                channel_id: parse_id(row, 1)?,
                channel_name: row.get(2)?,
                title: row.get(3)?,
                attempt: parse_attempt(row, 4)?,
                lease_expires_at: until,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    {
        let mut lease = tx.prepare_cached(
            "UPDATE videos SET claimed_by = ?1, claim_expires_at = ?2 WHERE id = ?3",
        )?;
        for retry in &retries {
            lease.execute(params![
                worker.as_str(),
                until.as_millis(),
                retry.video_id.as_str()
            ])?;
        }
    }
    tx.commit()?;
    Ok(retries)
}
