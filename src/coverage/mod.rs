//! Coverage: visibility and DOP over a grid × time, in parallel, with streamed per-point
//! statistics and area-weighted summaries.
//!
//! # How a run works
//!
//! 1. Satellite states are evaluated once per (satellite, epoch), in parallel over epochs, into a
//!    structure-of-arrays table (O(satellites × epochs) memory). A satellite whose source fails at
//!    an epoch is absent at that epoch; the failures are counted per satellite in
//!    [`CoverageResult::satellites`]. An optional [`SatelliteFilter`] decides per (satellite, epoch)
//!    whether it is used and with which σ.
//! 2. Rows of the grid are processed in parallel (rayon); inside a row, epoch by epoch, blocks of
//!    neighbouring points first cull the satellites that cannot be above the mask anywhere in the
//!    block (a conservative cone test), then each point tests the rest exactly and accumulates the
//!    normal matrix shared with [`crate::geometry::dop()`].
//! 3. Per-point statistics are streamed: counts, sums, maxima, and a compact quantile sketch per
//!    figure for the percentiles (see [`sketch`]: relative error ≤ 1.56 % while a point's values
//!    span less than a factor 1.7, bounded and reported per point beyond). The streamed state is
//!    [`state_bytes_per_point`] bytes per point (240 for three figures) and exists only for the
//!    rows in flight; the result holds one [`PointStats`] per point. Memory is O(grid points +
//!    satellites × epochs); nothing of size grid × epochs is ever allocated, unless per-epoch
//!    series are asked for chosen points.
//!
//! Each point's statistics are computed by one task in epoch order and collected in point order,
//! so results are bit-identical for any number of threads.
//!
//! # Definitions
//!
//! - *visible*: satellites with elevation ≥ mask (see [`ElevationMask`]) and passed by the filter.
//! - *available*: a DOP solution exists and PDOP ≤ `availability_pdop_max` (default 6, the GLONASS
//!   operator's definition); *availability* = available epochs / epochs; *longest outage* = the
//!   longest run of consecutive non-available epochs × step.
//! - DOP percentiles are nearest-rank over the epochs **with** a solution (`solution_epochs`).
//! - Frames: states are used in their native ECEF frame (CGCS2000, PZ-90.11, ITRF…), which agree at
//!   the centimetre-to-decimetre level: far below anything that changes a DOP value.
//!
//! # Example
//!
//! One hour of the nominal BDS-3 + GLONASS constellations on a 30° global grid:
//!
//! ```
//! use gnss_interop::coverage::{self, CoverageConfig, Grid, GridLayout};
//! use gnss_interop::id::Constellation;
//! use gnss_interop::orbit::nominal::NominalConstellation;
//! use gnss_interop::orbit::OrbitSource;
//! use hifitime::{Epoch, Unit};
//!
//! let orbits = NominalConstellation::both();
//! let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0)?;
//! let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
//! let cfg = CoverageConfig::new(
//!     vec![Constellation::BeiDou, Constellation::Glonass],
//!     t0,
//!     t0 + Unit::Hour * 1,
//!     Unit::Minute * 15,
//! )
//! .with_mask_deg(10.0)?;
//! let sources: [&dyn OrbitSource; 1] = [&orbits];
//! let result = coverage::run(&sources, &grid, &cfg)?;
//! assert_eq!(result.points.len(), 6 * 12);
//! assert_eq!(result.epochs.len(), 5);
//! let summary = result.summary(None).expect("some points");
//! assert!((0.0..=1.0).contains(&summary.availability_mean));
//! // 54 satellites: at least the 5 a fix with two receiver clocks needs, everywhere.
//! assert!(summary.visible_min >= 5, "{}", summary.visible_min);
//! # Ok::<(), gnss_interop::Error>(())
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use hifitime::{Duration, Epoch};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::frames::{Ellipsoid, Geodetic};
use crate::geometry::{ClockModel, DopFigures, ElevationMask, GeometryError};
use crate::id::{Constellation, SatId};
use crate::orbit::OrbitSource;

mod grid;
pub mod isa;
mod kernel;
pub mod output;
pub mod raster;
pub mod runner;
mod series;
pub mod sketch;
#[doc(hidden)]
pub mod test_constellation;

pub use grid::{Grid, GridLayout, GridSpec};
pub use isa::IsaLevel;
pub use runner::{GridJob, GridRunner, Local};
pub use series::{site_series, SiteSeries, SITE_SERIES_HEADER, SITE_SERIES_KINDS};

