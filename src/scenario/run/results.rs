//! The typed content of `results.json`: one [`Results`] per run, one optional part per stage.
//!
//! Every stage fills its part of a [`Results`]; the file is written from it with serde and
//! reads back into it ([`Results::from_file`]). Key names are the field names (the fields of
//! the structs defined here are in alphabetical order). A stage that did not run leaves its
//! key out. DOP values are named fields ([`crate::coverage::ByFigure`]: `"dop": {"pdop":
//! {…}, "hdop": {…}}`, a figure without a value left out) read by kind
//! (`summary.get(DopKind::Pdop)`); each coverage entry carries the [`CoverageConfig`] it was
//! computed with.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StageTime;
use crate::coverage::{CoverageConfig, CoverageSummary, PointStats, Region};
use crate::id::{Constellation, SatId};
use crate::network::{Comparison, OutcomeSummary, Station, TrackingRow};
use crate::orbit::states::StatesSummary;
use crate::realised::RealisedSummary;
use crate::time::Reconciliation;

/// Everything a scenario run computed (the content of `results.json`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Results {
    /// The plain-language answer lines at the top of the report.
    pub answer: Vec<String>,
    /// Stage coverage (`[grid]` and/or `[[sites]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageResults>,
    /// Stage layout search (`[layout_search]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout_search: Option<LayoutResults>,
    /// Stage monitor (`[monitor]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor: Option<MonitorResults>,
    /// Stage networks (`[networks]` with something to compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub networks: Option<NetworksResults>,
    /// Stage satellites (`[satellites]`): the satellite-state table's summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satellites: Option<StatesSummary>,
    /// The scenario and the software.
    pub scenario: ScenarioInfo,
    /// Wall-clock time of each stage.
    pub stage_seconds: Vec<StageTime>,
    /// Stage timescales (`[timescales]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timescales: Option<TimescalesResults>,
    /// Satellite-epochs outside the orbit data left out of the networks' tracking (only when
    /// there were some).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_no_data_satellite_epochs: Option<u64>,
    /// Stage validation (`[validation]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationResults>,
}

impl Results {
    /// Read a `results.json` back.
    pub fn from_file(path: &Path) -> crate::Result<Results> {
        let text = std::fs::read_to_string(path).map_err(|source| super::RunError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| {
            super::RunError::Results {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
            .into()
        })
    }
}

/// The scenario and the software of a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// Scenario description.
    pub description: String,
    /// Inputs (item → value), as in the report's "Inputs and software" table.
    pub inputs: BTreeMap<String, String>,
    /// Scenario name.
    pub name: String,
    /// Software name and version.
    pub software: String,
}

/// Coverage of the grid and of the sites, per clock model.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CoverageResults {
    /// Grid summary per clock model.
    pub grid: Vec<GridCoverage>,
    /// Statistics per site and clock model.
    pub sites: Vec<SiteCoverage>,
}

/// Area-weighted summary of the grid under one clock model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCoverage {
    /// Clock model label.
    pub clock: String,
    /// The configuration the grid was computed with.
    pub config: CoverageConfig,
    /// The summary (DOP figures by kind: [`CoverageSummary::get`]).
    pub summary: CoverageSummary,
}

/// Statistics of one site under one clock model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteCoverage {
    /// Clock model label.
    pub clock: String,
    /// The configuration the sites were computed with.
    pub config: CoverageConfig,
    /// Site name.
    pub site: String,
    /// The statistics (DOP figures by kind: [`PointStats::get`]).
    pub stats: PointStats,
}

/// Broadcast time offsets: BDT − GLONASST by each path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimescalesResults {
    /// Per epoch, every path.
    pub epochs: Vec<Reconciliation>,
    /// The navigation file.
    pub nav: String,
    /// As realised by precise clocks (with `clk`/`sp3` products).
    pub realised: Option<RealisedSummary>,
    /// RINEX version of the navigation file.
    pub rinex_version: f64,
}

