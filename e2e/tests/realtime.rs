//! The real-time promise through outages: events posted while the browser
//! is cut off arrive by replay after it comes back, and events around a
//! graceful server restart (SIGTERM, a real `1001`) arrive too; in both,
//! each exactly once. Asserted on records that are never capped: every
//! frame the page's sockets received, the recent-videos list and the count.

use std::collections::BTreeSet;

use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, LoggedSocket, Server, SocketLog,
    eventually, hooks, metric, submit_login, utc_today, video_completed, wait_for_videos_today,
    wait_until_live,
};
use ytempire_protocol::Channel;

/// Signs in through the form with every socket of the page recorded.
async fn signed_in<'a>(browser: &'a Browser, server: &Server) -> SocketLog<'a> {
    browser.goto(&server.url("/login")).await;
    let log = SocketLog::install(browser).await;
    submit_login(browser, DEMO_EMAIL, DEMO_PASSWORD).await;
    wait_until_live(browser).await;
    log
}

async fn first_channel(server: &Server) -> Channel {
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    server.overview(&session).await.channels.remove(0)
}

async fn post_completed(server: &Server, channel: &Channel, video_id: &str, title: &str) {
    let event = video_completed(video_id, channel, title);
    assert_eq!(server.post_pipeline_event(&event).await, 202, "{title}");
}

/// Waits until the recent-videos list shows `title`.
async fn wait_for_recent(browser: &Browser, title: &str) {
    browser
        .wait_for_text(hooks::RECENT_VIDEO, DEFAULT_DEADLINE, |t| t.contains(title))
        .await;
}

/// How many entries of the recent-videos list show `title`.
async fn times_listed(browser: &Browser, title: &str) -> usize {
    let listed = browser.texts(hooks::RECENT_VIDEO).await;
    listed.iter().filter(|t| t.contains(title)).count()
}

async fn wait_until_not_live(browser: &Browser) {
    browser
        .wait_for_text(hooks::CONNECTION_STATUS, DEFAULT_DEADLINE, |t| {
            !t.contains("Live")
        })
        .await;
}

/// Every event id the page received, over all its sockets, in order.
fn received_ids(sockets: &[LoggedSocket]) -> Vec<u64> {
    sockets.iter().flat_map(LoggedSocket::event_ids).collect()
}

/// Fails if any event reached the page twice.
fn assert_each_once(sockets: &[LoggedSocket]) {
    let ids = received_ids(sockets);
    let distinct: BTreeSet<u64> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "an event arrived twice: {ids:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn events_posted_during_a_network_cut_are_replayed_once() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let log = signed_in(&browser, &server).await;
    let channel = first_channel(&server).await;
    let day = utc_today();
    let before = metric(&browser, hooks::VIDEOS_TODAY).await;

    // One live event first, so the dashboard has a cursor to resume from.
    post_completed(&server, &channel, "e2e-cut-0", "E2E before the cut").await;
    wait_for_recent(&browser, "E2E before the cut").await;
    let cursor = *received_ids(&log.sockets().await)
        .last()
        .expect("the live event reached the page");

    browser.set_offline(true).await;
    wait_until_not_live(&browser).await;
    let titles = ["E2E cut one", "E2E cut two"];
    for (n, title) in titles.iter().enumerate() {
        post_completed(&server, &channel, &format!("e2e-cut-{}", n + 1), title).await;
    }
    // Posted and stored on the server, but unseen while the page is offline.
    assert_eq!(
        received_ids(&log.sockets().await),
        [cursor],
        "an event reached the page while it was offline"
    );

    browser.set_offline(false).await;
    wait_until_live(&browser).await;
    for title in titles {
        wait_for_recent(&browser, title).await;
    }
    // Ids come in order, so once this one is listed a repeat of the two
    // before it would have been received already.
    let sentinel = "E2E after the cut";
    post_completed(&server, &channel, "e2e-cut-s", sentinel).await;
    wait_for_recent(&browser, sentinel).await;

    let sockets = log.sockets().await;
    assert_each_once(&sockets);
    let resumed = sockets
        .iter()
        .find(|s| s.authenticated_at().is_some() && s.resumed_from() == Some(cursor))
        .unwrap_or_else(|| panic!("no socket resumed from {cursor}: {sockets:#?}"));
    let replay_until = resumed.authenticated_at().expect("it was accepted");
    assert_eq!(
        resumed.event_ids(),
        [cursor + 1, cursor + 2, cursor + 3],
        "the two missed events, then the live one"
    );
    assert!(
        replay_until >= cursor + 2,
        "the missed events came live, not by replay: the server's newest was {replay_until}"
    );
    for title in titles.into_iter().chain([sentinel, "E2E before the cut"]) {
        assert_eq!(times_listed(&browser, title).await, 1, "{title}");
    }
    wait_for_videos_today(&browser, &server, &day, before + 4).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_graceful_restart_closes_with_1001_and_the_dashboard_resumes_once() {
    let mut server = Server::start().await;
    let browser = Browser::start().await;
    let log = signed_in(&browser, &server).await;
    let channel = first_channel(&server).await;
    let day = utc_today();
    let before = metric(&browser, hooks::VIDEOS_TODAY).await;
    post_completed(&server, &channel, "e2e-bounce-0", "E2E before the bounce").await;
    wait_for_recent(&browser, "E2E before the bounce").await;
    let cursor = *received_ids(&log.sockets().await)
        .last()
        .expect("the live event reached the page");

    let status = server.terminate().await;
    assert!(
        status.success(),
        "SIGTERM ends the server cleanly: {status}"
    );
    let first_close = eventually(
        "the page's socket to be closed",
        DEFAULT_DEADLINE,
        || async { log.sockets().await.first()?.close_code },
    )
    .await;
    assert_eq!(
        first_close, 1001,
        "a shutting-down server says it is going away"
    );
    wait_until_not_live(&browser).await;

    server.restart().await;
    // Whether these come by replay or live depends on the reconnect delay;
    // either way each must arrive once.
    let titles = ["E2E bounce one", "E2E bounce two"];
    for (n, title) in titles.iter().enumerate() {
        post_completed(&server, &channel, &format!("e2e-bounce-{}", n + 1), title).await;
    }
    wait_until_live(&browser).await;
    let sentinel = "E2E after the bounce";
    post_completed(&server, &channel, "e2e-bounce-s", sentinel).await;
    wait_for_recent(&browser, sentinel).await;

    let sockets = log.sockets().await;
    assert_each_once(&sockets);
    assert!(
        sockets
            .iter()
            .any(|s| s.authenticated_at().is_some() && s.resumed_from() == Some(cursor)),
        "no socket resumed from {cursor}: {sockets:#?}"
    );
    assert_eq!(
        received_ids(&sockets),
        [cursor, cursor + 1, cursor + 2, cursor + 3]
    );
    for title in titles
        .into_iter()
        .chain([sentinel, "E2E before the bounce"])
    {
        assert_eq!(times_listed(&browser, title).await, 1, "{title}");
    }
    wait_for_videos_today(&browser, &server, &day, before + 4).await;
    browser.close().await;
}
