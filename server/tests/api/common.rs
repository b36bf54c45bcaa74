//! A real server on an ephemeral port with a temporary database, and small
//! HTTP and WebSocket clients for it. Every wait has a deadline.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ytempire_protocol::{
    Channel, ControlFrame, Date, Event, EventId, LoginResponse, Overview, ServerFrame, Timestamp,
    User,
};
use ytempire_server::{Config, DEMO_EMAIL, DEMO_PASSWORD, Listeners, serve};

pub const PIPELINE_TOKEN: &str = "test-pipeline-token";
pub const OTHER_EMAIL: &str = "other@ytempire.local";
pub const OTHER_PASSWORD: &str = "other-password";
/// The one deadline of every wait in these tests: generous, for a busy
/// two-core machine, and only reached when a test fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Awaits `future`, failing the test if it takes longer than the deadline.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    db: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// A temporary directory holding the database; outlives server restarts.
pub fn temp_dir() -> TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

pub fn config(dir: &Path) -> Config {
    let mut config = Config::new(dir.join("ytempire.db"));
    config.pipeline_token = PIPELINE_TOKEN.to_owned();
    config.demo = true;
    config.websocket.auth_timeout = Duration::from_millis(500);
    config
}

impl TestServer {
    pub async fn start(dir: &Path) -> Self {
        Self::start_with(config(dir)).await
    }

    pub async fn start_with(config: Config) -> Self {
        Self::start_serving(config, None).await
    }

    /// Also serves Prometheus metrics, on their own ephemeral port.
    pub async fn start_with_metrics(config: Config) -> (Self, SocketAddr) {
        let metrics = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let metrics_addr = metrics.local_addr().expect("a local address");
        (
            Self::start_serving(config, Some(metrics)).await,
            metrics_addr,
        )
    }

    async fn start_serving(config: Config, metrics: Option<TcpListener>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().expect("a local address");
        let (stop, stopped) = oneshot::channel::<()>();
        let db = config.db_path.clone();
        let listeners = Listeners {
            api: listener,
            metrics,
        };
        let task = tokio::spawn(serve(config, listeners, async {
            let _ = stopped.await;
        }));
        let server = Self {
            addr,
            // A request that hangs fails the test instead of hanging it.
            http: reqwest::Client::builder()
                .timeout(DEADLINE)
                .build()
                .expect("an HTTP client"),
            db,
            stop: Some(stop),
            task: Some(task),
        };
        // The listener is already bound, so this waits until the server
        // (migrated and seeded) accepts, or fails if it could not start.
        let probe = within(
            "the server to answer",
            server.http.get(server.url("/api/v1/")).send(),
        )
        .await;
        assert!(probe.is_ok(), "the server did not start: {probe:?}");
        server
    }

    /// Shuts down gracefully and waits until the server has stopped.
    pub async fn stop(mut self) {
        self.stop_in_place().await;
    }

    async fn stop_in_place(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            within("the server to stop", task)
                .await
                .expect("the server task")
                .expect("a clean shutdown");
        }
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request")
    }

    pub async fn session(&self, email: &str, password: &str) -> Session {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let login: LoginResponse = response.json().await.expect("a login response");
        let overview = self
            .get_as(&login.token, "/api/v1/dashboard/overview")
            .await;
        let overview: Overview = overview.json().await.expect("an overview");
        Session {
            token: login.token,
            user: login.user,
            channels: overview.channels,
        }
    }

    pub async fn demo(&self) -> Session {
        self.session(DEMO_EMAIL, DEMO_PASSWORD).await
    }

    /// A second user, with two channels of its own, signed in.
    pub async fn other(&self) -> Session {
        add_user(self.db(), OTHER_EMAIL, OTHER_PASSWORD, &[]);
        self.session(OTHER_EMAIL, OTHER_PASSWORD).await
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET request")
    }

    pub async fn json_as(&self, token: &str, path: &str) -> Value {
        let response = self.get_as(token, path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("a JSON body")
    }

    pub async fn post_event(&self, body: &Value) -> Response {
        self.http
            .post(self.url("/api/v1/pipeline/events"))
            .bearer_auth(PIPELINE_TOKEN)
            .json(body)
            .send()
            .await
            .expect("pipeline request")
    }

    /// Posts and expects 202, returning whether it was a duplicate.
    pub async fn ingest(&self, body: &Value) -> bool {
        let response = self.post_event(body).await;
        let status = response.status();
        let answer: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, StatusCode::ACCEPTED, "ingest answered {answer}");
        answer["duplicate"].as_bool().expect("a duplicate flag")
    }

    pub async fn ws(&self, user_id: &str) -> WsClient {
        let url = format!("ws://{}/ws/{user_id}", self.addr);
        let (stream, _) = within(
            "the WebSocket handshake",
            tokio_tungstenite::connect_async(url),
        )
        .await
        .expect("a WebSocket");
        WsClient { stream }
    }

    /// A WebSocket that has authenticated and received `authenticated`.
    pub async fn ws_session(&self, session: &Session, last_event_id: Option<EventId>) -> WsClient {
        let mut ws = self.ws(session.user.id.as_str()).await;
        ws.authenticate(&session.token, last_event_id).await;
        let frame = ws.next_frame().await;
        assert!(
            matches!(
                frame,
                ServerFrame::Control(ytempire_protocol::ControlFrame::Authenticated { .. })
            ),
            "expected authenticated, got {frame:?}"
        );
        ws
    }

    /// An authenticated WebSocket whose kernel receive buffer is tiny: as
    /// long as the test does not read it, the server's writes to it stall.
    pub async fn stuck_ws_session(&self, session: &Session) -> WsClient {
        let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
        // Before connecting, so that the window the server sees is small
        // from the handshake on.
        socket
            .set_recv_buffer_size(4096)
            .expect("a small receive buffer");
        let stream = within("the TCP connection", socket.connect(self.addr))
            .await
            .expect("a TCP connection");
        let url = format!("ws://{}/ws/{}", self.addr, session.user.id);
        let (stream, _) = within(
            "the WebSocket handshake",
            tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream)),
        )
        .await
        .expect("a WebSocket");
        let mut ws = WsClient::from_stream(stream);
        ws.authenticate(&session.token, None).await;
        let frame = ws.next_frame().await;
        assert!(
            matches!(
                frame,
                ServerFrame::Control(ControlFrame::Authenticated { .. })
            ),
            "expected authenticated, got {frame:?}"
        );
        ws
    }
}

