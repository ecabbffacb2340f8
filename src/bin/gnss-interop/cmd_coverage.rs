//! `gnss-interop coverage`: visibility, DOP and availability over a latitude/longitude grid,
//! written as a GeoTIFF, per-point CSV and GeoJSON cells (small grids), a summary JSON and PNG
//! maps.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use gnss_interop::coverage::output::{
    kind_name, write_outputs, OutputOptions, PointFiles, RunInfo,
};
use gnss_interop::coverage::{run_with, DopKind, GridLayout, GridSpec, Progress};
use gnss_interop::frames::Region;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cmd_dop::SpanArgs;
use crate::outputs::{check_source, WriteFlags};
use crate::source_args::SourceArgs;
use gnss_interop::limits;

type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

/// When the per-point files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PointFilesArg {
    /// Up to the library's size threshold.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `gnss-interop coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub span: SpanArgs,
    /// Grid step, degrees (latitude and longitude).
    #[arg(long, value_name = "DEG")]
    pub grid_step: f64,
    /// Region LAT0,LAT1,LON0,LON1 in degrees (default: the whole globe); LON0 > LON1 crosses 180°.
    #[arg(long, value_name = "LAT0,LAT1,LON0,LON1", allow_hyphen_values = true)]
    pub region: Option<String>,
    /// Where grid points sit: `centres` of step × step cells (no point on a pole) or `nodes`
    /// (poles and edges included); the library's default, as in scenario `[grid]`.
    #[arg(long, default_value_t = GridLayout::default())]
    pub layout: GridLayout,
    /// Figures whose distribution is collected per point, comma-separated among gdop, pdop,
    /// hdop, vdop, tdop (default: the library's, pdop,hdop,vdop, as in scenario grids).
    #[arg(long, value_name = "LIST", value_parser = parse_figures)]
    pub figures: Option<Figures>,
    /// Height of the grid points above the CGCS2000 ellipsoid, m.
    #[arg(long, default_value_t = 0.0)]
    pub height: f64,
    /// Availability threshold on PDOP.
    #[arg(long, default_value_t = gnss_interop::defaults::AVAILABILITY_PDOP_MAX)]
    pub pdop_max: f64,
    /// Output directory (written complete or not at all, with a manifest).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Per-point CSV and GeoJSON cells: `auto` writes them up to 100,000 grid points
    /// (`POINT_FILES_MAX_POINTS`); the GeoTIFF `coverage.tif` is written in every case.
    #[arg(long, value_enum, default_value_t = PointFilesArg::Auto)]
    pub point_files: PointFilesArg,
    /// Worker threads (default: all cores; at most 4 per core). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// The figures of `--figures`.
#[derive(Debug, Clone)]
pub struct Figures(pub Vec<DopKind>);

fn parse_figures(text: &str) -> Result<Figures, String> {
    const KINDS: [DopKind; 5] = [
        DopKind::Gdop,
        DopKind::Pdop,
        DopKind::Hdop,
        DopKind::Vdop,
        DopKind::Tdop,
    ];
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let k = KINDS
            .into_iter()
            .find(|&k| kind_name(k).eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!("--figures: unknown figure '{name}'; expected gdop, pdop, hdop, vdop, tdop")
            })?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    if out.is_empty() {
        return Err("--figures names no figure".into());
    }
    Ok(Figures(out))
}

fn parse_region(text: &str) -> CliResult<Region> {
    let v: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("--region '{text}': expected four numbers LAT0,LAT1,LON0,LON1"))?;
    let [lat0, lat1, lon0, lon1]: [f64; 4] = v
        .try_into()
        .map_err(|_| format!("--region '{text}': expected four numbers LAT0,LAT1,LON0,LON1"))?;
    for lat in [lat0, lat1] {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(format!("--region '{text}': latitude {lat}° is outside −90…90°").into());
        }
    }
    if lat1 < lat0 {
        return Err(format!("--region '{text}': LAT1 {lat1}° is south of LAT0 {lat0}°").into());
    }
    // A box runs east from LON0 to LON1 (LON0 > LON1 crosses 180°): the one rule of Region.
    Ok(Region {
        lat_min_deg: lat0,
        lat_max_deg: lat1,
        lon_min_deg: lon0,
        lon_max_deg: lon1,
    })
}

