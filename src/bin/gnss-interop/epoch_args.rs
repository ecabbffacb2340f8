//! `--start ISO --end ISO --step S`: the epoch-range flags of every command that evaluates a
//! span epoch by epoch: `dop`, `coverage`, `satpos`, `timescales` (the network commands read
//! their `--start`/`--end` with the same [`bounds`], or take `--hours`).

use clap::Args;
use gnss_interop::defaults;
use gnss_interop::time::{epoch_grid, parse_epoch, Scale};
use hifitime::Epoch;

/// First and last epoch and the step.
#[derive(Debug, Clone, Args)]
pub struct EpochArgs {
    /// First epoch, ISO 8601 with an optional scale suffix, e.g. 2023-01-01T00:00:00 or
    /// "2023-01-01T00:00:00 GPST" (UTC, TAI, GPST, BDT, GLONASST); a bare date is in the
    /// command's default scale (UTC, or --scale where the command has it).
    #[arg(long)]
    pub start: String,
    /// Last epoch (included when it falls on the step), same format.
    #[arg(long)]
    pub end: String,
    /// Time step, s.
    #[arg(long, default_value_t = defaults::STEP_S)]
    pub step: f64,
}

impl EpochArgs {
    /// Start and end (bare dates in `default`), checked end ≥ start, and the scale `--start`
    /// was written in (outputs print epochs in it).
    pub fn bounds(
        &self,
        default: Scale,
    ) -> Result<(Epoch, Epoch, Scale), Box<dyn std::error::Error>> {
        bounds(&self.start, &self.end, default)
    }

    /// The epochs `start, start + step, …` up to `end` ([`epoch_grid`], at most `max`).
    pub fn grid(&self, default: Scale, max: usize) -> Result<Epochs, Box<dyn std::error::Error>> {
        let (start, end, scale) = self.bounds(default)?;
        let list = epoch_grid("--start/--end/--step", start, end, self.step, max)?;
        Ok(Epochs {
            list,
            start,
            end,
            scale,
        })
    }
}

/// `--start` and `--end` (bare dates in `default`), checked end ≥ start, and the scale
/// `--start` was written in: the one reading of the two flags at every command.
pub fn bounds(
    start_text: &str,
    end_text: &str,
    default: Scale,
) -> Result<(Epoch, Epoch, Scale), Box<dyn std::error::Error>> {
    let (start, scale) = parse_epoch(start_text, default)?;
    let (end, _) = parse_epoch(end_text, default)?;
    if end < start {
        return Err(
            format!("--end {end_text} is before --start {start_text} (need end ≥ start)").into(),
        );
    }
    Ok((start, end, scale))
}

/// The epochs of the flags, with the span they came from.
#[derive(Debug, Clone)]
pub struct Epochs {
    /// The epochs.
    pub list: Vec<Epoch>,
    /// `--start`.
    pub start: Epoch,
    /// `--end`.
    pub end: Epoch,
    /// The scale `--start` was written in.
    pub scale: Scale,
}
