//! `ytempire-server`: the reference backend of the YTEMPIRE dashboard.
//!
//! [`serve`] runs the whole server on a listener the caller bound, which is
//! how the integration tests start it on an ephemeral port; [`run`] is the
//! command line.

mod accounts;
mod admin;
mod alerts;
mod auth;
pub mod cli;
mod clock;
pub mod config;
mod csv;
mod error;
mod exports;
mod ids;
mod ingest;
mod listener;
mod logging;
mod metrics;
mod money;
mod range;
mod revenue;
mod routes;
mod server;
mod shutdown;
mod simulator;
mod state;
mod store;
mod web;
mod ws;

pub use accounts::{DEMO_EMAIL, DEMO_PASSWORD};
pub use config::Config;
pub use server::{Listeners, serve};

use anyhow::Context;

use crate::cli::{Cli, Command};
use crate::config::DEV_PIPELINE_TOKEN;

/// Runs what the command line asks for.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    logging::init(cli.serve.log_format);
    if let Some(Command::User(command)) = cli.command {
        return admin::run(&cli.db, command);
    }
    // Refusals are usage errors: one line on stderr, exit status 2.
    let config = cli.config().unwrap_or_else(|refused| refused.exit());
    let public = !cli.serve.addr.ip().is_loopback();
    if config.demo && public {
        tracing::warn!(
            "DEMO MODE ON A PUBLIC ADDRESS ({}): an empty database gets the account {DEMO_EMAIL} with the published password {DEMO_PASSWORD:?}",
            cli.serve.addr
        );
    }
    if config.pipeline_token == DEV_PIPELINE_TOKEN {
        if public {
            tracing::warn!(
                "NO PIPELINE TOKEN ON A PUBLIC ADDRESS: anyone can post pipeline reports with the published development token {DEV_PIPELINE_TOKEN:?}"
            );
        } else {
            tracing::warn!(
                "no pipeline token is configured: the pipeline endpoint accepts the development token {DEV_PIPELINE_TOKEN:?}"
            );
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let served = runtime.block_on(async {
        let api = tokio::net::TcpListener::bind(cli.serve.addr).await?;
        let metrics = match cli.serve.metrics_addr {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding the metrics address {addr}"))?,
            ),
            None => None,
        };
        serve(config, Listeners { api, metrics }, shutdown::signal()).await
    });
    // A blocking thread still inside SQLite (waiting out a busy timeout)
    // must not hold the exit past the shutdown deadline.
    runtime.shutdown_timeout(EXIT_GRACE);
    served
}

/// What blocking threads get after the server has stopped.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);
