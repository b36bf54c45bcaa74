//! Pipeline bodies as the real video pipeline posts them.

use serde_json::{Value, json};
use ytempire_protocol::{Channel, Timestamp};

/// A `video.completed` pipeline body for one of the user's channels.
pub fn video_completed(video_id: &str, channel: &Channel, title: &str) -> Value {
    json!({
        "type": "video.completed",
        "payload": {
            "videoId": video_id,
            "channelId": channel.id,
            "channelName": channel.name,
            "title": title,
            "url": format!("https://youtube.com/watch?v={video_id}"),
            "cost": 0.31,
            "generationTime": 95.0,
            "timestamp": now_rfc3339(),
        }
    })
}

fn now_rfc3339() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis();
    Timestamp::from_millis(millis as i64).to_string()
}
