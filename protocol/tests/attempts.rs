//! The attempt a report names, and the retry claim, on the wire.

use serde_json::{Value, json};
use ytempire_protocol::*;

fn failed_report(attempt: Option<Value>) -> Value {
    let mut payload = json!({
        "videoId": "vid-2", "channelId": "ch-1", "channelName": "Tech Daily",
        "error": {"stage": "audio", "message": "TTS quota", "retryable": true},
        "cost": 0.11, "timestamp": "2026-11-25T10:01:00.000Z"});
    if let Some(attempt) = attempt {
        payload["attempt"] = attempt;
    }
    json!({"type": "video.failed", "payload": payload})
}

#[test]
fn reports_name_their_attempt_as_a_payload_number() {
    let report: PipelineEvent = serde_json::from_value(failed_report(Some(json!(2)))).unwrap();
    assert_eq!(report.attempt(), Attempt::new(2));
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        failed_report(Some(json!(2)))
    );

    let started: PipelineEvent = serde_json::from_value(json!({"type": "video.started",
        "payload": {"videoId": "v", "channelId": "c", "title": "T",
                    "timestamp": "2026-11-25T10:00:00Z", "attempt": 3}}))
    .unwrap();
    assert_eq!(started.attempt(), Attempt::new(3));
}

#[test]
fn reports_without_an_attempt_keep_their_wire_shape() {
    let report: PipelineEvent = serde_json::from_value(failed_report(None)).unwrap();
    assert_eq!(report.attempt(), None);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json, failed_report(None), "no attempt key is added");
}

#[test]
fn an_attempt_is_a_whole_number_from_one() {
    for bad in [
        json!(0),
        json!(-1),
        json!(1.5),
        json!("2"),
        json!(4_294_967_296_u64),
    ] {
        assert!(
            serde_json::from_value::<PipelineEvent>(failed_report(Some(bad.clone()))).is_err(),
            "{bad} accepted"
        );
    }
    assert_eq!(Attempt::new(0), None);
    assert_eq!(Attempt::FIRST.get(), 1);
    assert_eq!(Attempt::default(), Attempt::FIRST);
}

#[test]
fn videos_carry_their_attempt_and_older_answers_still_parse() {
    let json = json!({"id": "vid-9", "channelId": "ch-1", "channelName": "Tech Daily",
        "title": "Why Rust", "status": "queued", "cost": 0.21,
        "createdAt": "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:05:00.000Z",
        "attempt": 2});
    let video: Video = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(video.attempt, Attempt::new(2).unwrap());
    assert_eq!(serde_json::to_value(&video).unwrap(), json);

    let mut older = json;
    older.as_object_mut().unwrap().remove("attempt");
    let video: Video = serde_json::from_value(older).unwrap();
    assert_eq!(video.attempt, Attempt::FIRST);
}

#[test]
fn retry_claims_have_the_documented_wire_shape() {
    let request: RetryClaimRequest =
        serde_json::from_value(json!({"worker": "render-7", "limit": 5})).unwrap();
    assert_eq!(request.worker.as_str(), "render-7");
    assert_eq!(request.limit, Some(5));
    let request: RetryClaimRequest = serde_json::from_value(json!({"worker": "w"})).unwrap();
    assert_eq!(request.limit, None);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"worker": "w"})
    );
    for bad in [
        json!({}),
        json!({"worker": ""}),
        json!({"worker": "w", "limit": -1}),
        json!({"worker": "w", "lease": 60}),
    ] {
        assert!(
            serde_json::from_value::<RetryClaimRequest>(bad.clone()).is_err(),
            "{bad} accepted"
        );
    }

    let answer = json!({"retries": [{"videoId": "vid-2", "channelId": "ch-1",
        "channelName": "Tech Daily", "title": "Top 10 AI Tools", "attempt": 2,
        "leaseExpiresAt": "2026-11-25T10:06:00.000Z"}]});
    let parsed: RetryClaimResponse = serde_json::from_value(answer.clone()).unwrap();
    assert_eq!(parsed.retries[0].attempt, Attempt::new(2).unwrap());
    assert_eq!(serde_json::to_value(&parsed).unwrap(), answer);
}
