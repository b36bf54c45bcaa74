//! Load tool: opens N authenticated WebSocket connections to a running
//! `ytempire-server`, posts `video.completed` reports to the pipeline
//! endpoint, and reports post→receive latency over every connection, the
//! server's resident memory per connection and its CPU time per delivered
//! frame (user and kernel, from `/proc`: less noisy than latency on a
//! shared machine).
//!
//! `--addr` may be repeated to spread the sockets over several servers
//! (round robin); signing in and posting go to the first.
//!
//! ```text
//! ulimit -n 65536   # in the shells of both the server and this tool
//! cargo run --release -p ytempire-server --features load --bin ytempire-load -- \
//!     --connections 1000 --events 50 --server-pid "$(pgrep -x ytempire-server)"
//! ```

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use futures_util::{SinkExt, StreamExt, stream};
use serde_json::json;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ytempire_protocol::{ControlFrame, LoginResponse, Overview, ServerFrame};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Debug, Parser)]
#[command(
    name = "ytempire-load",
    about = "WebSocket fan-out load test for ytempire-server"
)]
struct Args {
    /// A server to load; repeat to spread the sockets over several.
    #[arg(long = "addr", default_value = "127.0.0.1:8000")]
    addrs: Vec<SocketAddr>,
    /// WebSocket connections to open (all for the same user: worst-case fan-out).
    #[arg(long, default_value_t = 100)]
    connections: usize,
    /// Reports to post.
    #[arg(long, default_value_t = 50)]
    events: usize,
    /// Reports posted per second.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Connections being opened at once.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    #[arg(long, default_value = "demo@ytempire.local")]
    email: String,
    #[arg(long, default_value = "demo")]
    password: String,
    #[arg(
        long,
        env = "YTEMPIRE_PIPELINE_TOKEN",
        default_value = "dev-pipeline-token"
    )]
    pipeline_token: String,
    /// The server's process id, to report its memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// How long to wait for the last events after the last post.
    #[arg(long, default_value_t = 30)]
    drain_secs: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let base = format!("http://{}", args.addrs[0]);

    let login: LoginResponse = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": args.email, "password": args.password}))
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
        .error_for_status()?
        .json()
        .await?;
    let channel = overview
        .channels
        .first()
        .context("the user has no channel")?;

    let rss_before = args.server_pid.and_then(rss_kib);
    let started = Instant::now();
    let urls: Vec<String> = args
        .addrs
        .iter()
        .map(|addr| format!("ws://{addr}/ws/{}", login.user.id))
        .collect();
    let sockets: Vec<Socket> = stream::iter(0..args.connections)
        .map(|n| connect(&urls[n % urls.len()], &login.token))
        .buffer_unordered(args.connect_concurrency.max(1))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let connect_time = started.elapsed();
    let rss_after = args.server_pid.and_then(rss_kib);

    let run = ytempire_protocol::Timestamp::from_millis(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64,
    );
    let prefix = format!("load-{}-", run.as_millis());
    let sent: Arc<Vec<OnceLock<Instant>>> =
        Arc::new((0..args.events).map(|_| OnceLock::new()).collect());
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|socket| {
            tokio::spawn(receive(
                socket,
                args.events,
                prefix.clone(),
                Arc::clone(&sent),
            ))
        })
        .collect();

    let report = |video_id: String| {
        let body = json!({"type": "video.completed", "payload": {
            "videoId": video_id, "channelId": channel.id, "channelName": channel.name,
            "title": "Load test", "url": "https://youtu.be/load",
            "cost": 0.0, "generationTime": 1.0, "timestamp": run}});
        let request = http
            .post(format!("{base}/api/v1/pipeline/events"))
            .bearer_auth(&args.pipeline_token)
            .json(&body);
        async move {
            let status = request.send().await?.status();
            if status != reqwest::StatusCode::ACCEPTED {
                bail!("the pipeline post answered {status}");
            }
            anyhow::Ok(())
        }
    };
    // Unmeasured: opens the HTTP connection and warms the server's caches,
    // which would otherwise show as one slow event on every socket.
    report(format!("{prefix}warm-up")).await?;

    let cpu_before = args.server_pid.and_then(cpu_seconds);
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate.max(0.001)));
    for (n, slot) in sent.iter().enumerate() {
        ticker.tick().await;
        let _ = slot.set(Instant::now());
        report(format!("{prefix}{n}")).await?;
    }

    let deadline = Duration::from_secs(args.drain_secs);
    let mut latencies = Vec::with_capacity(args.connections * args.events);
    let mut dropped = 0;
    for reader in readers {
        match tokio::time::timeout(deadline, reader).await {
            Ok(Ok(Ok(mut got))) => latencies.append(&mut got),
            _ => dropped += 1,
        }
    }
    let cpu_after = args.server_pid.and_then(cpu_seconds);
    latencies.sort_unstable();
    let expected = args.connections * args.events;
    println!(
        "connections:          {} over {} server(s)",
        args.connections,
        args.addrs.len()
    );
    println!("connect+auth time:    {:.2} s", connect_time.as_secs_f64());
    println!("reports posted:       {} at {}/s", args.events, args.rate);
    println!(
        "events received:      {} of {expected} ({dropped} connections incomplete)",
        latencies.len()
    );
    if !latencies.is_empty() {
        println!(
            "latency p50:          {:.1} ms",
            percentile(&latencies, 0.50)
        );
        println!(
            "latency p99:          {:.1} ms",
            percentile(&latencies, 0.99)
        );
        println!(
            "latency max:          {:.1} ms",
            latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
    }
    if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
        let frames = latencies.len().max(1) as f64;
        println!(
            "server CPU per frame: {:.1} µs user + {:.1} µs kernel",
            (after.user - before.user) / frames * 1e6,
            (after.kernel - before.kernel) / frames * 1e6
        );
    }
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!("server RSS before:    {before} KiB");
        println!("server RSS connected: {after} KiB");
        println!(
            "per connection:       {:.1} KiB",
            (after as f64 - before as f64) / args.connections as f64
        );
    }
    Ok(())
}

