//! Admission and deadlines: what a client that holds connections without
//! using them can make the server keep, and how the server stops.

use std::io::BufRead;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use ytempire_protocol::{ControlFrame, LoginResponse, ServerFrame};

use crate::common::*;

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n";

/// Reads until the peer closes; what it sent before.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0; 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&received).into_owned(),
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends `GET /healthz` and reads the whole answer, leaving the connection
/// open; `None` when the server closes it instead.
async fn healthz_on(stream: &mut TcpStream) -> Option<String> {
    stream.write_all(HEALTHZ).await.ok()?;
    let mut received = Vec::new();
    let mut buf = [0; 1024];
    // The body is the last thing sent and ends with a brace.
    while !received.ends_with(b"}") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&received).into_owned())
}

/// A normal client is still answered.
async fn assert_served(server: &TestServer) {
    let health = within(
        "a normal request",
        server.http.get(server.url("/healthz")).send(),
    )
    .await
    .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

/// Writes `bytes` one every 50 ms until the server closes the connection
/// (`true`), or until it answers (`false`) unless `answers_allowed`: a
/// refusal may come before the close.
async fn trickle(
    stream: &mut TcpStream,
    bytes: impl IntoIterator<Item = u8>,
    answers_allowed: bool,
) -> bool {
    let mut every = tokio::time::interval(Duration::from_millis(50));
    let mut buf = [0; 1024];
    for byte in bytes {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => return true,
                Ok(_) if answers_allowed => {}
                Ok(_) => return false,
            },
            _ = every.tick() => {
                if stream.write_all(&[byte]).await.is_err() {
                    return true;
                }
            }
        }
    }
    false
}

fn short_deadlines(
    dir: &std::path::Path,
    header: Duration,
    idle: Duration,
) -> ytempire_server::Config {
    let mut config = config(dir);
    config.connections.header_timeout = header;
    config.connections.idle_timeout = idle;
    config
}

#[tokio::test]
async fn silent_sockets_are_closed_at_the_header_deadline_while_others_are_served() {
    let dir = temp_dir();
    let config = short_deadlines(
        dir.path(),
        Duration::from_millis(300),
        Duration::from_secs(60),
    );
    let server = TestServer::start_with(config).await;

    let mut silent = Vec::new();
    for _ in 0..20 {
        silent.push(TcpStream::connect(server.addr).await.unwrap());
    }
    assert_served(&server).await;

    let closed = within(
        "the server to close the silent sockets",
        join_all(silent.iter_mut().map(until_closed)),
    )
    .await;
    assert!(
        closed.iter().all(|sent| !sent.contains("200 OK")),
        "{closed:?}"
    );
}

#[tokio::test]
async fn a_head_sent_one_byte_at_a_time_is_cut_at_the_header_deadline() {
    let dir = temp_dir();
    let config = short_deadlines(
        dir.path(),
        Duration::from_millis(300),
        Duration::from_secs(60),
    );
    let server = TestServer::start_with(config).await;

    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    let head = b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Padding: ";
    let padded = head.iter().copied().chain(std::iter::repeat(b'a'));
    let cut = within(
        "the server to cut the slow head",
        trickle(&mut slow, padded, false),
    )
    .await;
    assert!(cut, "the slow head was answered instead of cut");
    assert_served(&server).await;
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_at_the_idle_deadline() {
    let dir = temp_dir();
    // A header deadline beyond the test's: only the idle one can close it.
    let config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_millis(300),
    );
    let server = TestServer::start_with(config).await;

    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    let answer = healthz_on(&mut kept).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let after = within("the idle connection to close", until_closed(&mut kept)).await;
    assert_eq!(after, "");
}

#[tokio::test]
async fn a_request_begun_on_a_kept_alive_connection_gets_the_header_deadline() {
    let dir = temp_dir();
    // An idle deadline beyond the test's: only the header one can close it.
    let config = short_deadlines(
        dir.path(),
        Duration::from_millis(300),
        Duration::from_secs(600),
    );
    let server = TestServer::start_with(config).await;

    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    // Within the deadline of its own first byte, each head is in time.
    for _ in 0..3 {
        assert!(healthz_on(&mut kept).await.is_some());
    }
    kept.write_all(b"GET /heal").await.unwrap();
    let after = within("the stalled head to be cut", until_closed(&mut kept)).await;
    assert!(!after.contains("200 OK"), "{after}");
}

