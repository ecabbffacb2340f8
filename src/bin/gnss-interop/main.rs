//! The `gnss-interop` command: BeiDou–GLONASS interoperability studies from the shell.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd_coverage;
mod cmd_dop;
mod cmd_network;
mod cmd_time;
mod source_args;

/// BeiDou–GLONASS interoperability: orbits, time scales, DOP coverage, monitoring networks.
#[derive(Debug, Parser)]
#[command(name = "gnss-interop", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show an instant in every time scale, with broadcast offsets from a navigation file.
    Time(cmd_time::TimeArgs),
    /// List the built-in monitoring-network catalogues, or show one network's stations.
    Network(cmd_network::NetworkArgs),
    /// Visibility and DOP at sites over a time span, as CSV.
    Dop(cmd_dop::DopArgs),
    /// Visibility, DOP and availability over a grid: CSV, GeoJSON, summary JSON and PNG maps.
    Coverage(cmd_coverage::CoverageArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Time(args) => cmd_time::run(args),
        Command::Network(args) => cmd_network::run(args),
        Command::Dop(args) => cmd_dop::run(args),
        Command::Coverage(args) => cmd_coverage::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
