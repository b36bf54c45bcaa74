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
mod ids;
mod ingest;
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
    let config = cli.config();
    if config.pipeline_token == DEV_PIPELINE_TOKEN {
        tracing::warn!(
            "YTEMPIRE_PIPELINE_TOKEN is unset: the pipeline endpoint accepts the development token {DEV_PIPELINE_TOKEN:?}"
        );
    }
    tokio::runtime::Runtime::new()?.block_on(async {
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
    })
}
