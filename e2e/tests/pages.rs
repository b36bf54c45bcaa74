//! Every page against the real server: what it shows is what the API says,
//! and its actions (Retry, CSV export) do what the operator asked.

use std::collections::BTreeSet;

use ytempire_e2e::{
    Browser, DEFAULT_DEADLINE, DEMO_EMAIL, DEMO_PASSWORD, Server, Session, log_in_through_form,
    submit_login, video_completed, video_completed_costing, video_failed_retryable,
};
use ytempire_protocol::{Channel, CostBreakdown, Trends, Video, VideoPage, VideoStatus};

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
    let spent = format!("${:.2}", costs.budget.spent_today.get());
    browser
        .wait_for_text("[data-testid=budget-gauge]", DEFAULT_DEADLINE, |t| {
            t.contains(&spent)
        })
        .await;

    browser.goto(&server.url("/analytics")).await;
    let trends: Trends = server.get_json(&session, "/api/v1/analytics/trends").await;
    let videos: u32 = trends.points.iter().map(|p| p.videos).sum();
    assert!(videos >= 1, "the finished video counts: {trends:?}");
    browser
        .wait_for_text("[data-testid=analytics-totals] dd", DEFAULT_DEADLINE, |t| {
            t.trim() == videos.to_string()
        })
        .await;

    browser.goto(&server.url("/no/such/page")).await;
    browser
        .wait_for_text("[data-testid=not-found] h1", DEFAULT_DEADLINE, |t| {
            t.contains("not found")
        })
        .await;
    browser.close().await;
}

/// Every video of the user, newest first, as the videos API lists them.
async fn all_videos(server: &Server, session: &Session) -> Vec<Video> {
    let mut all = Vec::new();
    for page in 1.. {
        let videos: VideoPage = server
            .get_json(session, &format!("/api/v1/videos?perPage=100&page={page}"))
            .await;
        all.extend(videos.items);
        if page * videos.per_page >= videos.total {
            break;
        }
    }
    all
}

