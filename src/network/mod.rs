//! Ground monitoring networks: stations and catalogues, which satellites a network tracks and
//! for how long, the geometry of the network seen from each satellite, an age-of-data range
//! error model, baseline-vs-augmented comparisons and layout search.
//!
//! The chain modelled is *layout → tracking → satellite range error → user accuracy*:
//!
//! 1. [`OrbitSamples`] samples any [`OrbitSource`] on a [`TimeSpan`] once;
//! 2. [`NetworkAnalysis`] decides, per (satellite, epoch), which stations of the satellite's
//!    own system see it above their mask, and gives [`TrackingReport`]s (fraction of time seen
//!    by ≥ 1, 2, 4 stations, gaps, passes) and the [`StationGeometryReport`] ("station DOP");
//! 3. [`MonitoringTable`] holds per (satellite, epoch) "tracked by ≥ k stations" and the age
//!    since last tracked, which a [`RangeErrorModels`] turns into a per-(satellite, epoch)
//!    range-error σ ([`SigmaTable`]) for user-side weighting;
//! 4. [`compare`] contrasts two networks; [`user_coverage`] gives the
//!    user-side consequences on a coverage grid; [`run_study`] does all of it for a baseline
//!    and an augmented network; [`LayoutProblem`] chooses extra sites.
//!
//! Geometric user DOP does not depend on the stations; what changes with the network is which
//! satellites are monitored and how accurate their signals are.
//!
//! Frames: satellite positions stay in their source's frame (CGCS2000, PZ-90.11, ITRF);
//! stations are placed on WGS84. These agree far below the metre level, which moves elevation
//! angles by micro-degrees.

use nalgebra::Vector3;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::id::{BdsOrbitClass, Constellation, SatId};
use crate::orbit::{OrbitError, OrbitSource, SatState};

mod bits;
mod compare;
mod figures;
mod layout;
mod range_error;
mod station;
mod station_geometry;
mod study;
mod tracking;
mod user;

pub use bits::{EpochBits, RunStats};
pub use compare::{compare, Comparison, SatComparison, SystemSummary};
pub use figures::{
    draw_layout, draw_least_tracked, draw_tracked_fraction, draw_tracking_bars, study_maps,
    study_markers, StudyMap,
};
pub use layout::{
    ranking_rows, GreedyResult, LayoutOutcome, LayoutProblem, LayoutRanking, LayoutScore,
    Objective, RankingRow, SatLayoutStats, SearchMethod,
};
pub use range_error::{MonitoringTable, RangeErrorModel, RangeErrorModels, SigmaTable};
pub use station::{
    lattice_candidates, Network, NetworkRef, Station, BUILTIN_NETWORKS, DEFAULT_ELEVATION_MASK_DEG,
};
pub use station_geometry::{station_dop, SatStationGeometry, StationDop, StationGeometryReport};
pub use study::{
    agreement_2022_networks, run_study, study_cases, CellDelta, CellRow, NetworkOutcome,
    OutcomeSummary, SatelliteRow, StudyCase, StudyProgress, StudyResult, StudySettings,
};
pub use tracking::{
    NetworkAnalysis, NetworkTracking, SatTracking, TrackingReport, TrackingRow, GROUND_TRACKS_PNG,
    TRACKED_FRACTION_PNG, TRACKING_CSV, TRACKING_JSON,
};
pub use user::{coverage_config_for, user_coverage, UserJob, Weighting};

