//! Every wire type survives a serialise → parse round trip, with the exact
//! field names the product and outside tools rely on.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use ytempire_protocol::*;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Value {
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value);
    json
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn completed() -> VideoCompleted {
    VideoCompleted {
        video_id: Id::new("vid-1").unwrap(),
        channel_id: Id::new("ch-1").unwrap(),
        channel_name: "Tech Daily".into(),
        title: "Top 10 <script>".into(),
        url: HttpUrl::new("https://youtube.com/watch?v=abc").unwrap(),
        cost: Usd::new(0.32).unwrap(),
        generation_time: 182.5,
        timestamp: ts("2026-11-25T10:00:00Z"),
        attempt: None,
    }
}

fn failed() -> VideoFailed {
    VideoFailed {
        video_id: Id::new("vid-2").unwrap(),
        channel_id: Id::new("ch-1").unwrap(),
        channel_name: "Tech Daily".into(),
        error: FailureDetails {
            stage: Stage::Audio,
            message: "TTS quota".into(),
            retryable: true,
        },
        cost: Usd::new(0.11).unwrap(),
        timestamp: ts("2026-11-25T10:01:00Z"),
        attempt: None,
    }
}

fn alert() -> CostAlert {
    CostAlert {
        level: AlertLevel::Critical,
        current_cost: Usd::new(47.6).unwrap(),
        threshold: Usd::new(47.5).unwrap(),
        message: "95% of daily budget used".into(),
        remaining_budget: 2.4,
        projected_daily_cost: Usd::new(61.0).unwrap(),
        timestamp: ts("2026-11-25T15:00:00Z"),
    }
}

#[test]
fn events_have_the_product_wire_shape() {
    let json = round_trip(&Event {
        id: 7,
        body: EventBody::VideoCompleted(completed()),
    });
    assert_eq!(
        json,
        json!({"id": 7, "type": "video.completed", "payload": {
            "videoId": "vid-1", "channelId": "ch-1", "channelName": "Tech Daily",
            "title": "Top 10 <script>", "url": "https://youtube.com/watch?v=abc",
            "cost": 0.32, "generationTime": 182.5, "timestamp": "2026-11-25T10:00:00.000Z"}})
    );

    let json = round_trip(&Event {
        id: 8,
        body: EventBody::VideoFailed(failed()),
    });
    assert_eq!(
        json,
        json!({"id": 8, "type": "video.failed", "payload": {
            "videoId": "vid-2", "channelId": "ch-1", "channelName": "Tech Daily",
            "error": {"stage": "audio", "message": "TTS quota", "retryable": true},
            "cost": 0.11, "timestamp": "2026-11-25T10:01:00.000Z"}})
    );

    let json = round_trip(&Event {
        id: 9,
        body: EventBody::CostAlert(alert()),
    });
    assert_eq!(
        json,
        json!({"id": 9, "type": "cost.alert", "payload": {
            "level": "critical", "currentCost": 47.6, "threshold": 47.5,
            "message": "95% of daily budget used", "remainingBudget": 2.4,
            "projectedDailyCost": 61.0, "timestamp": "2026-11-25T15:00:00.000Z"}})
    );
}

#[test]
fn frames_round_trip_and_parse_by_type() {
    let auth = round_trip(&ClientFrame::Authenticate {
        token: "t".into(),
        last_event_id: None,
    });
    assert_eq!(
        auth,
        json!({"type": "authenticate", "token": "t", "lastEventId": null})
    );

    let resuming = round_trip(&ClientFrame::Authenticate {
        token: "t".into(),
        last_event_id: Some(41),
    });
    assert_eq!(
        resuming,
        json!({"type": "authenticate", "token": "t", "lastEventId": 41})
    );

    let event = Event {
        id: 1,
        body: EventBody::CostAlert(alert()),
    };
    for (frame, wire) in [
        (
            ServerFrame::Event(event.clone()),
            serde_json::to_value(&event).unwrap(),
        ),
        (
            ServerFrame::Control(ControlFrame::Authenticated {
                user_id: Id::new("u1").unwrap(),
                last_event_id: Some(3),
            }),
            json!({"type": "authenticated", "userId": "u1", "lastEventId": 3}),
        ),
        (
            ServerFrame::Control(ControlFrame::Authenticated {
                user_id: Id::new("u1").unwrap(),
                last_event_id: None,
            }),
            json!({"type": "authenticated", "userId": "u1", "lastEventId": null}),
        ),
        (
            ServerFrame::Control(ControlFrame::Resync {
                oldest_event_id: Some(40),
            }),
            json!({"type": "resync", "oldestEventId": 40}),
        ),
        (
            ServerFrame::Control(ControlFrame::Heartbeat),
            json!({"type": "heartbeat"}),
        ),
    ] {
        assert_eq!(round_trip(&frame), wire, "{frame:?}");
        assert_eq!(ServerFrame::parse(&wire.to_string()).unwrap(), frame);
    }
    assert_eq!(
        serde_json::to_value(ServerFrame::Event(event)).unwrap()["id"],
        1,
        "an event frame is the event itself, not wrapped"
    );
}

