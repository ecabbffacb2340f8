//! `gnss-interop monitor`: how well one monitoring network tracks each satellite — the
//! library's [`NetworkAnalysis::network_tracking`], the same study as a scenario's `[monitor]`.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::network::NetworkAnalysis;

use crate::cmd_network::{sample, SpanArgs};
use crate::outputs::{check_source, WriteFlags};
use crate::source_args::SourceArgs;

/// Arguments of `gnss-interop monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub span: SpanArgs,
    /// The network: a built-in catalogue name (see `gnss-interop network`) or a TOML/CSV file.
    #[arg(long)]
    pub network: String,
    /// Output directory (tracking.csv, tracking.json, tracked_fraction.png, ground_tracks.png).
    #[arg(long, default_value = "monitor-out")]
    pub out: PathBuf,
    /// Ground tracks drawn: the this-many least-tracked satellites.
    #[arg(long, default_value_t = gnss_interop::defaults::GROUND_TRACKS)]
    pub tracks: usize,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Run the command.
pub fn run(args: MonitorArgs) -> Result<(), Box<dyn std::error::Error>> {
    let net = args.span.network(&args.network)?;
    let span = args.span.span()?;
    let (source, _label) = args.source.open()?;
    check_source(source.as_ref(), &args.write)?;
    let staging = args.write.stage(&args.out, "monitor")?;
    let samples = sample(source.as_ref(), span, args.source.allow_no_data)?;
    let analysis = NetworkAnalysis::new(&samples, &net);
    let result = analysis.network_tracking(args.span.min_stations)?;
    let tracking = &result.tracking;
    let rows = result.rows();
    result.write_outputs(&mut |n| staging.file(n), &net, &samples, args.tracks)?;
    staging.commit(None)?;

    println!(
        "{} ({} stations) on {}: {} satellites, {} epochs every {} s; tracked = seen by >= {}",
        net.name(),
        net.len(),
        samples.describe(),
        rows.len(),
        span.n_epochs,
        span.step_s(),
        tracking.min_stations
    );
    println!(
        "{:<4} {:<9} {:>7} {:>7} {:>7} {:>9} {:>8} {:>5} {:>6} {:>10}",
        "sat",
        "kind",
        ">=1 %",
        ">=2 %",
        ">=4 %",
        "tracked %",
        "gap h",
        "gaps",
        "passes",
        "stn GDOP"
    );
    for r in &rows {
        println!(
            "{:<4} {:<9} {:>7.1} {:>7.1} {:>7.1} {:>9.1} {:>8.2} {:>5} {:>6} {:>10}",
            r.sat,
            r.kind,
            100.0 * r.fraction_ge1,
            100.0 * r.fraction_ge2,
            100.0 * r.fraction_ge4,
            100.0 * r.tracked_fraction,
            r.longest_gap_h,
            r.gaps,
            r.passes,
            r.station_gdop_median
                .map_or_else(|| "-".to_string(), |g| format!("{g:.1}"))
        );
    }
    let (mean_gap_s, worst_gap_s) = result.longest_gaps_s();
    println!(
        "mean tracked {:.1} %, mean longest gap {:.2} h, worst {:.2} h; files in {}",
        100.0 * result.mean_tracked_fraction(),
        mean_gap_s / 3600.0,
        worst_gap_s / 3600.0,
        args.out.display()
    );
    if tracking.no_data_satellite_epochs > 0 {
        println!(
            "no data: {} satellite-epochs outside the orbit data (left out of the tracked \
             fractions; not counted as not tracked)",
            tracking.no_data_satellite_epochs
        );
    }
    Ok(())
}
