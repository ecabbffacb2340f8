//! `gnss-interop timescales`: BDT − GLONASST as realised by precise clocks (library:
//! `gnss_interop::realised`), against every broadcast path of the navigation file.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::realised::{realise_files, realised_uncertainty_ns, Group};
use serde_json::json;

use crate::epoch_args::{EpochArgs, Epochs};
use crate::outputs::WriteFlags;
use gnss_interop::limits;
use gnss_interop::outdir::slug;
use gnss_interop::time::{format_epoch, Scale};

/// Arguments of `gnss-interop timescales`.
#[derive(Debug, Args)]
pub struct TimescalesArgs {
    /// Broadcast navigation file (RINEX 3/4, optionally gzip); the first one is used.
    #[arg(long, required = true, num_args = 1..)]
    pub nav: Vec<PathBuf>,
    /// RINEX clock files (precise clocks).
    #[arg(long, num_args = 1.., required_unless_present = "sp3")]
    pub clk: Vec<PathBuf>,
    /// SP3 files whose clock columns are used.
    #[arg(long, num_args = 1..)]
    pub sp3: Vec<PathBuf>,
    #[command(flatten)]
    pub epochs: EpochArgs,
    /// Directory for the CSV time series (one per product) and summary.json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the summary JSON on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Run the command.
pub fn run(args: TimescalesArgs) -> Result<(), Box<dyn std::error::Error>> {
    let Epochs {
        list: epochs,
        start,
        end,
        scale,
    } = args.epochs.grid(Scale::Utc, limits::MAX_EPOCHS)?;
    let nav = &args.nav[0];
    let study = realise_files(&args.nav, &args.clk, &args.sp3, &epochs)?;
    let offsets = study.source.nav().offsets.clone();
    let realisations = study.realisations;
    let staging = match &args.out {
        Some(dir) => Some(args.write.stage(dir, "timescales")?),
        None => None,
    };
    for (i, r) in realisations.iter().enumerate() {
        if let Some(st) = &staging {
            let path = st.file(&format!("timescales_{i}_{}.csv", slug(&study.agencies[i])))?;
            let mut w = csv::Writer::from_path(&path)?;
            w.write_record([
                "epoch",
                "system",
                "group",
                "n_sats",
                "sys_minus_ref_ns",
                "scatter_ns",
            ])?;
            for g in &r.per_epoch {
                w.write_record([
                    format_epoch(scale, r.epochs[g.epoch_index]),
                    g.group.system().to_string(),
                    g.group.label().to_string(),
                    g.n_sats.to_string(),
                    format!("{:.3}", g.sys_minus_ref_ns),
                    format!("{:.3}", g.scatter_ns),
                ])?;
            }
            w.flush()?;
        }
    }
    let mut summary = serde_json::to_value(&study.summary)?;
    summary["nav"] = json!(nav.display().to_string());
    if realisations.iter().all(|r| r.per_epoch.is_empty()) {
        args.write.empty(&format!(
            "no epoch of {} … {} at {} s is a node of any clock product with broadcast clocks",
            format_epoch(scale, start),
            format_epoch(scale, end),
            limits::brief(args.epochs.step)
        ))?;
    }
    if let Some(st) = staging {
        std::fs::write(
            st.file("summary.json")?,
            serde_json::to_string_pretty(&summary)?,
        )?;
        plot(st.staging_dir(), &realisations, &offsets, start)?;
        st.commit(None)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    for r in &realisations {
        println!(
            "{}: BDT − GLONASST beyond nominal {} s",
            r.product, r.nominal_s
        );
        for o in &r.offsets {
            println!(
                "  {:<6} {:+8.2} ns  (SE {:.2} ns, day SD {:.2} ns)",
                o.bds_group.label(),
                o.bdt_minus_glonasst_ns,
                o.std_error_ns,
                o.day_sd_ns
            );
        }
        for p in r.compare_paths(&offsets) {
            let d = p.realised_minus_path_ns.iter().find(|x| x.0 == Group::Bds3);
            if let Some((_, d)) = d {
                println!(
                    "  path {:<9} {:+8.2} ns; BDS-3 realised − path {d:+.2} ns",
                    p.path, p.mean_path_ns
                );
            }
        }
    }
    for g in Group::BDS {
        if let Some(u) = realised_uncertainty_ns(&realisations, g) {
            println!(
                "uncertainty {:<6} {u:.2} ns (product spread ⊕ standard error)",
                g.label()
            );
        }
    }
    Ok(())
}

/// `timescales.png`: every broadcast path and each product's realised BDT − GLONASST per
/// BeiDou group over the span, ns beyond the nominal integer seconds.
fn plot(
    dir: &std::path::Path,
    realisations: &[gnss_interop::realised::Realisation],
    offsets: &gnss_interop::time::BroadcastOffsets,
    start: hifitime::Epoch,
) -> Result<(), Box<dyn std::error::Error>> {
    use gnss_interop::report::plot::{time_series, Series};
    let hours = |t: hifitime::Epoch| (t - start).to_seconds() / 3600.0;
    let mut series = Vec::new();
    if let Some(r) = realisations.first() {
        for p in r.compare_paths(offsets) {
            series.push(Series {
                label: format!("broadcast, {}", p.path),
                points: p.series_ns.iter().map(|&(t, v)| (hours(t), v)).collect(),
            });
        }
    }
    for r in realisations {
        for g in Group::BDS {
            let points: Vec<(f64, f64)> = r
                .offset_series(g)
                .into_iter()
                .map(|(t, v)| (hours(t), v))
                .collect();
            if !points.is_empty() {
                series.push(Series {
                    label: format!("realised {} ({})", g.label(), r.product),
                    points,
                });
            }
        }
    }
    time_series(
        dir.join("timescales.png"),
        "BDT − GLONASST beyond the nominal integer seconds",
        &format!("hours from {start}"),
        "ns",
        &series,
    )?;
    Ok(())
}
