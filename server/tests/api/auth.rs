use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn login_gives_a_token_and_rejects_bad_credentials() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;

    let session = server.demo().await;
    assert_eq!(session.user.email, "demo@ytempire.local");
    assert!(
        session.channels.len() >= 3,
        "the demo owns at least 3 channels"
    );

    for (email, password) in [
        ("demo@ytempire.local", "wrong"),
        ("nobody@ytempire.local", "demo"),
    ] {
        let response = server.login(email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string(), "a JSON error: {body}");
    }

    let response = server
        .http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": "demo@ytempire.local"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "password");
}

#[tokio::test]
async fn every_user_route_needs_a_valid_bearer_token() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let routes = [
        ("GET", "/api/v1/dashboard/overview"),
        ("GET", "/api/v1/videos"),
        ("POST", "/api/v1/videos/v1/retry"),
        ("PATCH", "/api/v1/channels/c1/status"),
        ("GET", "/api/v1/costs/breakdown"),
        ("GET", "/api/v1/analytics/trends"),
        ("GET", "/api/v1/analytics/performance"),
        ("GET", "/api/v1/exports/videos.csv"),
    ];
    for (method, path) in routes {
        for token in [None, Some("not-a-token"), Some(PIPELINE_TOKEN)] {
            let mut request = server
                .http
                .request(method.parse().unwrap(), server.url(path))
                .json(&json!({"status": "paused"}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "authentication required");
        }
    }
}

#[tokio::test]
async fn the_pipeline_route_needs_the_pipeline_token() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let session = server.demo().await;
    let body = completed("v1", session.channel(0), 0.3);
    for token in [
        None,
        Some(session.token.as_str()),
        Some("dev-pipeline-token"),
    ] {
        let mut request = server
            .http
            .post(server.url("/api/v1/pipeline/events"))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "token {token:?}"
        );
    }
    let videos = server.json_as(&session.token, "/api/v1/videos").await;
    assert_eq!(videos["total"], 0, "nothing was stored");
}

