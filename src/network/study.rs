//! Baseline vs augmented network, end to end: tracking, the per-satellite comparison, and
//! what users get from each network on a coverage grid (monitored-only availability and
//! error-weighted predicted position error), with per-cell differences.
//!
//! One [`StudyCase`] names the systems and the two networks. For a combined BDS + GLONASS case
//! the networks are unions of each system's stations; a satellite is monitored only by the
//! stations of its own system (each [`super::Station`] lists the systems it tracks), so a
//! union network behaves as the two national networks side by side.
//!
//! Figures (all areas are grid-weight means, i.e. area means on a latitude/longitude grid):
//! - *tracked fraction*, *longest gap*: from [`TrackingReport`]s, means over the case's
//!   satellites that have at least one state in the span;
//! - *monitored availability*: fraction of epochs at which the satellites tracked by
//!   ≥ `min_stations` stations give PDOP ≤ `availability_pdop_max` ([`user_coverage`], [`Weighting::MonitoredOnly`]);
//! - *predicted error*: per-epoch 1-σ 3-D position error √tr(Q) with every satellite weighted
//!   by 1/σ(age)² ([`error_weighted`]); per cell its mean over epochs, then the area mean.
//!
//! Adding stations can only add tracked (satellite, epoch) pairs and lower ages, so in exact
//! arithmetic every figure moves in one direction (tracked fraction up, gaps down, monitored
//! availability up, predicted error down); the study reports the changes, it does not assume
//! them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::compare::{compare, Comparison, SatComparison};
use super::range_error::RangeErrorModels;
use super::tracking::{NetworkAnalysis, TrackingReport};
use super::user::{coverage_config_for, user_coverage, UserJob, Weighting};
use super::{Network, NetworkError, OrbitSamples, TimeSpan};
use crate::coverage::{CoverageResult, DopKind, Grid, GridRunner};
use crate::frames::Geodetic;
use crate::geometry::{ClockModel, ElevationMask};
use crate::id::Constellation;
use crate::orbit::OrbitSource;

/// Systems and the two networks of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyCase {
    /// Short label (e.g. "BDS", "GLONASS", "BDS+GLONASS").
    pub label: String,
    /// Constellations used by users and counted in tracking.
    pub systems: Vec<Constellation>,
    /// Network before.
    pub baseline: Network,
    /// Network after.
    pub augmented: Network,
}

impl StudyCase {
    /// A case from explicit networks; the label is the systems' names joined by `+`.
    pub fn new(systems: &[Constellation], baseline: Network, augmented: Network) -> Self {
        let mut systems = systems.to_vec();
        systems.sort();
        systems.dedup();
        let label = systems
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join("+");
        StudyCase {
            label,
            systems,
            baseline,
            augmented,
        }
    }
}