/// Run the command.
pub fn run(args: CoverageArgs) -> CliResult<()> {
    let t0 = Instant::now();
    let study = args.span.study(&args.source)?;
    let clock = &study.clock;
    let spec = GridSpec {
        step_deg: args.grid_step,
        region: match &args.region {
            None => Region::GLOBAL,
            Some(r) => parse_region(r)?,
        },
        height_m: args.height,
        layout: args.layout,
    };
    let r = spec.region;
    limits::grid_points(
        "--grid-step",
        r.lat_max_deg - r.lat_min_deg,
        r.lon_extent_deg(),
        args.grid_step,
    )?;
    let grid = spec.build()?;
    if let Some(n) = args.threads {
        limits::threads("--threads", n)?;
    }
    limits::finite("--height", args.height)?;
    limits::positive("--pdop-max", args.pdop_max)?;
    let (source, source_label) = args.source.open()?;
    check_source(source.as_ref(), &args.write)?;
    let staging = args.write.stage(&args.out, "coverage")?;
    let t_open = t0.elapsed();

    let mut cfg = study.config.clone();
    cfg.availability_pdop_max = args.pdop_max;
    if let Some(f) = &args.figures {
        cfg.dop_kinds = f.0.clone();
    }

    let bar = ProgressBar::new(grid.n_rows() as u64);
    bar.set_style(ProgressStyle::with_template(
        "{spinner} coverage [{elapsed_precise}] {bar:40} {pos}/{len} grid rows (eta {eta})",
    )?);
    let progress = |done: usize, _total: usize| bar.set_position(done as u64);
    let progress: &dyn Progress = &progress;
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build()?;
    let threads = pool.current_num_threads();
    let isa = cfg.isa.resolve()?;
    let t1 = Instant::now();
    let result =
        pool.install(|| run_with(&[source.as_ref()], &grid, &cfg, None, Some(progress)))?;
    let t_run = t1.elapsed();
    bar.finish_and_clear();

    let run = RunInfo::new(
        source_label,
        study.scale,
        &cfg,
        spec,
        clock.choice,
        clock.isb.as_ref(),
    )?;
    let point_files = match args.point_files {
        PointFilesArg::Auto => PointFiles::Auto,
        PointFilesArg::Always => PointFiles::Always,
        PointFilesArg::Never => PointFiles::Never,
    };
    let options = OutputOptions::for_run(run, args.pdop_max, point_files);
    let t2 = Instant::now();
    // The summary is computed once, by the writer, and checked before the output is committed.
    let written = write_outputs(&result, staging.staging_dir(), &options)?;
    let s = written
        .summary
        .clone()
        .ok_or("the coverage run produced no points")?;
    if s.visible_max == 0 {
        args.write.empty(&format!(
            "no satellite of {} is visible above the {}° mask at any point and epoch",
            source.describe(),
            limits::brief(args.span.mask)
        ))?;
    }
    let files: Vec<_> = written
        .files
        .iter()
        .map(|f| staging.final_path(f))
        .collect();
    staging.commit(None)?;
    let t_write = t2.elapsed();

    let mean_of = |k: DopKind| {
        s.get(k)
            .map(|d| format!("{:.3}", d.mean))
            .unwrap_or_else(|| "-".into())
    };
    println!("{}", options.title);
    println!(
        "{} points × {} epochs on {threads} threads ({} kernel)",
        result.points.len(),
        result.epochs.len(),
        isa.name()
    );
    if let Some(i) = &clock.isb {
        println!("σ_isb = {:.3} ns: {}", i.ns, i.origin);
    }
    println!(
        "area-weighted: visible {:.2} (min {}, max {}), availability (PDOP ≤ {}) {:.2} %, \
         mean PDOP {}, HDOP {}, VDOP {}, TDOP {}, GDOP {}",
        s.visible_mean,
        s.visible_min,
        s.visible_max,
        args.pdop_max,
        100.0 * s.availability_mean,
        mean_of(DopKind::Pdop),
        mean_of(DopKind::Hdop),
        mean_of(DopKind::Vdop),
        mean_of(DopKind::Tdop),
        mean_of(DopKind::Gdop),
    );
    if result.no_data_epochs > 0 {
        println!(
            "no data: {} epochs left out of every statistic ({} satellite-epochs outside the \
             orbit data; not counted as satellites out of view)",
            result.no_data_epochs, result.no_data_satellite_epochs
        );
    }
    for r in &result.satellites {
        if r.missing_epochs as usize == result.epochs.len() {
            let why = r.span_reason.as_deref().or(r.first_error.as_deref());
            println!(
                "{}: no state at any epoch of the span ({})",
                r.sat,
                why.unwrap_or("no reason given")
            );
        }
    }
    let gaps: u32 = result.satellites.iter().map(|r| r.missing_epochs).sum();
    if gaps > 0 {
        println!(
            "note: {gaps} satellite-epochs without an orbit state were left out (see summary.json)"
        );
    }
    println!(
        "timings: open {:.2} s, coverage {:.2} s, write {:.2} s",
        t_open.as_secs_f64(),
        t_run.as_secs_f64(),
        t_write.as_secs_f64()
    );
    for f in &files {
        println!("wrote {}", f.display());
    }
    Ok(())
}