#[test]
fn bad_frames_are_errors_not_panics() {
    let oversized = format!(
        "{{\"type\":\"resync\",\"pad\":\"{}\"}}",
        "x".repeat(MAX_FRAME_BYTES)
    );
    assert!(matches!(
        ServerFrame::parse(&oversized),
        Err(FrameError::TooLarge(_))
    ));
    for bad in [
        "",
        "not json",
        "[]",
        "{}",
        r#"{"type": 5}"#,
        r#"{"type": "video.exploded", "id": 1, "payload": {}}"#,
        r#"{"type": "video.completed", "id": 1, "payload": {}}"#,
        r#"{"type": "video.completed", "id": -1, "payload": {}}"#,
        r#"{"type": "video.completed", "payload": {"videoId": "v"}}"#,
    ] {
        assert!(
            ServerFrame::parse(bad).is_err(),
            "{bad:?} should be rejected"
        );
    }
    let mut evil = serde_json::to_value(Event {
        id: 1,
        body: EventBody::VideoCompleted(completed()),
    })
    .unwrap();
    evil["payload"]["url"] = json!("javascript:alert(1)");
    let err = ServerFrame::parse(&evil.to_string()).unwrap_err();
    assert!(err.to_string().contains("http(s)"), "{err}");
}

#[test]
fn pipeline_events_and_api_types_round_trip() {
    let started = PipelineEvent::VideoStarted(VideoStarted {
        video_id: Id::new("vid-3").unwrap(),
        channel_id: Id::new("ch-2").unwrap(),
        title: "Soon".into(),
        timestamp: ts("2026-11-25T09:00:00Z"),
        attempt: None,
    });
    assert_eq!(
        round_trip(&started),
        json!({"type": "video.started", "payload": {"videoId": "vid-3", "channelId": "ch-2",
               "title": "Soon", "timestamp": "2026-11-25T09:00:00.000Z"}})
    );
    // A report carries exactly the payload of the event it becomes.
    for (report, body) in [
        (
            PipelineEvent::VideoCompleted(completed()),
            EventBody::VideoCompleted(completed()),
        ),
        (
            PipelineEvent::VideoFailed(failed()),
            EventBody::VideoFailed(failed()),
        ),
    ] {
        let mut event = serde_json::to_value(Event { id: 1, body }).unwrap();
        event.as_object_mut().unwrap().remove("id");
        assert_eq!(round_trip(&report), event);
    }
    assert_eq!(
        round_trip(&IngestAccepted { duplicate: false }),
        json!({"duplicate": false})
    );

    assert_eq!(
        round_trip(&LoginRequest {
            email: "demo@ytempire.local".into(),
            password: "demo".into(),
        }),
        json!({"email": "demo@ytempire.local", "password": "demo"})
    );
    let login = round_trip(&LoginResponse {
        token: "abc".into(),
        user: User {
            id: Id::new("u1").unwrap(),
            name: "Demo".into(),
            email: "demo@ytempire.local".into(),
        },
        expires_at: ts("2026-11-26T00:00:00Z"),
    });
    assert_eq!(
        login,
        json!({"token": "abc", "user": {"id": "u1", "name": "Demo", "email": "demo@ytempire.local"},
               "expiresAt": "2026-11-26T00:00:00.000Z"})
    );
    assert_eq!(
        round_trip(&ApiError {
            error: "bad".into(),
            field: None
        }),
        json!({"error": "bad"})
    );
    assert_eq!(
        round_trip(&ApiError {
            error: "bad".into(),
            field: Some("payload.cost".into())
        }),
        json!({"error": "bad", "field": "payload.cost"})
    );

    let overview = round_trip(&Overview {
        metrics: Metrics {
            channel_count: 1,
            active_channels: 1,
            videos_today: 4,
            failed_today: 1,
            processing_now: 2,
            cost_today: Usd::new(1.5).unwrap(),
            daily_budget: Usd::new(50.0).unwrap(),
            revenue_today: Usd::new(3.0).unwrap(),
            average_cost_per_video: Usd::new(0.3).unwrap(),
        },
        channels: vec![Channel {
            id: Id::new("ch-1").unwrap(),
            name: "Tech Daily".into(),
            status: ChannelStatus::Paused,
            videos_today: 4,
            failed_today: 1,
            cost_today: Usd::new(1.5).unwrap(),
            total_videos: 40,
        }],
        generated_at: ts("2026-11-25T10:00:00Z"),
        last_event_id: Some(41),
    });
    assert_eq!(
        overview,
        json!({"metrics": {"channelCount": 1, "activeChannels": 1, "videosToday": 4,
                           "failedToday": 1, "processingNow": 2, "costToday": 1.5,
                           "dailyBudget": 50.0, "revenueToday": 3.0, "averageCostPerVideo": 0.3},
               "channels": [{"id": "ch-1", "name": "Tech Daily", "status": "paused",
                             "videosToday": 4, "failedToday": 1, "costToday": 1.5,
                             "totalVideos": 40}],
               "generatedAt": "2026-11-25T10:00:00.000Z", "lastEventId": 41})
    );
    assert_eq!(
        round_trip(&ChannelStatusUpdate {
            status: ChannelStatus::Active,
        }),
        json!({"status": "active"})
    );
}