/// Opens one socket and waits for `authenticated`.
async fn connect(url: &str, token: &str) -> anyhow::Result<Socket> {
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let disable_nagle = true;
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(url, Some(config), disable_nagle).await?;
    let auth = json!({"type": "authenticate", "token": token, "lastEventId": null});
    socket.send(Message::text(auth.to_string())).await?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => match ServerFrame::parse(&text)? {
                ServerFrame::Control(ControlFrame::Authenticated { .. }) => return Ok(socket),
                other => bail!("expected authenticated, got {other:?}"),
            },
            Some(Ok(_)) => continue,
            other => bail!("the socket closed while authenticating: {other:?}"),
        }
    }
}

/// Reads until `expected` load-test events arrived; returns their latencies.
async fn receive(
    mut socket: Socket,
    expected: usize,
    prefix: String,
    sent: Arc<Vec<OnceLock<Instant>>>,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(expected);
    while latencies.len() < expected {
        let Some(message) = socket.next().await else {
            bail!("the server closed the socket");
        };
        let Message::Text(text) = message? else {
            continue;
        };
        let arrived = Instant::now();
        // Only the number after the run's prefix is needed: finding it by
        // search keeps this tool's CPU (it shares the machine with the
        // server) far below a full parse of every frame.
        if let Some(sent_at) = text
            .find(prefix.as_str())
            .map(|at| &text[at + prefix.len()..])
            .and_then(|rest| rest.split('"').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| sent.get(n)?.get())
        {
            latencies.push(arrived.duration_since(*sent_at));
        }
    }
    let _ = socket.close(None).await;
    Ok(latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// Resident set size of a process, from `/proc`.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// CPU time a process has used so far.
struct CpuTime {
    user: f64,
    kernel: f64,
}

/// From `/proc/PID/stat` (fields 14 and 15, in clock ticks of 1/100 s on
/// Linux).
fn cpu_seconds(pid: u32) -> Option<CpuTime> {
    const TICKS_PER_SECOND: f64 = 100.0;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it do not.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let kernel: f64 = fields.next()?.parse().ok()?;
    Some(CpuTime {
        user: user / TICKS_PER_SECOND,
        kernel: kernel / TICKS_PER_SECOND,
    })
}