/// Today as a UTC day, by the clock the server also reads.
pub fn utc_today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970");
    Date::of(Timestamp::from_millis(
        i64::try_from(now.as_millis()).expect("a clock before 292 million AD"),
    ))
}

/// Whether it is still `day` (UTC). A test that reports and then reads
/// "today" figures can straddle midnight; those checks only hold when it
/// did not, so they are made only then.
pub fn still(day: Date) -> bool {
    utc_today() == day
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct Session {
    pub token: String,
    pub user: User,
    pub channels: Vec<Channel>,
}

impl Session {
    pub fn channel(&self, n: usize) -> (&str, &str) {
        let channel = &self.channels[n];
        (channel.id.as_str(), channel.name.as_str())
    }
}

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    pub fn from_stream(stream: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Self {
        Self { stream }
    }

    /// The next message of any kind; `None` once the connection is gone.
    pub async fn next_message(&mut self) -> Option<Message> {
        self.stream.next().await.and_then(Result::ok)
    }

    pub async fn authenticate(&mut self, token: &str, last_event_id: Option<EventId>) {
        let frame = json!({"type": "authenticate", "token": token, "lastEventId": last_event_id});
        self.send_text(frame.to_string()).await;
    }

    pub async fn send(&mut self, message: Message) {
        within("a WebSocket send", self.stream.send(message))
            .await
            .expect("a WebSocket send");
    }

    pub async fn send_text(&mut self, text: String) {
        within("a WebSocket send", self.stream.send(Message::text(text)))
            .await
            .expect("a WebSocket send");
    }

    /// Sends a ping without reading anything; `false` once the connection
    /// is gone (the write fails).
    pub async fn ping(&mut self) -> bool {
        within(
            "a WebSocket ping",
            self.stream.send(Message::Ping(Default::default())),
        )
        .await
        .is_ok()
    }

    /// The next server frame, skipping pings and heartbeats.
    pub async fn next_frame(&mut self) -> ServerFrame {
        loop {
            match self.next_frame_or_heartbeat().await {
                ServerFrame::Control(ControlFrame::Heartbeat) => continue,
                frame => return frame,
            }
        }
    }

    /// The next server frame, skipping only pings.
    pub async fn next_frame_or_heartbeat(&mut self) -> ServerFrame {
        within("a server frame", async {
            loop {
                match self.stream.next().await {
                    Some(Ok(Message::Text(text))) => {
                        return ServerFrame::parse(&text).expect("a valid server frame");
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    other => panic!("expected a frame, got {other:?}"),
                }
            }
        })
        .await
    }

    pub async fn next_event(&mut self) -> Event {
        match self.next_frame().await {
            ServerFrame::Event(event) => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    /// Waits for the server to close the socket and returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        within("the socket to close", async {
            loop {
                match self.stream.next().await {
                    Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return None,
                }
            }
        })
        .await
    }

    pub async fn close(mut self) {
        let _ = within("closing the socket", self.stream.close(None)).await;
    }
}

pub fn completed(video_id: &str, (channel_id, channel_name): (&str, &str), cost: f64) -> Value {
    json!({"type": "video.completed", "payload": {
        "videoId": video_id, "channelId": channel_id, "channelName": channel_name,
        "title": format!("Video {video_id}"), "url": format!("https://youtu.be/{video_id}"),
        "cost": cost, "generationTime": 120.0, "timestamp": "2026-11-25T10:00:00Z"}})
}

pub fn failed(
    video_id: &str,
    (channel_id, channel_name): (&str, &str),
    stage: &str,
    retryable: bool,
    cost: f64,
) -> Value {
    json!({"type": "video.failed", "payload": {
        "videoId": video_id, "channelId": channel_id, "channelName": channel_name,
        "error": {"stage": stage, "message": "boom", "retryable": retryable},
        "cost": cost, "timestamp": "2026-11-25T10:00:00Z"}})
}

pub fn started(video_id: &str, channel_id: &str) -> Value {
    json!({"type": "video.started", "payload": {
        "videoId": video_id, "channelId": channel_id, "title": format!("Video {video_id}"),
        "timestamp": "2026-11-25T10:00:00Z"}})
}

/// Creates a user with two channels through the real `user add` command.
pub fn add_user(db: &Path, email: &str, password: &str, extra: &[&str]) {
    let add = [
        "user",
        "add",
        email,
        "--name",
        "Other",
        "--password",
        password,
        "--channels",
        "2",
    ];
    admin(db, &[&add[..], extra].concat());
}

/// Runs an administration command on the database; returns its output.
pub fn admin(db: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ytempire-server"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("running ytempire-server");
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
