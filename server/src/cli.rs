//! The command line: serving flags and the `user` administration commands.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use ytempire_protocol::Usd;

use crate::config::{Config, DEV_PIPELINE_TOKEN, SimulatorConfig, default_addr};
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

    /// Generate demo pipeline traffic through the ingest endpoint.
    #[arg(long)]
    pub simulate: bool,

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

    /// Token the video pipeline presents on `POST /api/v1/pipeline/events`.
    #[arg(long, env = "YTEMPIRE_PIPELINE_TOKEN", hide_env_values = true)]
    pub pipeline_token: Option<String>,

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

impl Cli {
    /// The serving configuration.
    pub fn config(&self) -> Config {
        let args = &self.serve;
        let mut config = Config::new(&self.db);
        config.static_dir.clone_from(&args.static_dir);
        config.default_daily_budget = args.daily_budget;
        config.event_retention = args.event_retention;
        config.tcp_send_buffer = args.tcp_send_buffer;
        config.simulator = args.simulate.then(|| SimulatorConfig {
            interval: Duration::from_millis(args.simulate_interval_ms),
        });
        config.pipeline_token = match &args.pipeline_token {
            Some(token) if !token.is_empty() => token.clone(),
            _ => DEV_PIPELINE_TOKEN.to_owned(),
        };
        config
    }
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
}
