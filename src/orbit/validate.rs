//! Comparing two orbit sources (typically broadcast minus precise): per-satellite and
//! per-group statistics of the position difference in radial, along-track, cross-track and 3-D.
//!
//! For every satellite both sources provide and every epoch asked for, the difference
//! d = r_test − r_ref is decomposed on the axes of the *reference* state:
//!
//! ```text
//! v_i   = v_ECEF + ω_E ẑ × r           (inertial velocity expressed on ECEF axes)
//! ê_R   = r / |r|                       (radial)
//! ê_C   = (r × v_i) / |r × v_i|         (cross-track: orbit normal)
//! ê_A   = ê_C × ê_R                     (along-track)
//! d_R = d·ê_R,  d_A = d·ê_A,  d_C = d·ê_C,  d_3D = |d|
//! ```
//!
//! The velocity is made inertial before taking the orbit normal: a geostationary satellite's
//! Earth-fixed velocity is a few m/s of libration whose direction is arbitrary, so r × v_ECEF
//! would give a meaningless cross-track axis for BeiDou GEOs (for MEO the two normals differ by
//! tens of degrees as well). This is the usual convention of orbit-comparison studies
//! (e.g. Montenbruck et al. 2015, "Broadcast versus precise ephemerides: a multi-GNSS
//! perspective", GPS Solutions 19).
//!
//! Groups: BeiDou satellites are classed GEO/IGSO/MEO with [`BdsOrbitClass::from_orbit`] on the
//! osculating semi-major axis and inclination of the first reference state
//! (1/a = 2/|r| − |v_i|²/μ, cos i = (r × v_i)_z / |r × v_i|); GLONASS is one group; any other
//! constellation is a group of its own.
//!
//! Statistics per component x (signed values for R/A/C, norms for 3-D): mean (signed), RMS
//! √(Σx²/n), and median, 95th percentile and maximum of |x|. Percentiles interpolate linearly
//! between order statistics (position p·(n−1) in the sorted sample, "type 7" of Hyndman and
//! Fan 1996, the default of R and NumPy).
//!
//! Frames: the sources' native frames are compared as they are (CGCS2000 and PZ-90.11 against
//! an IGS20 SP3 differ by centimetres, far below broadcast errors). Broadcast positions refer to
//! the antenna phase centre, SP3 positions to the centre of mass: the ≈ 1–2 m offset stays in
//! the difference (mostly radial) and is part of the figures.

use std::collections::BTreeMap;

use hifitime::Epoch;
use nalgebra::Vector3;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::consts::cgcs2000;
use crate::id::{BdsOrbitClass, Constellation, SatId};

use super::{OrbitError, OrbitSource, SatState};

/// Group of satellites in a validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrbitGroup {
    /// BeiDou, by orbit class.
    Bds(BdsOrbitClass),
    /// GLONASS (one group).
    Glonass,
    /// Any other constellation, one group each.
    Other(Constellation),
}

impl OrbitGroup {
    /// Label used in tables and CSV (`BDS GEO`, `BDS IGSO`, `BDS MEO`, `GLONASS`, `GPS`, …).
    pub fn label(self) -> String {
        match self {
            OrbitGroup::Bds(c) => format!("BDS {}", c.label()),
            OrbitGroup::Glonass => "GLONASS".to_string(),
            OrbitGroup::Other(c) => c.name().to_string(),
        }
    }

    /// Display order: BDS GEO, IGSO, MEO, GLONASS, then others.
    fn rank(self) -> (u8, u8) {
        match self {
            OrbitGroup::Bds(BdsOrbitClass::Geo) => (0, 0),
            OrbitGroup::Bds(BdsOrbitClass::Igso) => (0, 1),
            OrbitGroup::Bds(BdsOrbitClass::Meo) => (0, 2),
            OrbitGroup::Glonass => (1, 0),
            OrbitGroup::Other(c) => (2, c.letter() as u8),
        }
    }

    /// The group of a satellite whose reference state is `state`.
    pub fn of_state(state: &SatState) -> Self {
        match state.sat.constellation() {
            Constellation::BeiDou => {
                let (a_m, i_rad) = osculating_a_i(&state.position_m, &state.velocity_m_s);
                OrbitGroup::Bds(BdsOrbitClass::from_orbit(a_m, i_rad))
            }
            Constellation::Glonass => OrbitGroup::Glonass,
            c => OrbitGroup::Other(c),
        }
    }
}