/// Errors of the network module.
#[derive(Debug, Error)]
pub enum NetworkError {
    /// A network must have at least one station.
    #[error("network '{name}' has no station")]
    EmptyNetwork {
        /// Network name.
        name: String,
    },
    /// No station with this id.
    #[error("no station '{id}' in network '{network}'")]
    UnknownStation {
        /// Id asked for.
        id: String,
        /// Network searched.
        network: String,
    },
    /// Two stations share an id.
    #[error("station id '{id}' appears twice in network '{network}'")]
    DuplicateStation {
        /// Duplicated id.
        id: String,
        /// Network.
        network: String,
    },
    /// Coordinates out of range.
    #[error(
        "station '{id}': bad coordinates lat {lat_deg}°, lon {lon_deg}°, h {height_m} m: {reason}"
    )]
    BadCoordinates {
        /// Station id.
        id: String,
        /// Latitude given, degrees.
        lat_deg: f64,
        /// Longitude given, degrees.
        lon_deg: f64,
        /// Height given, m.
        height_m: f64,
        /// What is wrong.
        reason: String,
    },
    /// Elevation mask out of range.
    #[error("station '{id}': elevation mask {mask_deg}° is not within (−90°, 90°)")]
    BadMask {
        /// Station id.
        id: String,
        /// Mask given, degrees.
        mask_deg: f64,
    },
    /// A station id is empty.
    #[error("station id '{id}' is empty")]
    BadStationId {
        /// The id.
        id: String,
    },
    /// A station tracks no system.
    #[error("station '{id}' tracks no satellite system")]
    NoSystems {
        /// Station id.
        id: String,
    },
    /// Unknown built-in catalogue.
    #[error("unknown network catalogue '{name}' (known: {known})")]
    UnknownCatalog {
        /// Name asked for.
        name: String,
        /// Known names.
        known: String,
    },
    /// Reading a file failed.
    #[error("cannot read {path}: {message}")]
    Io {
        /// File.
        path: String,
        /// OS message.
        message: String,
    },
    /// A catalogue or station file is malformed.
    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        /// File or catalogue name.
        origin: String,
        /// Line, when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// Bad lattice parameters.
    #[error(
        "bad candidate lattice: lat {lat_range_deg:?}°, lon {lon_range_deg:?}°, step {step_deg}°"
    )]
    BadLattice {
        /// Latitude range given.
        lat_range_deg: (f64, f64),
        /// Longitude range given.
        lon_range_deg: (f64, f64),
        /// Step given.
        step_deg: f64,
    },
    /// Bad time span.
    #[error("bad time span: {reason}")]
    BadSpan {
        /// What is wrong, with the values.
        reason: String,
    },
    /// The span leaves the orbit data (and no-data epochs are not allowed): the satellites
    /// and intervals without data ([`crate::orbit::OrbitSource::covered_intervals`]).
    #[error("the span leaves the orbit data: {detail}")]
    OutsideData {
        /// Grouped satellites and uncovered intervals, and what to do.
        detail: String,
    },
    /// More sites asked for than there are candidates.
    #[error("cannot choose {k} sites from {candidates} candidates")]
    TooManySites {
        /// Sites asked for.
        k: usize,
        /// Candidates available.
        candidates: usize,
    },
    /// A layout refers to a candidate that does not exist, or twice to the same one.
    #[error("bad layout {sites:?}: {reason}")]
    BadLayout {
        /// Site indices given.
        sites: Vec<usize>,
        /// What is wrong.
        reason: String,
    },
    /// Bad "tracked by at least k stations" threshold.
    #[error("minimum number of stations {min_stations} is not within 1..={max}")]
    BadMinStations {
        /// Value given.
        min_stations: u16,
        /// Largest supported.
        max: u16,
    },
    /// Bad range-error model parameters.
    #[error("bad range-error model: {reason}")]
    BadModel {
        /// What is wrong, with the values.
        reason: String,
    },
    /// A network whose systems have no satellite with a state in the samples.
    #[error("network '{network}' tracks none of the source's satellites ({source_name})")]
    TracksNothing {
        /// Network name.
        network: String,
        /// The sampled source.
        source_name: String,
    },
    /// Two reports over different spans or satellites cannot be compared.
    #[error("cannot compare: {reason}")]
    Mismatch {
        /// What differs.
        reason: String,
    },
    /// The exhaustive search would evaluate too many layouts.
    #[error("exhaustive search over {layouts} layouts exceeds the limit {limit}")]
    TooManyLayouts {
        /// Number of layouts.
        layouts: u128,
        /// Limit.
        limit: u128,
    },
    /// The orbit source failed (other than "no state at this epoch").
    #[error(transparent)]
    Orbit(#[from] OrbitError),
    /// The coverage engine refused the run.
    #[error(transparent)]
    Coverage(#[from] crate::coverage::CoverageError),
}

/// The crate's one time span ([`crate::time::TimeSpan`]), which network studies sample on.
pub use crate::time::TimeSpan;

/// What kind of satellite, for range-error defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SatelliteKind {
    /// BeiDou, classified from the orbit.
    BeiDou(BdsOrbitClass),
    /// GLONASS.
    Glonass,
    /// Another constellation, or a satellite without any state in the span.
    Other(Constellation),
}

