//! Report artefacts of a coverage run: a GeoTIFF of every statistic, per-point CSV, GeoJSON cells, a summary JSON and PNG maps
//! of mean PDOP and availability, plus helpers that turn any per-point metric (or the difference
//! of two runs) into a [`GridField`] for maps and GeoJSON.
//!
//! A [`CoverageResult`] holds its points in grid order (row-major, one latitude per row), so the
//! regular latitude × longitude layout is recovered from the points themselves; a result over an
//! explicit point list that is not such a grid gives [`OutputError::NotARegularGrid`] for the
//! gridded artefacts (the CSV and the summary do not need a grid).
//!
//! It writes through [`crate::report`], a bottom-layer module (plots and file writers that depend
//! on nothing else in the crate; see the layering in docs/design.md).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{json, Value};
use thiserror::Error;

use crate::report::plot::{world_map_rows, ColorScale, MapStyle};
use crate::report::write::{geojson_cells, write_json};
use crate::report::{GridField, ReportError};

use crate::geometry::{ClockChoice, ElevationMask, IsbSigma};
use crate::id::Constellation;
use crate::time::{calendar_in, format_epoch, Calendar, Scale};

pub use super::raster::{write_geotiff, RasterInfo, COVERAGE_TIF};
use super::{CoverageResult, DopKind, GridSpec, PointStats};

/// Errors of writing coverage artefacts.
#[derive(Debug, Error)]
pub enum OutputError {
    /// The result's points do not form a regular latitude × longitude grid.
    #[error("the coverage points do not form a regular latitude × longitude grid: {reason}")]
    NotARegularGrid {
        /// What is irregular, with the offending values.
        reason: String,
    },
    /// Two results compared point by point have different points.
    #[error("the two coverage results have different points: {reason}")]
    DifferentGrids {
        /// The first difference found.
        reason: String,
    },
    /// The output directory could not be created.
    #[error("cannot create output directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The GeoTIFF would exceed the 4 GiB classic TIFF addresses.
    #[error(
        "{path}: the GeoTIFF would exceed 4 GiB (classic TIFF); use a coarser grid or a region"
    )]
    RasterTooLarge {
        /// The raster's path.
        path: PathBuf,
    },
    /// A writer or a plot failed.
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// How the artefacts are labelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputOptions {
    /// Title of the maps after the metric's name (e.g. "BDS+GLONASS broadcast, 2023-01-01
    /// 00:00–23:55 UTC, mask 10°, clock per system"); keep it under about 80 characters, the
    /// maps' title line holds about 100.
    pub title: String,
    /// The run's availability threshold on PDOP (for the labels; the result does not store it).
    pub availability_pdop_max: f64,
    /// What the run was computed with, written into `summary.json` under `"run"` (`null`
    /// without one).
    pub run: Option<RunInfo>,
    /// Whether the per-point files ([`POINTS_CSV`], [`CELLS_GEOJSON`]) are written; the GeoTIFF
    /// is written in every case.
    pub point_files: PointFiles,
}

/// Grids with more points than this get no per-point CSV and GeoJSON cells unless asked for
/// ([`PointFiles::Always`]): at that size the GeoTIFF is the gridded output (a 1° global grid
/// has 64,800 points; a 0.5° one 259,200).
pub const POINT_FILES_MAX_POINTS: usize = 100_000;

/// When the per-point CSV and GeoJSON cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum PointFiles {
    /// When the grid has at most [`POINT_FILES_MAX_POINTS`] points.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl PointFiles {
    /// Whether the files are written for a result of `points` points.
    pub fn wanted(self, points: usize) -> bool {
        match self {
            PointFiles::Auto => points <= POINT_FILES_MAX_POINTS,
            PointFiles::Always => true,
            PointFiles::Never => false,
        }
    }
}

impl OutputOptions {
    /// Options with a title, threshold 6 (the default of [`super::CoverageConfig`]) and no run
    /// description.
    pub fn new(title: impl Into<String>) -> Self {
        OutputOptions {
            title: title.into(),
            availability_pdop_max: 6.0,
            run: None,
            point_files: PointFiles::Auto,
        }
    }

