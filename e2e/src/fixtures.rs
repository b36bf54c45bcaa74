//! Pipeline bodies as the real video pipeline posts them.

use serde_json::{Value, json};
use ytempire_protocol::{Channel, Timestamp};

/// A `video.completed` pipeline body for one of the user's channels.
pub fn video_completed(video_id: &str, channel: &Channel, title: &str) -> Value {
    video_completed_costing(video_id, channel, title, 0.31)
}

/// A `video.completed` that cost `cost` dollars (over $0.40 raises an alert).
pub fn video_completed_costing(video_id: &str, channel: &Channel, title: &str, cost: f64) -> Value {
    json!({
        "type": "video.completed",
        "payload": {
            "videoId": video_id,
            "channelId": channel.id,
            "channelName": channel.name,
            "title": title,
            "url": format!("https://youtube.com/watch?v={video_id}"),
            "cost": cost,
            "generationTime": 95.0,
            "timestamp": now_rfc3339(),
        }
    })
}

/// A `video.failed` at the audio stage that the operator may retry.
pub fn video_failed_retryable(video_id: &str, channel: &Channel, message: &str) -> Value {
    json!({
        "type": "video.failed",
        "payload": {
            "videoId": video_id,
            "channelId": channel.id,
            "channelName": channel.name,
            "error": {"stage": "audio", "message": message, "retryable": true},
            "cost": 0.12,
            "timestamp": now_rfc3339(),
        }
    })
}

fn now_rfc3339() -> String {
    now().to_string()
}

fn now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis();
    Timestamp::from_millis(millis as i64)
}

/// Today's UTC date, `YYYY-MM-DD`: a test that counts "today" checks it did
/// not change while it ran, so it holds across UTC midnight.
pub fn utc_today() -> String {
    now().date()
}
