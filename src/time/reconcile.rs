//! BDT − GLONASST at an instant, by every path the broadcast data allow, and their closure.
//!
//! ```text
//! nominal:  BDT − GLONASST = (TAI − 33 s) − (TAI − (TAI−UTC) + 3 h) = (TAI−UTC) − 33 s − 10 800 s
//!           (= 4 − 10 800 = −10 796 s since 2017-01-01)
//! via UTC:  nominal + BDUT − GLUT          (BDT − UTC(NTSC)) − (GLONASST − UTC(SU))
//! via GPST: nominal + BDGP − GLGP          (BDT − GPST) − (GLONASST − GPST)
//! direct:   nominal + BDGL                 (BDS-3 B-CNAV BGTO, RINEX 4 STO)
//! ```
//! The UTC path mixes two realisations, UTC(NTSC) and UTC(SU), which differ by a few ns
//! (BIPM Circular T); that difference is part of the closure. A single combined BDS + GLONASS
//! solution with one receiver clock needs this offset (or an extra clock unknown).
//!
//! **Uncertainty.** Every reconciliation carries one ([`Reconciliation::uncertainty_ns`]):
//! the larger of the closure and [`BROADCAST_OFFSET_FLOOR_NS`] (20 ns). The floor comes from
//! the precise-clock realisation of 2023-01-01 ([`crate::realised`]): two analysis centres'
//! products (WUM, COD) realise BDS-3 − GLONASST 16 ns apart and BDS-2 differs from BDS-3 by
//! 19 ns; on 2023-03-12 the three broadcast paths spread over 20–25 ns. A single broadcast
//! path (the usual case with IGS RINEX 3 files) cannot show its own error, so it gets the
//! floor; a closure below the floor does not prove agreement with the realised time scales.
//! With precise clocks, [`Reconciliation::with_realised_uncertainty`] replaces it by the
//! realised spread.

/// Smallest uncertainty attributed to a broadcast BDT − GLONASST, ns (see the module notes).
pub const BROADCAST_OFFSET_FLOOR_NS: f64 = 20.0;

/// Where a reconciliation's uncertainty comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UncertaintyBasis {
    /// Fewer than two broadcast paths: [`BROADCAST_OFFSET_FLOOR_NS`].
    Floor,
    /// The closure of two or more paths (it exceeds the floor).
    Closure,
    /// The floor, larger than the closure of two or more paths.
    ClosureBelowFloor,
    /// The spread of the offset realised by precise clocks ([`crate::realised`]).
    Realised,
}

use hifitime::Epoch;
use serde::{Deserialize, Serialize};

use super::offsets::{BroadcastOffsets, OffsetCode};
use super::{nominal_offset_s, Scale, TimeError};

/// BDT − GLONASST at one instant by each available path, s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// The instant.
    pub epoch: Epoch,
    /// Nominal whole-second value, s.
    pub nominal_s: f64,
    /// Through UTC (BDUT and GLUT), s.
    pub via_utc_s: Option<f64>,
    /// Through GPST (BDGP and GLGP), s.
    pub via_gpst_s: Option<f64>,
    /// Direct (BDGL), s.
    pub direct_s: Option<f64>,
    /// Broadcast part of the UTC path (total − nominal), ns.
    pub via_utc_residual_ns: Option<f64>,
    /// Broadcast part of the GPST path, ns.
    pub via_gpst_residual_ns: Option<f64>,
    /// Broadcast part of the direct path, ns.
    pub direct_residual_ns: Option<f64>,
    /// Largest pairwise difference between the available broadcast paths, ns (`None` with fewer
    /// than two paths).
    pub closure_ns: Option<f64>,
    /// 1-σ uncertainty of BDT − GLONASST, ns: always present (see the module notes).
    pub uncertainty_ns: f64,
    /// Where [`Self::uncertainty_ns`] comes from.
    pub uncertainty_basis: UncertaintyBasis,
}

impl Reconciliation {
    /// The same reconciliation with the uncertainty measured from precise clocks (the realised
    /// spread, ns; e.g. [`crate::realised::realised_uncertainty_ns`]).
    pub fn with_realised_uncertainty(mut self, uncertainty_ns: f64) -> Self {
        self.uncertainty_ns = uncertainty_ns;
        self.uncertainty_basis = UncertaintyBasis::Realised;
        self
    }
}