/// The networks of the 2022 agreement for the given systems, named `baseline` and
/// `augmented`: BeiDou `bds-baseline` → `bds-augmented` (+ the three stations in Russia),
/// GLONASS `glonass-baseline` → `glonass-augmented` (+ the three stations in China); with both
/// systems, the unions of the two. Other systems are ignored; neither BeiDou nor GLONASS is an
/// error. [`study_cases`] splits them into the per-system and combined cases.
pub fn agreement_2022_networks(
    systems: &[Constellation],
) -> Result<(Network, Network), NetworkError> {
    let mut base = Vec::new();
    let mut aug = Vec::new();
    for (c, b, a) in [
        (Constellation::BeiDou, "bds-baseline", "bds-augmented"),
        (
            Constellation::Glonass,
            "glonass-baseline",
            "glonass-augmented",
        ),
    ] {
        if systems.contains(&c) {
            base.push(Network::builtin(b)?);
            aug.push(Network::builtin(a)?);
        }
    }
    if base.is_empty() {
        return Err(NetworkError::Mismatch {
            reason: format!(
                "the 2022 agreement networks are for BeiDou and/or GLONASS, not {}",
                systems
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let (b, a): (Vec<&Network>, Vec<&Network>) = (base.iter().collect(), aug.iter().collect());
    Ok((
        Network::merged("baseline", &b)?,
        Network::merged("augmented", &a)?,
    ))
}

/// The study cases of a baseline/augmented pair: one per system with stations in both
/// networks (the stations that track it, [`Network::tracking_part`]), then, when more than one
/// such case exists, all those systems with all stations. A system without a station in either
/// network has no case (nothing to compare); no case at all is an error naming the systems.
pub fn study_cases(
    systems: &[Constellation],
    baseline: &Network,
    augmented: &Network,
) -> Result<Vec<StudyCase>, NetworkError> {
    let mut cases = Vec::new();
    for &c in systems {
        if let (Some(b), Some(a)) = (baseline.tracking_part(c)?, augmented.tracking_part(c)?) {
            cases.push(StudyCase::new(&[c], b, a));
        }
    }
    if cases.len() > 1 {
        let with: Vec<Constellation> = cases.iter().flat_map(|c| c.systems.clone()).collect();
        cases.push(StudyCase::new(&with, baseline.clone(), augmented.clone()));
    }
    if cases.is_empty() {
        return Err(NetworkError::Mismatch {
            reason: format!(
                "no station of \"{}\" and \"{}\" tracks {}: nothing to compare",
                baseline.name(),
                augmented.name(),
                systems
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        });
    }
    Ok(cases)
}

/// User-side settings of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudySettings {
    /// A satellite is monitored at an epoch when seen by ≥ this many own-system stations.
    pub min_stations: u16,
    /// Range error σ(age) per satellite kind.
    pub models: RangeErrorModels,
    /// Users' elevation mask.
    pub user_mask: ElevationMask,
    /// Users' receiver-clock model (matters for the combined case).
    pub clock: ClockModel,
    /// Availability threshold on PDOP.
    pub availability_pdop_max: f64,
    /// Run user coverage over a span that leaves the orbit data, no-data epochs left out and
    /// counted ([`crate::coverage::CoverageConfig::allow_no_data`]); default false (refused).
    pub allow_no_data: bool,
}

impl Default for StudySettings {
    /// k = 1, default range-error models, 5° user mask (the GLONASS operator's availability
    /// definition), one clock per constellation, PDOP ≤ 6.
    fn default() -> Self {
        StudySettings {
            min_stations: 1,
            models: RangeErrorModels::default(),
            user_mask: ElevationMask::Constant {
                min_elevation_deg: crate::defaults::USER_MASK_DEG,
            },
            clock: ClockModel::PerConstellation,
            availability_pdop_max: crate::defaults::AVAILABILITY_PDOP_MAX,
            allow_no_data: false,
        }
    }
}

/// Everything computed for one network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOutcome {
    /// Network name.
    pub network: String,
    /// Number of stations.
    pub stations: usize,
    /// Tracking of the case's satellites (those with at least one state in the span).
    pub tracking: TrackingReport,
    /// Coverage counting only monitored satellites (PDOP, HDOP, VDOP).
    pub monitored: CoverageResult,
    /// Coverage with every satellite weighted by σ(age) (PDOP, position error in m).
    pub weighted: CoverageResult,
    /// Headline figures.
    pub summary: OutcomeSummary,
}

/// Headline figures of one network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    /// Mean over satellites of the tracked fraction.
    pub mean_tracked_fraction: f64,
    /// Mean over satellites of the longest untracked run, s.
    pub mean_longest_gap_s: f64,
    /// Longest untracked run of any satellite, s.
    pub max_longest_gap_s: f64,
    /// Area-mean number of monitored satellites above the user mask.
    pub monitored_visible_mean: f64,
    /// Area-mean monitored availability (fraction of epochs).
    pub monitored_availability: f64,
    /// Fraction of the area with monitored availability 100 %.
    pub monitored_full_area_fraction: f64,
    /// Area mean of the per-cell mean predicted 3-D error, m.
    pub predicted_error_mean_m: Option<f64>,
    /// Area mean of the per-cell 95th-percentile predicted 3-D error, m.
    pub predicted_error_p95_m: Option<f64>,
}

/// One grid point under both networks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CellDelta {
    /// The point.
    pub site: Geodetic,
    /// Area weight of the point.
    pub weight: f64,
    /// Monitored availability with the baseline network.
    pub availability_baseline: f64,
    /// Monitored availability with the augmented network.
    pub availability_augmented: f64,
    /// Mean predicted 3-D error with the baseline network, m.
    pub error_baseline_m: Option<f64>,
    /// Mean predicted 3-D error with the augmented network, m.
    pub error_augmented_m: Option<f64>,
}

impl CellDelta {
    /// Change of monitored availability (augmented − baseline; positive is better).
    pub fn delta_availability(&self) -> f64 {
        self.availability_augmented - self.availability_baseline
    }

    /// Change of mean predicted error, m (augmented − baseline; negative is better).
    pub fn delta_error_m(&self) -> Option<f64> {
        Some(self.error_augmented_m? - self.error_baseline_m?)
    }
}

/// One satellite of a study as a flat table row (CSV), baseline and augmented side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SatelliteRow {
    /// Satellite.
    pub sat: String,
    /// Kind label (MEO, IGSO, GEO, GLONASS).
    pub kind: String,
    /// Tracked fraction with the baseline network.
    pub tracked_baseline: f64,
    /// Tracked fraction with the augmented network.
    pub tracked_augmented: f64,
    /// Change of the tracked fraction (augmented − baseline).
    pub delta_tracked: f64,
    /// Longest untracked run with the baseline network, h.
    pub longest_gap_baseline_h: f64,
    /// Longest untracked run with the augmented network, h.
    pub longest_gap_augmented_h: f64,
    /// Change of the longest untracked run, h.
    pub delta_longest_gap_h: f64,
    /// Tracking passes with the baseline network.
    pub passes_baseline: usize,
    /// Tracking passes with the augmented network.
    pub passes_augmented: usize,
}

