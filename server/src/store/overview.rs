//! The dashboard overview: today's figures per channel and in total.

use rusqlite::{Connection, params};
use ytempire_protocol::{Channel, ChannelStatus, Date, Id, Metrics, Overview, Timestamp, Usd};

use super::users;
use crate::error::AppError;
use crate::money;
use crate::revenue::estimated_revenue;

pub fn overview(
    conn: &Connection,
    user_id: &Id,
    default_budget: Usd,
    now: Timestamp,
) -> Result<Overview, AppError> {
    let channels = channels_today(conn, user_id, None, now)?;
    let processing_now = conn.query_row(
        "SELECT COUNT(*) FROM videos v JOIN channels c ON c.id = v.channel_id
         WHERE c.user_id = ?1 AND v.status = 'processing'",
        [user_id.as_str()],
        |row| row.get(0),
    )?;
    let videos_today: u32 = channels.iter().map(|c| c.videos_today).sum();
    let failed_today: u32 = channels.iter().map(|c| c.failed_today).sum();
    let cost_today = money::sum(channels.iter().map(|channel| channel.cost_today))?;
    let finished = videos_today + failed_today;
    let metrics = Metrics {
        channel_count: u32::try_from(channels.len()).unwrap_or(u32::MAX),
        active_channels: u32::try_from(
            channels
                .iter()
                .filter(|c| c.status == ChannelStatus::Active)
                .count(),
        )
        .unwrap_or(u32::MAX),
        videos_today,
        failed_today,
        processing_now,
        cost_today,
        daily_budget: users::daily_budget(conn, user_id, default_budget)?,
        revenue_today: estimated_revenue(videos_today),
        average_cost_per_video: if finished == 0 {
            Usd::ZERO
        } else {
            money::round_usd(cost_today.get() / f64::from(finished))
        },
    };
    Ok(Overview {
        metrics,
        channels,
        generated_at: now,
        // Read in the same read transaction as the figures: ingest logs
        // events in the transaction that changes them, so the two agree.
        last_event_id: users::last_event_id(conn, user_id)?,
    })
}

/// One of the user's channels with today's figures.
pub fn channel_today(
    conn: &Connection,
    user_id: &Id,
    channel_id: &Id,
    now: Timestamp,
) -> rusqlite::Result<Option<Channel>> {
    Ok(channels_today(conn, user_id, Some(channel_id), now)?
        .into_iter()
        .next())
}

fn channels_today(
    conn: &Connection,
    user_id: &Id,
    only: Option<&Id>,
    now: Timestamp,
) -> rusqlite::Result<Vec<Channel>> {
    let today = Date::of(now);
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.status,
            COUNT(o.id) FILTER (WHERE o.outcome = 'completed'),
            COUNT(o.id) FILTER (WHERE o.outcome = 'failed'),
            COALESCE(SUM(o.cost_micros), 0),
            (SELECT COUNT(*) FROM videos v WHERE v.channel_id = c.id AND v.status = 'completed')
         FROM channels c
         LEFT JOIN outcomes o ON o.channel_id = c.id AND o.at >= ?2 AND o.at < ?3
         WHERE c.user_id = ?1 AND (?4 IS NULL OR c.id = ?4)
         GROUP BY c.id
         ORDER BY c.created_at, c.id",
    )?;
    let rows = stmt.query_map(
        params![
            user_id.as_str(),
            today.start().as_millis(),
            today.end().as_millis(),
            only.map(Id::as_str)
        ],
        |row| {
            let status: String = row.get(2)?;
            Ok(Channel {
                id: users::parse_id(row, 0)?,
                name: row.get(1)?,
                // The schema admits only the two values.
                status: ChannelStatus::parse(&status).unwrap_or(ChannelStatus::Paused),
                videos_today: row.get(3)?,
                failed_today: row.get(4)?,
                cost_today: money::from_micros(row.get(5)?),
                total_videos: row.get(6)?,
            })
        },
    )?;
    rows.collect()
}