/// BDT − GLONASST at an instant from the offsets of a navigation file (see the module notes).
///
/// ```
/// use gnss_interop::ephemeris::NavData;
/// use gnss_interop::time::{epoch_from_iso, reconcile_bdt_glonasst, Scale};
/// // Header lines of the IGS merged navigation file BRDC00IGS_R_20230010000_01D_MN.rnx.
/// let text = concat!(
///     "     3.05           NAVIGATION DATA     MIXED               RINEX VERSION / TYPE\n",
///     "GLUT -6.0535967350E-09 0.000000000E+00      0    0          TIME SYSTEM CORR    \n",
///     "BDUT -4.6566128731E-09 9.769962617E-15 604745  886          TIME SYSTEM CORR    \n",
///     "                                                            END OF HEADER\n",
/// );
/// let offsets = NavData::from_reader(text.as_bytes(), "".as_ref())?.offsets;
/// let t = epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00")?;
/// let r = reconcile_bdt_glonasst(t, &offsets)?;
/// // TAI − UTC = 37 s: BDT − GLONASST = 37 − 33 − 10 800 = −10 796 s.
/// assert_eq!(r.nominal_s, -10_796.0);
/// // Through UTC: BDUT − GLUT = −4.657 ns − (−6.054 ns) = +1.397 ns.
/// let ns = r.via_utc_residual_ns.unwrap();
/// assert!((ns - 1.397).abs() < 0.001, "{ns}");
/// // Only one path (no BDGP/GLGP or BDGL in this header): no closure, the 20 ns floor.
/// assert_eq!(r.closure_ns, None);
/// assert_eq!(r.uncertainty_ns, 20.0);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
///
/// An instant more than [`crate::limits::MAX_OFFSET_EXTRAPOLATION_S`] (two days) from every
/// reference epoch of the offsets is refused ([`TimeError::OffsetsOutOfReach`]);
/// [`reconcile_bdt_glonasst_within`] sets another reach.
pub fn reconcile_bdt_glonasst(
    epoch: Epoch,
    offsets: &BroadcastOffsets,
) -> Result<Reconciliation, TimeError> {
    reconcile_bdt_glonasst_within(epoch, offsets, crate::limits::MAX_OFFSET_EXTRAPOLATION_S)
}

/// σ of the BDT − GLONASST bias over a span, ns, for a known-offset clock model: the largest
/// reconciliation uncertainty ([`Reconciliation::uncertainty_ns`]) at the start, middle and end
/// of the span, with the basis of that largest value. This is what `--clock known-offset` uses
/// when `--isb-sigma-ns` is not given and navigation files are.
pub fn isb_sigma_over_span_ns(
    start: Epoch,
    end: Epoch,
    offsets: &BroadcastOffsets,
) -> Result<(f64, UncertaintyBasis), TimeError> {
    let mid = start + (end - start) * 0.5;
    let mut best = (0.0_f64, UncertaintyBasis::Floor);
    for t in [start, mid, end] {
        let r = reconcile_bdt_glonasst(t, offsets)?;
        if r.uncertainty_ns > best.0 {
            best = (r.uncertainty_ns, r.uncertainty_basis);
        }
    }
    Ok(best)
}

/// [`reconcile_bdt_glonasst`] evaluating the offsets up to `max_extrapolation_s` from their
/// reference epochs (`f64::INFINITY`: any instant).
pub fn reconcile_bdt_glonasst_within(
    epoch: Epoch,
    offsets: &BroadcastOffsets,
    max_extrapolation_s: f64,
) -> Result<Reconciliation, TimeError> {
    offsets.check_reach(epoch, max_extrapolation_s)?;
    let nominal = nominal_offset_s(Scale::Bdt, Scale::Glonasst, epoch)? as f64;
    let ev = |c: OffsetCode| offsets.evaluate(&c, epoch);
    let via_utc = ev(OffsetCode::Bdut)
        .zip(ev(OffsetCode::Glut))
        .map(|(b, g)| b - g);
    let via_gpst = ev(OffsetCode::Bdgp)
        .zip(ev(OffsetCode::Glgp))
        .map(|(b, g)| b - g);
    let direct = ev(OffsetCode::Bdgl);
    let paths: Vec<f64> = [via_utc, via_gpst, direct].into_iter().flatten().collect();
    let closure_ns = (paths.len() >= 2).then(|| {
        let max = paths.iter().cloned().fold(f64::MIN, f64::max);
        let min = paths.iter().cloned().fold(f64::MAX, f64::min);
        (max - min) * 1e9
    });
    let (uncertainty_ns, uncertainty_basis) = match closure_ns {
        None => (BROADCAST_OFFSET_FLOOR_NS, UncertaintyBasis::Floor),
        Some(c) if c.abs() >= BROADCAST_OFFSET_FLOOR_NS => (c.abs(), UncertaintyBasis::Closure),
        Some(_) => (
            BROADCAST_OFFSET_FLOOR_NS,
            UncertaintyBasis::ClosureBelowFloor,
        ),
    };
    let ns = |v: Option<f64>| v.map(|x| x * 1e9);
    Ok(Reconciliation {
        epoch,
        nominal_s: nominal,
        via_utc_s: via_utc.map(|r| nominal + r),
        via_gpst_s: via_gpst.map(|r| nominal + r),
        direct_s: direct.map(|r| nominal + r),
        via_utc_residual_ns: ns(via_utc),
        via_gpst_residual_ns: ns(via_gpst),
        direct_residual_ns: ns(direct),
        closure_ns,
        uncertainty_ns,
        uncertainty_basis,
    })
}