impl From<&SatComparison> for SatelliteRow {
    fn from(c: &SatComparison) -> Self {
        SatelliteRow {
            sat: c.sat.to_string(),
            kind: c.baseline.kind.label(),
            tracked_baseline: c.baseline.tracked_fraction,
            tracked_augmented: c.augmented.tracked_fraction,
            delta_tracked: c.delta_tracked_fraction(),
            longest_gap_baseline_h: c.baseline.longest_gap_s / 3600.0,
            longest_gap_augmented_h: c.augmented.longest_gap_s / 3600.0,
            delta_longest_gap_h: c.delta_longest_gap_s() / 3600.0,
            passes_baseline: c.baseline.passes,
            passes_augmented: c.augmented.passes,
        }
    }
}

/// One grid point of a study as a flat table row (CSV).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRow {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Area weight.
    pub weight: f64,
    /// Monitored availability, baseline.
    pub availability_baseline: f64,
    /// Monitored availability, augmented.
    pub availability_augmented: f64,
    /// Change of monitored availability.
    pub delta_availability: f64,
    /// Mean predicted 3-D error, baseline, m.
    pub error_baseline_m: Option<f64>,
    /// Mean predicted 3-D error, augmented, m.
    pub error_augmented_m: Option<f64>,
    /// Change of the mean predicted error, m.
    pub delta_error_m: Option<f64>,
}

/// Result of [`run_study`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyResult {
    /// Case label.
    pub label: String,
    /// Systems.
    pub systems: Vec<Constellation>,
    /// Orbit source description.
    pub source: String,
    /// Time span.
    pub span: TimeSpan,
    /// Settings used.
    pub settings: StudySettings,
    /// Number of grid points.
    pub grid_points: usize,
    /// Baseline network.
    pub baseline: NetworkOutcome,
    /// Augmented network.
    pub augmented: NetworkOutcome,
    /// Per-satellite and per-system tracking comparison.
    pub comparison: Comparison,
    /// Per grid point, in grid order.
    pub cells: Vec<CellDelta>,
    /// Area fraction where monitored availability rose (by more than 1e-9).
    pub area_availability_up: f64,
    /// Area fraction where monitored availability fell (by more than 1e-9).
    pub area_availability_down: f64,
    /// Area fraction where the mean predicted error fell (by more than 1 mm).
    pub area_error_down: f64,
    /// Area fraction where the mean predicted error rose (by more than 1 mm).
    pub area_error_up: f64,
}

