//! Day-by-day reports over the spend ledger: trends, performance and the
//! cost breakdown. Days are UTC; every day of the range appears, zero-filled.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use ytempire_protocol::{
    ChannelCost, DailyCost, Date, Id, PerformancePoint, Stage, StageCost, Timestamp, TrendPoint,
    Usd,
};

use super::users;
use crate::money;
use crate::range::DayRange;
use crate::revenue::estimated_revenue;

const MS_PER_DAY: i64 = 86_400_000;

/// One day of the ledger.
#[derive(Debug, Clone, Copy, Default)]
pub struct DayTotals {
    pub completed: u32,
    pub failed: u32,
    pub cost: Usd,
    pub average_generation_time: Option<f64>,
}

/// Every day of the range, oldest first.
pub fn daily(
    conn: &Connection,
    user_id: &Id,
    range: DayRange,
) -> rusqlite::Result<Vec<(Date, DayTotals)>> {
    let mut stmt = conn.prepare(
        "SELECT at / ?4,
            COUNT(*) FILTER (WHERE outcome = 'completed'),
            COUNT(*) FILTER (WHERE outcome = 'failed'),
            SUM(cost_micros),
            AVG(generation_time) FILTER (WHERE outcome = 'completed')
         FROM outcomes WHERE user_id = ?1 AND at >= ?2 AND at < ?3
         GROUP BY 1",
    )?;
    let rows = stmt.query_map(
        params![
            user_id.as_str(),
            range.start().as_millis(),
            range.end().as_millis(),
            MS_PER_DAY
        ],
        |row| {
            let day: i64 = row.get(0)?;
            Ok((
                Date::of(Timestamp::from_millis(day * MS_PER_DAY)),
                DayTotals {
                    completed: row.get(1)?,
                    failed: row.get(2)?,
                    cost: money::from_micros(row.get(3)?),
                    average_generation_time: row.get(4)?,
                },
            ))
        },
    )?;
    let by_day: HashMap<Date, DayTotals> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(range
        .days()
        .map(|day| (day, by_day.get(&day).copied().unwrap_or_default()))
        .collect())
}

pub fn trend_point(date: Date, day: &DayTotals) -> TrendPoint {
    TrendPoint {
        date,
        videos: day.completed,
        failed: day.failed,
        cost: day.cost,
        revenue: estimated_revenue(day.completed),
    }
}

pub fn performance_point(date: Date, day: &DayTotals) -> PerformancePoint {
    let finished = day.completed + day.failed;
    let per_video = |total: f64| total / f64::from(finished);
    PerformancePoint {
        date,
        finished,
        success_rate: (finished > 0).then(|| per_video(f64::from(day.completed))),
        average_generation_time: day.average_generation_time,
        average_cost: (finished > 0).then(|| money::round_usd(per_video(day.cost.get()))),
    }
}

pub fn daily_cost(date: Date, day: &DayTotals) -> DailyCost {
    DailyCost {
        date,
        videos: day.completed + day.failed,
        cost: day.cost,
    }
}

/// Spend on failed videos by the stage they failed at, in pipeline order.
pub fn failed_by_stage(
    conn: &Connection,
    user_id: &Id,
    range: DayRange,
) -> rusqlite::Result<Vec<StageCost>> {
    let mut stmt = conn.prepare(
        "SELECT stage, COUNT(*), SUM(cost_micros) FROM outcomes
         WHERE user_id = ?1 AND outcome = 'failed' AND at >= ?2 AND at < ?3
         GROUP BY stage",
    )?;
    let rows = stmt.query_map(
        params![
            user_id.as_str(),
            range.start().as_millis(),
            range.end().as_millis()
        ],
        |row| {
            Ok((
                row.get::<_, String>(0)?,
                (row.get::<_, u32>(1)?, row.get::<_, i64>(2)?),
            ))
        },
    )?;
    let by_stage: HashMap<String, (u32, i64)> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Stage::ALL
        .into_iter()
        .map(|stage| {
            let (failed_videos, micros) = by_stage.get(stage.as_str()).copied().unwrap_or((0, 0));
            StageCost {
                stage,
                failed_videos,
                cost: money::from_micros(micros),
            }
        })
        .collect())
}

/// Spend per channel of the user, highest first.
pub fn by_channel(
    conn: &Connection,
    user_id: &Id,
    range: DayRange,
) -> rusqlite::Result<Vec<ChannelCost>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, COUNT(o.id), COALESCE(SUM(o.cost_micros), 0) AS spent
         FROM channels c
         LEFT JOIN outcomes o ON o.channel_id = c.id AND o.at >= ?2 AND o.at < ?3
         WHERE c.user_id = ?1
         GROUP BY c.id
         ORDER BY spent DESC, c.name, c.id",
    )?;
    let rows = stmt.query_map(
        params![
            user_id.as_str(),
            range.start().as_millis(),
            range.end().as_millis()
        ],
        |row| {
            Ok(ChannelCost {
                channel_id: users::parse_id(row, 0)?,
                channel_name: row.get(1)?,
                videos: row.get(2)?,
                cost: money::from_micros(row.get(3)?),
            })
        },
    )?;
    rows.collect()
}