impl SatelliteKind {
    /// Kind from a state: BeiDou class from the osculating semi-major axis and inclination.
    ///
    /// The ECEF velocity is made inertial with v_i = v + ω×r, then
    /// a = 1 / (2/r − v²/μ) (vis-viva) and cos i = h_z / |h| with h = r × v_i.
    pub fn from_state(s: &SatState) -> SatelliteKind {
        match s.sat.constellation() {
            Constellation::BeiDou => {
                let w = Vector3::new(0.0, 0.0, crate::consts::cgcs2000::EARTH_ROTATION_RAD_S);
                let r = s.position_m;
                let v = s.velocity_m_s + w.cross(&r);
                let mu = crate::consts::cgcs2000::GM_M3_S2;
                let a = 1.0 / (2.0 / r.norm() - v.norm_squared() / mu);
                let h = r.cross(&v);
                let inc = (h.z / h.norm()).clamp(-1.0, 1.0).acos();
                SatelliteKind::BeiDou(BdsOrbitClass::from_orbit(a, inc))
            }
            Constellation::Glonass => SatelliteKind::Glonass,
            c => SatelliteKind::Other(c),
        }
    }

    /// Short label (`BDS MEO`, `BDS IGSO`, `BDS GEO`, `GLONASS`, …).
    pub fn label(&self) -> String {
        match self {
            SatelliteKind::BeiDou(c) => format!("BDS {c}"),
            SatelliteKind::Glonass => "GLONASS".to_string(),
            SatelliteKind::Other(c) => c.name().to_string(),
        }
    }
}

/// One satellite's sampled positions and its kind.
type SampledRow = (Vec<Option<Vector3<f64>>>, SatelliteKind);

/// Positions of every satellite of a source on a time span, sampled once.
#[derive(Debug, Clone)]
pub struct OrbitSamples {
    span: TimeSpan,
    sats: Vec<SatId>,
    kinds: Vec<SatelliteKind>,
    /// `[sat][epoch]`: ECEF position, or `None` when the source has no usable state.
    positions: Vec<Vec<Option<Vector3<f64>>>>,
    /// `[sat]`: epochs outside the source's data (no data, not "not tracked"); only with
    /// no-data epochs allowed ([`OrbitSamples::for_satellites_with`]).
    no_data: Vec<EpochBits>,
    describe: String,
}

impl OrbitSamples {
    /// Sample all satellites of `source` (in parallel over satellites).
    ///
    /// An epoch where the source answers `OutsideValidity`, `Unhealthy`, `Interpolation` or
    /// (broadcast sources) `NoValidRecord` is recorded as "no state" (the satellite counts as not tracked there); any other
    /// orbit error is returned.
    pub fn new(source: &dyn OrbitSource, span: TimeSpan) -> Result<Self, NetworkError> {
        Self::for_satellites(source, source.satellites(), span)
    }

    /// Sample only the given satellites of `source`. A span that leaves the source's data
    /// is refused ([`NetworkError::OutsideData`]); see [`OrbitSamples::for_satellites_with`].
    pub fn for_satellites(
        source: &dyn OrbitSource,
        sats: &[SatId],
        span: TimeSpan,
    ) -> Result<Self, NetworkError> {
        Self::for_satellites_with(source, sats, span, false)
    }

