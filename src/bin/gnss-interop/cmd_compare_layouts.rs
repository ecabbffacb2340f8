//! `gnss-interop compare-layouts`: baseline vs augmented monitoring network, from tracking to
//! what users get (monitored-only availability, error-weighted predicted accuracy).

use std::path::PathBuf;

use clap::Args;
use gnss_interop::coverage::{Grid, GridLayout, GridSpec, Local};
use gnss_interop::geometry::ElevationMask;
use gnss_interop::network::{
    agreement_2022_networks, run_study, study_cases, Network, OrbitSamples, StudyCase, StudyResult,
    StudySettings,
};
use gnss_interop::orbit::OrbitSource;

use crate::cmd_dop::ClockArgs;
use crate::cmd_network::{rows_bar, sample, SpanArgs};
use crate::outputs::{check_source, WriteFlags};
use crate::source_args::SourceArgs;
use gnss_interop::limits;

/// Arguments of `gnss-interop compare-layouts`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub span: SpanArgs,
    /// Baseline network (built-in name or TOML/CSV file). Without --baseline/--augmented the
    /// built-in 2022 cases are run: BeiDou without/with the three stations in Russia, GLONASS
    /// without/with the three in China, and both systems together when both are selected.
    #[arg(long, requires = "augmented")]
    pub baseline: Option<String>,
    /// Augmented network (built-in name or TOML/CSV file).
    #[arg(long, requires = "baseline")]
    pub augmented: Option<String>,
    /// Global grid step for user coverage, degrees, as `coverage --grid-step` (`--grid-deg`
    /// is the old name).
    #[arg(long, value_name = "DEG", alias = "grid-deg", default_value_t = 5.0)]
    pub grid_step: f64,
    /// Where user grid points sit: `centres` or `nodes` (the library's default, as in
    /// scenario `[grid]`).
    #[arg(long, default_value_t = GridLayout::default())]
    pub layout: GridLayout,
    /// Users' elevation mask, degrees, as `dop`/`coverage --mask` (`--user-mask-deg` is the
    /// old name).
    #[arg(long, value_name = "DEG", alias = "user-mask-deg", default_value_t = gnss_interop::defaults::USER_MASK_DEG)]
    pub mask: f64,
    #[command(flatten)]
    pub clock: ClockArgs,
    /// Availability threshold on PDOP.
    #[arg(long, default_value_t = gnss_interop::defaults::AVAILABILITY_PDOP_MAX)]
    pub pdop_max: f64,
    /// Output directory (one sub-directory per case; written complete or not at all).
    #[arg(long, default_value = "compare-out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Run the command.
pub fn run(args: CompareArgs) -> Result<(), Box<dyn std::error::Error>> {
    let span = args.span.span()?;
    let end = span.epoch(span.n_epochs.saturating_sub(1));
    let clock = args.clock.choose(&args.source, span.start, end)?.model;
    let settings = StudySettings {
        min_stations: args.span.min_stations,
        user_mask: ElevationMask::constant(args.mask)?,
        clock,
        availability_pdop_max: args.pdop_max,
        allow_no_data: args.source.allow_no_data,
        ..StudySettings::default()
    };
    let systems = args.source.systems()?;
    let (baseline, augmented) = match (&args.baseline, &args.augmented) {
        // Named by their role, as a scenario's [networks] and the agreement networks are, so
        // that the two doors describe one study in the same words.
        (Some(b), Some(a)) => (
            Network::merged("baseline", &[&args.span.network(b)?])?,
            Network::merged("augmented", &[&args.span.network(a)?])?,
        ),
        _ => {
            let (b, a) = agreement_2022_networks(&systems)?;
            (args.span.masked(b)?, args.span.masked(a)?)
        }
    };
    let cases = study_cases(&systems, &baseline, &augmented)?;
    limits::grid_points("--grid-step", 180.0, 360.0, args.grid_step)?;
    let layout = args.layout;
    let grid = GridSpec {
        layout,
        ..GridSpec::global(args.grid_step)
    }
    .build()?;
    let (source, _label) = args.source.open()?;
    check_source(source.as_ref(), &args.write)?;
    let staging = args.write.stage(&args.out, "compare-layouts")?;
    let samples = sample(source.as_ref(), span, args.source.allow_no_data)?;
    let mut all = Vec::new();
    let mut dirs = Vec::new();
    for case in &cases {
        let r = run_case(source.as_ref(), &samples, &grid, case, &settings)?;
        let name = r.dir_name();
        if dirs.contains(&name) {
            return Err(gnss_interop::outdir::OutputError::Duplicate { rel: name }.into());
        }
        r.write_outputs(&mut |f| staging.file(&format!("{name}/{f}")), case)?;
        all.push((r, staging.final_path(&staging.staging_dir().join(&name))));
        dirs.push(name);
    }
    staging.commit(None)?;
    let all: Vec<StudyResult> = all
        .into_iter()
        .map(|(r, dir)| {
            println!("{r}");
            println!("files in {}\n", dir.display());
            r
        })
        .collect();
    if all.len() > 1 {
        println!("Summary of the cases:");
        for r in &all {
            print!("{}", r.headline());
        }
    }
    Ok(())
}

fn run_case(
    source: &dyn OrbitSource,
    samples: &OrbitSamples,
    grid: &Grid,
    case: &StudyCase,
    settings: &StudySettings,
) -> Result<StudyResult, Box<dyn std::error::Error>> {
    let pb = rows_bar();
    let label = case.label.clone();
    let cb = |stage: &str, done: usize, total: usize| {
        if pb.length() != Some(total as u64) {
            pb.set_length(total as u64);
        }
        if done <= 1 {
            pb.set_message(format!("{label}: {stage}"));
        }
        pb.set_position(done as u64);
    };
    let r = run_study(&Local, source, samples, grid, case, settings, Some(&cb));
    pb.finish_and_clear();
    Ok(r?)
}
