//! Round trips of the REST report types (videos, costs, analytics) with the
//! exact camelCase field names the dashboard pages read.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use ytempire_protocol::*;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Value {
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value);
    json
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn usd(x: f64) -> Usd {
    Usd::new(x).unwrap()
}

fn failed_video() -> Video {
    Video {
        id: Id::new("vid-9").unwrap(),
        channel_id: Id::new("ch-1").unwrap(),
        channel_name: "Tech Daily".into(),
        title: "Why Rust".into(),
        status: VideoStatus::Failed,
        stage: Some(Stage::Upload),
        error_message: Some("quota".into()),
        retryable: Some(true),
        cost: usd(0.21),
        url: None,
        created_at: Timestamp::parse("2026-11-25T10:00:00Z").unwrap(),
        updated_at: Timestamp::parse("2026-11-25T10:05:00Z").unwrap(),
        attempt: Attempt::FIRST,
    }
}

#[test]
fn video_page_shape() {
    let page = VideoPage {
        items: vec![failed_video()],
        total: 41,
        page: 2,
        per_page: 20,
    };
    let json = round_trip(&page);
    assert_eq!(
        json,
        json!({"items": [{
            "id": "vid-9", "channelId": "ch-1", "channelName": "Tech Daily", "title": "Why Rust",
            "status": "failed", "stage": "upload", "errorMessage": "quota", "retryable": true,
            "cost": 0.21, "createdAt": "2026-11-25T10:00:00.000Z",
            "updatedAt": "2026-11-25T10:05:00.000Z", "attempt": 1}],
            "total": 41, "page": 2, "perPage": 20})
    );

    let completed = Video {
        status: VideoStatus::Completed,
        stage: None,
        error_message: None,
        retryable: None,
        url: Some(HttpUrl::new("https://youtu.be/x").unwrap()),
        ..failed_video()
    };
    assert_eq!(
        round_trip(&completed),
        json!({"id": "vid-9", "channelId": "ch-1", "channelName": "Tech Daily",
               "title": "Why Rust", "status": "completed", "cost": 0.21,
               "url": "https://youtu.be/x", "createdAt": "2026-11-25T10:00:00.000Z",
               "updatedAt": "2026-11-25T10:05:00.000Z", "attempt": 1})
    );

    let json = round_trip(&RetryAccepted {
        video: Video {
            status: VideoStatus::Queued,
            stage: None,
            error_message: None,
            retryable: None,
            ..failed_video()
        },
    });
    assert_eq!(
        json,
        json!({"video": {"id": "vid-9", "channelId": "ch-1", "channelName": "Tech Daily",
               "title": "Why Rust", "status": "queued", "cost": 0.21,
               "createdAt": "2026-11-25T10:00:00.000Z",
               "updatedAt": "2026-11-25T10:05:00.000Z", "attempt": 1}})
    );
}

#[test]
fn video_list_query_uses_camel_case_and_checks_status() {
    let q: VideoListQuery =
        serde_json::from_value(json!({"status": "processing", "perPage": 50})).unwrap();
    assert_eq!(q.status, Some(VideoStatus::Processing));
    assert_eq!(q.per_page, Some(50));
    assert_eq!(q.page, None);
    assert!(serde_json::from_value::<VideoListQuery>(json!({"status": "done"})).is_err());
    for status in VideoStatus::ALL {
        assert_eq!(VideoStatus::parse(status.as_str()), Some(status));
    }
}

