//! An operator logs in through the form, the pipeline finishes a video, and
//! the dashboard says so: a toast and a bumped "videos today". Logging
//! out ends the session on the server too.

use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, Server, eventually, hooks,
    log_in_through_form, metric, submit_login, utc_today, video_completed, wait_for_videos_today,
    wait_until_live,
};

#[tokio::test(flavor = "multi_thread")]
async fn completed_video_reaches_the_operator() {
    let server = Server::start().await;
    let browser = Browser::start().await;

    browser.goto(&server.url("/")).await;
    browser.wait_for("#email").await;
    assert_eq!(
        browser.current_path().await,
        "/login",
        "an anonymous visit lands on the login page"
    );
    submit_login(&browser, DEMO_EMAIL, DEMO_PASSWORD).await;
    wait_until_live(&browser).await;
    let day = utc_today();
    let before = metric(&browser, hooks::VIDEOS_TODAY).await;

    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let channel = server.overview(&session).await.channels.remove(0);
    let title = "E2E walking skeleton <b>not bold</b>";
    let status = server
        .post_pipeline_event(&video_completed("e2e-skeleton-1", &channel, title))
        .await;
    assert_eq!(status, 202, "the pipeline accepts the event");

    let toast = browser
        .wait_for_text(hooks::TOAST, DEFAULT_DEADLINE, |text| text.contains(title))
        .await;
    assert!(toast.contains("Video Completed"), "toast: {toast}");
    assert!(
        toast.contains(&channel.name),
        "toast names the channel: {toast}"
    );
    wait_for_videos_today(&browser, &server, &day, before + 1).await;

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_is_refused_on_the_form() {
    let server = Server::start().await;
    let browser = Browser::start().await;

    browser.goto(&server.url("/login")).await;
    submit_login(&browser, DEMO_EMAIL, "not-the-password").await;

    browser.wait_for("[role=alert]").await;
    assert_eq!(
        browser.current_path().await,
        "/login",
        "a refused login stays on the form"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_out_revokes_the_token() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    log_in_through_form(&browser, &server).await;
    let stored = browser
        .run_script(
            "return JSON.parse(localStorage.getItem('ytempire.session')).token",
            vec![],
        )
        .await;
    let token = stored.as_str().expect("the session stores its token");
    let overview = "/api/v1/dashboard/overview";
    assert_eq!(server.status_of(token, overview).await, 200);

    browser.click(".app-shell__logout").await;
    browser.wait_for("#email").await;
    eventually(
        "the server to revoke the token",
        DEFAULT_DEADLINE,
        || async { (server.status_of(token, overview).await == 401).then_some(()) },
    )
    .await;
    browser.close().await;
}
