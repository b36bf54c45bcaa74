use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use ytempire_protocol::{ControlFrame, EventId, ServerFrame};

use crate::common::*;

#[tokio::test]
async fn unauthenticated_sockets_close_with_4401() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let user = demo.user.id.as_str();

    let mut bad_token = server.ws(user).await;
    bad_token.authenticate("not-a-token", None).await;
    assert_eq!(bad_token.close_code().await, Some(4401));

    let mut malformed = server.ws(user).await;
    malformed
        .send_text("{\"type\": \"hello\"}".to_owned())
        .await;
    assert_eq!(malformed.close_code().await, Some(4401));

    // Says nothing: closed once the (test-shortened) authentication window ends.
    let mut silent = server.ws(user).await;
    assert_eq!(silent.close_code().await, Some(4401));

    let mut wrong_path = server.ws("someone-else").await;
    wrong_path.authenticate(&demo.token, None).await;
    assert_eq!(wrong_path.close_code().await, Some(4401));
}

#[tokio::test]
async fn a_plain_request_gets_a_json_error() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let response = server
        .http
        .get(server.url("/ws/user-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::UPGRADE_REQUIRED);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("a WebSocket upgrade is required"),
        "{body}"
    );
}

#[tokio::test]
async fn authenticated_reports_the_newest_event_id() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.2)).await);
    let mut ws = server.ws(demo.user.id.as_str()).await;
    ws.authenticate(&demo.token, None).await;
    let ServerFrame::Control(ControlFrame::Authenticated {
        user_id,
        last_event_id,
    }) = ws.next_frame().await
    else {
        panic!("expected authenticated");
    };
    assert_eq!(user_id, demo.user.id);
    assert_eq!(last_event_id, Some(1));
}

#[tokio::test]
async fn every_tab_of_the_user_gets_every_event() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut tabs = Vec::new();
    for _ in 0..3 {
        tabs.push(server.ws_session(&demo, None).await);
    }
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.2)).await);
    for tab in &mut tabs {
        let event = tab.next_event().await;
        assert_eq!((event.id, event.body.type_name()), (1, "video.completed"));
    }
}

#[tokio::test]
async fn a_reconnecting_client_gets_what_it_missed_then_live_events() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;

    let mut ws = server.ws_session(&demo, None).await;
    for n in 1..=3 {
        assert!(
            !server
                .ingest(&completed(&format!("v{n}"), demo.channel(0), 0.2))
                .await
        );
        assert_eq!(ws.next_event().await.id, n);
    }
    ws.close().await;

    for n in 4..=6 {
        assert!(
            !server
                .ingest(&completed(&format!("v{n}"), demo.channel(1), 0.2))
                .await
        );
    }
    let mut ws = server.ws_session(&demo, Some(3)).await;
    for n in 4..=6 {
        let event = ws.next_event().await;
        assert_eq!(event.id, n, "replayed in order");
    }

    // Reports land while a client resumes: across the seam between replay
    // and live delivery nothing is lost and nothing arrives twice.
    ws.close().await;
    let poster = {
        let channel = (demo.channel(2).0.to_owned(), demo.channel(2).1.to_owned());
        let http = server.http.clone();
        let url = server.url("/api/v1/pipeline/events");
        tokio::spawn(async move {
            for n in 7..=40 {
                let body = completed(&format!("v{n}"), (&channel.0, &channel.1), 0.01);
                let response = http
                    .post(&url)
                    .bearer_auth(PIPELINE_TOKEN)
                    .json(&body)
                    .send()
                    .await;
                assert_eq!(response.unwrap().status(), reqwest::StatusCode::ACCEPTED);
            }
        })
    };
    let mut ws = server.ws_session(&demo, Some(6)).await;
    let mut ids = Vec::new();
    while ids.last() != Some(&40) {
        ids.push(ws.next_event().await.id);
    }
    within("the poster", poster).await.unwrap();
    assert_eq!(ids, (7..=40).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_client_behind_retention_is_told_to_resync() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.event_retention = 3;
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    for n in 1..=6 {
        assert!(
            !server
                .ingest(&completed(&format!("v{n}"), demo.channel(0), 0.2))
                .await
        );
    }

    let mut behind = server.ws_session(&demo, Some(1)).await;
    assert_eq!(
        behind.next_frame().await,
        ServerFrame::Control(ControlFrame::Resync {
            oldest_event_id: Some(4)
        })
    );
    // Live events follow the resync.
    assert!(!server.ingest(&completed("v7", demo.channel(0), 0.2)).await);
    assert_eq!(behind.next_event().await.id, 7);

    // Just within retention: a plain replay.
    let mut within_retention = server.ws_session(&demo, Some(4)).await;
    for n in 5..=7 {
        assert_eq!(within_retention.next_event().await.id, n);
    }

    // An id this server never issued (another database, say) also resyncs.
    let mut ahead = server.ws_session(&demo, Some(99)).await;
    assert!(matches!(
        ahead.next_frame().await,
        ServerFrame::Control(ControlFrame::Resync { .. })
    ));
}

/// A failure report whose 1.5 KB message makes a few of them overflow the
/// small socket buffers of these tests.
fn bulky_report(n: EventId, channel: (&str, &str)) -> serde_json::Value {
    let mut report = failed(&format!("v{n}"), channel, "audio", true, 0.0);
    report["payload"]["error"]["message"] = "x".repeat(1500).into();
    report
}

