//! Dilution of precision from line-of-sight vectors, with a receiver-clock model and
//! optional weights, built on a small normal-matrix accumulator shared with the coverage
//! kernel.
//!
//! # Model
//!
//! Linearised pseudorange of satellite i of system s(i) (e.g. Kaplan & Hegarty, *Understanding
//! GPS/GNSS*, 3rd ed., §11.2; RTKLIB `dops()` for the single-clock case):
//!
//! ```text
//! δρᵢ = −ℓᵢ · δx + δc_s(i) + εᵢ,   ℓᵢ = unit vector receiver → satellite,  εᵢ ~ N(0, σᵢ²)
//! ```
//!
//! Unknowns x = (δx, δy, δz, c₁ … c_k), one receiver clock c_s per system present among the used
//! satellites (k = 1 for [`ClockModel::Common`]). Normal matrix N = Σ wᵢ aᵢ aᵢᵀ with
//! aᵢ = (−ℓᵢ, e_s(i)) and wᵢ = 1/σᵢ² (σᵢ = 1 m when no weights are given). Partition
//!
//! ```text
//! N = | P   B |   P = Σ wᵢ ℓᵢℓᵢᵀ (3×3),  B = −[Σ_{i∈s} wᵢ ℓᵢ]_s (3×k),
//!     | Bᵀ  D |   D = diag(Σ_{i∈s} wᵢ) (+ prior, below)
//! ```
//!
//! and invert through the Schur complement: S = P − B D⁻¹ Bᵀ, Q_pos = S⁻¹,
//! Q_cc = D⁻¹ + D⁻¹ Bᵀ Q_pos B D⁻¹.
//!
//! [`ClockModel::KnownOffsets`] adds a prior on each inter-system bias c_s − c_ref (ref = the
//! first system present in [`Constellation`] order) with standard deviation σ_isb:
//! D += (1/σ_isb²)(e_s − e_ref)(e_s − e_ref)ᵀ. σ_isb → ∞ gives `PerConstellation`, σ_isb → 0
//! gives `Common` (σ_isb = 0 is treated as `Common` exactly).
//!
//! # Reported figures
//!
//! With σ_ref defined by 1/σ_ref² = mean(wᵢ) over the used satellites (σ_ref = 1 m unweighted,
//! σ_ref = σ when all σᵢ are equal, so equal weights give the unweighted DOP):
//! PDOP = √tr(Q_pos)/σ_ref, VDOP = √(uᵀQ_pos u)/σ_ref with u the local up vector,
//! HDOP = √(PDOP² − VDOP²), TDOP_s = √(Q_cc)_ss/σ_ref per system, scalar TDOP = RMS of the TDOP_s
//! over the systems present, GDOP = √(PDOP² + TDOP²). For one clock these are the textbook
//! definitions (GDOP = √tr Q). Under `PerConstellation` GDOP is *not* √tr Q (which would grow
//! with the number of systems merely by counting clocks); it is the position part plus the
//! mean clock variance, which makes both `KnownOffsets` limits hold for every figure.
//! With weights, `position_error_m` = √tr(Q_pos) (1-σ, 3-D, metres).

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix equations

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use crate::frames::Topocentric;
use crate::id::Constellation;

/// Number of constellations (clock slots) known to the accumulator.
pub const MAX_SYSTEMS: usize = 5;

/// The accumulator slot of a constellation (its position in [`Constellation`] order).
pub fn system_slot(c: Constellation) -> usize {
    match c {
        Constellation::BeiDou => 0,
        Constellation::Glonass => 1,
        Constellation::Gps => 2,
        Constellation::Galileo => 3,
        Constellation::Qzss => 4,
    }
}

/// The constellation of an accumulator slot.
pub fn slot_system(slot: usize) -> Option<Constellation> {
    match slot {
        0 => Some(Constellation::BeiDou),
        1 => Some(Constellation::Glonass),
        2 => Some(Constellation::Gps),
        3 => Some(Constellation::Galileo),
        4 => Some(Constellation::Qzss),
        _ => None,
    }
}