#[tokio::test]
async fn a_body_sent_one_byte_at_a_time_is_cut_at_the_body_deadline() {
    let dir = temp_dir();
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_secs(600),
    );
    config.connections.body_timeout = Duration::from_millis(300);
    let server = TestServer::start_with(config).await;

    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\n\
          Content-Type: application/json\r\nContent-Length: 65536\r\n\r\n",
    )
    .await
    .unwrap();
    let spaces = std::iter::repeat(b' ');
    let cut = within(
        "the server to cut the slow body",
        trickle(&mut slow, spaces, true),
    )
    .await;
    assert!(cut, "the slow body was read to its end");
    assert_served(&server).await;
}

#[tokio::test]
async fn a_client_that_never_reads_its_response_loses_its_place() {
    let dir = temp_dir();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Y</title>").unwrap();
    // Far more than the socket buffers of both ends hold.
    std::fs::write(dist.join("big.bin"), vec![7u8; 16 << 20]).unwrap();
    // The test client's pooled probe connection closes at the idle deadline.
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_millis(300),
    );
    config.static_dir = Some(dist);
    config.connections.max = Some(1);
    config.connections.write_stall_timeout = Duration::from_millis(300);
    config.tcp_send_buffer = Some(4096);
    let server = TestServer::start_with(config).await;

    let mut retry = tokio::time::interval(Duration::from_millis(50));
    let mut stalled = within("a place for the reader", async {
        loop {
            retry.tick().await;
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.set_recv_buffer_size(4096).unwrap();
            let mut stream = socket.connect(server.addr).await.unwrap();
            stream
                .write_all(b"GET /big.bin HTTP/1.1\r\nHost: test\r\n\r\n")
                .await
                .unwrap();
            let mut first = [0; 1];
            if stream.read(&mut first).await.is_ok_and(|n| n == 1) {
                return stream;
            }
        }
    })
    .await;
    // The one place is free again once the stalled write is given up.
    within("the stalled connection to be dropped", async {
        loop {
            retry.tick().await;
            let mut next = TcpStream::connect(server.addr).await.unwrap();
            if healthz_on(&mut next).await.is_some() {
                return;
            }
        }
    })
    .await;
    let rest = until_closed(&mut stalled).await;
    assert!(rest.len() < 16 << 20, "the whole response was sent");
}

#[tokio::test]
async fn websockets_outlive_the_http_deadlines() {
    let dir = temp_dir();
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_millis(100),
        Duration::from_millis(100),
    );
    config.connections.body_timeout = Duration::from_millis(100);
    config.connections.write_stall_timeout = Duration::from_millis(100);
    config.websocket.ping_interval = Duration::from_millis(100);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;
    // Five heartbeats take five times all deadlines.
    for _ in 0..5 {
        assert_eq!(
            ws.next_frame_or_heartbeat().await,
            ServerFrame::Control(ControlFrame::Heartbeat)
        );
    }
    assert!(!server.ingest(&completed("v1", demo.channel(0), 0.1)).await);
    assert_eq!(ws.next_event().await.id, 1);
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_are_closed_at_once() {
    let dir = temp_dir();
    let cap = 4;
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_secs(600),
    );
    config.connections.max = Some(cap);
    let server = TestServer::start_with(config).await;

    // The test client's pooled connection may hold one place already.
    let (mut answered, mut refused) = (Vec::new(), 0);
    for _ in 0..cap + 4 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        match within("an answer or a close", healthz_on(&mut stream)).await {
            Some(_) if refused == 0 => answered.push(stream),
            Some(answer) => panic!("answered after a refusal: {answer}"),
            None => refused += 1,
        }
    }
    assert!(
        (cap - 1..=cap).contains(&answered.len()),
        "{} answered",
        answered.len()
    );
    assert_eq!(answered.len() + refused, cap + 4);

    // A closed connection frees its place.
    answered.pop();
    within("a place to free up", async {
        loop {
            let mut stream = TcpStream::connect(server.addr).await.unwrap();
            if healthz_on(&mut stream).await.is_some() {
                return;
            }
        }
    })
    .await;
}

/// The real binary, started under `sh` so that the test can lower its
/// open-file limit first. Killed when dropped.
struct Process {
    child: Option<Child>,
    addr: String,
    max_connections: usize,
    /// The server's log lines after the one that says it listens.
    log: mpsc::UnboundedReceiver<String>,
}