/// Progress callback of a study: (stage label, rows done, rows total).
pub type StudyProgress<'p> = &'p (dyn Fn(&str, usize, usize) + Sync);

/// Keep only the case's satellites that have a state somewhere in the span.
fn restrict(mut r: TrackingReport, systems: &[Constellation]) -> TrackingReport {
    r.satellites
        .retain(|s| systems.contains(&s.sat.constellation()) && s.epochs_with_state > 0);
    r.no_data_satellite_epochs = r.satellites.iter().map(|s| s.no_data_epochs as u64).sum();
    r
}

fn summarise(
    tracking: &TrackingReport,
    mon: &CoverageResult,
    w: &CoverageResult,
) -> OutcomeSummary {
    let n = tracking.satellites.len().max(1) as f64;
    let ms = mon.summary(None);
    let ws = w.summary(None);
    let err = ws.as_ref().and_then(|s| s.get(DopKind::PositionErrorM));
    OutcomeSummary {
        mean_tracked_fraction: tracking
            .satellites
            .iter()
            .map(|s| s.tracked_fraction)
            .sum::<f64>()
            / n,
        mean_longest_gap_s: tracking
            .satellites
            .iter()
            .map(|s| s.longest_gap_s)
            .sum::<f64>()
            / n,
        max_longest_gap_s: tracking
            .satellites
            .iter()
            .map(|s| s.longest_gap_s)
            .fold(0.0, f64::max),
        monitored_visible_mean: ms.as_ref().map_or(0.0, |s| s.visible_mean),
        monitored_availability: ms.as_ref().map_or(0.0, |s| s.availability_mean),
        monitored_full_area_fraction: ms
            .as_ref()
            .map_or(0.0, |s| s.full_availability_area_fraction),
        predicted_error_mean_m: err.map(|d| d.mean),
        predicted_error_p95_m: err.map(|d| d.p95_mean),
    }
}

fn error_mean(r: &CoverageResult, i: usize) -> Option<f64> {
    Some(r.points[i].get(DopKind::PositionErrorM)?.mean)
}

