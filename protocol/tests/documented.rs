//! The JSON examples of docs/api.md are what the wire types read and write:
//! each parses as its type and serialises back to exactly the documented
//! value, so the document and the types cannot drift apart.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use ytempire_protocol::*;

const API: &str = include_str!("../../docs/api.md");

/// Every JSON value in the ```json blocks of the section under `heading`
/// (up to the next heading), in order.
fn examples(heading: &str) -> Vec<Value> {
    let (_, section) = API
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("docs/api.md has the heading {heading}"));
    let section = section.split("\n#").next().unwrap_or_default();
    let values: Vec<Value> = section
        .split("```json\n")
        .skip(1)
        .flat_map(|block| {
            let (block, _) = block.split_once("```").expect("a closed block");
            serde_json::Deserializer::from_str(block)
                .into_iter::<Value>()
                .map(|value| value.unwrap_or_else(|e| panic!("{heading}: {e}\n{block}")))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!values.is_empty(), "{heading} has a JSON example");
    values
}

/// Parses the documented value as `T` and checks it serialises back to it.
fn documented<T: Serialize + DeserializeOwned>(heading: &str, value: &Value) -> T {
    let parsed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{heading}: {e}\n{value}"));
    assert_eq!(
        &serde_json::to_value(&parsed).unwrap(),
        value,
        "{heading}: the type writes what the document shows"
    );
    parsed
}

fn only<T: Serialize + DeserializeOwned>(heading: &str) -> T {
    let examples = examples(heading);
    assert_eq!(examples.len(), 1, "{heading}: one example");
    documented(heading, &examples[0])
}

#[test]
fn the_error_body() {
    let error: ApiError = only("## Errors");
    assert_eq!(error.field.as_deref(), Some("payload.cost"));
}

#[test]
fn login_request_and_response() {
    let heading = "### `POST /api/v1/auth/login`";
    let [request, response] = examples(heading).try_into().expect("two examples");
    let request: LoginRequest = documented(heading, &request);
    assert_eq!(request.email, "demo@ytempire.local");
    let response: LoginResponse = documented(heading, &response);
    assert_eq!(response.user.email, request.email);
}

#[test]
fn dashboard_and_channel_status() {
    let overview: Overview = only("### `GET /api/v1/dashboard/overview`");
    assert_eq!(overview.last_event_id, Some(41));
    let update: ChannelStatusUpdate = only("### `PATCH /api/v1/channels/{id}/status`");
    assert_eq!(update.status, ChannelStatus::Paused);
}

#[test]
fn videos_and_reports() {
    let page: VideoPage = only("### `GET /api/v1/videos?status=&page=&perPage=`");
    assert_eq!(page.items[0].status, VideoStatus::Failed);
    let trends: Trends = only("### `GET /api/v1/analytics/trends`");
    assert_eq!(trends.points.len(), 1);
    let performance: PerformanceHistory = only("### `GET /api/v1/analytics/performance`");
    assert_eq!(performance.points[0].success_rate, None);
    let costs: CostBreakdown = only("### `GET /api/v1/costs/breakdown`");
    assert_eq!(costs.alerts[0].level, AlertLevel::Warning);
}

#[test]
fn pipeline_reports() {
    let heading = "### `POST /api/v1/pipeline/events`";
    let reports = examples(heading);
    let types: Vec<&str> = reports
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["video.started", "video.completed", "video.failed"]);
    for mut report in reports {
        // Reports may give timestamps without milliseconds; they are written
        // back with them.
        let timestamp = &mut report["payload"]["timestamp"];
        let instant = Timestamp::parse(timestamp.as_str().unwrap()).unwrap();
        *timestamp = serde_json::to_value(instant).unwrap();
        documented::<PipelineEvent>(heading, &report);
    }
}

#[test]
fn websocket_frames() {
    let client: ClientFrame = only("### Client → server");
    let ClientFrame::Authenticate { last_event_id, .. } = client;
    assert_eq!(last_event_id, Some(41));

    let heading = "### Server → client";
    let frames: Vec<ServerFrame> = examples(heading)
        .iter()
        .map(|frame| {
            let parsed = ServerFrame::parse(&frame.to_string())
                .unwrap_or_else(|e| panic!("{heading}: {e}\n{frame}"));
            assert_eq!(&serde_json::to_value(&parsed).unwrap(), frame, "{heading}");
            parsed
        })
        .collect();
    assert!(matches!(
        frames[..],
        [
            ServerFrame::Control(ControlFrame::Authenticated { .. }),
            ServerFrame::Control(ControlFrame::Resync { .. }),
            ServerFrame::Control(ControlFrame::Heartbeat),
        ]
    ));
}
