//! WebSockets follow the sessions they authenticated with, and one user
//! cannot open sockets without bound.

use std::time::Duration;

use reqwest::StatusCode;
use tokio_tungstenite::tungstenite::Message;
use ytempire_protocol::{CLOSE_POLICY_VIOLATION, CLOSE_UNAUTHORIZED, ControlFrame, ServerFrame};

use crate::common::*;

/// The server's close code and reason, skipping everything before it.
async fn close_frame(ws: &mut WsClient) -> Option<(u16, String)> {
    within("the socket to close", async {
        loop {
            match ws.next_message().await {
                Some(Message::Close(frame)) => {
                    return frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                }
                Some(_) => continue,
                None => return None,
            }
        }
    })
    .await
}

#[tokio::test]
async fn logging_out_closes_the_sockets_of_that_token_only() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let leaving = server.demo().await;
    let staying = server.demo().await;
    let mut tab1 = server.ws_session(&leaving, None).await;
    let mut tab2 = server.ws_session(&leaving, None).await;
    let mut other_login = server.ws_session(&staying, None).await;

    let logout = server
        .http
        .post(server.url("/api/v1/auth/logout"))
        .bearer_auth(&leaving.token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    for tab in [&mut tab1, &mut tab2] {
        assert_eq!(
            close_frame(tab).await,
            Some((CLOSE_UNAUTHORIZED, "logged out".to_owned()))
        );
    }

    assert!(
        !server
            .ingest(&completed("v1", staying.channel(0), 0.1))
            .await
    );
    assert_eq!(other_login.next_event().await.id, 1);
}

#[tokio::test]
async fn logging_out_a_token_that_opens_nothing_needs_no_write() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.database.busy_timeout = Duration::from_millis(50);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;

    // While the write lock is held elsewhere, a write would answer 503.
    let holder = rusqlite::Connection::open(server.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let logout = server
        .http
        .post(server.url("/api/v1/auth/logout"))
        .bearer_auth("not-a-session-token")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    holder.execute_batch("ROLLBACK").unwrap();

    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.1)).await);
    assert_eq!(ws.next_event().await.id, 1);
}

#[tokio::test]
async fn a_socket_is_closed_when_its_session_expires() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // Long enough to sign in and authenticate on a busy machine.
    config.sessions.token_ttl = Duration::from_secs(2);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    assert_eq!(
        close_frame(&mut ws).await,
        Some((CLOSE_UNAUTHORIZED, "session expired".to_owned()))
    );
}

#[tokio::test]
async fn past_the_per_user_cap_a_socket_is_closed_with_1008_and_a_reason() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.websocket.max_per_user = 2;
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let first = server.ws_session(&demo, None).await;
    let _second = server.ws_session(&demo, None).await;

    let mut third = server.ws(demo.user.id.as_str()).await;
    third.authenticate(&demo.token, None).await;
    assert_eq!(
        close_frame(&mut third).await,
        Some((
            CLOSE_POLICY_VIOLATION,
            "too many sockets open for this user".to_owned()
        ))
    );

    // A socket that closes frees its place.
    first.close().await;
    within("a place under the cap", async {
        loop {
            let mut ws = server.ws(demo.user.id.as_str()).await;
            ws.authenticate(&demo.token, None).await;
            if let Some(Message::Text(text)) = ws.next_message().await
                && matches!(
                    ServerFrame::parse(&text),
                    Ok(ServerFrame::Control(ControlFrame::Authenticated { .. }))
                )
            {
                return;
            }
        }
    })
    .await;
}