/// A receiver → satellite direction in the local east-north-up frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LineOfSight {
    /// Unit vector (east, north, up).
    pub unit_enu: [f64; 3],
    /// Azimuth from north towards east, degrees in [0, 360).
    pub azimuth_deg: f64,
    /// Elevation above the horizon, degrees.
    pub elevation_deg: f64,
    /// Constellation of the satellite (selects its receiver clock).
    pub system: Constellation,
}

impl LineOfSight {
    /// Line of sight from azimuth and elevation (degrees).
    ///
    /// ℓ = (sin az cos el, cos az cos el, sin el) in (E, N, U).
    pub fn from_az_el(azimuth_deg: f64, elevation_deg: f64, system: Constellation) -> Self {
        let (sa, ca) = azimuth_deg.to_radians().sin_cos();
        let (se, ce) = elevation_deg.to_radians().sin_cos();
        LineOfSight {
            unit_enu: [sa * ce, ca * ce, se],
            azimuth_deg: azimuth_deg.rem_euclid(360.0),
            elevation_deg,
            system,
        }
    }

    /// Line of sight from an ENU vector (any length). `None` for a zero or non-finite vector.
    pub fn from_enu(enu_m: [f64; 3], system: Constellation) -> Option<Self> {
        let n = (enu_m[0] * enu_m[0] + enu_m[1] * enu_m[1] + enu_m[2] * enu_m[2]).sqrt();
        if !(n.is_finite() && n > 0.0) {
            return None;
        }
        let u = [enu_m[0] / n, enu_m[1] / n, enu_m[2] / n];
        let mut az = u[0].atan2(u[1]).to_degrees();
        if az < 0.0 {
            az += 360.0;
        }
        if az >= 360.0 {
            az -= 360.0;
        }
        Some(LineOfSight {
            unit_enu: u,
            azimuth_deg: az,
            elevation_deg: u[2].clamp(-1.0, 1.0).asin().to_degrees(),
            system,
        })
    }

    /// Line of sight from a site to a satellite's ECEF position (m), through the site's
    /// topocentric frame (the rotation of [`Topocentric`]). `None` if the satellite is at the site.
    pub fn from_ecef(
        site: &Topocentric,
        sat_ecef_m: &Vector3<f64>,
        system: Constellation,
    ) -> Option<Self> {
        let enu = site.enu_of(sat_ecef_m);
        LineOfSight::from_enu([enu.x, enu.y, enu.z], system)
    }
}

/// How receiver clocks enter the geometry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ClockModel {
    /// One receiver clock for all systems (what RTKLIB's `dops()` assumes).
    Common,
    /// One clock per system: an unknown inter-system bias; TDOP reported per system.
    PerConstellation,
    /// One clock per system with a prior on each inter-system bias (e.g. BDT − GLONASST from
    /// the time module's reconciliation, its closure in ns × c as σ). `isb_sigma_m` = 0 is
    /// `Common`, +∞ is `PerConstellation`. Without weights the measurements have σ = 1 m, so
    /// σ_isb is relative to a 1 m range error.
    KnownOffsets {
        /// Standard deviation of the known inter-system bias, m (≥ 0).
        isb_sigma_m: f64,
    },
}

impl ClockModel {
    /// [`ClockModel::KnownOffsets`] from σ of the inter-system bias in nanoseconds, the unit
    /// every door (scenario `isb_sigma_ns`, `--isb-sigma-ns`) takes it in: σ_m = σ_ns · c.
    pub fn known_offset_ns(isb_sigma_ns: f64) -> ClockModel {
        ClockModel::KnownOffsets {
            isb_sigma_m: isb_sigma_ns * 1e-9 * crate::consts::SPEED_OF_LIGHT_M_S,
        }
    }
}

/// Dilution of precision and the number of satellites used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dop {
    /// Geometric DOP, √(PDOP² + TDOP²).
    pub gdop: f64,
    /// Position DOP.
    pub pdop: f64,
    /// Horizontal DOP.
    pub hdop: f64,
    /// Vertical DOP.
    pub vdop: f64,
    /// Time DOP (RMS over the systems' clocks; see the module documentation).
    pub tdop: f64,
    /// TDOP of each system's receiver clock, for the systems present, in [`Constellation`] order.
    pub tdop_per_system: Vec<(Constellation, f64)>,
    /// Number of satellites used.
    pub used: u16,
    /// Predicted 3-D position error (1 σ, m) when per-satellite σ were given.
    pub position_error_m: Option<f64>,
}

