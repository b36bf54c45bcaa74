//! Safe defaults: no account with a known password unless asked for, no
//! public listener with the published pipeline token, private files.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use ytempire_server::{DEMO_EMAIL, DEMO_PASSWORD};

use crate::common::{TestServer, config, started, temp_dir, within};

#[tokio::test]
async fn an_empty_database_has_no_demo_account_unless_asked_for() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.demo = false;
    let server = TestServer::start_with(config).await;
    let login = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
    let users: u64 = rusqlite::Connection::open(server.db())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn the_database_and_its_wal_and_shm_are_private() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    server.demo().await;
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", server.db().display());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{path}");
    }
}

#[tokio::test]
async fn a_public_address_without_a_pipeline_token_refuses_to_start() {
    let dir = temp_dir();
    let db = dir.path().join("ytempire.db");
    let output = within(
        "the server to refuse",
        server(&db).args(["--addr", "0.0.0.0:0"]).output(),
    )
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("pipeline token"), "{stderr}");
    assert!(!db.exists(), "refused before touching the database");
}

#[tokio::test]
async fn a_public_demo_starts_with_loud_warnings() {
    let dir = temp_dir();
    let mut child = server(&dir.path().join("ytempire.db"))
        .args(["--addr", "0.0.0.0:0", "--demo"])
        .spawn()
        .unwrap();
    let log = log_until(&mut child, "listening").await;
    assert!(log.contains("DEMO MODE ON A PUBLIC ADDRESS"), "{log}");
    assert!(
        log.contains("NO PIPELINE TOKEN ON A PUBLIC ADDRESS"),
        "{log}"
    );
}

#[tokio::test]
async fn the_pipeline_token_can_come_from_a_file() {
    let dir = temp_dir();
    let token_file = dir.path().join("pipeline-token");
    std::fs::write(&token_file, "token-from-a-file\n").unwrap();
    let mut child = server(&dir.path().join("ytempire.db"))
        .args(["--addr", "127.0.0.1:0", "--pipeline-token-file"])
        .arg(&token_file)
        .spawn()
        .unwrap();
    let log = log_until(&mut child, "listening").await;
    let port: String = log
        .rsplit_once("127.0.0.1:")
        .expect("the address in the log")
        .1
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();

    let post = |token: &'static str| {
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/api/v1/pipeline/events"))
            .bearer_auth(token)
            .json(&started("v1", "ch-unknown"))
            .send()
    };
    let accepted = post("token-from-a-file").await.unwrap();
    assert_eq!(
        accepted.status(),
        StatusCode::NOT_FOUND,
        "authenticated, then no such channel"
    );
    let refused = post("dev-pipeline-token").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

/// The server binary on `db`, with no pipeline token from the environment.
fn server(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ytempire-server"));
    command
        .arg("--db")
        .arg(db)
        .env_remove("YTEMPIRE_PIPELINE_TOKEN")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// The server's log (on stdout) up to the first line containing `needle`.
async fn log_until(child: &mut Child, needle: &str) -> String {
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    within("the server's log", async {
        let mut log = String::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            log.push_str(&line);
            log.push('\n');
            if line.contains(needle) {
                return log;
            }
        }
        panic!("the server exited; it logged:\n{log}");
    })
    .await
}