impl std::fmt::Display for OrbitGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// Inertial velocity on ECEF axes: v_i = v + ω_E ẑ × r (CGCS2000 ω_E; the frames' values agree
/// to 1e-13 rad/s).
fn inertial_velocity(r: &Vector3<f64>, v: &Vector3<f64>) -> Vector3<f64> {
    let w = cgcs2000::EARTH_ROTATION_RAD_S;
    v + Vector3::new(-w * r.y, w * r.x, 0.0)
}

/// Osculating semi-major axis (vis-viva) and inclination of an Earth-fixed state.
fn osculating_a_i(r: &Vector3<f64>, v_ecef: &Vector3<f64>) -> (f64, f64) {
    let v = inertial_velocity(r, v_ecef);
    // 1/a = 2/|r| − |v|²/μ
    let inv_a = 2.0 / r.norm() - v.norm_squared() / cgcs2000::GM_M3_S2;
    let a = if inv_a > 0.0 {
        1.0 / inv_a
    } else {
        f64::INFINITY
    };
    let h = r.cross(&v);
    let i = (h.z / h.norm()).clamp(-1.0, 1.0).acos();
    (a, i)
}

/// Radial, along-track and cross-track components of `d` on the axes of the reference state.
pub fn rac(reference: &SatState, d: &Vector3<f64>) -> Option<Vector3<f64>> {
    let r = reference.position_m;
    let v = inertial_velocity(&r, &reference.velocity_m_s);
    let h = r.cross(&v);
    if r.norm() == 0.0 || h.norm() == 0.0 {
        return None;
    }
    let e_r = r.normalize();
    let e_c = h.normalize();
    let e_a = e_c.cross(&e_r);
    Some(Vector3::new(d.dot(&e_r), d.dot(&e_a), d.dot(&e_c)))
}

/// Statistics of one component over a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Number of values.
    pub n: usize,
    /// Mean of the signed values, m (for 3-D: mean norm).
    pub mean_m: f64,
    /// Root mean square, m.
    pub rms_m: f64,
    /// Median of the absolute values, m.
    pub median_m: f64,
    /// 95th percentile of the absolute values, m.
    pub p95_m: f64,
    /// Maximum absolute value, m.
    pub max_m: f64,
}

impl Stats {
    /// Statistics of a sample; `None` when it is empty or holds a non-finite value.
    pub fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let n = values.len();
        let mean_m = values.iter().sum::<f64>() / n as f64;
        let rms_m = (values.iter().map(|v| v * v).sum::<f64>() / n as f64).sqrt();
        let mut abs: Vec<f64> = values.iter().map(|v| v.abs()).collect();
        abs.sort_by(f64::total_cmp);
        Some(Stats {
            n,
            mean_m,
            rms_m,
            median_m: quantile_sorted(&abs, 0.5),
            p95_m: quantile_sorted(&abs, 0.95),
            max_m: abs[n - 1],
        })
    }
}

/// Quantile p ∈ [0, 1] of a sorted, non-empty sample: linear interpolation at p·(n − 1).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let x = p.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = x.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo as f64)
}

/// Radial, along-track, cross-track and 3-D statistics of one sample of differences.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RacStats {
    /// Radial component.
    pub radial: Stats,
    /// Along-track component.
    pub along: Stats,
    /// Cross-track component.
    pub cross: Stats,
    /// 3-D norm.
    pub norm_3d: Stats,
}

impl RacStats {
    /// Statistics of RAC differences (m); `None` for an empty sample.
    pub fn of(diffs: &[Vector3<f64>]) -> Option<RacStats> {
        let col = |k: usize| diffs.iter().map(|d| d[k]).collect::<Vec<_>>();
        let norms: Vec<f64> = diffs.iter().map(|d| d.norm()).collect();
        Some(RacStats {
            radial: Stats::of(&col(0))?,
            along: Stats::of(&col(1))?,
            cross: Stats::of(&col(2))?,
            norm_3d: Stats::of(&norms)?,
        })
    }
}

/// Why an epoch of a satellite was not compared, with counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Skips {
    /// Epochs where the test source had no state, by reason (error kind).
    pub test: BTreeMap<String, usize>,
    /// Epochs where the reference source had no state (test state valid), by reason.
    pub reference: BTreeMap<String, usize>,
}

impl Skips {
    /// Total skipped epochs.
    pub fn total(&self) -> usize {
        self.test.values().sum::<usize>() + self.reference.values().sum::<usize>()
    }
}