/// A cell as docs/api.md says the export writes it: a would-be formula
/// gets a leading `'` so spreadsheets keep it text.
fn as_exported(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The record the export must hold for `video`, column by column.
fn expected_record(video: &Video) -> Vec<String> {
    [
        video.id.to_string(),
        video.channel_id.to_string(),
        video.channel_name.clone(),
        video.title.clone(),
        video.status.as_str().to_owned(),
        video
            .stage
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        video.error_message.clone().unwrap_or_default(),
        video.retryable.map(|r| r.to_string()).unwrap_or_default(),
        format!("{:.6}", video.cost.get()),
        video
            .url
            .as_ref()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default(),
        video.created_at.to_string(),
        video.updated_at.to_string(),
    ]
    .iter()
    .map(|cell| as_exported(cell))
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_export_holds_every_field_of_the_apis_videos_in_order() {
    let (server, browser, session, channel) = logged_in().await;
    let titles = [
        "E2E csv, with a comma",
        "E2E \"quoted\" csv",
        "=HYPERLINK(\"https://example.com\",\"E2E formula\")",
    ];
    for (n, title) in titles.iter().enumerate() {
        let event = video_completed(&format!("e2e-csv-{n}"), &channel, title);
        assert_eq!(server.post_pipeline_event(&event).await, 202, "{title}");
    }
    let failed = video_failed_retryable("e2e-csv-failed", &channel, "TTS, \"quota\" exceeded");
    assert_eq!(server.post_pipeline_event(&failed).await, 202);

    browser.goto(&server.url("/reports")).await;
    browser.click("[data-testid=report-run]").await;
    browser.wait_for("[data-testid=report-summary]").await;
    let from = browser.value("[data-testid=report-from]").await;
    let to = browser.value("[data-testid=report-to]").await;
    browser.click("[data-testid=report-download]").await;
    let (file_name, csv) = browser.downloaded(".csv").await;

    // The file is the server's export, byte for byte, under the server's name.
    let response = server
        .get(
            &session,
            &format!("/api/v1/exports/videos.csv?from={from}&to={to}"),
        )
        .await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("an ASCII Content-Disposition")
        .to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"{file_name}\""));
    assert_eq!(csv, response.text().await.expect("the export's body"));

    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "id",
            "channelId",
            "channelName",
            "title",
            "status",
            "stage",
            "errorMessage",
            "retryable",
            "cost",
            "url",
            "createdAt",
            "updatedAt",
        ]
    );
    let exported: Vec<Vec<String>> = reader
        .records()
        .map(|record| {
            record
                .expect("every record parses")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();

    // Oldest first, the API's videos of the range.
    let mut listed: Vec<Video> = all_videos(&server, &session)
        .await
        .into_iter()
        .filter(|video| (from.as_str()..=to.as_str()).contains(&video.created_at.date().as_str()))
        .collect();
    listed.sort_by_key(|video| video.created_at);
    let exported_ids: Vec<&str> = exported.iter().map(|r| r[0].as_str()).collect();
    let listed_ids: Vec<&str> = listed.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        exported_ids.iter().collect::<BTreeSet<_>>(),
        listed_ids.iter().collect::<BTreeSet<_>>(),
        "the CSV holds exactly the API's videos of {from}..={to}"
    );
    let created: Vec<&str> = exported.iter().map(|r| r[10].as_str()).collect();
    assert!(
        created.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {created:?}"
    );
    let posted: Vec<&str> = exported_ids
        .iter()
        .copied()
        .filter(|id| id.starts_with("e2e-csv-"))
        .collect();
    assert_eq!(
        posted,
        ["e2e-csv-0", "e2e-csv-1", "e2e-csv-2", "e2e-csv-failed"],
        "in the order they were posted"
    );
    for record in &exported {
        let video = listed
            .iter()
            .find(|v| v.id.as_str() == record[0])
            .expect("listed above");
        assert_eq!(*record, expected_record(video), "{}", video.id);
    }
    let titles_exported: Vec<&str> = exported
        .iter()
        .filter(|r| r[0].starts_with("e2e-csv-") && r[0] != "e2e-csv-failed")
        .map(|r| r[3].as_str())
        .collect();
    assert_eq!(
        titles_exported,
        [
            "E2E csv, with a comma",
            "E2E \"quoted\" csv",
            "'=HYPERLINK(\"https://example.com\",\"E2E formula\")",
        ]
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
        .wait_for_text(&status, DEFAULT_DEADLINE, |t| {
            // WebDriver reads the text as shown, after CSS text-transform.
            t.trim().eq_ignore_ascii_case("queued")
        })
        .await;

    let video = all_videos(&server, &session)
        .await
        .into_iter()
        .find(|video| video.id.as_str() == "e2e-retry-1")
        .expect("the server still lists the video");
    assert_eq!(video.status, VideoStatus::Queued, "{video:?}");
    assert_eq!(video.error_message, None, "failure details are cleared");
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

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_out_login_says_when_to_try_again() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    // The real defaults: five failures within 15 minutes lock the email.
    for attempt in 1..=5 {
        assert_eq!(
            server.login_status(DEMO_EMAIL, "wrong password").await,
            401,
            "failure {attempt}"
        );
    }
    assert_eq!(server.login_status(DEMO_EMAIL, DEMO_PASSWORD).await, 429);

    browser.goto(&server.url("/login")).await;
    submit_login(&browser, DEMO_EMAIL, DEMO_PASSWORD).await;
    let shown = browser
        .wait_for_text("[data-testid=login-error]", DEFAULT_DEADLINE, |t| {
            !t.is_empty()
        })
        .await;
    assert!(shown.contains("15 min"), "the retry time is shown: {shown}");
    assert_eq!(browser.current_path().await, "/login", "still signed out");
    browser.close().await;
}