/// One row of the validation tables (a group or a satellite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationRow {
    /// Along-track RMS, m.
    pub along_rms_m: f64,
    /// Cross-track RMS, m.
    pub cross_rms_m: f64,
    /// Group label.
    pub group: String,
    /// Largest 3-D difference, m.
    pub max_3d_m: f64,
    /// Median 3-D difference, m.
    pub median_3d_m: f64,
    /// Epochs compared.
    pub n: usize,
    /// Group or satellite.
    pub name: String,
    /// 95th percentile of the 3-D difference, m.
    pub p95_3d_m: f64,
    /// Radial mean, m.
    pub radial_mean_m: f64,
    /// Radial RMS, m.
    pub radial_rms_m: f64,
    /// 3-D RMS, m.
    pub rms_3d_m: f64,
    /// Satellites.
    pub satellites: usize,
}

/// Broadcast − precise orbits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationResults {
    /// Epochs compared.
    pub epochs: usize,
    /// Per group.
    pub groups: Vec<ValidationRow>,
    /// Satellites only in the broadcast source.
    pub only_in_broadcast: Vec<SatId>,
    /// Satellites only in the precise source.
    pub only_in_precise: Vec<SatId>,
    /// The precise source.
    pub reference: String,
    /// Per satellite.
    pub satellites: Vec<ValidationRow>,
    /// Satellite-epochs skipped (no state in one of the sources).
    pub skipped_satellite_epochs: usize,
    /// Step, s.
    pub step_s: f64,
    /// The broadcast source.
    pub test: String,
}

/// The layout search: the library's [`LayoutOutcome`](crate::network::LayoutOutcome).
pub type LayoutResults = crate::network::LayoutOutcome;

/// A network by name and stations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkStations {
    /// Network name.
    pub name: String,
    /// Its stations.
    pub stations: Vec<Station>,
}

/// Baseline versus augmented monitoring network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworksResults {
    /// The augmented network.
    pub augmented: NetworkStations,
    /// The baseline network.
    pub baseline: NetworkStations,
    /// Tracking comparison.
    pub comparison: Comparison,
    /// Span, hours.
    pub span_hours: f64,
    /// User side per study case.
    pub studies: Vec<NetworkStudy>,
}

/// One network of a study case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudySide {
    /// Network name.
    pub network: String,
    /// Number of stations.
    pub stations: usize,
    /// Headline figures.
    pub summary: OutcomeSummary,
}

/// User side of one study case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkStudy {
    /// Area fraction where monitored availability fell.
    pub area_availability_down: f64,
    /// Area fraction where monitored availability rose.
    pub area_availability_up: f64,
    /// Area fraction where the mean predicted error fell.
    pub area_error_down: f64,
    /// Area fraction where the mean predicted error rose.
    pub area_error_up: f64,
    /// The augmented network.
    pub augmented: StudySide,
    /// The baseline network.
    pub baseline: StudySide,
    /// Case label.
    pub label: String,
    /// Per region (the whole grid first).
    pub regions: Vec<RegionStudy>,
    /// Systems of the case.
    pub systems: Vec<Constellation>,
}

/// Summaries of one region for both networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionStudy {
    /// The region (`None`: the whole grid).
    pub bounds: Option<Region>,
    /// Error-weighted coverage, augmented network.
    pub error_augmented: CoverageSummary,
    /// Error-weighted coverage, baseline network.
    pub error_baseline: CoverageSummary,
    /// Monitored-only coverage, augmented network.
    pub monitored_augmented: CoverageSummary,
    /// Monitored-only coverage, baseline network.
    pub monitored_baseline: CoverageSummary,
    /// Region name.
    pub region: String,
}

/// Tracking of the satellites by one network (`[monitor]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorResults {
    /// Mean over the satellites of their longest gap, hours.
    pub mean_longest_gap_h: f64,
    /// Mean over the satellites of the tracked fraction.
    pub mean_tracked_fraction: f64,
    /// Stations needed at once for a satellite to count as tracked.
    pub min_stations: u16,
    /// The network (catalog name or file).
    pub network: String,
    /// Satellite-epochs outside the orbit data (left out of the fractions).
    pub no_data_satellite_epochs: u64,
    /// One row per satellite (the rows of `tracking.csv`).
    pub satellites: Vec<TrackingRow>,
    /// Number of stations.
    pub stations: usize,
    /// Longest gap of any satellite, hours.
    pub worst_gap_h: f64,
}