/// Comparison of one satellite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatValidation {
    /// Satellite.
    pub sat: SatId,
    /// Group (from the reference orbit); `None` when the reference never gave a state.
    pub group: Option<OrbitGroup>,
    /// Statistics of test − reference; `None` when no epoch could be compared.
    pub stats: Option<RacStats>,
    /// Epochs not compared, with reasons.
    pub skipped: Skips,
    /// The differences (R, A, C, m) per compared epoch, in epoch order.
    pub diffs: Vec<(Epoch, Vector3<f64>)>,
    /// When no epoch could be compared because one source has no state at any epoch: which
    /// source and the reason that holds over the whole span
    /// ([`crate::orbit::span_absence_reason`]), e.g. `"test: only unhealthy records over
    /// the span"`; `None` otherwise or when the source cannot tell.
    #[serde(default)]
    pub no_state_reason: Option<String>,
}

/// Pooled comparison of a group of satellites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupValidation {
    /// Group.
    pub group: OrbitGroup,
    /// Satellites contributing at least one compared epoch.
    pub sats: Vec<SatId>,
    /// Statistics over all compared epochs of all its satellites.
    pub stats: RacStats,
}

/// Result of [`compare_sources`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Description of the test source.
    pub test: String,
    /// Description of the reference source.
    pub reference: String,
    /// Number of epochs asked for.
    pub epochs: usize,
    /// One entry per satellite common to both sources, sorted.
    pub per_sat: Vec<SatValidation>,
    /// Groups in display order (BDS GEO, IGSO, MEO, GLONASS, others); empty groups left out.
    pub groups: Vec<GroupValidation>,
    /// Satellites only the test source provides.
    pub only_in_test: Vec<SatId>,
    /// Satellites only the reference source provides.
    pub only_in_reference: Vec<SatId>,
}

impl Validation {
    /// The group entry of a group, if it has data.
    pub fn group(&self, group: OrbitGroup) -> Option<&GroupValidation> {
        self.groups.iter().find(|g| g.group == group)
    }

    /// The entry of a satellite.
    pub fn sat(&self, sat: SatId) -> Option<&SatValidation> {
        self.per_sat.iter().find(|s| s.sat == sat)
    }
}

/// A group's satellites and pooled RAC differences while aggregating.
type Pool = (OrbitGroup, Vec<SatId>, Vec<Vector3<f64>>);

/// Short, stable name of an error kind (for skip counts).
pub fn error_kind(e: &OrbitError) -> &'static str {
    use crate::ephemeris::EphemerisError as E;
    match e {
        OrbitError::OutsideValidity { .. } => "outside validity",
        OrbitError::UnknownSatellite { .. } => "unknown satellite",
        OrbitError::Unhealthy { .. } => "unhealthy",
        OrbitError::InvalidElements { .. } => "invalid elements",
        OrbitError::Interpolation { .. } => "cannot interpolate",
        OrbitError::EmptySelection { .. } => "empty selection",
        OrbitError::NothingInCommon { .. } => "nothing in common",
        OrbitError::Implausible { .. } => "implausible state",
        OrbitError::Ephemeris(E::NoValidRecord { .. }) => "no valid record",
        OrbitError::Ephemeris(E::UnknownSatellite { .. }) => "not in the data",
        OrbitError::Ephemeris(_) => "ephemeris error",
    }
}

/// Compare `test` against `reference` at `epochs` for every satellite both provide
/// (differences test − reference, decomposed on the reference state's axes).
///
/// Satellites are processed in parallel; the result does not depend on the thread count.
/// An epoch where either source has no state is counted in [`SatValidation::skipped`] with
/// the error kind, never silently dropped.
pub fn compare_sources(
    test: &dyn OrbitSource,
    reference: &dyn OrbitSource,
    epochs: &[Epoch],
) -> Validation {
    let ts = test.satellites();
    let rs = reference.satellites();
    let common: Vec<SatId> = ts
        .iter()
        .copied()
        .filter(|s| rs.binary_search(s).is_ok())
        .collect();
    let only_in_test = ts
        .iter()
        .copied()
        .filter(|s| rs.binary_search(s).is_err())
        .collect();
    let only_in_reference = rs
        .iter()
        .copied()
        .filter(|s| ts.binary_search(s).is_err())
        .collect();

    let per_sat: Vec<SatValidation> = common
        .par_iter()
        .map(|&sat| compare_sat(test, reference, sat, epochs))
        .collect();

    let mut pooled: BTreeMap<(u8, u8), Pool> = BTreeMap::new();
    for s in &per_sat {
        let Some(g) = s.group else { continue };
        if s.diffs.is_empty() {
            continue;
        }
        let e = pooled
            .entry(g.rank())
            .or_insert_with(|| (g, Vec::new(), Vec::new()));
        e.1.push(s.sat);
        e.2.extend(s.diffs.iter().map(|d| d.1));
    }
    let groups = pooled
        .into_values()
        .filter_map(|(group, sats, diffs)| {
            RacStats::of(&diffs).map(|stats| GroupValidation { group, sats, stats })
        })
        .collect();
    Validation {
        test: test.describe(),
        reference: reference.describe(),
        epochs: epochs.len(),
        per_sat,
        groups,
        only_in_test,
        only_in_reference,
    }
}

