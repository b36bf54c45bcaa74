//! Ingest latency while CSV exports run: a server in this process on a
//! temporary database, one user with `--rows` videos, `--exports` download
//! loops of that user's whole export, and pipeline reports posted at
//! `--rate` per second (each on its own task, so a slow answer does not
//! slow the schedule). Prints ingest latency percentiles and export times.
//!
//! ```text
//! cargo run --release -p ytempire-server --example contention -- --exports 8 --rows 10000
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, ensure};
use clap::Parser;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Mutex;
use tokio::time::MissedTickBehavior;
use ytempire_protocol::{LoginResponse, Overview};
use ytempire_server::{Config, DEMO_EMAIL, DEMO_PASSWORD, serve};

#[derive(Debug, Parser)]
struct Args {
    /// Export download loops running at once (all of the one user).
    #[arg(long, default_value_t = 8)]
    exports: usize,
    /// Videos of the user, i.e. rows of each export.
    #[arg(long, default_value_t = 10_000)]
    rows: usize,
    /// Pipeline reports posted per second.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// How long reports are posted, in seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
}

const TOKEN: &str = "bench-pipeline-token";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path().join("bench.db"));
    config.demo = true;
    config.pipeline_token = TOKEN.to_owned();
    // One user runs every export loop: the per-user cap is not what is measured.
    config.max_exports_per_user = args.exports.max(1);
    let db = config.db_path.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(serve(config, listener, std::future::pending()));

    let http = reqwest::Client::new();
    let login: LoginResponse = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": DEMO_EMAIL, "password": DEMO_PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let overview: Overview = http
        .get(format!("{base}/api/v1/dashboard/overview"))
        .bearer_auth(&login.token)
        .send()
        .await?
        .json()
        .await?;
    let channel = overview.channels.first().context("a demo channel")?.clone();
    seed_videos(&db, channel.id.as_str(), args.rows)?;

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let export_times = Arc::new(Mutex::new(Vec::new()));
    let exports: Vec<_> = (0..args.exports)
        .map(|_| {
            let (http, url, token) = (
                http.clone(),
                format!("{base}/api/v1/exports/videos.csv"),
                login.token.clone(),
            );
            let times = Arc::clone(&export_times);
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let started = Instant::now();
                    let mut response = http.get(&url).bearer_auth(&token).send().await?;
                    ensure!(
                        response.status().is_success(),
                        "export: {}",
                        response.status()
                    );
                    let mut bytes = 0;
                    while let Some(chunk) = response.chunk().await? {
                        bytes += chunk.len();
                    }
                    ensure!(bytes > 0, "an empty export");
                    times.lock().await.push(started.elapsed());
                }
                anyhow::Ok(())
            })
        })
        .collect();

    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate));
    tick.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut posts = Vec::new();
    for n in 0.. {
        tick.tick().await;
        if Instant::now() >= deadline {
            break;
        }
        let report = json!({"type": "video.completed", "payload": {
            "videoId": format!("bench-{n}"), "channelId": channel.id, "channelName": channel.name,
            "title": format!("Bench {n}"), "url": format!("https://youtu.be/bench{n}"),
            "cost": 0.01, "generationTime": 60.0, "timestamp": "2026-11-25T10:00:00Z"}});
        let request = http
            .post(format!("{base}/api/v1/pipeline/events"))
            .bearer_auth(TOKEN)
            .json(&report);
        posts.push(tokio::spawn(async move {
            let started = Instant::now();
            let status = request.send().await?.status();
            ensure!(status.is_success(), "ingest: {status}");
            anyhow::Ok(started.elapsed())
        }));
    }
    let mut ingest = Vec::new();
    for post in posts {
        ingest.push(post.await??);
    }
    for export in exports {
        export.await??;
    }

    let export_times = export_times.lock().await.clone();
    println!(
        "ingest: {} reports at {}/s with {} export loops of {} rows",
        ingest.len(),
        args.rate,
        args.exports,
        args.rows
    );
    println!("  latency {}", summary(ingest));
    if !export_times.is_empty() {
        println!("exports: {} finished", export_times.len());
        println!("  duration {}", summary(export_times));
    }
    Ok(())
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| {
        let index = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
        times[index].as_secs_f64() * 1000.0
    };
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.50),
        at(0.99),
        at(1.0)
    )
}

/// The user's videos, inserted straight into the database: quicker than
/// posting ten thousand reports, and the exports read them the same way.
fn seed_videos(db: &std::path::Path, channel_id: &str, rows: usize) -> anyhow::Result<()> {
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
    let mut conn = rusqlite::Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO videos (id, channel_id, title, status, cost_micros, url, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'completed', 320000, ?4, ?5, ?5)",
        )?;
        for n in 0..rows {
            let id = format!("seed-{n:06}");
            insert.execute(rusqlite::params![
                id,
                channel_id,
                format!("Seeded video number {n} with a title of ordinary length"),
                format!("https://youtu.be/{id}"),
                now - i64::try_from(n)?,
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}
