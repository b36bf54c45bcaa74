//! Every `/api` and `/ws` error carries the JSON error body, also those that
//! axum answers before a handler runs, with the headers its status needs.

use reqwest::{Method, Response, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use ytempire_protocol::{ApiError, MAX_FRAME_BYTES};

use crate::common::*;

async fn error_body(response: Response) -> ApiError {
    let url = response.url().to_string();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        kind.starts_with("application/json"),
        "{url}: content-type {kind:?}"
    );
    response.json().await.expect("the API's error body")
}

/// Sends raw bytes and returns the whole answer (the request asks the server
/// to close the connection after it).
async fn raw_exchange(server: &TestServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr).await.expect("a connection");
    stream.write_all(request).await.expect("the request sent");
    let mut answer = Vec::new();
    within("the whole answer", stream.read_to_end(&mut answer))
        .await
        .expect("the answer read");
    String::from_utf8(answer).expect("a UTF-8 answer")
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_json_413() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    // 65 chunks of 1 KiB: the length is known only once it is past the limit.
    let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
    let mut request = format!(
        "POST /api/v1/pipeline/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {PIPELINE_TOKEN}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for _ in 0..=MAX_FRAME_BYTES / 1024 {
        request.push_str(&chunk);
    }
    request.push_str("0\r\n\r\n");
    let answer = raw_exchange(&server, request.as_bytes()).await;
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let error: ApiError = serde_json::from_str(body.trim()).expect("the API's error body");
    assert!(!error.error.is_empty());
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_a_json_413() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let response = server
        .http
        .post(server.url("/api/v1/pipeline/events"))
        .bearer_auth(PIPELINE_TOKEN)
        .body(vec![b' '; MAX_FRAME_BYTES + 1])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    error_body(response).await;
}

#[tokio::test]
async fn invalid_utf8_in_a_path_parameter_is_a_json_400() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    for (method, path) in [
        (Method::POST, "/api/v1/videos/%FF/retry"),
        (Method::PATCH, "/api/v1/channels/%C3%28/status"),
        (Method::GET, "/ws/%FF"),
    ] {
        let response = server
            .http
            .request(method, server.url(path))
            .bearer_auth(&demo.token)
            .json(&serde_json::json!({"status": "paused"}))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        error_body(response).await;
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405_with_allow() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    for (method, path, allowed) in [
        (Method::DELETE, "/api/v1/auth/login", "POST"),
        (Method::PUT, "/api/v1/dashboard/overview", "GET"),
        (Method::POST, "/ws/user-1", "GET"),
    ] {
        let response = server
            .http
            .request(method, server.url(path))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        let allow = response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            allow.split(',').any(|m| m.trim() == allowed),
            "{path}: Allow {allow:?}"
        );
        error_body(response).await;
    }
}

#[tokio::test]
async fn a_plain_request_to_a_socket_is_a_json_426_with_upgrade() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let response = server
        .http
        .get(server.url("/ws/user-1"))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::UPGRADE_REQUIRED);
    assert_eq!(
        response
            .headers()
            .get("upgrade")
            .and_then(|v| v.to_str().ok()),
        Some("websocket")
    );
    error_body(response).await;
}

#[tokio::test]
async fn unknown_socket_paths_are_a_json_404() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    for path in ["/ws", "/ws/", "/ws/user-1/extra", "/api/nope"] {
        let response = server
            .http
            .get(server.url(path))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        error_body(response).await;
    }
}
