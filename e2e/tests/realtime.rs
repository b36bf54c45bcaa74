//! The real-time promise through a server bounce: the chip notices within
//! two seconds, the dashboard reconnects by itself, and events posted around
//! the outage show up exactly once.

use std::time::Duration;

use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, Server, hooks, log_in_through_form,
    metric, video_completed, wait_for_metric,
};

#[tokio::test(flavor = "multi_thread")]
async fn server_bounce_loses_and_repeats_nothing() {
    let mut server = Server::start().await;
    let browser = Browser::start().await;
    log_in_through_form(&browser, &server).await;
    let before = metric(&browser, hooks::VIDEOS_TODAY).await;
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let channel = server.overview(&session).await.channels.remove(0);

    server.stop().await;
    browser
        .wait_for_text(hooks::CONNECTION_STATUS, Duration::from_secs(2), |t| {
            !t.contains("Live")
        })
        .await;

    server.restart().await;
    let titles = ["E2E bounce one", "E2E bounce two"];
    for (n, title) in titles.iter().enumerate() {
        let event = video_completed(&format!("e2e-bounce-{n}"), &channel, title);
        assert_eq!(server.post_pipeline_event(&event).await, 202);
    }
    browser
        .wait_for_text(hooks::CONNECTION_STATUS, DEFAULT_DEADLINE, |t| {
            t.contains("Live")
        })
        .await;

    // Events arrive in id order, so once this one is shown, any repeat of
    // the earlier two would already be on screen.
    let sentinel = "E2E bounce sentinel";
    assert_eq!(
        server
            .post_pipeline_event(&video_completed("e2e-bounce-s", &channel, sentinel))
            .await,
        202
    );
    browser
        .wait_for_text(hooks::TOAST, DEFAULT_DEADLINE, |t| t.contains(sentinel))
        .await;

    let toasts = browser.texts(hooks::TOAST).await;
    for title in titles {
        let shown = toasts.iter().filter(|t| t.contains(title)).count();
        assert_eq!(shown, 1, "{title:?} shown {shown} times in {toasts:?}");
    }
    wait_for_metric(&browser, hooks::VIDEOS_TODAY, before + 3).await;
    browser.close().await;
}
