use std::time::Instant;

use rusqlite::Connection;
use ytempire_protocol::{Date, Event, EventBody, Id, PipelineEvent, Timestamp, Usd};

use super::transition::{Current, Report, Transition, transition};
use super::validate::validate;
use crate::alerts::{Spend, budget_alerts, video_alert};
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::outcomes::NewOutcome;
use crate::store::{alerts, channels, events, outcomes, users, videos};
use crate::ws::{Hub, LiveEvent};

/// What became of an accepted report.
#[derive(Debug, Clone, Copy)]
pub struct Ingested {
    /// The report had already been applied; nothing changed.
    pub duplicate: bool,
}

/// Applies one pipeline report: updates the video, books its cost, raises
/// alerts, logs the resulting events and publishes them to the owner.
pub async fn ingest(state: &AppState, event: PipelineEvent) -> Result<Ingested, AppError> {
    validate(&event)?;
    let hub = state.hub.clone();
    let default_budget = state.config.default_daily_budget;
    let retention = state.config.event_retention;
    state
        .store
        .call(move |conn| {
            apply(
                conn,
                &hub,
                &event,
                Context {
                    now: clock::now(),
                    default_budget,
                    retention,
                },
            )
        })
        .await
}

struct Context {
    now: Timestamp,
    default_budget: Usd,
    retention: u64,
}

fn apply(
    conn: &mut Connection,
    hub: &Hub,
    event: &PipelineEvent,
    ctx: Context,
) -> Result<Ingested, AppError> {
    let tx = conn.transaction()?;
    let channel = channels::find(&tx, event.channel_id())?.ok_or(AppError::NotFound("channel"))?;
    let video_id = event.video_id();
    let current = videos::state(&tx, video_id)?;
    if current.as_ref().is_some_and(|v| v.channel_id != channel.id) {
        return Err(AppError::Conflict(
            "the video belongs to another channel".to_owned(),
        ));
    }
    let current = current.map(|v| Current {
        status: v.status,
        attempt: v.attempt,
    });
    match transition(current, Report::of(event), event.attempt()) {
        Transition::Apply => {}
        Transition::Duplicate => return Ok(Ingested { duplicate: true }),
        // Refused before anything is written: no cost, no state, no event.
        Transition::Conflict(why) => return Err(AppError::Conflict(why.to_string())),
    }

    let user = &channel.user_id;
    let now = ctx.now;
    let mut bodies = Vec::new();
    // The outcome to book, and how alerts name the video (a failure report
    // carries no title).
    let finished = match event {
        PipelineEvent::VideoStarted(e) => {
            videos::mark_processing(&tx, video_id, &channel.id, &e.title, now)?;
            None
        }
        PipelineEvent::VideoCompleted(e) => {
            videos::mark_completed(&tx, video_id, &channel.id, &e.title, &e.url, e.cost, now)?;
            bodies.push(EventBody::VideoCompleted(e.clone()));
            let outcome = NewOutcome {
                user_id: user,
                channel_id: &channel.id,
                video_id,
                failed_at: None,
                cost: e.cost,
                generation_time: Some(e.generation_time),
                at: now,
            };
            Some((outcome, e.title.as_str()))
        }
        PipelineEvent::VideoFailed(e) => {
            videos::mark_failed(&tx, video_id, &channel.id, &e.error, e.cost, now)?;
            bodies.push(EventBody::VideoFailed(e.clone()));
            let outcome = NewOutcome {
                user_id: user,
                channel_id: &channel.id,
                video_id,
                failed_at: Some(e.error.stage),
                cost: e.cost,
                generation_time: None,
                at: now,
            };
            Some((outcome, video_id.as_str()))
        }
    };

    if let Some((outcome, label)) = finished {
        outcomes::insert(&tx, &outcome)?;
        bodies.extend(cost_alerts(&tx, user, label, outcome.cost, &ctx)?);
    }

    let live = bodies
        .into_iter()
        .map(|body| log_event(&tx, user, body, now, ctx.retention))
        .collect::<Result<Vec<_>, AppError>>()?;
    tx.commit()?;
    // Still holding the store lock: events reach the hub in id order, and a
    // connection that subscribed before reading its replay sees every event
    // committed after that read.
    hub.publish(user, &live);
    Ok(Ingested { duplicate: false })
}

/// Alerts raised by one finished video, already recorded.
fn cost_alerts(
    conn: &Connection,
    user: &Id,
    label: &str,
    cost: Usd,
    ctx: &Context,
) -> Result<Vec<EventBody>, AppError> {
    let today = Date::of(ctx.now);
    let spend = Spend {
        spent_today: outcomes::spend_between(conn, user, today.start(), today.end())?,
        daily_budget: users::daily_budget(conn, user, ctx.default_budget)?,
        now: ctx.now,
    };
    let mut raised = Vec::new();
    if let Some(alert) = video_alert(label, cost, &spend) {
        alerts::insert(conn, user, &alert, false)?;
        raised.push(EventBody::CostAlert(alert));
    }
    let fired = alerts::budget_levels_fired(conn, user, today)?;
    for alert in budget_alerts(&spend, &fired) {
        alerts::insert(conn, user, &alert, true)?;
        raised.push(EventBody::CostAlert(alert));
    }
    Ok(raised)
}

/// Numbers, stores and serialises one event.
fn log_event(
    conn: &Connection,
    user: &Id,
    body: EventBody,
    now: Timestamp,
    retention: u64,
) -> Result<LiveEvent, AppError> {
    let id = users::next_event_id(conn, user)?;
    let frame = serde_json::to_string(&Event { id, body }).map_err(AppError::internal)?;
    events::append(conn, user, id, &frame, now, retention)?;
    Ok(LiveEvent {
        id,
        frame: frame.into(),
        committed: Instant::now(),
    })
}
