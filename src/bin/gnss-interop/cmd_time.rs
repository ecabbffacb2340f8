//! `gnss-interop time`: an instant in every time scale.

use clap::Args;
use hifitime::{Epoch, TimeScale};

/// Arguments of `gnss-interop time`.
#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The instant, ISO 8601 (e.g. 2023-01-01T00:00:00).
    #[arg(long)]
    pub at: String,
}

/// Run the command.
pub fn run(args: TimeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let e = Epoch::from_gregorian_str(&format!("{} UTC", args.at.trim_end_matches('Z')))?;
    for ts in [TimeScale::UTC, TimeScale::TAI, TimeScale::GPST, TimeScale::BDT] {
        println!("{:>5}  {}", format!("{ts:?}"), e.to_time_scale(ts));
    }
    Ok(())
}
