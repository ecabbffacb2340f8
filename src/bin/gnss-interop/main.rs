//! The `gnss-interop` command: BeiDou–GLONASS interoperability studies from the shell.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd_network;
mod cmd_run;
mod cmd_satpos;
mod cmd_time;
mod cmd_validate;
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
    /// Satellite positions and velocities over a time span, as CSV.
    Satpos(cmd_satpos::SatposArgs),
    /// Broadcast minus precise orbits: per-satellite and per-group RAC / 3-D statistics.
    Validate(cmd_validate::ValidateArgs),
    /// Run a scenario file: report.md, CSV tables, PNG figures and results.json.
    Run(cmd_run::RunArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Time(args) => cmd_time::run(args),
        Command::Network(args) => cmd_network::run(args),
        Command::Satpos(args) => cmd_satpos::run(args),
        Command::Validate(args) => cmd_validate::run(args),
        Command::Run(args) => cmd_run::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
