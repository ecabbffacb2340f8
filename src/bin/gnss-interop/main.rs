//! The `gnss-interop` command: BeiDou–GLONASS interoperability studies from the shell.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cmd_compare_layouts;
mod cmd_coverage;
mod cmd_dop;
mod cmd_merge;
mod cmd_monitor;
mod cmd_network;
mod cmd_optimize;
mod cmd_run;
mod cmd_satpos;
mod cmd_slurm;
mod cmd_time;
mod cmd_timescales;
mod cmd_validate;
mod epoch_args;
mod outputs;
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
    /// BDT − GLONASST as realised by precise clocks, against the broadcast paths.
    Timescales(cmd_timescales::TimescalesArgs),
    /// List the built-in monitoring-network catalogues, or show one network's stations.
    Network(cmd_network::NetworkArgs),
    /// Satellite positions and velocities over a time span, as CSV.
    Satpos(cmd_satpos::SatposArgs),
    /// Broadcast minus precise orbits: per-satellite and per-group RAC / 3-D statistics.
    Validate(cmd_validate::ValidateArgs),
    /// Tracking of each satellite by one monitoring network (CSV/JSON, bars, ground tracks).
    Monitor(cmd_monitor::MonitorArgs),
    /// Baseline vs augmented network: tracking, monitored availability and predicted accuracy.
    CompareLayouts(cmd_compare_layouts::CompareArgs),
    /// Choose k sites that best improve tracking (greedy and/or exhaustive search).
    Optimize(cmd_optimize::OptimizeArgs),
    /// Visibility and DOP at sites over a time span, as CSV.
    Dop(cmd_dop::DopArgs),
    /// Visibility, DOP and availability over a grid: CSV, GeoJSON, summary JSON and PNG maps.
    Coverage(cmd_coverage::CoverageArgs),
    /// Run a scenario file: report.md, CSV tables, PNG figures and results.json.
    Run(cmd_run::RunArgs),
    /// Join the partial results of `run --shard K/N` into a single run's output.
    Merge(cmd_merge::MergeArgs),
    /// Write (and submit) a Slurm job array of a scenario's shards plus the merge job.
    Slurm(cmd_slurm::SlurmArgs),
}

/// Whether an error (or one of its sources) is a write to a closed pipe.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        // Wrappers that keep only the message (CSV writer, crate errors) still say so.
        if err.to_string().contains("Broken pipe (os error") {
            return true;
        }
        cur = err.source();
    }
    false
}

/// A closed stdout (`gnss-interop … | head`) ends the command quietly with status 0, like other
/// Unix filters: Rust ignores SIGPIPE, so the write fails with EPIPE, which `println!` turns into
/// a panic. The hook catches that panic (and lets every other one through).
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if payload.starts_with("failed printing to stdout") && payload.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    // Negative numbers are values (`--step -300` is a step, refused as such), not flags.
    let command = Cli::command().mut_subcommands(|sub| {
        sub.mut_args(|a| {
            if a.get_action().takes_values() {
                a.allow_negative_numbers(true)
            } else {
                a
            }
        })
    });
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Time(args) => cmd_time::run(args),
        Command::Timescales(args) => cmd_timescales::run(args),
        Command::Network(args) => cmd_network::run(args),
        Command::Satpos(args) => cmd_satpos::run(args),
        Command::Validate(args) => cmd_validate::run(args),
        Command::Monitor(args) => cmd_monitor::run(args),
        Command::CompareLayouts(args) => cmd_compare_layouts::run(args),
        Command::Optimize(args) => cmd_optimize::run(args),
        Command::Dop(args) => cmd_dop::run(args),
        Command::Coverage(args) => cmd_coverage::run(args),
        Command::Run(args) => cmd_run::run(args),
        Command::Merge(args) => cmd_merge::run(args),
        Command::Slurm(args) => cmd_slurm::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
