//! The command line: serving flags and the `user` administration commands.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use ytempire_protocol::Usd;

use crate::config::{Config, ConnectOrigin, DEV_PIPELINE_TOKEN, SimulatorConfig, default_addr};
use crate::logging::LogFormat;

#[derive(Debug, Parser)]
#[command(
    name = "ytempire-server",
    version,
    about = "YTEMPIRE reference backend"
)]
pub struct Cli {
    /// SQLite database file (created if missing).
    #[arg(long, global = true, default_value = "ytempire.db")]
    pub db: PathBuf,

    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value_t = default_addr())]
    pub addr: SocketAddr,

    /// Built dashboard to serve at `/` (e.g. `dist`).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Generate demo pipeline traffic through the ingest endpoint (implies
    /// `--demo`).
    #[arg(long)]
    pub simulate: bool,

    /// Seed the demo account, whose password is public, into an empty
    /// database.
    #[arg(long)]
    pub demo: bool,

    /// Milliseconds between two simulator steps.
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(10..))]
    pub simulate_interval_ms: u64,

    /// Daily budget in USD of users who have not set their own.
    #[arg(long, value_name = "USD", default_value = "50", value_parser = parse_usd)]
    pub daily_budget: Usd,

    /// Events kept per user for WebSocket replay.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub event_retention: u64,

    /// Cap on each connection's kernel send buffer, in bytes (default: the
    /// kernel's autotuning).
    #[arg(long, value_name = "BYTES")]
    pub tcp_send_buffer: Option<usize>,

    /// Seconds a pipeline worker holds a claimed retry before another may claim it.
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub retry_lease_secs: u64,

    /// Client connections open at once, WebSockets included (default: from
    /// the open-file limit, `(limit - 64) * 3 / 4`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,

    /// Seconds within which a request head must be complete.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_timeout)]
    pub header_timeout: Duration,

    /// Seconds after which a kept-alive connection without a new request is
    /// closed.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_timeout)]
    pub idle_timeout: Duration,

    /// Seconds within which a request body must be complete, from its head.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_timeout)]
    pub body_timeout: Duration,

    /// Seconds an HTTP response write may make no progress before the
    /// connection is dropped (WebSockets keep their own write timeout).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_timeout)]
    pub write_stall_timeout: Duration,

    /// WebSockets one user may have open; the next is closed with 1008.
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_sockets_per_user: u64,

    /// Seconds between SIGTERM (from which `/readyz` answers 503) and the
    /// listener closing.
    #[arg(long, value_name = "SECS", default_value = "0", value_parser = parse_seconds)]
    pub shutdown_delay: Duration,

    /// Another origin the dashboard talks to (the API or WebSocket base it
    /// was built with, e.g. `wss://api.example.com`), allowed by the
    /// Content-Security-Policy's `connect-src`. Repeatable.
    #[arg(long, value_name = "ORIGIN")]
    pub connect_src: Vec<ConnectOrigin>,

    /// Token the video pipeline presents on `POST /api/v1/pipeline/events`.
    #[arg(long, env = "YTEMPIRE_PIPELINE_TOKEN", hide_env_values = true)]
    pub pipeline_token: Option<String>,

    /// File holding the pipeline token (one trailing newline is ignored),
    /// which keeps it out of the process's arguments and environment.
    #[arg(long, value_name = "PATH")]
    pub pipeline_token_file: Option<PathBuf>,

    /// Serve Prometheus metrics at `/metrics` on this address, apart from
    /// the public one (off unless given).
    #[arg(long, value_name = "ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// How log lines are written.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage user accounts in the database.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user, with a few channels.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: String,
        /// Number of channels to create for the user.
        #[arg(long, default_value_t = 3)]
        channels: u32,
        /// The user's own daily budget in USD (default: the server's).
        #[arg(long, value_parser = parse_usd)]
        daily_budget: Option<Usd>,
    },
    /// List users and their channel counts.
    List,
    /// Set a user's daily budget in USD, or `default` for the server's.
    Budget {
        email: String,
        #[arg(value_parser = parse_budget)]
        daily_budget: Budget,
    },
}

/// A user's daily budget as `user budget` sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    Own(Usd),
    /// Follow the server's `--daily-budget`.
    Default,
}

fn parse_budget(s: &str) -> Result<Budget, String> {
    if s.eq_ignore_ascii_case("default") {
        Ok(Budget::Default)
    } else {
        parse_usd(s).map(Budget::Own)
    }
}

fn parse_usd(s: &str) -> Result<Usd, String> {
    let amount: f64 = s.parse().map_err(|e| format!("{e}"))?;
    Usd::new(amount).map_err(str::to_owned)
}

