//! `gnss-interop coverage`: visibility, DOP and availability over a latitude/longitude grid,
//! written as a GeoTIFF, per-point CSV and GeoJSON cells (small grids), a summary JSON and PNG
//! maps.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use gnss_interop::coverage::output::{kind_name, write_outputs, OutputOptions, PointFiles};
use gnss_interop::coverage::{run_with, DopKind, Grid, GridLayout, Progress};
use gnss_interop::geometry::ClockChoice;
use gnss_interop::id::Constellation;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use gnss_interop::time::{calendar_in, format_epoch, Calendar};

use crate::cmd_dop::{SpanArgs, SpanStudy};
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

fn parse_region(text: &str) -> CliResult<[f64; 4]> {
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
    // A box across 180° (LON0 > LON1) is given to the grid as LON0 … LON1 + 360.
    let region = gnss_interop::frames::Region {
        lat_min_deg: lat0,
        lat_max_deg: lat1,
        lon_min_deg: lon0,
        lon_max_deg: lon1,
    };
    Ok([lat0, lat1, lon0, region.lon_east_deg()])
}

fn systems_label(systems: &[Constellation]) -> String {
    systems
        .iter()
        .map(|c| match c {
            Constellation::BeiDou => "BDS".to_string(),
            Constellation::Glonass => "GLONASS".to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// Run the command.
pub fn run(args: CoverageArgs) -> CliResult<()> {
    let t0 = Instant::now();
    let study = args.span.study(&args.source)?;
    let clock = &study.clock;
    let layout = args.layout;
    let grid = match &args.region {
        None => {
            limits::grid_points("--grid-step", 180.0, 360.0, args.grid_step)?;
            Grid::global(args.grid_step, layout, args.height)?
        }
        Some(r) => {
            let [lat0, lat1, lon0, lon1] = parse_region(r)?;
            limits::grid_points("--grid-step", lat1 - lat0, lon1 - lon0, args.grid_step)?;
            Grid::regional(lat0, lat1, lon0, lon1, args.grid_step, layout, args.height)?
        }
    };
    if let Some(n) = args.threads {
        limits::threads("--threads", n)?;
    }
    limits::finite("--height", args.height)?;
    limits::positive("--pdop-max", args.pdop_max)?;
    let systems = args.source.systems()?;
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

    let clock_label = match clock.isb_sigma_ns {
        Some(ns) => format!("known ISB σ {ns:.3} ns"),
        None => match clock.choice {
            ClockChoice::Common => "one clock".to_string(),
            _ => "clock per system".to_string(),
        },
    };
    // Short enough for the maps' title line: the file name goes to the summary only.
    let title = format!(
        "{} {}, {}, mask {}°, {clock_label}",
        systems_label(&systems),
        source_label.split(':').next().unwrap_or(""),
        compact_span(&study),
        args.span.mask,
    );
    let run_json = json!({
        "source": source_label,
        "systems": systems.iter().map(|c| c.letter().to_string()).collect::<Vec<_>>(),
        "start": format_epoch(study.scale, cfg.start),
        "end": format_epoch(study.scale, cfg.end),
        "step_s": args.span.epochs.step,
        "mask_deg": args.span.mask,
        "clock": clock.choice.name(),
        "isb_sigma_ns": clock.isb_sigma_ns,
        "isb_sigma_origin": (!clock.isb_origin.is_empty()).then_some(&clock.isb_origin),
        "grid_step_deg": args.grid_step,
        "region": args.region,
        "layout": args.layout.name(),
        "height_m": args.height,
        "threads": threads,
        "kernel_isa": isa.name(),
        "run_time_s": t_run.as_secs_f64(),
    });
    let mut options = OutputOptions::new(title);
    options.availability_pdop_max = args.pdop_max;
    options.run = run_json;
    options.point_files = match args.point_files {
        PointFilesArg::Auto => PointFiles::Auto,
        PointFilesArg::Always => PointFiles::Always,
        PointFilesArg::Never => PointFiles::Never,
    };
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
    if let Some(ns) = clock.isb_sigma_ns {
        println!("σ_isb = {ns:.3} ns: {}", clock.isb_origin);
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

/// `2023-01-01 00:00–06:00 UTC` within a day, else `2023-01-01 00:00 – 2023-01-02 00:00 UTC`.
fn compact_span(study: &SpanStudy) -> String {
    let (scale, start, end) = (study.scale, study.config.start, study.config.end);
    let (a, b) = (calendar_in(scale, start), calendar_in(scale, end));
    match (a, b) {
        (Ok(a), Ok(b)) => {
            let day = |c: &Calendar| format!("{:04}-{:02}-{:02}", c.year, c.month, c.day);
            let hm = |c: &Calendar| format!("{:02}:{:02}", c.hour, c.minute);
            if day(&a) == day(&b) {
                format!("{} {}–{} {}", day(&a), hm(&a), hm(&b), scale.name())
            } else {
                format!(
                    "{} {} – {} {} {}",
                    day(&a),
                    hm(&a),
                    day(&b),
                    hm(&b),
                    scale.name()
                )
            }
        }
        _ => format!("{start} – {end}"),
    }
}