/// Errors of coverage runs and grids.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CoverageError {
    /// A sharded run's partial results do not fit the grid being merged, or a computation
    /// that cannot be sharded was asked of a shard.
    #[error("sharded coverage: {reason}")]
    Sharding {
        /// What went wrong.
        reason: String,
    },
    /// Grid step not in (0, 90] degrees.
    #[error("grid step {step_deg}° must be > 0 and ≤ 90")]
    InvalidStep {
        /// The offending step, degrees.
        step_deg: f64,
    },
    /// A latitude outside ±90°.
    #[error("latitude {lat_deg}° is outside ±90°")]
    LatitudeOutOfRange {
        /// The offending latitude, degrees.
        lat_deg: f64,
    },
    /// A non-finite longitude.
    #[error("longitude {lon_deg}° is not finite")]
    InvalidLongitude {
        /// The offending longitude, degrees.
        lon_deg: f64,
    },
    /// A non-finite height.
    #[error("height {height_m} m is not finite")]
    InvalidHeight {
        /// The offending height, m.
        height_m: f64,
    },
    /// A region that holds no grid point.
    #[error("region lat {lat_min_deg}…{lat_max_deg}°, lon {lon_min_deg}…{lon_max_deg}° holds no grid point (or spans more than 360° of longitude)")]
    EmptyRegion {
        /// Southern edge, degrees.
        lat_min_deg: f64,
        /// Northern edge, degrees.
        lat_max_deg: f64,
        /// Western edge, degrees.
        lon_min_deg: f64,
        /// Eastern edge, degrees.
        lon_max_deg: f64,
    },
    /// An explicit point list without points.
    #[error("the list of points is empty")]
    EmptyPointList,
    /// The span leaves the data of the orbit source (and no-data epochs were not allowed),
    /// or no epoch of it has data for every satellite.
    #[error("the span leaves the orbit data: {detail}")]
    OutsideData {
        /// The uncovered intervals per satellite group, and what to do.
        detail: String,
    },
    /// A time span that is empty or has a non-positive step.
    #[error(
        "time span {start} – {end} with step {step} holds no epoch (need end ≥ start, step > 0)"
    )]
    InvalidTimeSpan {
        /// Start.
        start: Epoch,
        /// End.
        end: Epoch,
        /// Step.
        step: Duration,
    },
    /// An invalid elevation mask.
    #[error(transparent)]
    Mask(#[from] GeometryError),
    /// An invalid availability threshold.
    #[error("availability PDOP threshold {pdop} must be finite and > 0")]
    InvalidThreshold {
        /// The offending threshold.
        pdop: f64,
    },
    /// An invalid inter-system bias σ.
    #[error("inter-system bias σ {isb_sigma_m} m must be ≥ 0")]
    InvalidIsbSigma {
        /// The offending σ, m.
        isb_sigma_m: f64,
    },
    /// No satellite of the requested systems in the sources.
    #[error("the orbit sources provide no satellite of the requested systems {systems:?}")]
    NoSatellites {
        /// Systems asked for.
        systems: Vec<Constellation>,
    },
    /// A series point index outside the grid.
    #[error("series point {index} is outside the grid of {len} points")]
    SeriesPointOutOfRange {
        /// The offending index.
        index: usize,
        /// Grid size.
        len: usize,
    },
    /// More epochs than the per-point quantile sketches count.
    #[error("{epochs} epochs: a run holds at most {max} (split the span)")]
    TooManyEpochs {
        /// Epochs asked for.
        epochs: usize,
        /// Limit ([`sketch::MAX_COUNT`]).
        max: usize,
    },
    /// `GNSS_INTEROP_ISA` holds an unknown level.
    #[error("GNSS_INTEROP_ISA={value:?}: expected scalar, v3, v4 or auto")]
    InvalidIsa {
        /// The variable's value.
        value: String,
    },
    /// A kernel level forced that this CPU does not have.
    #[error("kernel level {level:?} forced, but this CPU does not support it")]
    IsaUnavailable {
        /// The level asked for.
        level: IsaLevel,
    },
    /// Position-error statistics asked for without per-satellite σ.
    #[error("position-error statistics need per-satellite σ (a SatelliteFilter)")]
    PositionErrorWithoutWeights,
    /// An orbit source failed for a reason that is not the satellite's absence
    /// ([`crate::orbit::OrbitError::is_absence`]): corrupted or implausible data. The run stops.
    #[error("orbit source: {reason}")]
    Orbit {
        /// The orbit error, as text (names satellite, epoch and cause).
        reason: String,
    },
}

/// A figure whose distribution is collected per point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DopKind {
    /// Geometric DOP.
    Gdop,
    /// Position DOP.
    Pdop,
    /// Horizontal DOP.
    Hdop,
    /// Vertical DOP.
    Vdop,
    /// Time DOP (RMS over the systems' clocks).
    Tdop,
    /// Predicted 3-D position error, m (needs a [`SatelliteFilter`] giving σ).
    PositionErrorM,
}

impl DopKind {
    /// Every figure, in declaration order (the order of [`ByFigure`]'s fields and iterator).
    pub const ALL: [DopKind; 6] = [
        DopKind::Gdop,
        DopKind::Pdop,
        DopKind::Hdop,
        DopKind::Vdop,
        DopKind::Tdop,
        DopKind::PositionErrorM,
    ];
}

/// One optional value per figure ([`DopKind`]), by name: the per-figure part of
/// [`PointStats`] and [`CoverageSummary`], read with [`ByFigure::get`]. The order of
/// [`CoverageConfig::dop_kinds`] plays no part; `None` is a figure without a value (not
/// collected, or no solution), and is left out when serialized (`{"pdop": {...}, ...}`).
///
/// [`crate::geometry::DopFigures`] is the other by-name set of figures, and stays separate:
/// it is one solution's five figures, all present, as plain `f64` (`Copy`, 40 B per epoch of a
/// series), while this one holds any value per figure, each optional, and adds the position
/// error (`DopFigures` as `ByFigure<f64>` would double a series' memory).
///
/// ```
/// use gnss_interop::coverage::{ByFigure, DopKind};
///
/// let mut f = ByFigure::default();
/// f.set(DopKind::Pdop, 1.8);
/// f.set(DopKind::Gdop, 2.1);
/// assert_eq!(f.get(DopKind::Pdop), Some(&1.8));
/// assert_eq!(f.get(DopKind::Hdop), None);
/// let kinds: Vec<_> = f.iter().map(|(k, _)| k).collect();
/// assert_eq!(kinds, [DopKind::Gdop, DopKind::Pdop]);
/// assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"gdop":2.1,"pdop":1.8}"#);
///
/// // Missing keys read as absent figures.
/// let mut g: ByFigure<f64> = serde_json::from_str(r#"{"hdop":1.2}"#).unwrap();
/// *g.get_mut(DopKind::Hdop).unwrap() += 0.1;
/// assert_eq!(g.iter().collect::<Vec<_>>(), [(DopKind::Hdop, &1.3)]);
/// assert!(ByFigure::<f64>::default().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ByFigure<T> {
    /// Geometric DOP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gdop: Option<T>,
    /// Position DOP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdop: Option<T>,
    /// Horizontal DOP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hdop: Option<T>,
    /// Vertical DOP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vdop: Option<T>,
    /// Time DOP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tdop: Option<T>,
    /// Predicted 3-D position error, m.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_error_m: Option<T>,
}

