//! Body and query extractors that report the offending field by path
//! (`payload.cost`, `perPage`) in the protocol's `ApiError`, instead of
//! axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use ytempire_protocol::PipelineEvent;

use crate::error::AppError;

/// A JSON body parsed into `T`.
pub struct ValidJson<T>(pub T);

/// A query string parsed into `T`.
pub struct ValidQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ValidJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::TooLarge)?;
        parse_json(&body).map(ValidJson)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ValidQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs = form_urlencoded::parse(query.as_bytes());
        serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs))
            .map(ValidQuery)
            .map_err(|err| {
                let field = field_path(None, &err.path().to_string(), &err.inner().to_string());
                AppError::BadRequest {
                    message: format!("invalid query: {}", err.into_inner()),
                    field,
                }
            })
    }
}

/// Parses untrusted JSON, naming the bad field on failure.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| json_error(None, err))
}

/// A pipeline report. Parsed in two steps because serde loses track of the
/// path inside an adjacently tagged enum: first the envelope, then the
/// payload as the type names it.
pub fn parse_pipeline_event(body: &[u8]) -> Result<PipelineEvent, AppError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Envelope {
        #[serde(rename = "type")]
        kind: String,
        payload: serde_json::Value,
    }
    let Envelope { kind, payload } = parse_json(body)?;
    match kind.as_str() {
        "video.started" => parse_payload(payload).map(PipelineEvent::VideoStarted),
        "video.completed" => parse_payload(payload).map(PipelineEvent::VideoCompleted),
        "video.failed" => parse_payload(payload).map(PipelineEvent::VideoFailed),
        other => Err(AppError::bad_field(
            "type",
            format!(
                "unknown event type {other:?}: expected video.started, video.completed or video.failed"
            ),
        )),
    }
}

fn parse_payload<T: DeserializeOwned>(payload: serde_json::Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(payload).map_err(|err| json_error(Some("payload"), err))
}

fn json_error(
    prefix: Option<&str>,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> AppError {
    if err.inner().is_syntax() || err.inner().is_eof() {
        return AppError::BadRequest {
            message: format!("malformed JSON: {}", err.into_inner()),
            field: None,
        };
    }
    let field = field_path(prefix, &err.path().to_string(), &err.inner().to_string());
    AppError::BadRequest {
        message: format!("invalid request: {}", err.into_inner()),
        field,
    }
}

/// The dotted path of the field at fault, below `prefix`. For a missing
/// field serde reports the enclosing object, so the field's name is appended.
fn field_path(prefix: Option<&str>, path: &str, message: &str) -> Option<String> {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    let segments: Vec<&str> = prefix
        .into_iter()
        .chain((path != "." && path != "?").then_some(path))
        .chain(missing)
        .collect();
    (!segments.is_empty()).then(|| segments.join("."))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn field_of(body: &str) -> Option<String> {
        match parse_pipeline_event(body.as_bytes()) {
            Err(AppError::BadRequest { field, .. }) => field,
            other => panic!("expected a bad request, got {:?}", other.map(|_| ())),
        }
    }

    fn completed(payload_patch: &[(&str, Value)]) -> String {
        let mut payload = serde_json::json!({
            "videoId": "v1", "channelId": "c1", "channelName": "C", "title": "T",
            "url": "https://youtu.be/x", "cost": 0.3, "generationTime": 12.0,
            "timestamp": "2026-11-25T10:00:00Z"
        });
        for (key, value) in payload_patch {
            payload[*key] = value.clone();
        }
        serde_json::json!({"type": "video.completed", "payload": payload}).to_string()
    }

    #[test]
    fn names_the_bad_payload_field() {
        assert_eq!(
            field_of(&completed(&[("cost", (-1).into())])).as_deref(),
            Some("payload.cost")
        );
        assert_eq!(
            field_of(&completed(&[("url", "javascript:alert(1)".into())])).as_deref(),
            Some("payload.url")
        );
        assert_eq!(
            field_of(&completed(&[("timestamp", "yesterday".into())])).as_deref(),
            Some("payload.timestamp")
        );
        assert_eq!(
            field_of(&completed(&[("videoId", "".into())])).as_deref(),
            Some("payload.videoId")
        );
    }

    #[test]
    fn names_missing_fields_and_unknown_types() {
        let mut body: Value = serde_json::from_str(&completed(&[])).unwrap();
        body["payload"].as_object_mut().unwrap().remove("cost");
        assert_eq!(field_of(&body.to_string()).as_deref(), Some("payload.cost"));
        assert_eq!(
            field_of(r#"{"type": "video.exploded", "payload": {}}"#).as_deref(),
            Some("type")
        );
        assert_eq!(field_of("{").as_deref(), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 1024,
            failure_persistence: None,
            ..Default::default()
        })]

        /// Whatever the bytes, parsing ends in a report or a 400, never a
        /// panic or a server error.
        #[test]
        fn any_body_parses_or_is_a_bad_request(
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            key in proptest::sample::select(&["videoId", "cost", "timestamp", "url", "error", "x"][..]),
            value in proptest::prelude::any::<String>(),
        ) {
            let bad_request = |result: Result<PipelineEvent, AppError>| {
                matches!(result, Ok(_) | Err(AppError::BadRequest { .. }))
            };
            proptest::prop_assert!(bad_request(parse_pipeline_event(&body)));
            let garbled = completed(&[(key, Value::String(value))]);
            proptest::prop_assert!(bad_request(parse_pipeline_event(garbled.as_bytes())));
        }
    }
}
