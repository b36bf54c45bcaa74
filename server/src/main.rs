use clap::Parser;
use ytempire_server::cli::Cli;

fn main() -> anyhow::Result<()> {
    ytempire_server::run(Cli::parse())
}