    /// The options of a study's run, the same at every door: titled by [`RunInfo::title`],
    /// the run's threshold, the description in the summary.
    pub fn for_run(run: RunInfo, availability_pdop_max: f64, point_files: PointFiles) -> Self {
        OutputOptions {
            title: run.title().to_string(),
            availability_pdop_max,
            run: Some(run),
            point_files,
        }
    }
}

/// What a coverage run was computed with, as `summary.json` records it and the maps' titles
/// name it. Built by [`RunInfo::new`] from the run's configuration at every door (the
/// `coverage` command and a scenario's `[grid]`), so that one study gives the same files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// The orbit source ([`crate::orbit::open::OrbitSpec::label`]: `nominal`, `nav:FILE`, …).
    pub source: String,
    /// Systems used, by letter.
    pub systems: Vec<String>,
    /// First epoch, in the scale the study was written in.
    pub start: String,
    /// Last instant, in the same scale.
    pub end: String,
    /// Step between epochs, s.
    pub step_s: f64,
    /// Elevation mask, degrees (`None` for an azimuth-dependent mask).
    pub mask_deg: Option<f64>,
    /// Receiver-clock model.
    pub clock: ClockChoice,
    /// σ of the known inter-system bias, ns (known-offset only).
    pub isb_sigma_ns: Option<f64>,
    /// Where that σ came from (known-offset only).
    pub isb_sigma_origin: Option<String>,
    /// The grid.
    pub grid: GridSpec,
    /// Instruction-set level of the kernel that ran (results do not depend on it).
    pub kernel_isa: String,
    /// The maps' title ([`RunInfo::title`]), made from the typed values at construction.
    #[serde(skip)]
    title: String,
}

impl RunInfo {
    /// The description of a run over `grid` with `cfg` from the source labelled `source`,
    /// epochs written in `scale`, receiver clock `clock` with σ of a known inter-system bias
    /// `isb` (known-offset only). Errors: an instruction-set level the CPU lacks.
    pub fn new(
        source: String,
        scale: Scale,
        cfg: &super::CoverageConfig,
        grid: GridSpec,
        clock: ClockChoice,
        isb: Option<&IsbSigma>,
    ) -> Result<Self, super::CoverageError> {
        let mask_deg = match &cfg.mask {
            ElevationMask::Constant { min_elevation_deg } => Some(*min_elevation_deg),
            ElevationMask::Azimuthal(_) => None,
        };
        let isb = isb.filter(|_| clock == ClockChoice::KnownOffset);
        let systems: Vec<&str> = cfg
            .systems
            .iter()
            .map(|c| match c {
                Constellation::BeiDou => "BDS",
                other => other.name(),
            })
            .collect();
        let title = format!(
            "{} {}, {}, mask {}, {}",
            systems.join("+"),
            source.split(':').next().unwrap_or(""),
            compact_span(scale, cfg.start, cfg.end),
            mask_deg.map_or_else(|| "azimuth-dependent".to_string(), |m| format!("{m}°")),
            match (clock, isb) {
                (ClockChoice::KnownOffset, Some(i)) => format!("known ISB σ {:.3} ns", i.ns),
                (ClockChoice::Common, _) => "one clock".to_string(),
                _ => "clock per system".to_string(),
            }
        );
        Ok(RunInfo {
            source,
            systems: cfg.systems.iter().map(|c| c.letter().to_string()).collect(),
            start: format_epoch(scale, cfg.start),
            end: format_epoch(scale, cfg.end),
            step_s: cfg.step.to_seconds(),
            mask_deg,
            clock,
            isb_sigma_ns: isb.map(|i| i.ns),
            isb_sigma_origin: isb.map(|i| i.origin.clone()),
            grid,
            kernel_isa: cfg.isa.resolve()?.name().to_string(),
            title,
        })
    }