/// Run one case: tracking and monitoring tables of both networks on `samples`, the
/// comparison, monitored-only and error-weighted coverage of `source` on `grid` over the
/// samples' span, and per-cell differences.
///
/// `samples` must come from `source` (all satellites of the case's systems). Four coverage
/// runs are made; `progress` receives each one's rows.
///
/// The four coverage grids are computed by `runner`: [`crate::coverage::Local`] in this process,
/// or one shard of a sharded run, or the merge of shards computed elsewhere.
pub fn run_study(
    runner: &dyn GridRunner,
    source: &dyn OrbitSource,
    samples: &OrbitSamples,
    grid: &Grid,
    case: &StudyCase,
    settings: &StudySettings,
    progress: Option<StudyProgress<'_>>,
) -> Result<StudyResult, NetworkError> {
    let span = *samples.span();
    let mut cfg = coverage_config_for(&span, case.systems.clone());
    cfg.mask = settings.user_mask.clone();
    cfg.clock = settings.clock;
    cfg.availability_pdop_max = settings.availability_pdop_max;
    cfg.allow_no_data = settings.allow_no_data;
    let sources: [&dyn OrbitSource; 1] = [source];
    let one = |net: &Network, tag: &str| -> Result<NetworkOutcome, NetworkError> {
        let analysis = NetworkAnalysis::new(samples, net);
        let tracking = restrict(analysis.tracking(settings.min_stations)?, &case.systems);
        let table = analysis.monitoring_table(settings.min_stations)?;
        let sigmas = table.sigma_table(&settings.models);
        let stage_m = format!("{tag} monitored-only");
        let stage_w = format!("{tag} error-weighted");
        let pm = progress.map(|p| move |d: usize, t: usize| p(&stage_m, d, t));
        let pw = progress.map(|p| move |d: usize, t: usize| p(&stage_w, d, t));
        let mut c = cfg.clone();
        c.dop_kinds = vec![DopKind::Pdop, DopKind::Hdop, DopKind::Vdop];
        let job = UserJob {
            sources: &sources,
            grid,
            cfg: &c,
            table: &table,
            weighting: Weighting::MonitoredOnly,
            progress: pm.as_ref().map(|f| f as &dyn crate::coverage::Progress),
        };
        let monitored = user_coverage(runner, job)?;
        c.dop_kinds = vec![DopKind::Pdop, DopKind::PositionErrorM];
        let job = UserJob {
            sources: &sources,
            grid,
            cfg: &c,
            table: &table,
            weighting: Weighting::ErrorWeighted(&sigmas),
            progress: pw.as_ref().map(|f| f as &dyn crate::coverage::Progress),
        };
        let weighted = user_coverage(runner, job)?;
        let summary = summarise(&tracking, &monitored, &weighted);
        Ok(NetworkOutcome {
            network: net.name().to_string(),
            stations: net.len(),
            tracking,
            monitored,
            weighted,
            summary,
        })
    };
    let baseline = one(&case.baseline, "baseline")?;
    let augmented = one(&case.augmented, "augmented")?;
    let comparison = compare(&baseline.tracking, &augmented.tracking)?;
    let cells: Vec<CellDelta> = (0..grid.len())
        .map(|i| CellDelta {
            site: baseline.monitored.points[i].site,
            weight: baseline.monitored.weights[i],
            availability_baseline: baseline.monitored.points[i].availability,
            availability_augmented: augmented.monitored.points[i].availability,
            error_baseline_m: error_mean(&baseline.weighted, i),
            error_augmented_m: error_mean(&augmented.weighted, i),
        })
        .collect();
    let wsum: f64 = cells.iter().map(|c| c.weight).sum();
    let area = |f: &dyn Fn(&CellDelta) -> bool| {
        if wsum > 0.0 {
            // `+ 0.0`: an empty f64 sum is −0.0.
            cells.iter().filter(|c| f(c)).map(|c| c.weight).sum::<f64>() / wsum + 0.0
        } else {
            0.0
        }
    };
    Ok(StudyResult {
        label: case.label.clone(),
        systems: case.systems.clone(),
        source: samples.describe().to_string(),
        span,
        settings: settings.clone(),
        grid_points: grid.len(),
        area_availability_up: area(&|c| c.delta_availability() > 1e-9),
        area_availability_down: area(&|c| c.delta_availability() < -1e-9),
        area_error_down: area(&|c| c.delta_error_m().is_some_and(|d| d < -1e-3)),
        area_error_up: area(&|c| c.delta_error_m().is_some_and(|d| d > 1e-3)),
        baseline,
        augmented,
        comparison,
        cells,
    })
}

fn opt(v: Option<f64>, prec: usize) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.prec$}"))
}

fn opt_delta(a: Option<f64>, b: Option<f64>, prec: usize) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:+.prec$}", b - a),
        _ => "-".to_string(),
    }
}

impl StudyResult {
    /// The per-satellite comparison as table rows.
    pub fn satellite_rows(&self) -> Vec<SatelliteRow> {
        self.comparison
            .per_satellite
            .iter()
            .map(SatelliteRow::from)
            .collect()
    }

    /// The grid points as table rows, in grid order.
    pub fn cell_rows(&self) -> Vec<CellRow> {
        self.cells
            .iter()
            .map(|c| CellRow {
                lat_deg: c.site.lat_deg,
                lon_deg: c.site.lon_deg,
                weight: c.weight,
                availability_baseline: c.availability_baseline,
                availability_augmented: c.availability_augmented,
                delta_availability: c.delta_availability(),
                error_baseline_m: c.error_baseline_m,
                error_augmented_m: c.error_augmented_m,
                delta_error_m: c.delta_error_m(),
            })
            .collect()
    }