/// DOP of a set of lines of sight (already filtered by the mask) under a clock model, with
/// optional per-satellite range σ (m, same order as `los`).
///
/// Returns `None` when the geometry is under-determined (fewer satellites than unknowns) or
/// singular, when `sigmas_m` has the wrong length or a σ that is not finite and positive, or when
/// `isb_sigma_m` is negative or NaN. Never returns NaN.
pub fn dop(los: &[LineOfSight], clock: &ClockModel, sigmas_m: Option<&[f64]>) -> Option<Dop> {
    if let Some(s) = sigmas_m {
        if s.len() != los.len() {
            return None;
        }
    }
    let mut acc = NormalAccumulator::new();
    for (i, l) in los.iter().enumerate() {
        let w = match sigmas_m {
            Some(s) => {
                let sig = s[i];
                if !(sig.is_finite() && sig > 0.0) {
                    return None;
                }
                1.0 / (sig * sig)
            }
            None => 1.0,
        };
        acc.add(l.unit_enu, system_slot(l.system), w);
    }
    let sol = acc.solve(clock, [0.0, 0.0, 1.0])?;
    Some(sol.to_dop(sigmas_m.is_some()))
}

/// Sums of the normal equations, per system: Σwℓℓᵀ (upper triangle), per-system Σwℓ and Σw.
///
/// ℓ may be in any Cartesian frame (ENU for [`dop`], ECEF in the coverage kernel); the frame
/// only matters for the `up` vector given to [`NormalAccumulator::solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalAccumulator {
    /// Σ w ℓℓᵀ: xx, xy, xz, yy, yz, zz.
    pub pp: [f64; 6],
    /// Per system slot: Σ w ℓ.
    pub pc: [[f64; 3]; MAX_SYSTEMS],
    /// Per system slot: Σ w.
    pub cc: [f64; MAX_SYSTEMS],
    /// Satellites added.
    pub used: u16,
}

impl Default for NormalAccumulator {
    fn default() -> Self {
        Self::new()
    }
}

/// The solved normal equations: position covariance and clock variances (units of 1/w).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalSolution {
    /// tr(Q_pos).
    pub pos_trace: f64,
    /// uᵀ Q_pos u.
    pub up_var: f64,
    /// Variance of each slot's receiver clock (0 for slots not present).
    pub clock_var: [f64; MAX_SYSTEMS],
    /// Which slots are present.
    pub present: [bool; MAX_SYSTEMS],
    /// Number of slots present.
    pub n_systems: usize,
    /// mean(w) over used satellites (1/σ_ref²).
    pub mean_w: f64,
    /// Satellites used.
    pub used: u16,
}

/// The five DOP figures of one solution, by name (no per-system detail, `Copy`): what a
/// coverage series keeps per epoch ([`crate::coverage::EpochSample`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DopFigures {
    /// Geometric DOP, √(PDOP² + TDOP²).
    pub gdop: f64,
    /// Position DOP.
    pub pdop: f64,
    /// Horizontal DOP.
    pub hdop: f64,
    /// Vertical DOP.
    pub vdop: f64,
    /// Time DOP (RMS over the systems' clocks).
    pub tdop: f64,
}

impl DopFigures {
    /// From the lane order of [`NormalSolution::dops`]: PDOP, HDOP, VDOP, TDOP, GDOP.
    pub(crate) fn from_lane_order([pdop, hdop, vdop, tdop, gdop]: [f64; 5]) -> Self {
        DopFigures {
            gdop,
            pdop,
            hdop,
            vdop,
            tdop,
        }
    }
}

impl NormalSolution {
    /// The five figures by name, normalised by σ_ref (module docs).
    pub fn figures(&self) -> DopFigures {
        DopFigures::from_lane_order(self.dops())
    }