    /// A title short enough for the maps' title line (about 80 characters): systems, source
    /// kind, span, mask and clock, e.g. "BDS+GLONASS nominal, 2023-01-01 00:00–06:00 UTC,
    /// mask 10°, one clock". File names go to the summary only.
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// `start`–`end` in `scale` as "YYYY-MM-DD hh:mm–hh:mm SCALE" on one day, else
/// "YYYY-MM-DD hh:mm – YYYY-MM-DD hh:mm SCALE".
fn compact_span(scale: Scale, start: hifitime::Epoch, end: hifitime::Epoch) -> String {
    match (calendar_in(scale, start), calendar_in(scale, end)) {
        (Ok(a), Ok(b)) => {
            let day = |c: &Calendar| format!("{:04}-{:02}-{:02}", c.year, c.month, c.day);
            let hm = |c: &Calendar| format!("{:02}:{:02}", c.hour, c.minute);
            if day(&a) == day(&b) {
                format!("{} {}–{} {}", day(&a), hm(&a), hm(&b), scale.name())
            } else {
                let (da, db) = (day(&a), day(&b));
                format!("{da} {} – {db} {} {}", hm(&a), hm(&b), scale.name())
            }
        }
        _ => format!("{start} – {end}"),
    }
}

/// The files written, in writing order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Written {
    /// Paths of the files.
    pub files: Vec<PathBuf>,
    /// The area-weighted summary written into [`SUMMARY_JSON`] (computed once, for the caller
    /// too; `None` without points).
    pub summary: Option<super::CoverageSummary>,
}

/// Name of the per-point CSV.
pub const POINTS_CSV: &str = "points.csv";
/// Name of the GeoJSON of grid cells.
pub const CELLS_GEOJSON: &str = "cells.geojson";
/// Name of the summary JSON.
pub const SUMMARY_JSON: &str = "summary.json";
/// Name of the mean-PDOP map.
pub const MAP_PDOP_MEAN_PNG: &str = "map_pdop_mean.png";
/// Name of the availability map.
pub const MAP_AVAILABILITY_PNG: &str = "map_availability.png";

/// Lower-case column stem of a figure (`pdop`, `position_error_m`, …).
pub fn kind_name(kind: DopKind) -> &'static str {
    match kind {
        DopKind::Gdop => "gdop",
        DopKind::Pdop => "pdop",
        DopKind::Hdop => "hdop",
        DopKind::Vdop => "vdop",
        DopKind::Tdop => "tdop",
        DopKind::PositionErrorM => "position_error_m",
    }
}

/// The per-point mean of one figure, if the run collected it and the point had a solution.
pub fn dop_mean(result: &CoverageResult, p: &PointStats, kind: DopKind) -> Option<f64> {
    mean_of(result, kind)(p)
}

/// The per-point mean of one figure as a metric for [`grid_field`] and [`difference_field`]
/// (always `None` if the run did not collect the figure).
pub fn mean_of(result: &CoverageResult, kind: DopKind) -> impl Fn(&PointStats) -> Option<f64> {
    let collected = result.dop_kinds.contains(&kind);
    move |p: &PointStats| Some(p.get(kind).filter(|_| collected)?.mean)
}

/// Names of the per-figure columns of the points CSV and bands of the GeoTIFF: for each
/// collected figure ([`CoverageResult::dop_kinds`], in that order) `{figure}_mean`, `_p50`,
/// `_p95` and `_max`.
pub(super) fn figure_columns(result: &CoverageResult) -> impl Iterator<Item = String> + '_ {
    result.dop_kinds.iter().flat_map(|&k| {
        ["mean", "p50", "p95", "max"]
            .into_iter()
            .map(move |s| format!("{}_{s}", kind_name(k)))
    })
}

/// The values of the [`figure_columns`] at one point (`None` = no solution there).
pub(super) fn figure_values<'a>(
    result: &'a CoverageResult,
    p: &'a PointStats,
) -> impl Iterator<Item = Option<f64>> + 'a {
    result.dop_kinds.iter().flat_map(|&k| {
        let d = p.get(k);
        [
            d.map(|d| d.mean),
            d.map(|d| d.p50),
            d.map(|d| d.p95),
            d.map(|d| d.max),
        ]
    })
}

/// Latitudes and longitudes of the regular grid the points form, with the step.
pub(super) struct Layout {
    /// Latitudes of the rows, south to north.
    pub(super) lats_deg: Vec<f64>,
    /// Unwrapped (increasing) longitudes, so a region across ±180° stays contiguous.
    pub(super) lons_deg: Vec<f64>,
    pub(super) step_deg: f64,
}

const COORD_TOL_DEG: f64 = 1e-6;

