//! Geometry of a station network seen from a satellite ("station DOP").
//!
//! The satellite is treated as the user and the stations in view as transmitters, with one
//! clock term: the same 4-parameter least squares as a receiver's position-and-clock fix
//! (design matrix rows [−ℓᵢᵀ 1] with ℓᵢ the unit vector from the satellite to station i,
//! Q = (GᵀG)⁻¹, GDOP = √tr Q, PDOP = √(Q₁₁+Q₂₂+Q₃₃), TDOP = √Q₄₄; e.g. Misra & Enge,
//! "Global Positioning System", §6.1.3). Stations seen from MEO span at most the Earth's
//! disc (≈ 27° across), so values are large compared with user DOP: they rank networks,
//! they are not user accuracies (cf. Math. Probl. Eng. 2019:7579185, "station GDOP").
//!
//! The normal equations are those of the geometry module ([`NormalAccumulator`], shared with
//! user DOP and the coverage kernel): ℓ is given in ECEF, which is allowed because the
//! accumulator works in any Cartesian frame; only the "up" vector (here the satellite's
//! radial direction) must be in the same frame, and it only enters VDOP, which is not reported.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use super::TimeSpan;
use crate::geometry::{ClockModel, NormalAccumulator};
use crate::id::SatId;

/// Dilution of precision of a network toward one satellite at one epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StationDop {
    /// Geometric DOP.
    pub gdop: f64,
    /// Position DOP.
    pub pdop: f64,
    /// Time (clock) DOP.
    pub tdop: f64,
    /// Stations used.
    pub used: u16,
}

/// Station DOP of the stations at `stations_ecef_m` seen from a satellite at `sat_ecef_m`
/// (positions in the same ECEF frame, m). `None` with fewer than 4 stations, a station at the
/// satellite's position or a singular geometry (the geometry module's relative condition test).
pub fn station_dop(
    sat_ecef_m: &Vector3<f64>,
    stations_ecef_m: &[Vector3<f64>],
) -> Option<StationDop> {
    if stations_ecef_m.len() < 4 {
        return None;
    }
    let radial = sat_ecef_m.try_normalize(0.0)?;
    // One clock (slot 0 under ClockModel::Common), unit weights: N = Σ aᵢaᵢᵀ, aᵢ = (−ℓᵢ, 1).
    let mut acc = NormalAccumulator::new();
    for st in stations_ecef_m {
        let d = st - sat_ecef_m;
        let r = d.norm();
        if !(r.is_finite() && r > 0.0) {
            return None;
        }
        let l = d / r;
        acc.add([l.x, l.y, l.z], 0, 1.0);
    }
    let sol = acc.solve(&ClockModel::Common, [radial.x, radial.y, radial.z])?;
    // Unit weights: σ_ref = 1, so the reported DOPs are the plain ones.
    let d = sol.figures();
    let (pdop, tdop, gdop) = (d.pdop, d.tdop, d.gdop);
    Some(StationDop {
        gdop,
        pdop,
        tdop,
        used: sol.used,
    })
}

/// Station geometry toward one satellite over the span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatStationGeometry {
    /// Satellite.
    pub sat: SatId,
    /// Per epoch (None: fewer than 4 stations, singular geometry or no state).
    pub per_epoch: Vec<Option<StationDop>>,
    /// Fraction of epochs with ≥ 4 stations in view.
    pub fraction_ge4: f64,
    /// Median GDOP over epochs with a solution.
    pub gdop_median: Option<f64>,
    /// 95th percentile GDOP over epochs with a solution.
    pub gdop_p95: Option<f64>,
    /// Median PDOP over epochs with a solution.
    pub pdop_median: Option<f64>,
    /// 95th percentile PDOP over epochs with a solution.
    pub pdop_p95: Option<f64>,
}

/// Nearest-rank percentile (p in 0..=100) of sorted values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

impl SatStationGeometry {
    pub(crate) fn from_epochs(
        sat: SatId,
        counts: &[u16],
        per_epoch: Vec<Option<StationDop>>,
    ) -> Self {
        let n = counts.len().max(1) as f64;
        let mut g: Vec<f64> = per_epoch.iter().flatten().map(|d| d.gdop).collect();
        let mut p: Vec<f64> = per_epoch.iter().flatten().map(|d| d.pdop).collect();
        g.sort_by(f64::total_cmp);
        p.sort_by(f64::total_cmp);
        SatStationGeometry {
            sat,
            fraction_ge4: counts.iter().filter(|&&c| c >= 4).count() as f64 / n,
            gdop_median: percentile(&g, 50.0),
            gdop_p95: percentile(&g, 95.0),
            pdop_median: percentile(&p, 50.0),
            pdop_p95: percentile(&p, 95.0),
            per_epoch,
        }
    }
}

/// Station geometry of a network toward every satellite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationGeometryReport {
    /// Network name.
    pub network: String,
    /// Time span.
    pub span: TimeSpan,
    /// One entry per satellite.
    pub satellites: Vec<SatStationGeometry>,
}