    /// Sample the given satellites of `source`, with the no-data accounting of coverage: an
    /// epoch outside the intervals the source's data cover for a satellite
    /// ([`OrbitSource::covered_intervals`]; records that say "unhealthy" are data, the
    /// satellite is absent there) is refused with [`NetworkError::OutsideData`] naming the
    /// intervals, or, with `allow_no_data`, kept as "no data" for that satellite
    /// ([`OrbitSamples::no_data_epochs`]): tracking leaves those epochs out of its fractions
    /// and counts them apart from "not tracked".
    pub fn for_satellites_with(
        source: &dyn OrbitSource,
        sats: &[SatId],
        span: TimeSpan,
        allow_no_data: bool,
    ) -> Result<Self, NetworkError> {
        let n = span.n_epochs;
        let no_data: Vec<EpochBits> = sats
            .iter()
            .map(|&sat| {
                let mut b = EpochBits::zeros(n);
                if let Some(iv) = source.covered_intervals(sat) {
                    for i in 0..n {
                        let t = span.epoch(i);
                        if !iv.iter().any(|&(a, z)| a <= t && t <= z) {
                            b.set(i);
                        }
                    }
                }
                b
            })
            .collect();
        let total: usize = no_data.iter().map(EpochBits::count).sum();
        if total > 0 && !allow_no_data {
            let (start, end) = (span.epoch(0), span.epoch(n - 1));
            let gaps: Vec<(SatId, Vec<(hifitime::Epoch, hifitime::Epoch)>)> = sats
                .iter()
                .zip(&no_data)
                .filter(|(_, b)| b.count() > 0)
                .map(|(&s, _)| {
                    let iv = source.covered_intervals(s).unwrap_or_default();
                    (s, crate::orbit::uncovered_parts(&iv, start, end))
                })
                .collect();
            return Err(NetworkError::OutsideData {
                detail: format!(
                    "{} ({total} satellite-epochs without data); add files covering the span, \
                     shorten it, or allow no-data epochs (--allow-no-data, scenario \
                     orbits.allow_no_data = true)",
                    crate::orbit::describe_uncovered(&gaps, 6)
                ),
            });
        }
        let rows: Vec<Result<SampledRow, NetworkError>> = sats
            .par_iter()
            .zip(&no_data)
            .map(|(&sat, nd)| {
                let mut kind = None;
                let mut row = Vec::with_capacity(span.n_epochs);
                for i in 0..span.n_epochs {
                    if nd.get(i) {
                        row.push(None);
                        continue;
                    }
                    match source.state_at(sat, span.epoch(i)) {
                        Ok(st) => {
                            if kind.is_none() {
                                kind = Some(SatelliteKind::from_state(&st));
                            }
                            row.push(Some(st.position_m));
                        }
                        Err(e) if e.is_absence() => row.push(None),
                        Err(e) => return Err(NetworkError::Orbit(e)),
                    }
                }
                let kind = kind.unwrap_or(match sat.constellation() {
                    Constellation::Glonass => SatelliteKind::Glonass,
                    c => SatelliteKind::Other(c),
                });
                Ok((row, kind))
            })
            .collect();
        let mut positions = Vec::with_capacity(sats.len());
        let mut kinds = Vec::with_capacity(sats.len());
        for r in rows {
            let (row, kind) = r?;
            positions.push(row);
            kinds.push(kind);
        }
        Ok(OrbitSamples {
            span,
            sats: sats.to_vec(),
            kinds,
            positions,
            no_data,
            describe: source.describe(),
        })
    }

    /// Epochs at which satellite index `s` has no data (outside the source's data; only with
    /// no-data epochs allowed), as bits over the span.
    pub fn no_data(&self, s: usize) -> &EpochBits {
        &self.no_data[s]
    }

    /// Number of epochs at which satellite index `s` has no data.
    pub fn no_data_epochs(&self, s: usize) -> usize {
        self.no_data.get(s).map_or(0, EpochBits::count)
    }

    /// Satellite-epochs without data, all satellites.
    pub fn no_data_satellite_epochs(&self) -> u64 {
        self.no_data.iter().map(|b| b.count() as u64).sum()
    }

    /// The time span.
    pub fn span(&self) -> &TimeSpan {
        &self.span
    }

    /// Satellites, in the source's order.
    pub fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    /// Kinds, parallel to [`OrbitSamples::satellites`].
    pub fn kinds(&self) -> &[SatelliteKind] {
        &self.kinds
    }

    /// Position of satellite index `s` at epoch index `i`, m (ECEF, source frame).
    pub fn position_m(&self, s: usize, i: usize) -> Option<Vector3<f64>> {
        self.positions
            .get(s)
            .and_then(|r| r.get(i))
            .copied()
            .flatten()
    }

    /// The source's description.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// For each satellite, the epochs at which `station` sees it at or above its mask
    /// (empty when the station does not track the satellite's system).
    ///
    /// Visibility: with u the station's local up unit vector and d = r_sat − r_sta,
    /// elevation ≥ mask ⇔ u·d ≥ |d| sin(mask).
    pub(crate) fn visibility(&self, station: &Station) -> Vec<EpochBits> {
        let topo = station.topocentric();
        let up = topo.ecef_to_enu.row(2).transpose();
        let origin = topo.origin_m;
        let sin_mask = station.elevation_mask_deg.to_radians().sin();
        self.sats
            .iter()
            .zip(&self.positions)
            .map(|(sat, row)| {
                let mut b = EpochBits::zeros(self.span.n_epochs);
                if station.tracks(sat.constellation()) {
                    for (i, p) in row.iter().enumerate() {
                        if let Some(p) = p {
                            let d = p - origin;
                            if up.dot(&d) >= d.norm() * sin_mask {
                                b.set(i);
                            }
                        }
                    }
                }
                b
            })
            .collect()
    }
}