#[test]
fn cost_breakdown_shape() {
    let breakdown = CostBreakdown {
        from: date("2026-11-24"),
        to: date("2026-11-25"),
        total_cost: usd(1.5),
        completed_cost: usd(1.2),
        by_stage: vec![StageCost {
            stage: Stage::Audio,
            failed_videos: 1,
            cost: usd(0.3),
        }],
        by_channel: vec![ChannelCost {
            channel_id: Id::new("ch-1").unwrap(),
            channel_name: "Tech Daily".into(),
            videos: 5,
            cost: usd(1.5),
        }],
        by_day: vec![
            DailyCost {
                date: date("2026-11-24"),
                videos: 0,
                cost: Usd::ZERO,
            },
            DailyCost {
                date: date("2026-11-25"),
                videos: 5,
                cost: usd(1.5),
            },
        ],
        budget: BudgetStatus {
            daily_budget: usd(50.0),
            spent_today: usd(1.5),
            remaining_budget: 48.5,
            projected_daily_cost: usd(3.0),
        },
        alerts: vec![CostAlert {
            level: AlertLevel::Warning,
            current_cost: usd(0.45),
            threshold: usd(0.4),
            message: "expensive video".into(),
            remaining_budget: 48.5,
            projected_daily_cost: usd(3.0),
            timestamp: Timestamp::parse("2026-11-25T10:00:00Z").unwrap(),
        }],
    };
    assert_eq!(
        round_trip(&breakdown),
        json!({"from": "2026-11-24", "to": "2026-11-25", "totalCost": 1.5, "completedCost": 1.2,
               "byStage": [{"stage": "audio", "failedVideos": 1, "cost": 0.3}],
               "byChannel": [{"channelId": "ch-1", "channelName": "Tech Daily", "videos": 5,
                              "cost": 1.5}],
               "byDay": [{"date": "2026-11-24", "videos": 0, "cost": 0.0},
                         {"date": "2026-11-25", "videos": 5, "cost": 1.5}],
               "budget": {"dailyBudget": 50.0, "spentToday": 1.5, "remainingBudget": 48.5,
                          "projectedDailyCost": 3.0},
               "alerts": [{"level": "warning", "currentCost": 0.45, "threshold": 0.4,
                           "message": "expensive video", "remainingBudget": 48.5,
                           "projectedDailyCost": 3.0,
                           "timestamp": "2026-11-25T10:00:00.000Z"}]})
    );
}

#[test]
fn analytics_shapes() {
    let json = round_trip(&Trends {
        from: date("2026-11-25"),
        to: date("2026-11-25"),
        points: vec![TrendPoint {
            date: date("2026-11-25"),
            videos: 12,
            failed: 1,
            cost: usd(4.2),
            revenue: usd(18.0),
        }],
    });
    assert_eq!(
        json,
        json!({"from": "2026-11-25", "to": "2026-11-25", "points": [
            {"date": "2026-11-25", "videos": 12, "failed": 1, "cost": 4.2, "revenue": 18.0}]})
    );

    let json = round_trip(&PerformanceHistory {
        from: date("2026-11-24"),
        to: date("2026-11-25"),
        points: vec![
            PerformancePoint {
                date: date("2026-11-24"),
                finished: 0,
                success_rate: None,
                average_generation_time: None,
                average_cost: None,
            },
            PerformancePoint {
                date: date("2026-11-25"),
                finished: 10,
                success_rate: Some(0.9),
                average_generation_time: Some(150.5),
                average_cost: Some(usd(0.33)),
            },
        ],
    });
    assert_eq!(
        json,
        json!({"from": "2026-11-24", "to": "2026-11-25", "points": [
            {"date": "2026-11-24", "finished": 0},
            {"date": "2026-11-25", "finished": 10, "successRate": 0.9,
             "averageGenerationTime": 150.5, "averageCost": 0.33}]})
    );
}

#[test]
fn date_range_query_rejects_bad_dates() {
    let q: DateRangeQuery = serde_json::from_value(json!({"from": "2026-11-01"})).unwrap();
    assert_eq!(q.from, Some(date("2026-11-01")));
    assert_eq!(q.to, None);
    assert!(serde_json::from_value::<DateRangeQuery>(json!({"to": "2026-02-30"})).is_err());
}

#[test]
fn enum_names_parse_back() {
    for status in [ChannelStatus::Active, ChannelStatus::Paused] {
        assert_eq!(ChannelStatus::parse(status.as_str()), Some(status));
    }
    for level in AlertLevel::ALL {
        assert_eq!(AlertLevel::parse(level.as_str()), Some(level));
    }
    assert_eq!(AlertLevel::parse("panic"), None);
}