impl<T> Default for ByFigure<T> {
    fn default() -> Self {
        ByFigure {
            gdop: None,
            pdop: None,
            hdop: None,
            vdop: None,
            tdop: None,
            position_error_m: None,
        }
    }
}

impl<T> ByFigure<T> {
    fn slot(&self, kind: DopKind) -> &Option<T> {
        match kind {
            DopKind::Gdop => &self.gdop,
            DopKind::Pdop => &self.pdop,
            DopKind::Hdop => &self.hdop,
            DopKind::Vdop => &self.vdop,
            DopKind::Tdop => &self.tdop,
            DopKind::PositionErrorM => &self.position_error_m,
        }
    }

    fn slot_mut(&mut self, kind: DopKind) -> &mut Option<T> {
        match kind {
            DopKind::Gdop => &mut self.gdop,
            DopKind::Pdop => &mut self.pdop,
            DopKind::Hdop => &mut self.hdop,
            DopKind::Vdop => &mut self.vdop,
            DopKind::Tdop => &mut self.tdop,
            DopKind::PositionErrorM => &mut self.position_error_m,
        }
    }

    /// The value of one figure, if any.
    pub fn get(&self, kind: DopKind) -> Option<&T> {
        self.slot(kind).as_ref()
    }

    /// The value of one figure, mutable, if any.
    pub fn get_mut(&mut self, kind: DopKind) -> Option<&mut T> {
        self.slot_mut(kind).as_mut()
    }

    /// The value of one figure, inserted by `make` when there is none yet.
    pub fn get_or_insert_with(&mut self, kind: DopKind, make: impl FnOnce() -> T) -> &mut T {
        self.slot_mut(kind).get_or_insert_with(make)
    }

    /// Set the value of one figure (replacing any).
    pub fn set(&mut self, kind: DopKind, value: T) {
        *self.slot_mut(kind) = Some(value);
    }

    /// The figures with a value, in [`DopKind::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (DopKind, &T)> + '_ {
        DopKind::ALL
            .into_iter()
            .filter_map(move |k| self.get(k).map(|v| (k, v)))
    }

    /// Whether no figure has a value.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageConfig {
    /// Systems to use (others in the sources are ignored).
    pub systems: Vec<Constellation>,
    /// First epoch.
    pub start: Epoch,
    /// Last epoch (included when it falls on the step).
    pub end: Epoch,
    /// Time step.
    pub step: Duration,
    /// Elevation mask.
    pub mask: ElevationMask,
    /// Receiver-clock model.
    pub clock: ClockModel,
    /// Figures whose distribution (mean, p50, p95, max) is collected per point.
    pub dop_kinds: Vec<DopKind>,
    /// Availability threshold on PDOP (default 6).
    pub availability_pdop_max: f64,
    /// Grid points (indices) for which per-epoch series are kept.
    pub series_points: Vec<usize>,
    /// Ellipsoid of the grid's geodetic coordinates.
    pub ellipsoid: Ellipsoid,
    /// Instruction-set level of the kernel (default [`IsaLevel::Auto`]: the widest the CPU
    /// has, or `GNSS_INTEROP_ISA`); see [`isa`].
    #[serde(default)]
    pub isa: IsaLevel,
    /// Run even when the span leaves the data of a satellite's source: epochs where a
    /// satellite has no data are left out of the statistics and counted
    /// ([`CoverageResult::no_data_epochs`]); default false: such a span is refused with
    /// [`CoverageError::OutsideData`] naming the uncovered intervals.
    #[serde(default)]
    pub allow_no_data: bool,
}

/// Default elevation mask of [`CoverageConfig::new`], degrees: the crate's one user-mask
/// default, [`crate::defaults::USER_MASK_DEG`] (5°), as in scenario files and on the command
/// line.
pub use crate::defaults::USER_MASK_DEG as DEFAULT_MASK_DEG;

/// Default availability threshold of [`CoverageConfig::new`]: the crate's one threshold,
/// [`crate::defaults::AVAILABILITY_PDOP_MAX`] (PDOP ≤ 6, glonass-iac.ru).
pub use crate::defaults::AVAILABILITY_PDOP_MAX as DEFAULT_AVAILABILITY_PDOP_MAX;

