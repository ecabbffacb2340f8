//! `gnss-interop monitor`: how well one monitoring network tracks each satellite — the
//! library's [`NetworkAnalysis::network_tracking`], the same study as a scenario's `[monitor]`.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::network::{NetworkAnalysis, SatTracking, TRACKING_CSV};
use gnss_interop::report::plot::{bar_chart_pairs, ground_tracks, Rgb};
use gnss_interop::report::write::write_json;
use serde_json::json;

use crate::cmd_network::{ground_tracks_of, sample, station_markers, SpanArgs};
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
    #[arg(long, default_value_t = 8)]
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
    let (tracking, geo) = (&result.tracking, &result.geometry);
    let rows = result.rows();
    result.write_csv(&staging.file(TRACKING_CSV)?)?;
    let geo_summary: Vec<_> = geo
        .iter()
        .map(|g| {
            json!({ "sat": g.sat, "fraction_ge4": g.fraction_ge4, "gdop_median": g.gdop_median,
                    "gdop_p95": g.gdop_p95, "pdop_median": g.pdop_median, "pdop_p95": g.pdop_p95 })
        })
        .collect();
    write_json(
        staging.file("tracking.json")?,
        &json!({ "source": samples.describe(), "network": net, "tracking": tracking,
                 "station_geometry": geo_summary }),
    )?;
    let cats: Vec<String> = rows.iter().map(|r| r.sat.clone()).collect();
    let pct = |f: &dyn Fn(&SatTracking) -> f64| -> Vec<f64> {
        tracking.satellites.iter().map(|t| 100.0 * f(t)).collect()
    };
    bar_chart_pairs(
        staging.file("tracked_fraction.png")?,
        &format!("Tracking by '{}' ({} stations)", net.name(), net.len()),
        "time tracked, %",
        &cats,
        &pct(&|t| t.fraction_ge1),
        &pct(&|t| t.fraction_ge4),
        ("seen by >= 1 station", "seen by >= 4 stations"),
    )?;
    // Ground tracks of the least-tracked satellites, with the stations.
    let idx: Vec<usize> = (result.least_tracked(args.tracks).iter())
        .filter_map(|sat| samples.satellites().iter().position(|s| s == sat))
        .collect();
    ground_tracks(
        staging.file("ground_tracks.png")?,
        &format!(
            "Least-tracked satellites and '{}' stations, {:.0} h",
            net.name(),
            span.n_epochs as f64 * span.step_s() / 3600.0
        ),
        &ground_tracks_of(&samples, &idx),
        &station_markers(&net, Rgb(200, 30, 30), true),
    )?;
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