    /// PDOP, HDOP, VDOP, TDOP (RMS over systems), GDOP, normalised by σ_ref (module docs):
    /// the lane order of the coverage kernel, which indexes figures by position. Outside
    /// the kernel, use [`NormalSolution::figures`].
    pub(crate) fn dops(&self) -> [f64; 5] {
        let k = self.mean_w;
        let p2 = self.pos_trace * k;
        let v2 = (self.up_var * k).min(p2);
        let mut t2 = 0.0;
        for s in 0..MAX_SYSTEMS {
            if self.present[s] {
                t2 += self.clock_var[s];
            }
        }
        t2 = t2 / self.n_systems as f64 * k;
        [
            p2.sqrt(),
            (p2 - v2).sqrt(),
            v2.sqrt(),
            t2.sqrt(),
            (p2 + t2).sqrt(),
        ]
    }

    /// The full [`Dop`] (allocates the per-system list).
    pub fn to_dop(&self, weighted: bool) -> Dop {
        let DopFigures {
            gdop,
            pdop,
            hdop,
            vdop,
            tdop,
        } = self.figures();
        let tdop_per_system = (0..MAX_SYSTEMS)
            .filter(|&s| self.present[s])
            .filter_map(|s| Some((slot_system(s)?, (self.clock_var[s] * self.mean_w).sqrt())))
            .collect();
        Dop {
            gdop,
            pdop,
            hdop,
            vdop,
            tdop,
            tdop_per_system,
            used: self.used,
            position_error_m: weighted.then(|| self.pos_trace.sqrt()),
        }
    }
}

impl NormalAccumulator {
    /// An empty accumulator.
    pub const fn new() -> Self {
        NormalAccumulator {
            pp: [0.0; 6],
            pc: [[0.0; 3]; MAX_SYSTEMS],
            cc: [0.0; MAX_SYSTEMS],
            used: 0,
        }
    }

    /// Add one satellite: unit line of sight ℓ, system slot, weight w = 1/σ² (1 unweighted).
    #[inline(always)]
    pub fn add(&mut self, l: [f64; 3], slot: usize, w: f64) {
        let (wx, wy, wz) = (w * l[0], w * l[1], w * l[2]);
        self.pp[0] += wx * l[0];
        self.pp[1] += wx * l[1];
        self.pp[2] += wx * l[2];
        self.pp[3] += wy * l[1];
        self.pp[4] += wy * l[2];
        self.pp[5] += wz * l[2];
        let pc = &mut self.pc[slot];
        pc[0] += wx;
        pc[1] += wy;
        pc[2] += wz;
        self.cc[slot] += w;
        self.used += 1;
    }

    /// Solve under a clock model; `up` is the unit local vertical in the frame of ℓ.
    /// `None` when under-determined or singular (see [`dop`]).
    #[inline(always)]
    pub fn solve(&self, clock: &ClockModel, up: [f64; 3]) -> Option<NormalSolution> {
        let prior_w = match *clock {
            ClockModel::Common => return self.solve_diagonal(true, up),
            ClockModel::PerConstellation => return self.solve_diagonal(false, up),
            ClockModel::KnownOffsets { isb_sigma_m } => {
                if isb_sigma_m.is_nan() || isb_sigma_m < 0.0 {
                    return None;
                }
                if isb_sigma_m == 0.0 {
                    return self.solve_diagonal(true, up);
                }
                1.0 / (isb_sigma_m * isb_sigma_m)
            }
        };
        let mut slots = [0usize; MAX_SYSTEMS];
        let mut k = 0;
        for s in 0..MAX_SYSTEMS {
            if self.cc[s] > 0.0 {
                slots[k] = s;
                k += 1;
            }
        }
        if k <= 1 || prior_w == 0.0 {
            // No inter-system bias to constrain (one system, or σ_isb = ∞).
            return self.solve_diagonal(false, up);
        }
        if (self.used as usize) < 3 + k {
            return None;
        }
        // D = diag(Σw) + λ Σ_s (e_s − e_ref)(e_s − e_ref)ᵀ, ref = slots[0]; dense k×k inverse.
        let mut d = [[0.0f64; MAX_SYSTEMS]; MAX_SYSTEMS];
        for a in 0..k {
            d[a][a] = self.cc[slots[a]];
        }
        for a in 1..k {
            d[a][a] += prior_w;
            d[0][0] += prior_w;
            d[a][0] -= prior_w;
            d[0][a] -= prior_w;
        }
        let mut dinv = [[0.0f64; MAX_SYSTEMS]; MAX_SYSTEMS];
        if !invert_spd(&d, k, &mut dinv) {
            return None;
        }
        // G = D⁻¹ Bᵀ (k×3); S = P − B G.
        let mut g = [[0.0f64; 3]; MAX_SYSTEMS];
        for a in 0..k {
            for b in 0..k {
                for j in 0..3 {
                    g[a][j] += dinv[a][b] * self.pc[slots[b]][j];
                }
            }
        }
        let mut s = self.pp;
        for a in 0..k {
            sub_outer(&mut s, &self.pc[slots[a]], &g[a]);
        }
        let mut gs = [[0.0f64; 3]; MAX_SYSTEMS];
        let mut dd = [0.0f64; MAX_SYSTEMS];
        for a in 0..k {
            gs[slots[a]] = g[a];
            dd[slots[a]] = dinv[a][a];
        }
        self.finish(&s, &gs, &dd, None, up)
    }