impl CoverageConfig {
    /// A configuration with defaults: 5° mask ([`DEFAULT_MASK_DEG`]), one clock per system
    /// ([`ClockModel::PerConstellation`]), PDOP/HDOP/VDOP, availability threshold PDOP ≤ 6
    /// ([`DEFAULT_AVAILABILITY_PDOP_MAX`]), CGCS2000 ellipsoid, no series. Change them with
    /// the `with_*` methods.
    ///
    /// Mask, clock model and threshold are those of a scenario file without a `[user]` section
    /// and of the command line without flags ([`crate::defaults`]).
    ///
    /// ```
    /// use gnss_interop::coverage::{CoverageConfig, DopKind};
    /// use gnss_interop::geometry::ClockModel;
    /// use gnss_interop::id::Constellation;
    /// use gnss_interop::scenario;
    /// use hifitime::{Epoch, Unit};
    ///
    /// let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
    /// let systems = vec![Constellation::BeiDou, Constellation::Glonass];
    /// let cfg = CoverageConfig::new(systems.clone(), t0, t0 + Unit::Hour * 1, Unit::Minute * 10);
    /// assert_eq!(cfg.mask.lowest_deg(), 5.0);
    /// assert_eq!(cfg.clock, ClockModel::PerConstellation);
    /// assert_eq!(cfg.availability_pdop_max, scenario::DEFAULT_PDOP_THRESHOLD);
    /// assert_eq!(cfg.epochs()?.len(), 7);
    ///
    /// // The settings of a scenario file without a `[user]` section.
    /// assert_eq!(cfg.mask.lowest_deg(), scenario::DEFAULT_MASK_DEG);
    ///
    /// let cfg = CoverageConfig::new(systems, t0, t0 + Unit::Hour * 1, Unit::Minute * 10)
    ///     .with_mask_deg(15.0)?
    ///     .with_clock(ClockModel::Common)
    ///     .with_dop_kinds(vec![DopKind::Gdop, DopKind::Pdop])
    ///     .with_availability_pdop_max(4.0)?
    ///     .with_series_points(vec![0]);
    /// assert_eq!(cfg.mask.lowest_deg(), 15.0);
    /// assert_eq!(cfg.clock, ClockModel::Common);
    /// assert_eq!(cfg.dop_kinds, [DopKind::Gdop, DopKind::Pdop]);
    /// # Ok::<(), gnss_interop::coverage::CoverageError>(())
    /// ```
    pub fn new(systems: Vec<Constellation>, start: Epoch, end: Epoch, step: Duration) -> Self {
        CoverageConfig {
            systems,
            start,
            end,
            step,
            mask: ElevationMask::Constant {
                min_elevation_deg: DEFAULT_MASK_DEG,
            },
            clock: ClockModel::PerConstellation,
            dop_kinds: vec![DopKind::Pdop, DopKind::Hdop, DopKind::Vdop],
            availability_pdop_max: DEFAULT_AVAILABILITY_PDOP_MAX,
            series_points: Vec::new(),
            ellipsoid: Ellipsoid::CGCS2000,
            isa: IsaLevel::Auto,
            allow_no_data: false,
        }
    }

    /// Allow (or not) a span that leaves the data ([`CoverageConfig::allow_no_data`]).
    pub fn with_allow_no_data(mut self, allow: bool) -> Self {
        self.allow_no_data = allow;
        self
    }

    /// The same configuration with a constant elevation mask, degrees. Errors for an elevation
    /// outside −90…90° or not finite.
    pub fn with_mask_deg(self, min_elevation_deg: f64) -> Result<Self, CoverageError> {
        let mask = ElevationMask::constant(min_elevation_deg)?;
        Ok(self.with_mask(mask))
    }

    /// The same configuration with any elevation mask (constant or azimuth-dependent; it is
    /// validated when the run starts).
    pub fn with_mask(mut self, mask: ElevationMask) -> Self {
        self.mask = mask;
        self
    }

    /// The same configuration with another receiver-clock model.
    pub fn with_clock(mut self, clock: ClockModel) -> Self {
        self.clock = clock;
        self
    }

    /// The same configuration collecting other figures per point (in this order: the order of
    /// the per-figure columns and bands of [`output`]; the results are read by kind).
    pub fn with_dop_kinds(mut self, dop_kinds: Vec<DopKind>) -> Self {
        self.dop_kinds = dop_kinds;
        self
    }

    /// The same configuration with another availability threshold on PDOP. Errors for a
    /// threshold that is not finite and positive.
    pub fn with_availability_pdop_max(mut self, pdop: f64) -> Result<Self, CoverageError> {
        if !(pdop.is_finite() && pdop > 0.0) {
            return Err(CoverageError::InvalidThreshold { pdop });
        }
        self.availability_pdop_max = pdop;
        Ok(self)
    }

    /// The same configuration keeping per-epoch series for these grid points (indices into the
    /// grid; checked against the grid when the run starts).
    pub fn with_series_points(mut self, series_points: Vec<usize>) -> Self {
        self.series_points = series_points;
        self
    }

    /// The same configuration with the kernel forced to an instruction-set level (for tests
    /// and benchmarks; [`IsaLevel::Auto`] is the default).
    pub fn with_isa(mut self, isa: IsaLevel) -> Self {
        self.isa = isa;
        self
    }

    /// The same configuration with another ellipsoid for the grid's geodetic coordinates.
    pub fn with_ellipsoid(mut self, ellipsoid: Ellipsoid) -> Self {
        self.ellipsoid = ellipsoid;
        self
    }

    /// The epochs of the run: start, start + step, … ≤ end (the end rule of
    /// [`crate::time::TimeSpan::through`]).
    pub fn epochs(&self) -> Result<Vec<Epoch>, CoverageError> {
        let bad = || CoverageError::InvalidTimeSpan {
            start: self.start,
            end: self.end,
            step: self.step,
        };
        let span =
            crate::time::TimeSpan::through(self.start, self.end, self.step).map_err(|_| bad())?;
        if span.n_epochs > u32::MAX as usize {
            return Err(bad());
        }
        Ok(span.epochs())
    }
}

/// Per (satellite, epoch) inclusion and σ: `None` excludes the satellite at that epoch, `Some(σ_m)`
/// uses it with range σ in metres (weights 1/σ², weighted DOP and position error). Indices refer to
/// [`satellite_list`] and [`CoverageConfig::epochs`]. Evaluated once per (satellite, epoch).
/// A σ that is not finite and positive excludes the satellite and is counted in
/// [`SatelliteReport::invalid_sigma_epochs`].
pub trait SatelliteFilter: Sync {
    /// σ (m) of satellite `sat_index` at epoch `epoch_index`, or `None` to exclude it.
    fn sigma_m(&self, sat_index: usize, epoch_index: usize) -> Option<f64>;
}

impl<F: Fn(usize, usize) -> Option<f64> + Sync> SatelliteFilter for F {
    fn sigma_m(&self, sat_index: usize, epoch_index: usize) -> Option<f64> {
        self(sat_index, epoch_index)
    }
}