#[tokio::test]
async fn a_client_that_never_reads_is_dropped_by_the_write_deadline_without_delaying_another() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.tcp_send_buffer = Some(8 * 1024);
    // Shortened so the stalled write gives up soon; the queue keeps its
    // default (256), more than is posted here, so it never evicts: only
    // the write deadline can drop the stuck client.
    config.websocket.write_timeout = Duration::from_millis(300);
    let posted: EventId = 100;
    assert!(posted < config.websocket.queue_capacity as EventId);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut stuck = server.stuck_ws_session(&demo).await;
    let mut fast = server.ws_session(&demo, None).await;

    // 150 KB for a client that reads nothing: far more than its receive
    // buffer, the server's send buffer and tungstenite's write buffer hold.
    for n in 1..=posted {
        assert!(!server.ingest(&bulky_report(n, demo.channel(0))).await);
        // The healthy client sees each event before the next is posted.
        assert_eq!(fast.next_event().await.id, n, "the fast client keeps up");
    }

    // Without reading (that would unblock the server's write), wait for the
    // server to give up on the client. Pings keep arriving at the server
    // while its write is stalled; a socket closed with unread data, or sent
    // data once closed, is reset by the kernel, so once the server has
    // dropped the connection a ping of the client fails.
    within("the server to drop the stuck client", async {
        let mut poll = tokio::time::interval(Duration::from_millis(20));
        loop {
            poll.tick().await;
            if !stuck.ping().await {
                return;
            }
        }
    })
    .await;
    assert!(
        !matches!(
            within("the stuck client's end", stuck.next_message()).await,
            Some(Message::Close(_))
        ),
        "dropped without a close handshake, which it would not read"
    );

    // The healthy client of the same user goes on receiving, in order.
    for n in posted + 1..=posted + 10 {
        assert!(!server.ingest(&bulky_report(n, demo.channel(1))).await);
        assert_eq!(fast.next_event().await.id, n, "after the drop");
    }
}

#[tokio::test]
async fn shutdown_closes_sockets_with_1001() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(ws.close_code().await, Some(1001));
    within("the server to stop", stopping).await.unwrap();
}

#[tokio::test]
async fn quiet_connections_get_heartbeats_browsers_can_see() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.websocket.ping_interval = Duration::from_millis(100);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;

    for _ in 0..2 {
        assert_eq!(
            ws.next_frame_or_heartbeat().await,
            ServerFrame::Control(ControlFrame::Heartbeat)
        );
    }
}

#[tokio::test]
async fn peers_that_stop_answering_pings_are_dropped() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.websocket.ping_interval = Duration::from_millis(100);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;

    // A hand-rolled client that authenticates, then only reads: it never
    // answers the server's pings, so the server must hang up on it.
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "GET /ws/{} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        demo.user.id, server.addr
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let auth = format!(
        r#"{{"type":"authenticate","token":"{}","lastEventId":null}}"#,
        demo.token
    );
    socket
        .write_all(&masked_text_frame(auth.as_bytes()))
        .await
        .unwrap();

    let mut received = Vec::new();
    let mut buf = [0; 1024];
    within("the server to drop the silent peer", async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 101"), "upgraded: {text}");
    assert!(
        text.contains("authenticated"),
        "authenticated first: {text}"
    );
}

/// One client-to-server text frame (clients must mask their frames).
fn masked_text_frame(payload: &[u8]) -> Vec<u8> {
    let mask = [0x12, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81];
    match payload.len() {
        len @ 0..=125 => frame.push(0x80 | len as u8),
        len => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

#[tokio::test]
async fn a_client_that_falls_behind_is_disconnected_with_1013_and_can_resume() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.websocket.queue_capacity = 8;
    config.tcp_send_buffer = Some(8 * 1024);
    // Eviction by the full queue, not by a write that times out.
    config.websocket.write_timeout = Duration::from_secs(120);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;

    // A tiny receive buffer, never read: the server's writes soon block.
    let mut stuck = server.stuck_ws_session(&demo).await;

    let mut fast = server.ws_session(&demo, None).await;
    let posted = 300;
    for n in 1..=posted {
        assert!(!server.ingest(&bulky_report(n, demo.channel(0))).await);
        assert_eq!(fast.next_event().await.id, n, "the fast client keeps up");
    }

    let mut received = 0;
    let code = within("the stuck client's close", async {
        loop {
            match stuck.next_message().await {
                Some(Message::Text(text)) => {
                    let frame = ServerFrame::parse(&text).expect("a server frame");
                    let ServerFrame::Event(event) = frame else {
                        continue;
                    };
                    received += 1;
                    assert_eq!(event.id, received, "what it got came in order");
                }
                Some(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Some(_) => continue,
                None => return None,
            }
        }
    })
    .await;
    assert_eq!(code, Some(1013));
    assert!(
        received < posted,
        "the stuck client got {received} of {posted}"
    );

    // It resumes where it stopped.
    let mut resumed = server.ws_session(&demo, Some(received)).await;
    assert_eq!(resumed.next_event().await.id, received + 1);
}