    /// Diagonal clock block: one clock per present system, or all merged into one (`merge`).
    ///
    /// With D diagonal, G_s = B_sᵀ/D_ss and S = P − Σ_s B_s B_sᵀ / D_ss.
    #[inline(always)]
    fn solve_diagonal(&self, merge: bool, up: [f64; 3]) -> Option<NormalSolution> {
        let mut s = self.pp;
        let mut g = [[0.0f64; 3]; MAX_SYSTEMS];
        let mut dinv = [0.0f64; MAX_SYSTEMS];
        let k;
        let mut merged_into = None;
        if merge {
            let mut pc = [0.0; 3];
            let mut cc = 0.0;
            let mut first = None;
            for sl in 0..MAX_SYSTEMS {
                if self.cc[sl] > 0.0 {
                    first.get_or_insert(sl);
                    for j in 0..3 {
                        pc[j] += self.pc[sl][j];
                    }
                    cc += self.cc[sl];
                }
            }
            let f = first?;
            k = 1;
            dinv[f] = 1.0 / cc;
            g[f] = [pc[0] * dinv[f], pc[1] * dinv[f], pc[2] * dinv[f]];
            sub_outer(&mut s, &pc, &g[f]);
            merged_into = Some(f);
        } else {
            let mut n = 0;
            for sl in 0..MAX_SYSTEMS {
                let c = self.cc[sl];
                if c > 0.0 {
                    n += 1;
                    let di = 1.0 / c;
                    dinv[sl] = di;
                    let pc = self.pc[sl];
                    g[sl] = [pc[0] * di, pc[1] * di, pc[2] * di];
                    sub_outer(&mut s, &pc, &g[sl]);
                }
            }
            k = n;
        }
        if k == 0 || (self.used as usize) < 3 + k {
            return None;
        }
        self.finish(&s, &g, &dinv, merged_into, up)
    }

    /// From S, G and the diagonal of D⁻¹ (per slot; 0 for absent slots): Q_pos = S⁻¹,
    /// var(c_s) = (D⁻¹)_ss + G_s Q G_sᵀ. With `merged_into`, that slot's clock is every system's.
    #[inline(always)]
    fn finish(
        &self,
        s: &[f64; 6],
        g: &[[f64; 3]; MAX_SYSTEMS],
        dinv_diag: &[f64; MAX_SYSTEMS],
        merged_into: Option<usize>,
        up: [f64; 3],
    ) -> Option<NormalSolution> {
        let q = invert_sym3(s)?;
        let pos_trace = q[0] + q[3] + q[5];
        let up_var = quad(&q, up);
        let mut clock_var = [0.0; MAX_SYSTEMS];
        let mut present = [false; MAX_SYSTEMS];
        let mut n_systems = 0;
        let mut sum_w = 0.0;
        let merged = merged_into.map(|f| dinv_diag[f] + quad(&q, g[f]));
        // Non-short-circuit `&`: a few compares are cheaper than the branches. Absent slots keep
        // a variance of 0, which passes.
        let mut ok = true;
        for sl in 0..MAX_SYSTEMS {
            if self.cc[sl] > 0.0 {
                sum_w += self.cc[sl];
                present[sl] = true;
                n_systems += 1;
                let v = match merged {
                    Some(v) => v,
                    None => dinv_diag[sl] + quad(&q, g[sl]),
                };
                clock_var[sl] = v;
                ok &= v.is_finite() & (v >= 0.0);
            }
        }
        let sol = NormalSolution {
            pos_trace,
            up_var,
            clock_var,
            present,
            n_systems,
            mean_w: sum_w / self.used as f64,
            used: self.used,
        };
        ok &= pos_trace.is_finite()
            & (pos_trace > 0.0)
            & up_var.is_finite()
            & (up_var >= 0.0)
            & sol.mean_w.is_finite();
        ok.then_some(sol)
    }
}