fn compare_sat(
    test: &dyn OrbitSource,
    reference: &dyn OrbitSource,
    sat: SatId,
    epochs: &[Epoch],
) -> SatValidation {
    let mut skipped = Skips::default();
    let mut diffs = Vec::with_capacity(epochs.len());
    let mut group = None;
    for &t in epochs {
        let a = match test.state_at(sat, t) {
            Ok(a) => a,
            Err(e) => {
                *skipped.test.entry(error_kind(&e).to_string()).or_default() += 1;
                continue;
            }
        };
        let b = match reference.state_at(sat, t) {
            Ok(b) => b,
            Err(e) => {
                *skipped
                    .reference
                    .entry(error_kind(&e).to_string())
                    .or_default() += 1;
                continue;
            }
        };
        if group.is_none() {
            group = Some(OrbitGroup::of_state(&b));
        }
        let d = a.position_m - b.position_m;
        match rac(&b, &d) {
            Some(x) => diffs.push((t, x)),
            None => {
                *skipped
                    .reference
                    .entry("degenerate reference state".to_string())
                    .or_default() += 1;
            }
        }
    }
    // A satellite whose test source never had a state still gets its group when the
    // reference has one.
    if group.is_none() {
        group = epochs
            .iter()
            .find_map(|&t| reference.state_at(sat, t).ok())
            .map(|b| OrbitGroup::of_state(&b));
    }
    let stats = RacStats::of(&diffs.iter().map(|d| d.1).collect::<Vec<_>>());
    let n_test: usize = skipped.test.values().sum();
    let n_ref: usize = skipped.reference.values().sum();
    let no_state_reason = match (epochs.first(), epochs.last()) {
        (Some(&a), Some(&b)) if !epochs.is_empty() && diffs.is_empty() => {
            if n_test == epochs.len() {
                super::span_absence_reason(test, sat, a, b).map(|r| format!("test: {r}"))
            } else if n_ref == epochs.len() {
                super::span_absence_reason(reference, sat, a, b).map(|r| format!("reference: {r}"))
            } else {
                None
            }
        }
        _ => None,
    };
    SatValidation {
        sat,
        group,
        stats,
        skipped,
        diffs,
        no_state_reason,
    }
}

/// What the broadcast-versus-precise study compares: the one configuration behind
/// `gnss-interop validate` and a scenario's `[validation]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationConfig {
    /// Broadcast navigation files (RINEX 2/3/4, plain or gzip), merged into one source.
    pub nav: Vec<std::path::PathBuf>,
    /// SP3 files (the reference), stitched into one table.
    pub sp3: Vec<std::path::PathBuf>,
    /// Constellations compared.
    pub systems: Vec<Constellation>,
    /// First epoch; default the SP3 table's first epoch.
    pub start: Option<Epoch>,
    /// Last epoch (included when on the step); default the SP3 table's last epoch.
    pub end: Option<Epoch>,
    /// Step between compared epochs, s; default the SP3 epoch interval (the precise nodes,
    /// no interpolation of the reference).
    pub step_s: Option<f64>,
}

/// The study's result: both sources (for availability tables), the epochs and the comparison.
pub struct ValidationStudy {
    /// The broadcast source.
    pub broadcast: super::broadcast::BroadcastSource,
    /// The precise source restricted to the compared systems.
    pub precise: super::filter::Restricted<super::sp3::Sp3Source>,
    /// First and last epoch of the span.
    pub start: Epoch,
    /// Last epoch of the span.
    pub end: Epoch,
    /// Step, s.
    pub step_s: f64,
    /// Epochs compared (start, start + step, … not after end).
    pub epochs: Vec<Epoch>,
    /// The comparison.
    pub validation: Validation,
}