pub(super) fn layout_of(result: &CoverageResult) -> Result<Layout, OutputError> {
    let bad = |reason: String| OutputError::NotARegularGrid { reason };
    let pts = &result.points;
    if pts.is_empty() {
        return Err(bad("no points".into()));
    }
    // Longitudes of the first row (points until the latitude changes), unwrapped.
    let lat0 = pts[0].site.lat_deg;
    let mut lons = Vec::new();
    for p in pts
        .iter()
        .take_while(|p| (p.site.lat_deg - lat0).abs() < COORD_TOL_DEG)
    {
        let mut l = p.site.lon_deg;
        if let Some(&prev) = lons.last() {
            while l <= prev {
                l += 360.0;
            }
        }
        lons.push(l);
    }
    let n_lon = lons.len();
    if !pts.len().is_multiple_of(n_lon) {
        return Err(bad(format!(
            "{} points are not a whole number of rows of {n_lon}",
            pts.len()
        )));
    }
    let lats: Vec<f64> = pts.chunks(n_lon).map(|r| r[0].site.lat_deg).collect();
    let spacing = |v: &[f64]| -> Option<f64> { (v.len() > 1).then(|| v[1] - v[0]) };
    let step = spacing(&lons)
        .or_else(|| spacing(&lats))
        .ok_or_else(|| bad("a single point has no grid step".into()))?;
    if !(step.is_finite() && step > 0.0) {
        return Err(bad(format!("grid step {step}° is not positive")));
    }
    let check_axis = |name: &str, v: &[f64]| -> Result<(), OutputError> {
        for w in v.windows(2) {
            if ((w[1] - w[0]) - step).abs() > COORD_TOL_DEG {
                return Err(bad(format!(
                    "{name} spacing {}° between {}° and {}° differs from the step {step}°",
                    w[1] - w[0],
                    w[0],
                    w[1]
                )));
            }
        }
        Ok(())
    };
    check_axis("longitude", &lons)?;
    check_axis("latitude", &lats)?;
    // Every row must repeat the first row's longitudes at one latitude.
    for (i, row) in pts.chunks(n_lon).enumerate() {
        for (j, p) in row.iter().enumerate() {
            let dl = (p.site.lon_deg - lons[j]).rem_euclid(360.0);
            if (p.site.lat_deg - lats[i]).abs() > COORD_TOL_DEG
                || dl.min(360.0 - dl) > COORD_TOL_DEG
            {
                return Err(bad(format!(
                    "point ({}°, {}°) is not at row {i}, column {j} ({}°, {}°)",
                    p.site.lat_deg, p.site.lon_deg, lats[i], lons[j]
                )));
            }
        }
    }
    Ok(Layout {
        lats_deg: lats,
        lons_deg: lons,
        step_deg: step,
    })
}

/// A [`GridField`] of any per-point metric (`None` = no data), e.g.
/// `grid_field(&r, |p| Some(p.availability))`. Errors when the points are not a regular grid.
pub fn grid_field(
    result: &CoverageResult,
    metric: impl Fn(&PointStats) -> Option<f64>,
) -> Result<GridField, OutputError> {
    let l = layout_of(result)?;
    Ok(GridField {
        lats_deg: l.lats_deg,
        lons_deg: l.lons_deg,
        values: result
            .points
            .iter()
            .map(|p| metric(p).filter(|v| v.is_finite()))
            .collect(),
        step_deg: l.step_deg,
    })
}

/// The point-by-point difference `metric(a) − metric(b)` as a [`GridField`] (`None` where either
/// is `None`). The two results must have the same points in the same order (e.g. two clock
/// models, or a baseline and an augmented network, over one grid).
pub fn difference_field(
    a: &CoverageResult,
    b: &CoverageResult,
    metric: impl Fn(&PointStats) -> Option<f64>,
) -> Result<GridField, OutputError> {
    if a.points.len() != b.points.len() {
        return Err(OutputError::DifferentGrids {
            reason: format!("{} points vs {}", a.points.len(), b.points.len()),
        });
    }
    for (i, (pa, pb)) in a.points.iter().zip(&b.points).enumerate() {
        let (sa, sb) = (&pa.site, &pb.site);
        if (sa.lat_deg - sb.lat_deg).abs() > COORD_TOL_DEG
            || (sa.lon_deg - sb.lon_deg).abs() > COORD_TOL_DEG
        {
            return Err(OutputError::DifferentGrids {
                reason: format!(
                    "point {i} is ({}°, {}°) in one and ({}°, {}°) in the other",
                    sa.lat_deg, sa.lon_deg, sb.lat_deg, sb.lon_deg
                ),
            });
        }
    }
    let mut f = grid_field(a, |_| None)?;
    f.values = a
        .points
        .iter()
        .zip(&b.points)
        .map(|(pa, pb)| match (metric(pa), metric(pb)) {
            (Some(x), Some(y)) if (x - y).is_finite() => Some(x - y),
            _ => None,
        })
        .collect();
    Ok(f)
}

