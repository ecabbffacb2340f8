//! The validated, typed scenario: what a runner needs, with defaults applied, dates parsed
//! to [`Epoch`]s, file paths resolved and checked to exist. Built only by
//! [`Scenario::from_file`](super::Scenario::from_file) /
//! [`Scenario::from_toml_str`](super::Scenario::from_toml_str), so every value here has
//! passed validation.
//!
//! Where the library has a type for a value (time scale, span, region, clock model, grid
//! layout, network reference) the scenario uses it; the rest is the scenario's own vocabulary,
//! which the runner maps onto the library's configurations.

use std::path::PathBuf;

use hifitime::{Duration, Epoch};

pub use crate::coverage::GridLayout;
use crate::id::Constellation;
use crate::time::{Scale, TimeSpan};

/// A whole study, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Slug (`[a-z0-9_-]+`), used as the output directory name.
    pub name: String,
    /// Free text from the file (empty when absent).
    pub description: String,
    /// Directory that relative paths of the file were resolved against.
    pub base_dir: PathBuf,
    /// `[time]`: the study span, if any.
    pub time: Option<TimeSection>,
    /// `[orbits]`: where satellite states come from, if any.
    pub orbits: Option<Orbits>,
    /// `[user]`: user mask and clock model (defaults when the section is absent).
    pub user: UserConfig,
    /// `[grid]`: the map grid, if any. Coverage runs when there is a grid or sites.
    pub grid: Option<Grid>,
    /// `[[sites]]`: named user sites (time series, sky plots).
    pub sites: Vec<Site>,
    /// `[networks]`: monitoring networks to compare, if any.
    pub networks: Option<Networks>,
    /// `[error_model]`: overrides of the age-of-data range-error model (all `None` = the
    /// network module's defaults).
    pub error_model: ErrorModel,
    /// `[layout_search]`: where to put new stations, if asked.
    pub layout_search: Option<LayoutSearch>,
    /// `[timescales]`: time-scale reconciliation from a navigation file, if asked.
    pub timescales: Option<Timescales>,
    /// `[validation]`: broadcast versus precise orbit comparison, if asked.
    pub validation: Option<BroadcastValidation>,
    /// `[satellites]`: the state of every satellite at every epoch, if asked.
    pub satellites: Option<SatelliteTable>,
    /// `[monitor]`: how one network tracks each satellite, if asked.
    pub monitor: Option<Monitor>,
    /// `[outputs]`: what to write.
    pub outputs: Outputs,
}

impl Scenario {
    /// Whether the coverage stage runs (a grid or at least one site, with orbits and a span).
    pub fn runs_coverage(&self) -> bool {
        self.grid.is_some() || !self.sites.is_empty()
    }
}

/// `[time]`: the study span as written — `start ≤ t ≤ end` every `step_s` seconds, the end
/// rule of [`crate::time::TimeSpan::through`] — and the scale it was written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeSection {
    /// First epoch.
    pub start: Epoch,
    /// Last instant (an epoch when the span is a whole number of steps).
    pub end: Epoch,
    /// Step between epochs, seconds (> 0).
    pub step_s: f64,
    /// Scale `start` was written in (UTC when it had no suffix), for reporting times the way
    /// the user wrote them.
    pub scale: Scale,
}

impl TimeSection {
    /// The span's epochs as the crate's one [`TimeSpan`].
    pub fn span(&self) -> TimeSpan {
        TimeSpan::through(self.start, self.end, Duration::from_seconds(self.step_s)).unwrap_or(
            TimeSpan {
                start: self.start,
                step: Duration::from_seconds(self.step_s),
                n_epochs: 1,
            },
        )
    }

    /// Number of epochs `start, start + step, …` not after `end`:
    /// n = ⌊(end − start) / step⌋ + 1.
    pub fn epoch_count(&self) -> usize {
        self.span().n_epochs
    }

    /// The epochs of the span.
    pub fn epochs(&self) -> Vec<Epoch> {
        self.span().epochs()
    }
}

/// Where satellite states come from: the library's [`OrbitSpec`](crate::orbit::open::OrbitSpec),
/// whose `label()` names the source in every output (`nominal`, `nav:FILE`, …).
pub use crate::orbit::open::OrbitSpec;

/// `[orbits]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Orbits {
    /// The source (paths resolved: globs and directories expanded; long-span days 1 ..= 60,
    /// `orbit::longspan::MAX_SPAN_DAYS`).
    pub source: OrbitSpec,
    /// Systems studied: a non-empty subset of BeiDou and GLONASS, in file order, no duplicates.
    pub systems: Vec<Constellation>,
    /// `allow_no_data`: run a span that leaves the orbit data, those epochs left out of the
    /// statistics and counted as "no data" (default false: refused, naming the intervals).
    pub allow_no_data: bool,
    /// `exclude_predicted` (SP3 sources only): leave out records flagged predicted, so only
    /// observed orbits are used; the epochs only predictions cover become "no data".
    pub exclude_predicted: bool,
}