/// Seconds, fractions allowed (`0.5`).
fn parse_seconds(s: &str) -> Result<Duration, String> {
    let seconds: f64 = s.parse().map_err(|e| format!("{e}"))?;
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{e}"))
}

/// Seconds, more than zero.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    match parse_seconds(s)? {
        Duration::ZERO => Err("must be more than 0".to_owned()),
        timeout => Ok(timeout),
    }
}

impl Cli {
    /// The serving configuration, or why it cannot be served safely.
    pub fn config(&self) -> Result<Config, clap::Error> {
        let args = &self.serve;
        let mut config = Config::new(&self.db);
        config.demo = args.demo || args.simulate;
        config.static_dir.clone_from(&args.static_dir);
        config.default_daily_budget = args.daily_budget;
        config.event_retention = args.event_retention;
        config.tcp_send_buffer = args.tcp_send_buffer;
        config.retry_lease = Duration::from_secs(args.retry_lease_secs);
        config.connections.max = args.max_connections.map(saturating_usize);
        config.connections.header_timeout = args.header_timeout;
        config.connections.idle_timeout = args.idle_timeout;
        config.connections.body_timeout = args.body_timeout;
        config.connections.write_stall_timeout = args.write_stall_timeout;
        config.websocket.max_per_user = saturating_usize(args.max_sockets_per_user);
        config.shutdown.delay = args.shutdown_delay;
        config.connect_src.clone_from(&args.connect_src);
        config.simulator = args.simulate.then(|| SimulatorConfig {
            interval: Duration::from_millis(args.simulate_interval_ms),
        });
        config.pipeline_token = match args.pipeline_token()? {
            Some(token) => token,
            // Anyone can reach a public address, and the development token
            // is published: only a demo may run that way (it warns).
            None if !args.addr.ip().is_loopback() && !config.demo => {
                return Err(clap::Error::raw(
                    ErrorKind::MissingRequiredArgument,
                    format!(
                        "listening on {} needs a pipeline token: give --pipeline-token-file, \
                         --pipeline-token or YTEMPIRE_PIPELINE_TOKEN (or --demo for a public demo)\n",
                        args.addr
                    ),
                ));
            }
            None => DEV_PIPELINE_TOKEN.to_owned(),
        };
        Ok(config)
    }
}

impl ServeArgs {
    /// The configured pipeline token, from exactly one source.
    fn pipeline_token(&self) -> Result<Option<String>, clap::Error> {
        // An empty variable counts as unset, as shells make them easily.
        let given = self
            .pipeline_token
            .as_ref()
            .filter(|token| !token.is_empty());
        match (given, &self.pipeline_token_file) {
            (Some(_), Some(_)) => Err(clap::Error::raw(
                ErrorKind::ArgumentConflict,
                "the pipeline token is given twice: use --pipeline-token-file or \
                 --pipeline-token / YTEMPIRE_PIPELINE_TOKEN, not both\n",
            )),
            (Some(token), None) => Ok(Some(token.clone())),
            (None, Some(path)) => read_token_file(path).map(Some),
            (None, None) => Ok(None),
        }
    }
}

fn read_token_file(path: &Path) -> Result<String, clap::Error> {
    let invalid = |why: String| {
        clap::Error::raw(
            ErrorKind::InvalidValue,
            format!("--pipeline-token-file {}: {why}\n", path.display()),
        )
    };
    let text = std::fs::read_to_string(path).map_err(|err| invalid(err.to_string()))?;
    let token = text.strip_suffix('\n').map_or(text.as_str(), |line| {
        line.strip_suffix('\r').unwrap_or(line)
    });
    if token.is_empty() {
        return Err(invalid("the file is empty".to_owned()));
    }
    if token.trim() != token {
        // A bearer token never matches with its spaces, since HTTP strips them.
        return Err(invalid(
            "the token has leading or trailing whitespace".to_owned(),
        ));
    }
    Ok(token.to_owned())
}