/// Upper triangle of S −= b gᵀ in symmetric storage (xx, xy, xz, yy, yz, zz); the sum of these
/// terms over the systems, B D⁻¹ Bᵀ, is symmetric.
#[inline(always)]
fn sub_outer(s: &mut [f64; 6], b: &[f64; 3], g: &[f64; 3]) {
    s[0] -= b[0] * g[0];
    s[1] -= b[0] * g[1];
    s[2] -= b[0] * g[2];
    s[3] -= b[1] * g[1];
    s[4] -= b[1] * g[2];
    s[5] -= b[2] * g[2];
}

/// xᵀ Q x for a symmetric 3×3 Q stored as (xx, xy, xz, yy, yz, zz).
#[inline(always)]
fn quad(q: &[f64; 6], x: [f64; 3]) -> f64 {
    let [a, b, c] = x;
    a * (q[0] * a + q[1] * b + q[2] * c)
        + b * (q[1] * a + q[3] * b + q[4] * c)
        + c * (q[2] * a + q[4] * b + q[5] * c)
}

/// Inverse of a symmetric 3×3 matrix (xx, xy, xz, yy, yz, zz) by the adjugate, `None` unless
/// clearly positive definite: det > 1e-12 · (tr/3)³ (a relative condition test).
#[inline(always)]
fn invert_sym3(s: &[f64; 6]) -> Option<[f64; 6]> {
    let [a, b, c, d, e, f] = *s;
    // Cofactors of | a b c ; b d e ; c e f |
    let c00 = d * f - e * e;
    let c01 = c * e - b * f;
    let c02 = b * e - c * d;
    let det = a * c00 + b * c01 + c * c02;
    let tr = (a + d + f) / 3.0;
    if !(det.is_finite() && tr > 0.0 && det > 1e-12 * tr * tr * tr) {
        return None;
    }
    let c11 = a * f - c * c;
    let c12 = b * c - a * e;
    let c22 = a * d - b * b;
    let r = 1.0 / det;
    Some([c00 * r, c01 * r, c02 * r, c11 * r, c12 * r, c22 * r])
}

/// Inverse of a small symmetric positive-definite n×n matrix (n ≤ MAX_SYSTEMS) by Cholesky.
/// Returns false when not positive definite (relative pivot test).
fn invert_spd(
    m: &[[f64; MAX_SYSTEMS]; MAX_SYSTEMS],
    n: usize,
    out: &mut [[f64; MAX_SYSTEMS]; MAX_SYSTEMS],
) -> bool {
    // M = L Lᵀ
    let mut l = [[0.0f64; MAX_SYSTEMS]; MAX_SYSTEMS];
    let scale = (0..n).map(|i| m[i][i]).fold(0.0, f64::max);
    for j in 0..n {
        let mut d = m[j][j];
        for p in 0..j {
            d -= l[j][p] * l[j][p];
        }
        if !(d.is_finite() && d > 1e-14 * scale) {
            return false;
        }
        let dj = d.sqrt();
        l[j][j] = dj;
        for i in j + 1..n {
            let mut v = m[i][j];
            for p in 0..j {
                v -= l[i][p] * l[j][p];
            }
            l[i][j] = v / dj;
        }
    }
    // L⁻¹ (lower triangular), then M⁻¹ = L⁻ᵀ L⁻¹.
    let mut li = [[0.0f64; MAX_SYSTEMS]; MAX_SYSTEMS];
    for i in 0..n {
        li[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let mut v = 0.0;
            for p in j..i {
                v -= l[i][p] * li[p][j];
            }
            li[i][j] = v / l[i][i];
        }
    }
    for i in 0..n {
        for j in 0..n {
            let mut v = 0.0;
            for p in i.max(j)..n {
                v += li[p][i] * li[p][j];
            }
            out[i][j] = v;
        }
    }
    true
}
