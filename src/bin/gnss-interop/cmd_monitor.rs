//! `gnss-interop monitor`: how well one monitoring network tracks each satellite.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::network::{NetworkAnalysis, SatTracking};
use gnss_interop::report::plot::{bar_chart_pairs, ground_tracks, Rgb};
use gnss_interop::report::write::{write_csv, write_json};
use serde::Serialize;
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

/// One CSV row.
#[derive(Debug, Serialize)]
struct Row {
    sat: String,
    kind: String,
    epochs_with_state: usize,
    fraction_ge1: f64,
    fraction_ge2: f64,
    fraction_ge4: f64,
    tracked_fraction: f64,
    longest_gap_h: f64,
    mean_gap_h: Option<f64>,
    gaps: usize,
    passes: usize,
    station_gdop_median: Option<f64>,
    station_pdop_median: Option<f64>,
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
    let mut tracking = analysis.tracking(args.span.min_stations)?;
    let geometry = analysis.station_geometry();
    // Satellites of systems the network tracks, with at least one state.
    let keep: Vec<bool> = tracking
        .satellites
        .iter()
        .map(|t| {
            t.epochs_with_state > 0
                && net
                    .stations()
                    .iter()
                    .any(|s| s.tracks(t.sat.constellation()))
        })
        .collect();
    let geo: Vec<_> = geometry
        .satellites
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(g, _)| g.clone())
        .collect();
    let mut it = keep.iter();
    tracking.satellites.retain(|_| *it.next().unwrap_or(&false));
    if tracking.satellites.is_empty() {
        return Err(format!(
            "network '{}' tracks none of the source's satellites ({})",
            net.name(),
            samples.describe()
        )
        .into());
    }
    let rows: Vec<Row> = tracking
        .satellites
        .iter()
        .zip(&geo)
        .map(|(t, g)| Row {
            sat: t.sat.to_string(),
            kind: t.kind.label(),
            epochs_with_state: t.epochs_with_state,
            fraction_ge1: t.fraction_ge1,
            fraction_ge2: t.fraction_ge2,
            fraction_ge4: t.fraction_ge4,
            tracked_fraction: t.tracked_fraction,
            longest_gap_h: t.longest_gap_s / 3600.0,
            mean_gap_h: t.mean_gap_s.map(|s| s / 3600.0),
            gaps: t.gaps,
            passes: t.passes,
            station_gdop_median: g.gdop_median,
            station_pdop_median: g.pdop_median,
        })
        .collect();
    write_csv(staging.file("tracking.csv")?, &rows)?;
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
    let mut order: Vec<usize> = (0..tracking.satellites.len()).collect();
    order.sort_by(|&a, &b| {
        tracking.satellites[a]
            .tracked_fraction
            .total_cmp(&tracking.satellites[b].tracked_fraction)
    });
    let idx: Vec<usize> = order
        .iter()
        .take(args.tracks)
        .filter_map(|&k| {
            let sat = tracking.satellites[k].sat;
            samples.satellites().iter().position(|s| *s == sat)
        })
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
    let n = rows.len() as f64;
    println!(
        "mean tracked {:.1} %, mean longest gap {:.2} h, worst {:.2} h; files in {}",
        100.0 * rows.iter().map(|r| r.tracked_fraction).sum::<f64>() / n,
        rows.iter().map(|r| r.longest_gap_h).sum::<f64>() / n,
        rows.iter().map(|r| r.longest_gap_h).fold(0.0, f64::max),
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
