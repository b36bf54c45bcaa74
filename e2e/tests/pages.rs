//! Every page against the real server: what it shows is what the API says,
//! and its actions (Retry, CSV export) do what the operator asked.

use std::collections::BTreeSet;

use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, Server, Session, log_in_through_form,
    video_completed, video_completed_costing, video_failed_retryable,
};
use ytempire_protocol::{Channel, CostBreakdown, VideoPage};

async fn logged_in() -> (Server, Browser, Session, Channel) {
    let server = Server::start().await;
    let browser = Browser::start().await;
    log_in_through_form(&browser, &server).await;
    let session = server.login(DEMO_EMAIL, DEMO_PASSWORD).await;
    let channel = server.overview(&session).await.channels.remove(0);
    (server, browser, session, channel)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_renders_the_servers_data() {
    let (server, browser, session, channel) = logged_in().await;
    let title = "E2E pages: a finished video";
    assert_eq!(
        server
            .post_pipeline_event(&video_completed("e2e-pages-1", &channel, title))
            .await,
        202
    );

    // A fresh load: the video finished before it, so only the seed from
    // the videos API can list it, not the WebSocket.
    browser.goto(&server.url("/")).await;
    browser
        .wait_for_text("[data-testid=recent-video]", DEFAULT_DEADLINE, |t| {
            t.contains(title)
        })
        .await;

    browser.goto(&server.url("/channels")).await;
    let channels = server.overview(&session).await.channels;
    for channel in &channels {
        browser
            .wait_for_text("[data-testid=channel-card]", DEFAULT_DEADLINE, |t| {
                t.contains(&channel.name)
            })
            .await;
    }
    assert_eq!(
        browser.texts("[data-testid=channel-card]").await.len(),
        channels.len()
    );

    browser.goto(&server.url("/videos")).await;
    browser
        .wait_for_text("[data-testid=video-row]", DEFAULT_DEADLINE, |t| {
            t.contains(title)
        })
        .await;

    browser.goto(&server.url("/costs")).await;
    let costs: CostBreakdown = server.get_json(&session, "/api/v1/costs/breakdown").await;
    let total = format!("${:.2}", costs.total_cost.get());
    browser
        .wait_for_text("[data-testid=cost-total]", DEFAULT_DEADLINE, |t| {
            t.contains(&total)
        })
        .await;
    browser.wait_for("[data-testid=budget-gauge]").await;

    browser.goto(&server.url("/analytics")).await;
    browser.wait_for("[data-testid=analytics-totals]").await;

    browser.goto(&server.url("/no/such/page")).await;
    browser.wait_for("[data-testid=not-found]").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_export_matches_the_api_for_the_same_range() {
    let (server, browser, session, channel) = logged_in().await;
    for n in 0..2 {
        let event = video_completed(
            &format!("e2e-csv-{n}"),
            &channel,
            &format!("E2E csv {n}, \"quoted\""),
        );
        assert_eq!(server.post_pipeline_event(&event).await, 202);
    }

    browser.goto(&server.url("/reports")).await;
    browser.click("[data-testid=report-run]").await;
    browser.wait_for("[data-testid=report-summary]").await;
    let from = browser.value("[data-testid=report-from]").await;
    let to = browser.value("[data-testid=report-to]").await;
    browser.click("[data-testid=report-download]").await;
    let csv = browser.downloaded(".csv").await;

    let exported: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect();
    let mut listed = BTreeSet::new();
    for page in 1.. {
        let videos: VideoPage = server
            .get_json(&session, &format!("/api/v1/videos?perPage=100&page={page}"))
            .await;
        listed.extend(
            videos
                .items
                .iter()
                .filter(|video| {
                    (from.as_str()..=to.as_str()).contains(&video.created_at.date().as_str())
                })
                .map(|video| video.id.to_string()),
        );
        if page * videos.per_page >= videos.total {
            break;
        }
    }
    assert!(
        exported.contains("e2e-csv-0") && exported.contains("e2e-csv-1"),
        "{csv}"
    );
    assert_eq!(
        exported, listed,
        "the CSV holds exactly the API's videos of {from}..={to}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_on_a_failed_video_queues_it_again() {
    let (server, browser, session, channel) = logged_in().await;
    let event = video_failed_retryable("e2e-retry-1", &channel, "TTS quota exceeded");
    assert_eq!(server.post_pipeline_event(&event).await, 202);

    browser.goto(&server.url("/videos")).await;
    let row = "[data-testid=video-row][data-video-id=e2e-retry-1]";
    browser
        .wait_for_text(row, DEFAULT_DEADLINE, |t| t.contains("TTS quota exceeded"))
        .await;
    browser
        .click(&format!("{row} [data-testid=video-retry]"))
        .await;
    let status = format!("{row} [data-testid=video-status]");
    browser
        .wait_for_text(&status, DEFAULT_DEADLINE, |t| t.trim() != "failed")
        .await;

    let failed: VideoPage = server
        .get_json(&session, "/api/v1/videos?status=failed&perPage=100")
        .await;
    assert!(
        failed
            .items
            .iter()
            .all(|video| video.id.as_str() != "e2e-retry-1"),
        "the server no longer lists the video as failed"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn costs_page_shows_the_alert_just_raised() {
    let (server, browser, _session, channel) = logged_in().await;
    browser.goto(&server.url("/costs")).await;
    browser.wait_for("[data-testid=budget-gauge]").await;

    let title = "E2E pricey video";
    let event = video_completed_costing("e2e-alert-1", &channel, title, 0.47);
    assert_eq!(server.post_pipeline_event(&event).await, 202);

    let row = browser
        .wait_for_text("[data-testid=alert-row]", DEFAULT_DEADLINE, |t| {
            t.contains(title)
        })
        .await;
    assert!(row.contains("$0.47"), "the alert row shows the cost: {row}");
    browser.close().await;
}