/// Progress of a run (e.g. for a progress bar). Called from worker threads; must not block long.
pub trait Progress: Sync {
    /// `done` of `total` work units (rows of the grid) are finished.
    fn rows_done(&self, done: usize, total: usize);
}

impl<F: Fn(usize, usize) + Sync> Progress for F {
    fn rows_done(&self, done: usize, total: usize) {
        self(done, total)
    }
}

/// The satellites a run uses, in the order of [`SatelliteFilter`] indices: the union of the
/// sources' satellites of the requested systems, sorted; a satellite in several sources is taken
/// from the first.
pub fn satellite_list(sources: &[&dyn OrbitSource], systems: &[Constellation]) -> Vec<SatId> {
    let mut v: Vec<SatId> = sources
        .iter()
        .flat_map(|s| s.satellites().iter().copied())
        .filter(|s| systems.contains(&s.constellation()))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Distribution of one figure at one point, over the epochs with a solution there (a point
/// without any has no `DopStats`: see [`PointStats::dop`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DopStats {
    /// Mean over epochs with a solution.
    pub mean: f64,
    /// Median (quantile sketch, relative error ≤ `percentile_rel_error`).
    pub p50: f64,
    /// 95th percentile (same resolution).
    pub p95: f64,
    /// Exact maximum.
    pub max: f64,
    /// Bound on the relative error of `p50` and `p95` at this point: [`sketch::REL_ERROR`]
    /// (1.56 %) unless the point's values spanned more than the sketch's window (see
    /// [`sketch`]).
    pub percentile_rel_error: f64,
}

/// Statistics of one grid point over the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointStats {
    /// The point.
    pub site: Geodetic,
    /// Mean number of visible satellites.
    pub visible_mean: f64,
    /// Minimum number of visible satellites.
    pub visible_min: u16,
    /// Maximum number of visible satellites.
    pub visible_max: u16,
    /// Epochs with a DOP solution.
    pub solution_epochs: u32,
    /// Fraction of epochs with PDOP ≤ threshold.
    pub availability: f64,
    /// Longest run of consecutive non-available epochs, s (run length × step).
    pub longest_outage_s: f64,
    /// The distribution of each figure, by name: present for the figures the run collected
    /// ([`CoverageResult::dop_kinds`]) at a point with at least one solution
    /// (`solution_epochs > 0`), absent otherwise. Held inline (no allocation per point).
    pub dop: ByFigure<DopStats>,
}

impl PointStats {
    /// The distribution of one figure at this point; `None` when the run did not collect it
    /// ([`CoverageResult::dop_kinds`]) or no epoch had a solution here.
    pub fn get(&self, kind: DopKind) -> Option<&DopStats> {
        self.dop.get(kind)
    }
}

/// One epoch at a point kept for a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochSample {
    /// Visible satellites.
    pub visible: u16,
    /// The DOP figures by name, when a solution exists.
    pub dop: Option<DopFigures>,
    /// Predicted position error (m) with weights.
    pub position_error_m: Option<f64>,
}

impl EpochSample {
    /// One figure of this epoch by kind (`None` without a solution, or for
    /// [`DopKind::PositionErrorM`] without weights).
    pub fn get(&self, kind: DopKind) -> Option<f64> {
        let d = self.dop?;
        match kind {
            DopKind::Gdop => Some(d.gdop),
            DopKind::Pdop => Some(d.pdop),
            DopKind::Hdop => Some(d.hdop),
            DopKind::Vdop => Some(d.vdop),
            DopKind::Tdop => Some(d.tdop),
            DopKind::PositionErrorM => self.position_error_m,
        }
    }
}

/// Per-epoch series of one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointSeries {
    /// Grid index of the point.
    pub point: usize,
    /// One sample per epoch.
    pub samples: Vec<EpochSample>,
}

/// What happened to one satellite during the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatelliteReport {
    /// Satellite.
    pub sat: SatId,
    /// Epochs at which the orbit source returned an error (satellite absent there).
    pub missing_epochs: u32,
    /// Epochs of the span outside the intervals its source can serve
    /// ([`crate::orbit::OrbitSource::served_intervals`]): no data, not "not visible".
    #[serde(default)]
    pub no_data_epochs: u32,
    /// The first such error, as text.
    pub first_error: Option<String>,
    /// For a satellite without a state at any epoch of the span: the reason that holds over
    /// the whole span ([`crate::orbit::span_absence_reason`], e.g. "only unhealthy records
    /// over the span"), `None` otherwise or when the source cannot tell (then `first_error`).
    #[serde(default)]
    pub span_reason: Option<String>,
    /// Epochs excluded by the filter (`None`).
    pub filtered_epochs: u32,
    /// Epochs at which the filter gave a σ that is not finite and positive (excluded).
    pub invalid_sigma_epochs: u32,
}

/// Result of a coverage run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageResult {
    /// Epochs evaluated.
    pub epochs: Vec<Epoch>,
    /// Step, s.
    pub step_s: f64,
    /// Per satellite (in [`satellite_list`] order): misses and exclusions.
    pub satellites: Vec<SatelliteReport>,
    /// Per grid point, in grid order.
    pub points: Vec<PointStats>,
    /// Area weight per point (from the grid).
    pub weights: Vec<f64>,
    /// Per-epoch series of the chosen points, in the order asked.
    pub series: Vec<PointSeries>,
    /// Figures collected (from the configuration).
    pub dop_kinds: Vec<DopKind>,
    /// Epochs of the span left out because a satellite had no data there (only with
    /// [`CoverageConfig::allow_no_data`]); `epochs` holds the others.
    #[serde(default)]
    pub no_data_epochs: u32,
    /// Satellite-epochs without data (sum of [`SatelliteReport::no_data_epochs`]).
    #[serde(default)]
    pub no_data_satellite_epochs: u64,
    /// The configuration the result was computed with (`None` only in results written
    /// before it was recorded).
    #[serde(default)]
    pub config: Option<Box<CoverageConfig>>,
}

