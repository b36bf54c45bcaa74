//! Property tests: whatever a pipeline posts and whatever a WebSocket client
//! sends, the server answers with a 2xx or a 4xx (with the error body), or
//! ignores it; never a 5xx, never a dropped connection for a valid client.
//! Each property runs its cases against one server, so the suite stays fast.

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::runtime::Runtime;
use tokio_tungstenite::tungstenite::Message;
use ytempire_protocol::{ApiError, CLOSE_UNAUTHORIZED};

use crate::common::*;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        Just(json!(1e308)),
        Just(json!(-0.0)),
        ".{0,40}".prop_map(Value::from),
        Just(json!("2026-11-25T10:00:00+99:99")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{0,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

const PAYLOAD_KEYS: [&str; 11] = [
    "videoId",
    "channelId",
    "channelName",
    "title",
    "url",
    "cost",
    "generationTime",
    "timestamp",
    "error",
    "stage",
    "unexpected",
];

/// A valid report with one part replaced, removed or garbled.
fn mutated_report(channel: (String, String)) -> impl Strategy<Value = Vec<u8>> {
    let base = (0..3usize, 0..4usize).prop_map(move |(kind, video)| {
        let id = format!("v{video}");
        let channel = (channel.0.as_str(), channel.1.as_str());
        match kind {
            0 => started(&id, channel.0),
            1 => completed(&id, channel, 0.3),
            _ => failed(&id, channel, "audio", true, 0.1),
        }
    });
    let mutation = prop_oneof![
        (prop::sample::select(&PAYLOAD_KEYS[..]), json_value())
            .prop_map(|(key, value)| Mutation::Set(key, value)),
        prop::sample::select(&PAYLOAD_KEYS[..]).prop_map(Mutation::Remove),
        json_value().prop_map(Mutation::Type),
        json_value().prop_map(Mutation::Payload),
        Just(Mutation::Nothing),
    ];
    (base, mutation).prop_map(|(mut report, mutation)| {
        mutation.apply(&mut report);
        report.to_string().into_bytes()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(&'static str, Value),
    Remove(&'static str),
    Type(Value),
    Payload(Value),
    Nothing,
}

impl Mutation {
    fn apply(self, report: &mut Value) {
        match self {
            Mutation::Set(key, value) => report["payload"][key] = value,
            Mutation::Remove(key) => {
                if let Some(payload) = report["payload"].as_object_mut() {
                    payload.remove(key);
                }
            }
            Mutation::Type(value) => report["type"] = value,
            Mutation::Payload(value) => report["payload"] = value,
            Mutation::Nothing => {}
        }
    }
}

fn pipeline_body(channel: (String, String)) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200),
        2 => json_value().prop_map(|value| value.to_string().into_bytes()),
        5 => mutated_report(channel),
    ]
}

#[test]
fn any_pipeline_body_is_accepted_or_refused_with_a_4xx() {
    let runtime = Runtime::new().expect("a runtime");
    let dir = temp_dir();
    let server = runtime.block_on(TestServer::start(dir.path()));
    let demo = runtime.block_on(server.demo());
    let (id, name) = demo.channel(0);
    let strategy = pipeline_body((id.to_owned(), name.to_owned()));
    runner(256)
        .run(&strategy, |body| {
            runtime.block_on(async {
                let response = server
                    .http
                    .post(server.url("/api/v1/pipeline/events"))
                    .bearer_auth(PIPELINE_TOKEN)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let status = response.status();
                prop_assert!(
                    status == StatusCode::ACCEPTED || status.is_client_error(),
                    "{status} for {}",
                    String::from_utf8_lossy(&body)
                );
                if status.is_client_error() {
                    let error = response.json::<ApiError>().await;
                    prop_assert!(error.is_ok(), "no error body: {error:?}");
                }
                Ok(())
            })
        })
        .unwrap();
    // The server still serves the user whose channel took the beating.
    runtime.block_on(async {
        let overview = server
            .get_as(&demo.token, "/api/v1/dashboard/overview")
            .await;
        assert_eq!(overview.status(), StatusCode::OK);
        let breakdown = server.get_as(&demo.token, "/api/v1/costs/breakdown").await;
        assert_eq!(breakdown.status(), StatusCode::OK);
    });
}

fn client_frame() -> impl Strategy<Value = Message> {
    let authenticate_like = (json_value(), json_value()).prop_map(|(token, last)| {
        json!({"type": "authenticate", "token": token, "lastEventId": last}).to_string()
    });
    prop_oneof![
        ".{0,200}".prop_map(Message::text),
        json_value().prop_map(|value| Message::text(value.to_string())),
        authenticate_like.prop_map(Message::text),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(Message::binary),
    ]
}

#[test]
fn any_first_frame_but_a_valid_authenticate_closes_with_4401() {
    let runtime = Runtime::new().expect("a runtime");
    let dir = temp_dir();
    let server = runtime.block_on(TestServer::start(dir.path()));
    let user = runtime.block_on(server.demo()).user.id;
    let url = format!("ws://{}/ws/{user}", server.addr);
    runner(64)
        .run(&client_frame(), |frame| {
            runtime.block_on(async {
                let (stream, _) = within("the handshake", tokio_tungstenite::connect_async(&url))
                    .await
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let mut ws = WsClient::from_stream(stream);
                ws.send(frame).await;
                prop_assert_eq!(ws.close_code().await, Some(CLOSE_UNAUTHORIZED));
                Ok(())
            })
        })
        .unwrap();
}

#[test]
fn frames_after_authenticating_are_ignored() {
    let runtime = Runtime::new().expect("a runtime");
    let dir = temp_dir();
    let server = runtime.block_on(TestServer::start(dir.path()));
    let demo = runtime.block_on(server.demo());
    // The runner's closure is `Fn`; the socket is borrowed anew for each case.
    let ws = tokio::sync::Mutex::new(runtime.block_on(server.ws_session(&demo, None)));
    let frames = prop_oneof![
        4 => client_frame(),
        1 => prop::collection::vec(any::<u8>(), 0..100).prop_map(|b| Message::Ping(b.into())),
        1 => prop::collection::vec(any::<u8>(), 0..100).prop_map(|b| Message::Pong(b.into())),
    ];
    runner(256)
        .run(&frames, |frame| {
            runtime.block_on(async { ws.lock().await.send(frame).await });
            Ok(())
        })
        .unwrap();
    // Still open and live: the next event reaches it.
    runtime.block_on(async {
        server
            .ingest(&completed("after", demo.channel(0), 0.2))
            .await;
        let event = ws.lock().await.next_event().await;
        assert_eq!(event.body.type_name(), "video.completed");
    });
}