/// Run the broadcast-versus-precise study: read the files, build the epoch grid
/// ([`crate::time::TimeSpan::through`]) and [`compare_sources`]. A span and files with no
/// satellite and epoch in common is an error naming the files, not an empty table.
pub fn run_validation(cfg: &ValidationConfig) -> crate::Result<ValidationStudy> {
    use super::broadcast::{BroadcastOptions, BroadcastSource};
    use super::filter::Restricted;
    use super::sp3::{Sp3Source, DEFAULT_ORDER};
    let broadcast =
        BroadcastSource::from_files(&cfg.nav, &cfg.systems, BroadcastOptions::default())?;
    let precise = Sp3Source::new(
        crate::ephemeris::Sp3Product::from_files(&cfg.sp3)?,
        DEFAULT_ORDER,
    )?;
    let interval_s = precise.product().epoch_interval_s;
    let (first, last) = precise.span();
    let precise = Restricted::to_systems(precise, &cfg.systems);
    let start = cfg.start.unwrap_or(first);
    let end = cfg.end.unwrap_or(last);
    let step_s = cfg.step_s.unwrap_or(interval_s);
    let epochs = crate::time::epoch_grid(
        "validation start/end/step",
        start,
        end,
        step_s,
        crate::limits::MAX_EPOCHS,
    )?;
    let validation = compare_sources(&broadcast, &precise, &epochs);
    if validation.groups.is_empty() {
        let names = |v: &[std::path::PathBuf]| {
            v.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(OrbitError::NothingInCommon {
            detail: format!(
                "no satellite and epoch in common between {} and {} over {start} – {end}",
                names(&cfg.nav),
                names(&cfg.sp3)
            ),
        }
        .into());
    }
    Ok(ValidationStudy {
        broadcast,
        precise,
        start,
        end,
        step_s,
        epochs,
        validation,
    })
}

/// File name of the per-satellite table written by [`Validation::write_csv`].
pub const VALIDATION_PER_SAT_CSV: &str = "validation_per_sat.csv";
/// File name of the per-group table written by [`Validation::write_csv`].
pub const VALIDATION_GROUPS_CSV: &str = "validation_groups.csv";

impl Validation {
    /// Write the two tables into `dir`: [`VALIDATION_PER_SAT_CSV`] (`sat,group,` then for
    /// radial, along, cross and 3-D: `n,mean_m,rms_m,median_m,p95_m,max_m`, then the skipped
    /// satellite-epochs of each source) and [`VALIDATION_GROUPS_CSV`] (`group,sats,` and the same
    /// statistics). Metres to four decimals; a satellite without a common epoch has empty
    /// statistics.
    pub fn write_csv(&self, dir: &std::path::Path) -> std::io::Result<()> {
        use std::fmt::Write as _;
        use std::io::Write as _;
        const STAT: [&str; 6] = ["n", "mean_m", "rms_m", "median_m", "p95_m", "max_m"];
        const COMP: [&str; 4] = ["radial", "along", "cross", "3d"];
        let header: Vec<String> = COMP
            .iter()
            .flat_map(|c| STAT.iter().map(move |s| format!("{c}_{s}")))
            .collect();
        let stats = |line: &mut String, s: Option<&RacStats>| {
            for x in [
                s.map(|s| s.radial),
                s.map(|s| s.along),
                s.map(|s| s.cross),
                s.map(|s| s.norm_3d),
            ] {
                match x {
                    Some(x) => {
                        let _ = write!(
                            line,
                            ",{},{:.4},{:.4},{:.4},{:.4},{:.4}",
                            x.n, x.mean_m, x.rms_m, x.median_m, x.p95_m, x.max_m
                        );
                    }
                    None => line.push_str(",,,,,,"),
                }
            }
        };
        let write = |name: &str, text: String| -> std::io::Result<()> {
            let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
            f.write_all(text.as_bytes())?;
            f.flush()
        };
        let mut t = format!(
            "sat,group,{},skipped_test,skipped_reference\n",
            header.join(",")
        );
        for s in &self.per_sat {
            let _ = write!(
                t,
                "{},{}",
                s.sat,
                s.group.map(|g| g.label()).unwrap_or_default()
            );
            stats(&mut t, s.stats.as_ref());
            let _ = writeln!(
                t,
                ",{},{}",
                s.skipped.test.values().sum::<usize>(),
                s.skipped.reference.values().sum::<usize>()
            );
        }
        write(VALIDATION_PER_SAT_CSV, t)?;
        let mut t = format!("group,sats,{}\n", header.join(","));
        for g in &self.groups {
            let _ = write!(t, "{},{}", g.group.label(), g.sats.len());
            stats(&mut t, Some(&g.stats));
            t.push('\n');
        }
        write(VALIDATION_GROUPS_CSV, t)
    }
}