/// A latitude/longitude box selecting points for a regional summary: the crate's one
/// [`Region`], with its antimeridian rule.
pub use crate::frames::Region;

/// Area-weighted summary of one figure over the points with a solution (a summary without any
/// has no `DopSummary` for it: see [`CoverageSummary::dop`]). The means are plain means when
/// those points all weigh zero, as for [`CoverageSummary::visible_mean`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DopSummary {
    /// Area-weighted mean of the per-point means.
    pub mean: f64,
    /// Area-weighted mean of the per-point medians.
    pub p50_mean: f64,
    /// Area-weighted mean of the per-point 95th percentiles.
    pub p95_mean: f64,
    /// Worst per-point 95th percentile.
    pub p95_max: f64,
    /// Largest value anywhere.
    pub max: f64,
}

/// Area-weighted summary over a set of points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    /// Points summarised.
    pub points: usize,
    /// Area-weighted mean of the mean number of visible satellites.
    pub visible_mean: f64,
    /// Lowest number of visible satellites anywhere.
    pub visible_min: u16,
    /// Highest number of visible satellites anywhere.
    pub visible_max: u16,
    /// Area-weighted mean availability.
    pub availability_mean: f64,
    /// Lowest availability of any point.
    pub availability_min: f64,
    /// Area fraction with availability = 1.
    pub full_availability_area_fraction: f64,
    /// Longest outage anywhere, s.
    pub longest_outage_s: f64,
    /// Per figure, by name (points without a solution are left out of that figure's means):
    /// present for the figures the run collected ([`CoverageResult::dop_kinds`]) when at least
    /// one summarised point had a solution, absent otherwise.
    pub dop: ByFigure<DopSummary>,
    /// Epochs of the span left out for lack of data ([`CoverageResult::no_data_epochs`]).
    #[serde(default)]
    pub no_data_epochs: u32,
    /// Satellite-epochs without data ([`CoverageResult::no_data_satellite_epochs`]).
    #[serde(default)]
    pub no_data_satellite_epochs: u64,
}

impl CoverageSummary {
    /// The summary of one figure; `None` when the run did not collect it
    /// ([`CoverageResult::dop_kinds`]) or no summarised point had a solution.
    pub fn get(&self, kind: DopKind) -> Option<&DopSummary> {
        self.dop.get(kind)
    }
}

impl CoverageResult {
    /// Area-weighted summary over all points, or over those inside `region`. `None` when no point
    /// is selected.
    ///
    /// One pass over the points: every sum, minimum and maximum is accumulated in point order,
    /// each in its own accumulator, so the figures are the same as summing each one separately
    /// (a pass per figure cost ≈ 1 s on a 1-million-point grid, memory-bound).
    pub fn summary(&self, region: Option<&Region>) -> Option<CoverageSummary> {
        /// Running sums of one figure over the points with a solution: weighted and
        /// unweighted sums of mean, p50 and p95, the weight and the count, and the two maxima.
        #[derive(Clone, Copy)]
        struct FigureAcc {
            s: [f64; 3],
            u: [f64; 3],
            w: f64,
            n: usize,
            p95_max: f64,
            max: f64,
        }
        let mut figs: ByFigure<FigureAcc> = ByFigure::default();
        let mut n = 0usize;
        let (mut wsum, mut full) = (0.0, 0.0);
        // Weighted and unweighted sums of the visible mean and the availability (the
        // unweighted ones are used when every weight is zero).
        let (mut vis_w, mut vis_u, mut av_w, mut av_u) = (0.0, 0.0, 0.0, 0.0);
        let (mut vis_min, mut vis_max) = (u16::MAX, 0u16);
        let (mut av_min, mut longest) = (f64::INFINITY, 0.0f64);
        for (p, &wi) in self.points.iter().zip(&self.weights) {
            if region.is_some_and(|r| !r.contains(&p.site)) {
                continue;
            }
            n += 1;
            wsum += wi;
            vis_w += wi * p.visible_mean;
            vis_u += p.visible_mean;
            av_w += wi * p.availability;
            av_u += p.availability;
            if p.availability >= 1.0 {
                full += wi;
            }
            vis_min = vis_min.min(p.visible_min);
            vis_max = vis_max.max(p.visible_max);
            av_min = av_min.min(p.availability);
            longest = longest.max(p.longest_outage_s);
            for (kind, d) in p.dop.iter() {
                let f = figs.get_or_insert_with(kind, || FigureAcc {
                    s: [0.0; 3],
                    u: [0.0; 3],
                    w: 0.0,
                    n: 0,
                    p95_max: d.p95,
                    max: d.max,
                });
                for (j, v) in [d.mean, d.p50, d.p95].into_iter().enumerate() {
                    f.s[j] += wi * v;
                    f.u[j] += v;
                }
                f.w += wi;
                f.n += 1;
                f.p95_max = f.p95_max.max(d.p95);
                f.max = f.max.max(d.max);
            }
        }
        if n == 0 {
            return None;
        }
        let wmean = |w: f64, u: f64| if wsum > 0.0 { w / wsum } else { u / n as f64 };
        // Area-weighted, or plain when the points with a solution all weigh zero.
        let mean = |f: &FigureAcc, j: usize| {
            if f.w > 0.0 {
                f.s[j] / f.w
            } else {
                f.u[j] / f.n as f64
            }
        };
        let mut dop = ByFigure::default();
        for (kind, f) in figs.iter() {
            dop.set(
                kind,
                DopSummary {
                    mean: mean(f, 0),
                    p50_mean: mean(f, 1),
                    p95_mean: mean(f, 2),
                    p95_max: f.p95_max,
                    max: f.max,
                },
            );
        }
        Some(CoverageSummary {
            points: n,
            visible_mean: wmean(vis_w, vis_u),
            visible_min: vis_min,
            visible_max: vis_max,
            availability_mean: wmean(av_w, av_u),
            availability_min: av_min,
            full_availability_area_fraction: if wsum > 0.0 { full / wsum } else { 0.0 },
            longest_outage_s: longest,
            dop,
            no_data_epochs: self.no_data_epochs,
            no_data_satellite_epochs: self.no_data_satellite_epochs,
        })
    }
}