/// User elevation mask: the library's [`ElevationMask`](crate::geometry::ElevationMask) (a
/// constant `min_elevation_deg`, or an azimuth table; scenario files hold the constant in
/// [0, 90)).
pub use crate::geometry::{AzimuthMask, ElevationMask};

/// Receiver clock model for DOP, written `"common"`, `"per-system"`, `"known-offset"`: the
/// library's one clock-model name.
pub use crate::geometry::ClockChoice;

/// `[user]`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserConfig {
    /// Elevation mask (default 5°, the GLONASS operator's availability mask, glonass-iac.ru).
    pub mask: ElevationMask,
    /// Clock model (default per-system: combined geometry needs an inter-system term unless
    /// the offset is known).
    pub clock: ClockChoice,
    /// 1-σ of the known inter-system offset, nanoseconds (with known-offset or
    /// compare_clocks; default the broadcast-offset floor, `time::BROADCAST_OFFSET_FLOOR_NS`).
    pub isb_sigma_ns: Option<f64>,
    /// PDOP at or below which a point counts as available (default 6, glonass-iac.ru).
    pub pdop_threshold: f64,
    /// Run all three clock models side by side.
    pub compare_clocks: bool,
}

/// Default PDOP availability threshold: [`crate::defaults::AVAILABILITY_PDOP_MAX`] (6).
pub use crate::defaults::AVAILABILITY_PDOP_MAX as DEFAULT_PDOP_THRESHOLD;
/// Default user mask, degrees: [`crate::defaults::USER_MASK_DEG`] (5°, glonass-iac.ru).
pub use crate::defaults::USER_MASK_DEG as DEFAULT_MASK_DEG;

impl Default for UserConfig {
    fn default() -> Self {
        UserConfig {
            mask: ElevationMask::Constant {
                min_elevation_deg: DEFAULT_MASK_DEG,
            },
            clock: ClockChoice::PerSystem,
            isb_sigma_ns: None,
            pdop_threshold: DEFAULT_PDOP_THRESHOLD,
            compare_clocks: false,
        }
    }
}

/// A latitude/longitude box: the crate's one [`Region`](crate::frames::Region) (a box runs
/// east from `lon_min` to `lon_max`; `lon_max < lon_min` or `lon_max > 180` crosses 180°).
pub use crate::frames::Region;

/// `[grid]`: a regular latitude/longitude grid of user points (step, region — default
/// global —, height — default 0 m — and layout — default the library's,
/// [`GridLayout::default`]), the library's [`GridSpec`](crate::coverage::GridSpec).
pub use crate::coverage::GridSpec as Grid;

/// A named user site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Unique name.
    pub name: String,
    /// Geodetic latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Ellipsoidal height, metres.
    pub height_m: f64,
}

/// A network reference of `[networks]`: the library's one type.
pub use crate::network::NetworkRef;

/// A station added by the scenario: the library's [`Station`](crate::network::Station)
/// (validated, each station's default 5° mask unless `tracking_mask_deg` sets every mask).
pub use crate::network::Station;

/// `[networks]`. The augmented network is
/// `baseline ∪ augmented ∪ add − remove`; the baseline is `baseline` alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Networks {
    /// The reference network (non-empty).
    pub baseline: Vec<NetworkRef>,
    /// Catalogs added on top of the baseline for the comparison.
    pub augmented: Vec<NetworkRef>,
    /// Individual stations added to the augmented network.
    pub add: Vec<Station>,
    /// Station ids removed from the augmented network.
    pub remove: Vec<String>,
    /// Elevation above which every station tracks a satellite, degrees; `None`: each
    /// station's own mask (5°, `defaults::STATION_MASK_DEG`, unless its file gives one), as
    /// `compare-layouts` without `--station-mask-deg`.
    pub tracking_mask_deg: Option<f64>,
    /// Stations that must track a satellite at once for it to count as monitored (≥ 1).
    pub min_stations: u32,
}

impl Networks {
    /// Whether there is an augmented network to compare against the baseline.
    pub fn has_comparison(&self) -> bool {
        !self.augmented.is_empty() || !self.add.is_empty() || !self.remove.is_empty()
    }
}

/// `[error_model]`: overrides of σ(age) = σ₀ + growth·age, capped at `max_sigma_m`.
/// `None` keeps the network module's default.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ErrorModel {
    /// σ₀ for BeiDou MEO, metres.
    pub sigma0_bds_meo_m: Option<f64>,
    /// σ₀ for BeiDou IGSO, metres.
    pub sigma0_bds_igso_m: Option<f64>,
    /// σ₀ for BeiDou GEO, metres.
    pub sigma0_bds_geo_m: Option<f64>,
    /// σ₀ for GLONASS, metres.
    pub sigma0_glonass_m: Option<f64>,
    /// Growth with age of data, metres per hour.
    pub growth_m_per_h: Option<f64>,
    /// Cap, metres.
    pub max_sigma_m: Option<f64>,
}