#[tokio::test]
async fn users_see_only_their_own_channels_videos_and_events() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    add_user(server.db(), "other@ytempire.local", "other-password", &[]);
    let demo = server.demo().await;
    let other = server
        .session("other@ytempire.local", "other-password")
        .await;
    assert_eq!(other.channels.len(), 2);
    assert!(
        other
            .channels
            .iter()
            .all(|c| demo.channels.iter().all(|d| d.id != c.id)),
        "no shared channels"
    );

    let mut demo_ws = server.ws_session(&demo, None).await;
    let mut other_ws = server.ws_session(&other, None).await;
    assert!(
        !server
            .ingest(&failed("theirs", other.channel(0), "audio", true, 0.1))
            .await
    );
    assert!(
        !server
            .ingest(&completed("mine", demo.channel(0), 0.2))
            .await
    );

    // Each socket gets exactly its owner's event, in order.
    assert_eq!(
        demo_ws.next_event().await.body.type_name(),
        "video.completed"
    );
    let theirs = other_ws.next_event().await;
    assert_eq!(theirs.id, 1);
    assert_eq!(theirs.body.type_name(), "video.failed");

    // The other user's video and channel do not exist for the demo user.
    let response = server
        .http
        .post(server.url("/api/v1/videos/theirs/retry"))
        .bearer_auth(&demo.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = server
        .http
        .patch(server.url(&format!("/api/v1/channels/{}/status", other.channel(0).0)))
        .bearer_auth(&demo.token)
        .json(&json!({"status": "paused"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let demo_videos = server.json_as(&demo.token, "/api/v1/videos").await;
    assert_eq!(demo_videos["total"], 1);
    assert_eq!(demo_videos["items"][0]["id"], "mine");

    // A token of another user on this user's socket path closes with 4401.
    let mut stolen = server.ws(demo.user.id.as_str()).await;
    stolen.authenticate(&other.token, None).await;
    assert_eq!(stolen.close_code().await, Some(4401));
}

#[tokio::test]
async fn expired_tokens_are_rejected() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.sessions.token_ttl = std::time::Duration::ZERO;
    let server = TestServer::start_with(config).await;
    let response = server
        .login(ytempire_server::DEMO_EMAIL, ytempire_server::DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let login: Value = response.json().await.unwrap();
    let token = login["token"].as_str().unwrap();
    let response = server.get_as(token, "/api/v1/dashboard/overview").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_email_out_for_a_while() {
    let dir = temp_dir();
    let mut config = config(dir.path());
    config.sessions.max_failed_logins = 3;
    let server = TestServer::start_with(config).await;
    let demo = ytempire_server::DEMO_EMAIL;
    for _ in 0..3 {
        let wrong = server.login(demo, "wrong").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }

    let locked = server.login(demo, ytempire_server::DEMO_PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry_after: u64 = locked.headers()[reqwest::header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    let body: Value = locked.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("try again in 15 min"),
        "{body}"
    );
    let other = server.login("nobody@ytempire.local", "wrong").await;
    assert_eq!(
        other.status(),
        StatusCode::UNAUTHORIZED,
        "other emails are not locked"
    );
}

#[tokio::test]
async fn at_the_defaults_the_sixth_attempt_in_fifteen_minutes_waits_fifteen_minutes() {
    let dir = temp_dir();
    let config = config(dir.path());
    let window = Duration::from_secs(15 * 60);
    assert_eq!(
        (
            config.sessions.max_failed_logins,
            config.sessions.failed_login_window
        ),
        (5, window),
        "the tests run the production lockout"
    );
    let server = TestServer::start_with(config).await;
    let demo = ytempire_server::DEMO_EMAIL;
    let first_failure = Instant::now();
    for attempt in 1..=5 {
        let wrong = server.login(demo, "wrong").await;
        assert_eq!(
            wrong.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }

    for (attempt, password) in [(6, ytempire_server::DEMO_PASSWORD), (7, "wrong")] {
        let locked = server.login(demo, password).await;
        assert_eq!(
            locked.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "attempt {attempt}, even with the right password"
        );
        let retry_after: u64 = locked.headers()[reqwest::header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        // Until the first failure is 15 minutes old: nearly all of them,
        // less what this test has taken so far (rounded either way).
        let earliest = window.saturating_sub(first_failure.elapsed()).as_secs() - 1;
        assert!(
            (earliest..=window.as_secs()).contains(&retry_after),
            "attempt {attempt}: Retry-After {retry_after}, expected about 900"
        );
        let body: Value = locked.json().await.unwrap();
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("try again in 15 min"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn logout_revokes_only_that_token() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    let leaving = server.demo().await;
    let staying = server.demo().await;
    let logout = |token: Option<&str>| {
        let request = server.http.post(server.url("/api/v1/auth/logout"));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
        .send()
    };

    assert_eq!(
        logout(Some(&leaving.token)).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let overview = "/api/v1/dashboard/overview";
    let after = server.get_as(&leaving.token, overview).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let other = server.get_as(&staying.token, overview).await;
    assert_eq!(other.status(), StatusCode::OK, "another session stays open");
    assert_eq!(
        logout(Some(&leaving.token)).await.unwrap().status(),
        StatusCode::NO_CONTENT,
        "logging out twice is harmless"
    );
    assert_eq!(
        logout(None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn administrators_add_list_and_budget_users() {
    let dir = temp_dir();
    let server = TestServer::start(dir.path()).await;
    add_user(
        server.db(),
        "ann@ytempire.local",
        "ann-password",
        &["--daily-budget", "20"],
    );
    let listing = admin(server.db(), &["user", "list"]);
    assert!(listing.contains("demo@ytempire.local"), "{listing}");
    let ann = listing
        .lines()
        .find(|line| line.contains("ann@ytempire.local"))
        .expect("ann is listed");
    assert!(ann.trim_end().ends_with(" 2"), "two channels: {ann}");

    let session = server.session("ann@ytempire.local", "ann-password").await;
    let overview = server
        .json_as(&session.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(overview["metrics"]["dailyBudget"], 20.0);
    let demo = server.demo().await;
    let overview = server
        .json_as(&demo.token, "/api/v1/dashboard/overview")
        .await;
    assert_eq!(
        overview["metrics"]["dailyBudget"], 50.0,
        "the server default"
    );

    for (set, expected) in [("35.5", 35.5), ("default", 50.0)] {
        admin(server.db(), &["user", "budget", "ann@ytempire.local", set]);
        let overview = server
            .json_as(&session.token, "/api/v1/dashboard/overview")
            .await;
        assert_eq!(overview["metrics"]["dailyBudget"], expected, "after {set}");
    }
}
