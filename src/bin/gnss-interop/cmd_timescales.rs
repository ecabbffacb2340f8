//! `gnss-interop timescales`: BDT − GLONASST as realised by precise clocks (library:
//! `gnss_interop::realised`), against every broadcast path of the navigation file.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::realised::{realise_files, realised_uncertainty_ns, Group};

use crate::epoch_args::{EpochArgs, Epochs};
use crate::outputs::WriteFlags;
use gnss_interop::limits;
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
    let study = realise_files(&args.nav, &args.clk, &args.sp3, &epochs)?;
    if study.realisations.iter().all(|r| r.per_epoch.is_empty()) {
        args.write.empty(&format!(
            "no epoch of {} … {} at {} s is a node of any clock product with broadcast clocks",
            format_epoch(scale, start),
            format_epoch(scale, end),
            limits::brief(args.epochs.step)
        ))?;
    }
    if let Some(dir) = &args.out {
        let st = args.write.stage(dir, "timescales")?;
        study.write_outputs(&mut |name| st.file(name), scale, start)?;
        st.commit(None)?;
    }
    let offsets = &study.source.nav().offsets;
    let realisations = &study.realisations;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&study.summary)?);
        return Ok(());
    }
    for r in realisations {
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
        for p in r.compare_paths(offsets) {
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
        if let Some(u) = realised_uncertainty_ns(realisations, g) {
            println!(
                "uncertainty {:<6} {u:.2} ns (product spread ⊕ standard error)",
                g.label()
            );
        }
    }
    Ok(())
}