/// Bytes of streamed per-point state while a point's row is in flight, for `n_figures` figures
/// ([`CoverageConfig::dop_kinds`]): 24 + 72 per figure, 240 for the default three. The result
/// adds one [`PointStats`] per point.
pub const fn state_bytes_per_point(n_figures: usize) -> usize {
    kernel::state_bytes_per_point(n_figures)
}

/// Run coverage over a grid with unit weights and no progress reporting.
pub fn run(
    sources: &[&dyn OrbitSource],
    grid: &Grid,
    cfg: &CoverageConfig,
) -> Result<CoverageResult, CoverageError> {
    run_with(sources, grid, cfg, None, None)
}

/// Run coverage with an optional per-(satellite, epoch) filter/σ and a progress hook.
/// Runs on the current rayon pool (wrap in `ThreadPool::install` to choose the threads).
pub fn run_with(
    sources: &[&dyn OrbitSource],
    grid: &Grid,
    cfg: &CoverageConfig,
    filter: Option<&dyn SatelliteFilter>,
    progress: Option<&dyn Progress>,
) -> Result<CoverageResult, CoverageError> {
    cfg.mask.validate()?;
    if !(cfg.availability_pdop_max.is_finite() && cfg.availability_pdop_max > 0.0) {
        return Err(CoverageError::InvalidThreshold {
            pdop: cfg.availability_pdop_max,
        });
    }
    if let ClockModel::KnownOffsets { isb_sigma_m } = cfg.clock {
        if isb_sigma_m.is_nan() || isb_sigma_m < 0.0 {
            return Err(CoverageError::InvalidIsbSigma { isb_sigma_m });
        }
    }
    if filter.is_none() && cfg.dop_kinds.contains(&DopKind::PositionErrorM) {
        return Err(CoverageError::PositionErrorWithoutWeights);
    }
    for &index in &cfg.series_points {
        if index >= grid.len() {
            return Err(CoverageError::SeriesPointOutOfRange {
                index,
                len: grid.len(),
            });
        }
    }
    let isa = isa::Isa::resolve(cfg.isa)?;
    let epochs = cfg.epochs()?;
    if epochs.len() > sketch::MAX_COUNT {
        return Err(CoverageError::TooManyEpochs {
            epochs: epochs.len(),
            max: sketch::MAX_COUNT,
        });
    }
    let sats = satellite_list(sources, &cfg.systems);
    if sats.is_empty() {
        return Err(CoverageError::NoSatellites {
            systems: cfg.systems.clone(),
        });
    }
    // The source of each satellite: the first that lists it.
    let owner: Vec<&dyn OrbitSource> = sats
        .iter()
        .filter_map(|s| {
            sources
                .iter()
                .find(|src| src.satellites().contains(s))
                .copied()
        })
        .collect();
    // 0. Data coverage: an epoch at which a satellite's source has no data is refused, or
    // (allowed) left out of every statistic and counted. Data that say "unusable" (records
    // flagged unhealthy, [`OrbitSource::covered_intervals`]) are data: the satellite is
    // absent there and counted in `missing_epochs` like any other absence.
    let served: Vec<Option<Vec<(Epoch, Epoch)>>> = sats
        .iter()
        .zip(&owner)
        .map(|(&s, src)| src.covered_intervals(s))
        .collect();
    let has_data = |i: usize, t: Epoch| {
        served[i]
            .as_ref()
            .is_none_or(|iv| iv.iter().any(|&(a, b)| a <= t && t <= b))
    };
    // A satellite with data at no epoch of the span (no record, no valid node) cannot be
    // "seen" anywhere: it is counted as no data for the whole span but does not remove
    // epochs (it would remove them all). When no satellite has usable data (served: healthy
    // records, valid nodes) at any epoch, the run is refused.
    let never: Vec<bool> = (0..sats.len())
        .map(|i| !epochs.iter().any(|&t| has_data(i, t)))
        .collect();
    let usable_somewhere = sats.iter().zip(&owner).any(|(&s, src)| {
        src.served_intervals(s).is_none_or(|iv| {
            epochs
                .iter()
                .any(|&t| iv.iter().any(|&(a, b)| a <= t && t <= b))
        })
    });
    if !usable_somewhere {
        let (start, end) = (epochs[0], epochs[epochs.len() - 1]);
        return Err(CoverageError::OutsideData {
            detail: format!(
                "no satellite has usable orbit data between {start} and {end} (source: {})",
                owner.first().map(|s| s.describe()).unwrap_or_default()
            ),
        });
    }
    let mut no_data_sat = vec![0u32; sats.len()];
    let keep: Vec<bool> = epochs
        .iter()
        .map(|&t| {
            let mut ok = true;
            for i in 0..sats.len() {
                if !has_data(i, t) {
                    no_data_sat[i] += 1;
                    ok &= never[i];
                }
            }
            ok
        })
        .collect();
    let no_data_satellite_epochs: u64 = no_data_sat.iter().map(|&n| u64::from(n)).sum();
    if no_data_satellite_epochs > 0 {
        let (start, end) = (epochs[0], epochs[epochs.len() - 1]);
        let gaps: Vec<(SatId, Vec<(Epoch, Epoch)>)> = sats
            .iter()
            .zip(&served)
            .zip(&no_data_sat)
            .filter(|(_, &n)| n > 0)
            .map(|((&s, iv), _)| {
                let iv = iv.as_deref().unwrap_or_default();
                (s, crate::orbit::uncovered_parts(iv, start, end))
            })
            .collect();
        let text = crate::orbit::describe_uncovered(&gaps, 6);
        let kept = keep.iter().filter(|&&k| k).count();
        if !cfg.allow_no_data {
            return Err(CoverageError::OutsideData {
                detail: format!(
                    "{text} ({no_data_satellite_epochs} satellite-epochs without data); add \
                     files covering the span, shorten it, or allow no-data epochs \
                     (--allow-no-data, scenario orbits.allow_no_data = true)"
                ),
            });
        }
        if kept == 0 {
            return Err(CoverageError::OutsideData {
                detail: format!("no epoch of the span has data for every satellite: {text}"),
            });
        }
    }
    let no_data_epochs = keep.iter().filter(|&&k| !k).count() as u32;
    // Index of each kept epoch in the full span (a filter's σ table is indexed by it).
    let span_index: Vec<usize> = (0..epochs.len()).filter(|&j| keep[j]).collect();
    let epochs: Vec<Epoch> = span_index.iter().map(|&j| epochs[j]).collect();
    // 1. Satellite states: once per (satellite, epoch), parallel over epochs.
    // One error policy (OrbitError::is_absence): an absent satellite is counted per epoch;
    // any other error (corrupted or implausible data) stops the run.
    let states: Vec<Vec<Result<[f64; 3], String>>> = epochs
        .par_iter()
        .map(|&t| {
            sats.iter()
                .zip(&owner)
                .map(|(&s, src)| match src.state_at(s, t) {
                    Ok(st) => {
                        let p = st.position_m;
                        if p.iter().all(|v| v.is_finite()) && p.norm() > 0.0 {
                            Ok(Ok([p.x, p.y, p.z]))
                        } else {
                            Err(crate::orbit::OrbitError::Implausible {
                                sat: s,
                                epoch: t,
                                reason: "non-finite or zero position".to_string(),
                            })
                        }
                    }
                    Err(e) if e.is_absence() => Ok(Err(e.to_string())),
                    Err(e) => Err(e),
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CoverageError::Orbit {
            reason: e.to_string(),
        })?;
    let mut reports: Vec<SatelliteReport> = sats
        .iter()
        .map(|&sat| SatelliteReport {
            sat,
            missing_epochs: 0,
            no_data_epochs: 0,
            first_error: None,
            span_reason: None,
            filtered_epochs: 0,
            invalid_sigma_epochs: 0,
        })
        .collect();
    for (rep, &n) in reports.iter_mut().zip(&no_data_sat) {
        rep.no_data_epochs = n;
    }
    let mut table = kernel::SatTable::with_capacity(epochs.len(), sats.len());
    for (j, row) in states.into_iter().enumerate() {
        for (i, st) in row.into_iter().enumerate() {
            let rep = &mut reports[i];
            let p = match st {
                Ok(p) => p,
                Err(e) => {
                    rep.missing_epochs += 1;
                    if rep.first_error.is_none() {
                        rep.first_error = Some(e);
                    }
                    continue;
                }
            };
            let w = match filter {
                None => 1.0,
                Some(f) => match f.sigma_m(i, span_index[j]) {
                    None => {
                        rep.filtered_epochs += 1;
                        continue;
                    }
                    Some(sig) if sig.is_finite() && sig > 0.0 => 1.0 / (sig * sig),
                    Some(_) => {
                        rep.invalid_sigma_epochs += 1;
                        continue;
                    }
                },
            };
            table.push(p, w, crate::geometry::system_slot(sats[i].constellation()));
        }
        table.end_epoch();
    }

    // A satellite with no state at any epoch: the reason over the whole span.
    if let (Some(&first), Some(&last)) = (epochs.first(), epochs.last()) {
        for (rep, src) in reports.iter_mut().zip(&owner) {
            if rep.missing_epochs as usize == epochs.len() {
                rep.span_reason = crate::orbit::span_absence_reason(*src, rep.sat, first, last);
            }
        }
    }

    // 2. Rows in parallel.
    let plan = kernel::Plan::new(grid, cfg, &table, filter.is_some(), isa);
    let rows: Vec<std::ops::Range<usize>> = grid.rows().collect();
    let total = rows.len();
    let done = AtomicUsize::new(0);
    let step_s = cfg.step.to_seconds();
    // Each row writes its points' statistics into its own slice of the result (rows are
    // consecutive ranges of the grid), so the result is never held twice.
    let mut points: Vec<PointStats> = grid
        .geodetic()
        .iter()
        .map(|&site| PointStats {
            site,
            visible_mean: 0.0,
            visible_min: 0,
            visible_max: 0,
            solution_epochs: 0,
            availability: 0.0,
            longest_outage_s: 0.0,
            dop: ByFigure::default(),
        })
        .collect();
    let mut slices: Vec<&mut [PointStats]> = Vec::with_capacity(rows.len());
    let mut rest = &mut points[..];
    for r in &rows {
        let (head, tail) = rest.split_at_mut(r.len());
        slices.push(head);
        rest = tail;
    }
    let series_found: Vec<PointSeries> = rows
        .par_iter()
        .zip(slices)
        .flat_map_iter(|(r, out)| {
            let series = plan.run_row(r.clone(), &table, step_s, out);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = progress {
                p.rows_done(d, total);
            }
            series
        })
        .collect();
    let series = cfg
        .series_points
        .iter()
        .filter_map(|&p| series_found.iter().find(|s| s.point == p).cloned())
        .collect();
    Ok(CoverageResult {
        epochs,
        step_s,
        satellites: reports,
        points,
        weights: grid.weights().to_vec(),
        series,
        dop_kinds: cfg.dop_kinds.clone(),
        no_data_epochs,
        no_data_satellite_epochs,
        config: Some(Box::new(cfg.clone())),
    })
}