/// DOP values with 4 decimals: the percentiles carry a relative error of up to 0.39 % anyway.
fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// Write `points.csv`: one row per point, `lat_deg,lon_deg,height_m,visible_mean,visible_min,
/// visible_max,solution_epochs,availability,longest_outage_s`, then `{kind}_mean,{kind}_p50,
/// {kind}_p95,{kind}_max` per collected figure (empty cell = no solution).
pub fn write_points_csv(result: &CoverageResult, path: &Path) -> Result<(), ReportError> {
    let csv_err = |source| ReportError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::File::create(path).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut header: Vec<String> = [
        "lat_deg",
        "lon_deg",
        "height_m",
        "visible_mean",
        "visible_min",
        "visible_max",
        "solution_epochs",
        "availability",
        "longest_outage_s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(figure_columns(result));
    w.write_record(&header).map_err(csv_err)?;
    for p in &result.points {
        let mut row = vec![
            format!("{}", p.site.lat_deg),
            format!("{}", p.site.lon_deg),
            format!("{}", p.site.height_m),
            format!("{:.4}", p.visible_mean),
            p.visible_min.to_string(),
            p.visible_max.to_string(),
            p.solution_epochs.to_string(),
            format!("{:.6}", p.availability),
            format!("{}", p.longest_outage_s),
        ];
        row.extend(figure_values(result, p).map(opt));
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush().map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A colour range for a mean-PDOP map: from the lowest value (rounded down to 0.5) to the 98th
/// percentile (rounded up to 0.5, at most 10), so that a few extreme cells do not wash out the
/// rest; cells above the top are drawn with the top colour.
///
/// One pass and no copy of the values: the top only needs the percentile's half-unit bin
/// ⌈2·min(v, 10)⌉, which is monotone in v, so the bin of the value of rank r (of the sorted
/// values) is the first whose cumulative count exceeds r.
fn pdop_scale(values: impl Iterator<Item = f64>) -> ColorScale {
    let bin = |v: f64| (v.min(10.0) * 2.0).ceil();
    let mut hist = std::collections::BTreeMap::<i64, usize>::new();
    let (mut n, mut min) = (0usize, f64::INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        n += 1;
        min = min.min(v);
        *hist.entry(bin(v) as i64).or_default() += 1;
    }
    if n == 0 {
        return ColorScale::Sequential { min: 1.0, max: 6.0 };
    }
    let lo = (min * 2.0).floor() / 2.0;
    let rank = ((n - 1) as f64 * 0.98).round() as usize;
    let mut below = 0;
    let mut top = 20;
    for (&b, &c) in &hist {
        below += c;
        if below > rank {
            top = b;
            break;
        }
    }
    let hi = (top as f64 / 2.0).max(lo + 0.5);
    ColorScale::Sequential { min: lo, max: hi }
}

/// Write every artefact of a run into `dir` (created if needed): the GeoTIFF [`COVERAGE_TIF`]
/// (every statistic, one band each; see [`super::raster`]), [`POINTS_CSV`] and
/// [`CELLS_GEOJSON`] (properties: availability, visible_mean, and the mean of each figure) when
/// `options.point_files` asks for them (by default up to [`POINT_FILES_MAX_POINTS`] points),
/// [`SUMMARY_JSON`] (area-weighted summary, epochs, per-satellite misses, `options.run`), and the
/// maps [`MAP_PDOP_MEAN_PNG`] (when PDOP was collected) and [`MAP_AVAILABILITY_PNG`].
///
/// The gridded artefacts need the points to form a regular grid (see the module notes); over an
/// explicit point list only the CSV (if wanted) and the summary are written.
pub fn write_outputs(
    result: &CoverageResult,
    dir: impl AsRef<Path>,
    options: &OutputOptions,
) -> Result<Written, OutputError> {
    let dir = dir.as_ref();
    fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    let point_files = options.point_files.wanted(result.points.len());

    // Every file below reads the result only: the per-point CSV and GeoJSON, the GeoTIFF (which
    // compresses its rows in parallel too) and the two maps are written at the same time. Files
    // are listed, and errors reported, in a fixed order.
    let layout = layout_of(result);
    let gridded = layout.as_ref().ok();
    let csv = dir.join(POINTS_CSV);
    let cells = dir.join(CELLS_GEOJSON);
    let tif = dir.join(COVERAGE_TIF);
    let ((r_csv, r_cells), (r_tif, (r_pdop, r_avail))) = rayon::join(
        || {
            rayon::join(
                || point_files.then(|| write_points_csv(result, &csv)),
                || (point_files && gridded.is_some()).then(|| write_cells(result, &cells)),
            )
        },
        || {
            rayon::join(
                || gridded.map(|_| write_geotiff(result, &tif)),
                || {
                    rayon::join(
                        || gridded.map(|l| draw_pdop_map(result, l, dir, options)),
                        || gridded.map(|l| draw_availability_map(result, l, dir, options)),
                    )
                },
            )
        },
    );
    if let Some(r) = r_csv {
        r?;
        files.push(csv);
    }
    if let Some(r) = r_tif {
        r?;
        files.push(tif);
    }
    if let Some(r) = r_cells {
        r?;
        files.push(cells);
    }
    if let Some(r) = r_pdop {
        files.extend(r?);
    }
    if let Some(r) = r_avail {
        files.push(r?);
    }

    let p = dir.join(SUMMARY_JSON);
    let mut all = files.clone();
    all.push(p.clone());
    let summary = result.summary(None);
    let json = summary_json(
        result,
        options,
        layout.ok().map(|l| l.step_deg),
        &all,
        summary.as_ref(),
    );
    write_json(&p, &json)?;
    files.push(p);
    Ok(Written { files, summary })
}

/// The grid's axes for the maps (no values: the maps read the result's points row by row, as
/// the GeoTIFF is written, with no per-point copy).
fn map_axes(l: &Layout) -> GridField {
    GridField {
        lats_deg: l.lats_deg.clone(),
        lons_deg: l.lons_deg.clone(),
        values: Vec::new(),
        step_deg: l.step_deg,
    }
}

/// [`MAP_PDOP_MEAN_PNG`] when PDOP was collected.
fn draw_pdop_map(
    result: &CoverageResult,
    l: &Layout,
    dir: &Path,
    options: &OutputOptions,
) -> Result<Option<PathBuf>, OutputError> {
    if !result.dop_kinds.contains(&DopKind::Pdop) {
        return Ok(None);
    }
    let n_lon = l.lons_deg.len();
    let pdop = mean_of(result, DopKind::Pdop);
    let p = dir.join(MAP_PDOP_MEAN_PNG);
    let style = MapStyle {
        title: format!("Mean PDOP — {}", options.title),
        units_label: "mean PDOP over epochs with a solution (unitless)".into(),
        color_scale: pdop_scale(result.points.iter().filter_map(&pdop)),
        markers: Vec::new(),
    };
    world_map_rows(
        &p,
        &map_axes(l),
        |i, j| pdop(&result.points[i * n_lon + j]),
        &style,
    )?;
    Ok(Some(p))
}

/// [`MAP_AVAILABILITY_PNG`].
fn draw_availability_map(
    result: &CoverageResult,
    l: &Layout,
    dir: &Path,
    options: &OutputOptions,
) -> Result<PathBuf, OutputError> {
    let n_lon = l.lons_deg.len();
    let p = dir.join(MAP_AVAILABILITY_PNG);
    let style = MapStyle {
        title: format!("Availability — {}", options.title),
        units_label: format!(
            "availability, % of epochs with PDOP ≤ {}",
            options.availability_pdop_max
        ),
        color_scale: ColorScale::Sequential {
            min: 0.0,
            max: 100.0,
        },
        markers: Vec::new(),
    };
    world_map_rows(
        &p,
        &map_axes(l),
        |i, j| Some(100.0 * result.points[i * n_lon + j].availability),
        &style,
    )?;
    Ok(p)
}

fn write_cells(result: &CoverageResult, path: &Path) -> Result<(), OutputError> {
    // One FeatureCollection whose cells carry several properties: build it from one field and add
    // the others by index (same layout, same order).
    let avail = grid_field(result, |p| Some(p.availability))?;
    let visible = grid_field(result, |p| Some(p.visible_mean))?;
    let mut fc = geojson_cells(&avail, "availability");
    let kinds: Vec<(String, GridField)> = result
        .dop_kinds
        .iter()
        .map(|&k| {
            grid_field(result, |p| dop_mean(result, p, k))
                .map(|f| (format!("{}_mean", kind_name(k)), f))
        })
        .collect::<Result<_, _>>()?;
    if let Some(features) = fc.get_mut("features").and_then(Value::as_array_mut) {
        for (i, f) in features.iter_mut().enumerate() {
            if let Some(props) = f.get_mut("properties").and_then(Value::as_object_mut) {
                props.insert("visible_mean".into(), json!(visible.values[i]));
                for (name, field) in &kinds {
                    props.insert(name.clone(), json!(field.values[i]));
                }
            }
        }
    }
    avail.check(path)?;
    write_json_compact(path, &fc)?;
    Ok(())
}

fn write_json_compact(path: &Path, v: &Value) -> Result<(), ReportError> {
    let text = serde_json::to_string(v).map_err(|source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    fs::write(path, text + "\n").map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn utc(e: hifitime::Epoch) -> String {
    match calendar_in(Scale::Utc, e) {
        Ok(c) => c.to_string(),
        Err(_) => e.to_string(),
    }
}

fn summary_json(
    result: &CoverageResult,
    options: &OutputOptions,
    step_deg: Option<f64>,
    files: &[PathBuf],
    summary: Option<&super::CoverageSummary>,
) -> Value {
    let missing: Vec<Value> = result
        .satellites
        .iter()
        .filter(|s| s.missing_epochs > 0 || s.filtered_epochs > 0 || s.invalid_sigma_epochs > 0)
        .map(|s| json!(s))
        .collect();
    json!({
        "title": options.title,
        "run": &options.run,
        "availability_pdop_max": options.availability_pdop_max,
        "epochs": {
            "first_utc": result.epochs.first().map(|&e| utc(e)),
            "last_utc": result.epochs.last().map(|&e| utc(e)),
            "count": result.epochs.len(),
            "step_s": result.step_s,
        },
        "grid": { "points": result.points.len(), "step_deg": step_deg },
        "satellites_used": result.satellites.iter().map(|s| s.sat.to_string()).collect::<Vec<_>>(),
        "satellites_with_gaps": missing,
        "summary": summary,
        "files": files.iter().filter_map(|f| f.file_name()).map(|f| f.to_string_lossy().into_owned()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::pdop_scale;
    use crate::report::plot::ColorScale;

    /// The one-pass colour range equals the definition on the sorted values (lowest value
    /// rounded down to 0.5; value of rank round(0.98 (n − 1)), capped at 10, rounded up to 0.5),
    /// including values on bin edges, above 10, and non-finite ones (ignored).
    #[test]
    fn one_pass_pdop_scale_equals_the_sorted_definition() {
        let sorted = |v: &[f64]| -> (f64, f64) {
            let mut v: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            let lo = (v[0] * 2.0).floor() / 2.0;
            let p98 = v[((v.len() - 1) as f64 * 0.98).round() as usize];
            (lo, ((p98.min(10.0) * 2.0).ceil() / 2.0).max(lo + 0.5))
        };
        let mut state = 12345u64;
        for case in 0..300 {
            let n = 1 + case * 7 % 400;
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                    match i % 11 {
                        0 => (1.0 + (u * 20.0).floor()) / 2.0, // on a bin edge
                        1 if case % 5 == 0 => f64::NAN,
                        2 => 1.0 + 40.0 * u,
                        _ => 1.0 + (case % 9) as f64 * u,
                    }
                })
                .collect();
            if v.iter().all(|x| !x.is_finite()) {
                continue;
            }
            let (lo, hi) = sorted(&v);
            match pdop_scale(v.iter().copied()) {
                ColorScale::Sequential { min, max } => {
                    assert_eq!((min, max), (lo, hi), "case {case}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
