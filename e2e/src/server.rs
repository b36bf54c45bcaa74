use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use tokio::process::{Child, Command};
use ytempire_protocol::{LoginRequest, LoginResponse, Overview};

use crate::{DEFAULT_DEADLINE, eventually, free_port, path_from_env};

/// The pipeline token the harness starts every server with.
pub const PIPELINE_TOKEN: &str = "e2e-pipeline-token";

/// A running `ytempire-server` on its own port and database.
///
/// `stop` and `start` keep the port and the database file, so a restart
/// looks to the dashboard exactly like a real server bounce.
pub struct Server {
    child: Option<Child>,
    port: u16,
    db: PathBuf,
    dist: PathBuf,
    args: Vec<String>,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
}

/// A logged-in API user, as the dashboard would be.
pub struct Session {
    pub token: String,
    pub user_id: String,
}

impl Server {
    /// Starts the server binary (`YTEMPIRE_SERVER_BIN`, default
    /// `target/debug/ytempire-server`) serving `YTEMPIRE_DIST` (default `dist/`).
    pub async fn start() -> Server {
        Server::start_with_args(&[]).await
    }

    /// Like [`Server::start`], with extra command-line arguments such as `--simulate`.
    pub async fn start_with_args(args: &[&str]) -> Server {
        let dist = path_from_env("YTEMPIRE_DIST", "dist");
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the dashboard first (scripts/test does)",
            dist.display()
        );
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut server = Server {
            child: None,
            port: free_port(),
            db: dir.path().join("e2e.db"),
            dist,
            args: args.iter().map(|arg| arg.to_string()).collect(),
            _dir: dir,
            http: reqwest::Client::new(),
        };
        server.restart().await;
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Kills the server process and waits until it is gone.
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("the server can be killed");
        }
    }

    /// Stops the server as an orchestrator does, with SIGTERM, and waits
    /// for it to exit on its own; returns its exit status.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("the server is running");
        let pid = child.id().expect("a running server has a pid");
        let pid = libc::pid_t::try_from(pid).expect("a pid fits pid_t");
        // SAFETY: `kill` only sends a signal; the pid is our own child,
        // which has not been reaped (we still hold it), so it names no other process.
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM: {}", std::io::Error::last_os_error());
        tokio::time::timeout(DEFAULT_DEADLINE, child.wait())
            .await
            .unwrap_or_else(|_| {
                panic!("the server did not exit within {DEFAULT_DEADLINE:?} of SIGTERM")
            })
            .expect("the server's exit status")
    }

    /// Starts the server again on the same port and database.
    pub async fn restart(&mut self) {
        self.stop().await;
        let binary = path_from_env("YTEMPIRE_SERVER_BIN", "target/debug/ytempire-server");
        self.child = Some(spawn(&binary, self.port, &self.db, &self.dist, &self.args));
        let probe = self.url("/api/v1/dashboard/overview");
        let http = &self.http;
        eventually("the server to answer", DEFAULT_DEADLINE, || async {
            let response = http.get(&probe).send().await.ok()?;
            (response.status() == reqwest::StatusCode::UNAUTHORIZED).then_some(())
        })
        .await;
    }

    pub async fn login(&self, email: &str, password: &str) -> Session {
        let request = LoginRequest {
            email: email.into(),
            password: password.into(),
        };
        let response = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&request)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("login succeeds");
        let body: LoginResponse = response.json().await.expect("a login response");
        Session {
            token: body.token,
            user_id: body.user.id.to_string(),
        }
    }

    /// The status code of a login attempt, whatever it is.
    pub async fn login_status(&self, email: &str, password: &str) -> u16 {
        let request = LoginRequest {
            email: email.into(),
            password: password.into(),
        };
        self.http
            .post(self.url("/api/v1/auth/login"))
            .json(&request)
            .send()
            .await
            .expect("the login endpoint answers")
            .status()
            .as_u16()
    }

    pub async fn overview(&self, session: &Session) -> Overview {
        self.get_json(session, "/api/v1/dashboard/overview").await
    }

    /// `GET` of an API path as `session`, decoded from JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        session: &Session,
        path: &str,
    ) -> T {
        self.get(session, path)
            .await
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `GET` of an API path as `session`, as text.
    pub async fn get_text(&self, session: &Session, path: &str) -> String {
        self.get(session, path)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The status code of a `GET` with `token`, whatever it is.
    pub async fn status_of(&self, token: &str, path: &str) -> u16 {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .status()
            .as_u16()
    }

    /// `GET` of an API path as `session`, headers and all; panics unless 2xx.
    pub async fn get(&self, session: &Session, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&session.token)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Posts a pipeline event as the video pipeline would; returns the status code.
    pub async fn post_pipeline_event(&self, event: &Value) -> u16 {
        self.http
            .post(self.url("/api/v1/pipeline/events"))
            .bearer_auth(PIPELINE_TOKEN)
            .json(event)
            .send()
            .await
            .expect("the pipeline endpoint answers")
            .status()
            .as_u16()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
    }
}

fn spawn(binary: &Path, port: u16, db: &Path, dist: &Path, args: &[String]) -> Child {
    assert!(
        binary.is_file(),
        "{} is missing: build the server first (scripts/test does)",
        binary.display()
    );
    Command::new(binary)
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--db")
        .arg(db)
        .arg("--static")
        .arg(dist)
        .arg("--demo")
        .args(args)
        .env("YTEMPIRE_PIPELINE_TOKEN", PIPELINE_TOKEN)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()))
}