    /// The headline before/after table (without the per-satellite rows).
    pub fn headline(&self) -> String {
        let (b, a) = (&self.baseline.summary, &self.augmented.summary);
        let mut s = String::new();
        let span_h = self.span.n_epochs as f64 * self.span.step_s() / 3600.0;
        s += &format!(
            "{}: '{}' ({} stations) -> '{}' ({} stations)\n",
            self.label,
            self.baseline.network,
            self.baseline.stations,
            self.augmented.network,
            self.augmented.stations
        );
        s += &format!(
            "  {} satellites, {:.1} h from {} every {} s, {} grid points; tracked = seen by >= {} \
             station(s); availability: monitored satellites give PDOP <= {}\n",
            self.baseline.tracking.satellites.len(),
            span_h,
            self.span.start.to_time_scale(hifitime::TimeScale::UTC),
            self.span.step_s(),
            self.grid_points,
            self.settings.min_stations,
            self.settings.availability_pdop_max
        );
        s += &format!(
            "  {:<40} {:>10} {:>10} {:>10}\n",
            "figure", "baseline", "augmented", "change"
        );
        let mut row = |name: &str, x: String, y: String, d: String| {
            s += &format!("  {name:<40} {x:>10} {y:>10} {d:>10}\n");
        };
        let pct = |v: f64| format!("{:.2}", 100.0 * v);
        let dpct = |x: f64, y: f64| format!("{:+.2}", 100.0 * (y - x));
        let h = |v: f64| format!("{:.2}", v / 3600.0);
        let dh = |x: f64, y: f64| format!("{:+.2}", (y - x) / 3600.0);
        row(
            "mean tracked fraction %",
            pct(b.mean_tracked_fraction),
            pct(a.mean_tracked_fraction),
            dpct(b.mean_tracked_fraction, a.mean_tracked_fraction),
        );
        row(
            "mean longest gap h",
            h(b.mean_longest_gap_s),
            h(a.mean_longest_gap_s),
            dh(b.mean_longest_gap_s, a.mean_longest_gap_s),
        );
        row(
            "worst longest gap h",
            h(b.max_longest_gap_s),
            h(a.max_longest_gap_s),
            dh(b.max_longest_gap_s, a.max_longest_gap_s),
        );
        row(
            "monitored satellites in view (mean)",
            format!("{:.2}", b.monitored_visible_mean),
            format!("{:.2}", a.monitored_visible_mean),
            format!(
                "{:+.2}",
                a.monitored_visible_mean - b.monitored_visible_mean
            ),
        );
        row(
            "monitored availability % (area mean)",
            pct(b.monitored_availability),
            pct(a.monitored_availability),
            dpct(b.monitored_availability, a.monitored_availability),
        );
        row(
            "area with 100 % monitored availability %",
            pct(b.monitored_full_area_fraction),
            pct(a.monitored_full_area_fraction),
            dpct(
                b.monitored_full_area_fraction,
                a.monitored_full_area_fraction,
            ),
        );
        row(
            "predicted 3-D error, mean m",
            opt(b.predicted_error_mean_m, 2),
            opt(a.predicted_error_mean_m, 2),
            opt_delta(b.predicted_error_mean_m, a.predicted_error_mean_m, 2),
        );
        row(
            "predicted 3-D error, p95 m (area mean)",
            opt(b.predicted_error_p95_m, 2),
            opt(a.predicted_error_p95_m, 2),
            opt_delta(b.predicted_error_p95_m, a.predicted_error_p95_m, 2),
        );
        s += &format!(
            "  area where monitored availability rose {:.1} %, fell {:.1} %; predicted error fell \
             {:.1} %, rose {:.1} %\n",
            100.0 * self.area_availability_up,
            100.0 * self.area_availability_down,
            100.0 * self.area_error_down,
            100.0 * self.area_error_up
        );
        s
    }
}

impl fmt::Display for StudyResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        writeln!(f)?;
        write!(f, "{}", self.comparison)
    }
}