fn saturating_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_contract() {
        let cli = Cli::try_parse_from(["ytempire-server"]).unwrap();
        assert_eq!(cli.serve.addr, default_addr());
        assert_eq!(cli.serve.addr.to_string(), "127.0.0.1:8000");
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.metrics_addr, None, "metrics are off by default");
        assert_eq!(cli.serve.log_format, LogFormat::Text);
        let config = cli.config().unwrap();
        assert_eq!(config.connections.header_timeout, Duration::from_secs(10));
        assert_eq!(config.connections.idle_timeout, Duration::from_secs(60));
        assert_eq!(config.connections.body_timeout, Duration::from_secs(30));
        assert_eq!(
            config.connections.write_stall_timeout,
            Duration::from_secs(30)
        );
        assert_eq!(config.connections.max, None);
        assert_eq!(config.websocket.max_per_user, 32);
    }

    #[test]
    fn timeouts_take_fractional_seconds_and_refuse_the_rest() {
        let cli = Cli::try_parse_from(["ytempire-server", "--header-timeout", "0.25"]).unwrap();
        assert_eq!(cli.serve.header_timeout, Duration::from_millis(250));
        for bad in ["-1", "0", "soon", "NaN", "1e400"] {
            assert!(
                Cli::try_parse_from(["ytempire-server", "--idle-timeout", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn connect_src_is_repeatable_and_only_takes_origins() {
        let cli = Cli::try_parse_from([
            "ytempire-server",
            "--connect-src",
            "https://api.example.com",
            "--connect-src",
            "wss://api.example.com",
        ])
        .unwrap();
        let origins: Vec<String> = cli
            .config()
            .unwrap()
            .connect_src
            .iter()
            .map(|o| o.to_string())
            .collect();
        assert_eq!(
            origins,
            ["https://api.example.com", "wss://api.example.com"]
        );
        assert!(
            Cli::try_parse_from([
                "ytempire-server",
                "--connect-src",
                "https://x.example; script-src *"
            ])
            .is_err()
        );
    }

    #[test]
    fn metrics_and_log_format_flags_parse() {
        let cli = Cli::try_parse_from([
            "ytempire-server",
            "--metrics-addr",
            "127.0.0.1:9464",
            "--log-format",
            "json",
        ])
        .unwrap();
        assert_eq!(
            cli.serve.metrics_addr,
            Some(SocketAddr::from(([127, 0, 0, 1], 9464)))
        );
        assert_eq!(cli.serve.log_format, LogFormat::Json);
        assert!(Cli::try_parse_from(["ytempire-server", "--log-format", "xml"]).is_err());
    }

    #[test]
    fn user_commands_parse() {
        let cli = Cli::try_parse_from([
            "ytempire-server",
            "--db",
            "x.db",
            "user",
            "add",
            "a@b.c",
            "--name",
            "A",
            "--password",
            "pw",
            "--channels",
            "5",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::User(UserCommand::Add { channels: 5, .. }))
        ));
        assert!(Cli::try_parse_from(["ytempire-server", "--daily-budget", "-3"]).is_err());
    }

    fn serve(args: &[&str]) -> Result<Config, clap::Error> {
        let cli = Cli::try_parse_from([&["ytempire-server"], args].concat()).unwrap();
        cli.config()
    }

    #[test]
    fn the_token_file_gives_the_token_without_its_newline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "s3cret\r\n").unwrap();
        let file = file.to_str().unwrap();
        let config = serve(&["--pipeline-token-file", file]).unwrap();
        assert_eq!(config.pipeline_token, "s3cret");
        let public = serve(&["--addr", "0.0.0.0:8000", "--pipeline-token-file", file]);
        assert_eq!(public.unwrap().pipeline_token, "s3cret");
    }

    #[test]
    fn a_token_given_twice_or_an_empty_token_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "s3cret").unwrap();
        let file = file.to_str().unwrap();
        let twice = serve(&["--pipeline-token", "t", "--pipeline-token-file", file]);
        assert_eq!(twice.unwrap_err().kind(), ErrorKind::ArgumentConflict);
        std::fs::write(file, "\n").unwrap();
        let empty = serve(&["--pipeline-token-file", file]);
        assert_eq!(empty.unwrap_err().kind(), ErrorKind::InvalidValue);
        let missing = serve(&["--pipeline-token-file", "/nonexistent/token"]);
        assert_eq!(missing.unwrap_err().kind(), ErrorKind::InvalidValue);
    }

    #[test]
    fn a_public_address_needs_a_token_unless_it_is_a_demo() {
        let refused = serve(&["--addr", "0.0.0.0:8000"]).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::MissingRequiredArgument);
        let demo = serve(&["--addr", "0.0.0.0:8000", "--demo"]).unwrap();
        assert_eq!(demo.pipeline_token, DEV_PIPELINE_TOKEN);
        let local = serve(&[]).unwrap();
        assert_eq!(local.pipeline_token, DEV_PIPELINE_TOKEN);
        assert!(!local.demo, "no demo account unless asked for");
        assert!(serve(&["--simulate"]).unwrap().demo);
    }
}