impl Process {
    async fn spawn(shell_prefix: &str, db: &std::path::Path, args: &[&str]) -> Self {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{shell_prefix} exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_ytempire-server"))
            .arg("--db")
            .arg(db)
            .args(["--addr", "127.0.0.1:0", "--pipeline-token", PIPELINE_TOKEN])
            .args(args)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawning ytempire-server");
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let (lines, mut log) = mpsc::unbounded_channel();
        // Reads the whole log, so that the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    return;
                }
            }
        });
        let line = within("the server to listen", async {
            while let Some(line) = log.recv().await {
                if line.contains(" listening ") {
                    return line;
                }
            }
            panic!("the server exited before listening");
        })
        .await;
        let field = |name: &str| {
            let start = line.find(&format!("{name}=")).expect(name) + name.len() + 1;
            line[start..].split(' ').next().unwrap().to_owned()
        };
        Self {
            child: Some(child),
            addr: field("addr"),
            max_connections: field("max_connections").parse().unwrap(),
            log,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn terminate(&self) {
        // `sh` exec'd the server, so the child's pid is the server's.
        let pid = self
            .child
            .as_ref()
            .and_then(|child| rustix::process::Pid::from_raw(i32::try_from(child.id()).ok()?))
            .expect("a running server");
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM");
    }

    async fn exit(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("a running server");
        let waiting = tokio::task::spawn_blocking(move || child.wait());
        within("the server to exit", waiting)
            .await
            .unwrap()
            .expect("the exit status")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test]
async fn under_a_low_open_file_limit_the_derived_cap_refuses_and_the_server_survives() {
    let dir = temp_dir();
    let server = Process::spawn(
        "ulimit -n 256 &&",
        &dir.path().join("ytempire.db"),
        &["--header-timeout", "600"],
    )
    .await;
    let cap = server.max_connections;
    assert!(cap < 256, "the cap {cap} is below the open-file limit");

    let held = 400;
    let mut idle = Vec::new();
    for _ in 0..held {
        let connect = TcpStream::connect(&server.addr);
        idle.push(within("a connection", connect).await.unwrap());
    }
    // Exactly the ones past the cap are closed; the others stay open.
    let (closed_tx, mut closed_rx) = tokio::sync::mpsc::unbounded_channel();
    let readers: Vec<_> = idle
        .into_iter()
        .map(|mut stream| {
            let closed = closed_tx.clone();
            tokio::spawn(async move {
                until_closed(&mut stream).await;
                let _ = closed.send(());
            })
        })
        .collect();
    within("the connections past the cap to be closed", async {
        for _ in 0..held - cap {
            closed_rx.recv().await.unwrap();
        }
    })
    .await;
    assert!(
        closed_rx.try_recv().is_err(),
        "more than those past the cap were closed"
    );

    for reader in &readers {
        reader.abort();
    }
    let http = reqwest::Client::new();
    let served = within("a client to be served again", async {
        loop {
            if let Ok(response) = http.get(server.url("/healthz")).send().await {
                return response.status();
            }
        }
    })
    .await;
    assert_eq!(served, StatusCode::OK);
}

#[tokio::test]
async fn sigterm_fails_readiness_then_closes_sockets_with_1001_and_exits_whatever_clients_do() {
    let dir = temp_dir();
    let db = dir.path().join("ytempire.db");
    add_user(&db, "ops@example.com", "a long password", &[]);
    let mut server = Process::spawn(
        "",
        &db,
        &[
            "--header-timeout",
            "600",
            "--idle-timeout",
            "600",
            "--shutdown-delay",
            "3",
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let ready = http.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    let login: LoginResponse = http
        .post(server.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "ops@example.com", "password": "a long password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!("ws://{}/ws/{}", server.addr, login.user.id);
    let (stream, _) = within("the handshake", tokio_tungstenite::connect_async(url))
        .await
        .unwrap();
    let mut ws = WsClient::from_stream(stream);
    ws.authenticate(&login.token, None).await;
    assert!(matches!(
        ws.next_frame().await,
        ServerFrame::Control(ControlFrame::Authenticated { .. })
    ));
    // Neither a client that says nothing nor one stuck in the middle of a
    // request head may hold the shutdown up.
    let _silent = TcpStream::connect(&server.addr).await.unwrap();
    let mut half_head = TcpStream::connect(&server.addr).await.unwrap();
    half_head
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();

    server.terminate();
    let unready = within("/readyz to fail", async {
        loop {
            let response = http.get(server.url("/readyz")).send().await.unwrap();
            if response.status() != StatusCode::OK {
                return response;
            }
        }
    })
    .await;
    assert_eq!(unready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = unready.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("shutting down"),
        "{body}"
    );

    let close = within("the socket to close", async {
        loop {
            match ws.next_message().await {
                Some(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Some(_) => continue,
                None => return None,
            }
        }
    })
    .await;
    assert_eq!(close, Some(1001));
    let status = server.exit().await;
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn a_shutdown_closes_connections_between_requests_at_once() {
    let dir = temp_dir();
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_secs(600),
    );
    config.shutdown.deadline = Duration::from_secs(600);
    let server = TestServer::start_with(config).await;
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    // A head that has begun is no request yet: nothing to wait for.
    let mut half_head = TcpStream::connect(server.addr).await.unwrap();
    half_head
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    assert!(healthz_on(&mut kept).await.is_some());

    server.stop().await;
    for socket in [&mut silent, &mut half_head, &mut kept] {
        within("the socket to be closed", until_closed(socket)).await;
    }
}

#[tokio::test]
async fn a_shutdown_lets_requests_in_flight_finish() {
    let dir = temp_dir();
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_secs(600),
    );
    config.shutdown.deadline = Duration::from_secs(600);
    let server = TestServer::start_with(config).await;
    let addr = server.addr;
    let body = r#"{"type": "video.unknown"}"#;
    let (first, rest) = body.split_at(10);
    let mut in_flight = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/pipeline/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {PIPELINE_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();

    let stopped = tokio::spawn(server.stop());
    within("the listener to close", async {
        while TcpStream::connect(addr).await.is_ok() {}
    })
    .await;
    in_flight.write_all(rest.as_bytes()).await.unwrap();
    let answer = within("the answer", until_closed(&mut in_flight)).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains(r#""error""#), "{answer}");
    within("the server to stop", stopped).await.unwrap();
}

#[tokio::test]
async fn at_the_shutdown_deadline_requests_still_in_flight_are_dropped() {
    let dir = temp_dir();
    let mut config = short_deadlines(
        dir.path(),
        Duration::from_secs(600),
        Duration::from_secs(600),
    );
    config.shutdown.deadline = Duration::from_millis(300);
    let server = TestServer::start_with(config).await;
    // A body that never comes in full keeps its request in flight.
    let mut stuck = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/pipeline/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {PIPELINE_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"type\""
    );
    stuck.write_all(head.as_bytes()).await.unwrap();

    server.stop().await;
    within("the stuck request to be dropped", until_closed(&mut stuck)).await;
}

#[tokio::test]
async fn a_long_shutdown_delay_does_not_extend_the_exit_past_the_limit() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    // Far past the test's deadline, unless the limit cuts them.
    config.shutdown.delay = Duration::from_secs(600);
    config.shutdown.deadline = Duration::from_secs(600);
    config.shutdown.drain_limit = Duration::from_millis(300);
    let server = TestServer::start_with(config).await;
    let demo = server.demo().await;
    let mut ws = server.ws_session(&demo, None).await;

    server.stop().await;
    within("the socket to be dropped", async {
        while ws.next_message().await.is_some() {}
    })
    .await;
}

#[tokio::test]
async fn when_accept_runs_out_of_files_the_server_backs_off_and_recovers() {
    let dir = temp_dir();
    // A cap above the open-file limit, so that `accept` fails with EMFILE.
    let mut server = Process::spawn(
        "ulimit -n 256 &&",
        &dir.path().join("ytempire.db"),
        &["--header-timeout", "600", "--max-connections", "1000"],
    )
    .await;
    let out_of_files = |line: &str| line.contains("cannot accept connections");
    // Connects until the server says so (the listen backlog holds the
    // connections it cannot accept).
    let mut idle = Vec::new();
    within("accept to run out of files", async {
        loop {
            idle.push(TcpStream::connect(&server.addr).await.unwrap());
            while let Ok(line) = server.log.try_recv() {
                if out_of_files(&line) {
                    return;
                }
            }
        }
    })
    .await;

    drop(idle);
    let http = reqwest::Client::new();
    let served = within("a client to be served again", async {
        loop {
            if let Ok(response) = http.get(server.url("/healthz")).send().await {
                return response.status();
            }
        }
    })
    .await;
    assert_eq!(served, StatusCode::OK);
    // A loop retrying at once would have failed (and logged) thousands of
    // times by now; one that backs off, a handful.
    let mut failures = 1;
    while let Ok(line) = server.log.try_recv() {
        failures += usize::from(out_of_files(&line));
    }
    assert!(failures < 20, "{failures} failed accepts");
}