/// A candidate site read from a candidates CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateSite {
    /// Identifier (`id` column).
    pub id: String,
    /// Name (`name` column, else the id).
    pub name: String,
    /// Country code (`country` column, else empty).
    pub country: String,
    /// Geodetic latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Ellipsoidal height, metres (`height_m` column, else 0).
    pub height_m: f64,
}

/// Where new stations may go.
#[derive(Debug, Clone, PartialEq)]
pub enum Candidates {
    /// Rows of a CSV file (columns `id, lat_deg, lon_deg`, optional `name, country, height_m`),
    /// filtered by country when `countries` was given.
    File {
        /// Resolved path of the file.
        path: PathBuf,
        /// The candidate sites after filtering (non-empty).
        sites: Vec<CandidateSite>,
    },
    /// Nodes of a regular lattice.
    Lattice {
        /// Extent.
        region: Region,
        /// Spacing, degrees.
        step_deg: f64,
    },
}

impl Candidates {
    /// Number of candidates.
    pub fn len(&self) -> usize {
        match self {
            Candidates::File { sites, .. } => sites.len(),
            Candidates::Lattice { region, step_deg } => region.lattice_len(*step_deg),
        }
    }

    /// Whether there are no candidates (never true after validation).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a layout is scored by and how layouts are searched: the library's types, written
/// `"mean-tracked"`, `"min-tracked"`, `"longest-gap"`, `"mean-longest-gap"` and `"greedy"`,
/// `"exhaustive"`, `"both"` as at every door.
pub use crate::network::{Objective, SearchMethod};

/// `[layout_search]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutSearch {
    /// The system whose monitoring is improved.
    pub system: Constellation,
    /// Where new stations may go.
    pub candidates: Candidates,
    /// Number of new stations (1 ≤ k ≤ candidates).
    pub k: usize,
    /// Score.
    pub objective: Objective,
    /// Method (default greedy).
    pub method: SearchMethod,
}

pub use crate::limits::MAX_EXHAUSTIVE_COMBINATIONS;

/// `[timescales]`: reconcile BDT, GLONASST, GPST and UTC from a navigation file.
#[derive(Debug, Clone, PartialEq)]
pub struct Timescales {
    /// Resolved paths of the navigation files (a list, directory or glob expanded), merged.
    pub nav: Vec<PathBuf>,
    /// Epochs to evaluate; empty means "the `[time]` span".
    pub epochs: Vec<Epoch>,
    /// Precise clock files (RINEX clock) realising the time scales (resolved paths).
    pub clk: Vec<PathBuf>,
    /// SP3 files whose clock columns realise the time scales (resolved paths).
    pub sp3: Vec<PathBuf>,
}

/// `[validation]`: broadcast orbits against precise orbits.
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastValidation {
    /// Resolved paths of the navigation files, merged into one broadcast source.
    pub nav: Vec<PathBuf>,
    /// Resolved paths of the SP3 files, stitched into one precise product.
    pub sp3: Vec<PathBuf>,
    /// Comparison step, seconds; `None` compares at every SP3 epoch.
    pub step_s: Option<f64>,
    /// Systems compared (default BeiDou and GLONASS).
    pub systems: Vec<Constellation>,
}

/// `[satellites]`: the state of each satellite of `[orbits]` at every epoch of `[time]`
/// (the table `gnss-interop satpos` writes: [`crate::orbit::states`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SatelliteTable {
    /// The satellites tabled (`sats`), in file order, each of a system in `orbits.systems`;
    /// empty means every satellite of the source.
    pub sats: Vec<crate::id::SatId>,
}

/// `[monitor]`: how one monitoring network tracks each satellite of `[orbits]` over `[time]`
/// (the table `gnss-interop monitor` writes: [`crate::network::NetworkTracking`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    /// The network: a catalog name or a network file.
    pub network: NetworkRef,
    /// Elevation above which every station tracks a satellite, degrees; `None`: each
    /// station's own mask, as in `[networks]` and `monitor` without `--station-mask-deg`.
    pub tracking_mask_deg: Option<f64>,
    /// Stations that must track a satellite at once for it to count as tracked (≥ 1,
    /// default 1).
    pub min_stations: u32,
}

/// `[outputs]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// PNG maps of the grid (default false; needs `[grid]`).
    pub maps: bool,
    /// Site (a `[[sites]]` name) for a sky plot.
    pub sky_plot_site: Option<String>,
    /// CSV tables (default true).
    pub csv: bool,
    /// JSON summary (default true).
    pub json: bool,
    /// Sites (`[[sites]]` names) whose DOP time series are written.
    pub series_sites: Vec<String>,
    /// Per-point CSV and GeoJSON cells of the grid: `None` (key absent) writes them up to
    /// [`crate::coverage::output::POINT_FILES_MAX_POINTS`] points, `Some(true)` always,
    /// `Some(false)` never (the GeoTIFF is written in every case).
    pub point_files: Option<bool>,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            maps: false,
            sky_plot_site: None,
            csv: true,
            json: true,
            series_sites: Vec::new(),
            point_files: None,
        }
    }
}
